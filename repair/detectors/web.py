"""Web pages: find the article in a page's text and drop the page furniture around it.

A web page exported as text (one line per block element) holds the article among
navigation menus, login prompts, share widgets, comment sections, lists of other
stories and footers. As in jusText-style content extraction, every line is
classified on its own -- body text (`good`), sentence-like but short (`near`),
short (`short`), furniture (`bad`) or metadata (`meta`) -- by length, sentence
punctuation and furniture vocabulary, all configured in the rule file. Context
then decides: the article body is the run of lines with the best balance of
body text against furniture; the headline is the short line above the
date/source line over the first body line (or the line the page's own title
repeats); the page is cut into before the headline, the header (headline to
body), the body and after the body. Nothing is removed silently: every line
dropped is a DROP fix carrying its full text and the reason.

Nothing fires on a document without page furniture (a plain article, an e-paper
export): the page must show at least `gate_min_bad` furniture lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex as re

from ..model import CAPTION, CREDIT, DROP, HEADING, JOIN, KICKER, PARAGRAPH, SUBTITLE, TITLE, Fix
from ..rules import Rule
from ..textutil import ends_sentence, han_count, unbalanced, visible_len
from ..view import Item, View
from . import detector
from .classify import DATE, _relabel, iso_date, parse_byline, strip_widgets
from .common import either_script, make_fix, meta_fix
from .page import PUNCT_SPACE, ngram_set

GOOD, NEAR, SHORT, BAD, METAL = "good", "near", "short", "bad", "meta"

_STOPS = re.compile(r"[，。；：、！？,;:!?]")
_CLOSERS = "”’」』）)》】〕\"'"


def _any(patterns: list[str] | tuple[str, ...], text: str):
    for rx in _rx_all(tuple(patterns)):
        m = rx.search(text)
        if m:
            return m
    return None


@lru_cache(maxsize=256)
def _rx_all(patterns: tuple[str, ...]) -> tuple:
    return tuple(map(either_script, patterns))


@lru_cache(maxsize=64)
def _words_rx(words: tuple[str, ...]):
    """One pattern for a list of words, the longer words first."""
    return either_script("|".join(sorted(words, key=len, reverse=True)))


def _final(text: str) -> str:
    t = text.rstrip()
    while t and t[-1] in _CLOSERS:
        t = t[:-1]
    return t[-1:] if t else ""


def _norm(text: str) -> str:
    return PUNCT_SPACE.sub("", text).lower()


@dataclass
class Line:
    item: Item
    cls: str
    vis: int
    han: int
    why: str = ""
    section: bool = False  # a list/section header such as 相关阅读: the article does not run past it
    label_only: bool = False  # "来源：" with its value on the next line

    @property
    def text(self) -> str:
        return self.item.text


def classify(rule: Rule, item: Item) -> Line:
    """One line on its own: good / near / short / bad / meta."""
    p = rule.param
    text = item.text.strip()
    vis, han = visible_len(text), han_count(text)
    stops = len(_STOPS.findall(text))
    final = _final(text)
    if item.kind != PARAGRAPH:  # already classified by an earlier rule: neutral here, never dropped
        return Line(item, NEAR, vis, han, f"kind {item.kind}")
    # metadata: date, time, source/author/editor labels -- short and not a sentence
    if vis <= p("meta_max_chars", 60) and "。" not in text:
        m = _any(p("meta_patterns", []), text)
        if m:
            label_only = bool(_any(p("label_only_patterns", []), text))
            return Line(item, METAL, vis, han, f"metadata: {m.group(0)!r}", label_only=label_only)
    # furniture
    period = final in p("period_marks", "。．")
    sentence = period and han >= p("good_min_han", 10)  # a full sentence: only notices count against it
    if vis <= p("section_max_chars", 12) and _any(p("section_patterns", []), text):
        return Line(item, BAD, vis, han, "section header", section=True)
    if vis <= p("bad_max_chars", 40) and not sentence:
        m = _any(p("chrome_patterns", []), text)
        if m:
            return Line(item, BAD, vis, han, f"furniture word {m.group(0)!r}")
        words = p("chrome_words", [])
        if words:
            rest, n = _words_rx(tuple(words)).subn("", text)
            if n and han_count(rest) <= p("chrome_residue_han", 1):
                return Line(item, BAD, vis, han, "furniture words only")
        if han == 0 and vis <= p("no_han_max_chars", 30) and not _any(p("keep_patterns", []), text):
            return Line(item, BAD, vis, han, "no Chinese text")
        if vis <= p("count_max_chars", 8) and han <= p("count_max_han", 2) and re.search(r"\d", text) and not _any(p("keep_patterns", []), text):
            return Line(item, BAD, vis, han, "count or number")
        seps = len(either_script(p("separator", r"[|｜>»›/·•⋅]")).findall(text))
        if seps >= p("list_min_separators", 2) and stops == 0:
            return Line(item, BAD, vis, han, "link list")
    if vis <= p("notice_max_chars", 120):
        m = _any(p("notice_patterns", []), text)
        if m:
            return Line(item, BAD, vis, han, f"notice {m.group(0)!r}")
    # body text
    if han >= p("good_min_han", 10) and (
        (period and vis >= p("good_min_chars", 15))
        or (vis >= p("good_long_chars", 50) and stops >= p("good_long_stops", 2))
    ):
        return Line(item, GOOD, vis, han, "sentence text")
    if han >= p("near_min_han", 4) and (len(_STOPS.findall(text.rstrip().rstrip(":：")))  or final in "。！？!?…"):
        return Line(item, NEAR, vis, han, "short sentence")
    return Line(item, SHORT, vis, han, "short line")


def headline_like(rule: Rule, line: Line) -> bool:
    text = line.text.strip()
    return (
        line.cls in (SHORT, NEAR)
        and line.item.kind == PARAGRAPH
        and line.han >= rule.param("headline_min_han", 5)
        and line.vis <= rule.param("headline_max_chars", 60)
        and not either_script(rule.param("headline_forbid", r"。|[，,；;：:、]$")).search(text)
    )


@dataclass
class Layout:
    lines: list[Line]
    is_page: bool = False
    bad: int = 0
    start: int | None = None  # first body line (index into lines)
    end: int | None = None  # last body line
    headline: list[int] = field(default_factory=list)
    drops: dict[int, tuple[str, str]] = field(default_factory=dict)  # index -> (zone, why)
    keep_meta: set[int] = field(default_factory=set)
    headings: list[int] = field(default_factory=list)
    header: list[int] = field(default_factory=list)  # headline lines kept: kicker/title/subtitle
    found_by: str = ""


def _score(rule: Rule, line: Line) -> float:
    p = rule.param
    if line.cls == GOOD:
        return min(line.vis, p("good_cap", 200))
    if line.cls == NEAR:
        return p("near_weight", 0.5) * line.vis
    if line.cls == METAL:
        return 0.0
    if line.cls == BAD:
        return p("section_score", -200.0) if line.section else p("bad_score", -20.0)
    return p("short_score", -4.0)


def _best_run(rule: Rule, lines: list[Line], lo: int, hi: int) -> tuple[int, int, float] | None:
    """The contiguous run of lines in [lo, hi) with the largest total score (Kadane)."""
    best, best_span = 0.0, None
    total, start = 0.0, lo
    for n in range(lo, hi):
        s = _score(rule, lines[n])
        if total <= 0:
            total, start = 0.0, n
        total += s
        if total > best:
            best, best_span = total, (start, n, total)
    return best_span


def _blocks(rule: Rule, lines: list[Line]) -> list[tuple[int, int]]:
    """Cut the page at section headers (相关阅读, 评论 ...) and at long stretches of
    furniture: the article does not run across them."""
    cuts: list[int] = []
    run: list[int] = []
    min_run, min_bad = rule.param("barrier_run", 10), rule.param("barrier_bad", 5)

    def close() -> None:
        if len(run) >= min_run and sum(1 for k in run if lines[k].cls == BAD) >= min_bad:
            cuts.extend(run)
        run.clear()

    for n, line in enumerate(lines):
        if line.section:
            cuts.append(n)
        if line.cls in (SHORT, BAD, METAL):
            run.append(n)
        else:
            close()
    close()
    blocks, lo = [], 0
    for c in sorted(set(cuts)):
        if c > lo:
            blocks.append((lo, c))
        lo = c + 1
    if lo < len(lines):
        blocks.append((lo, len(lines)))
    return blocks


def _grams(text: str, n: int) -> set[str]:
    return ngram_set(_norm(text), n)


def page_layout(rule: Rule, view: View) -> Layout:
    live = [it for it in view.live()]
    lines = [classify(rule, it) for it in live]
    lay = Layout(lines)
    lay.bad = sum(1 for ln in lines if ln.cls == BAD)
    if lay.bad < rule.param("gate_min_bad", 8):
        return lay
    # the article: the best run of body text inside one stretch of the page, preferring
    # a run that has a headline over it
    runs = []
    for lo, hi in _blocks(rule, lines):
        span = _best_run(rule, lines, lo, hi)
        if span is None:
            continue
        s, e, total = span
        if sum(lines[n].vis for n in range(s, e + 1) if lines[n].cls == GOOD) < rule.param("min_body_chars", 80):
            continue
        runs.append((s, e, total, _find_headline(rule, lines, s, e)))
    if not runs:
        return lay
    # the first run with a headline, unless a later one is far longer: pages continue
    # with sponsored stories and the next article, which come after the main one
    top_total = max(r[2] for r in runs)
    share = rule.param("first_run_share", 0.5)
    headed = [r for r in runs if r[3][0] and r[2] >= share * top_total]
    if headed:
        longest = max(r[2] for r in headed)
        s, e, _, (head, lay.found_by) = next(r for r in headed if r[2] >= share * longest)
    else:
        s, e, _, (head, lay.found_by) = max(runs, key=lambda r: r[2])
    lay.is_page = True
    lay.headline = head
    top = head[-1] + 1 if head else s
    first = next((n for n in range(top, e + 1) if lines[n].cls == GOOD), None)
    if first is None:
        lay.is_page = False
        return lay
    # teasers: summary lines under the headline repeated word for word in the body
    teasers = _teasers(rule, lines, top, first, e)
    for n in teasers:
        lay.drops[n] = ("summary repeated in the article", f"{lines[n].why}; repeated below")
    first = next((n for n in range(top, e + 1) if lines[n].cls == GOOD and n not in teasers), None)
    if first is None:
        lay.is_page = False
        lay.drops.clear()
        return lay
    lead = _lead_in(rule, lines, top, first, teasers)
    lay.start, lay.end = (lead[0] if lead else first), e
    # before the headline: everything
    if head:
        for n in range(0, head[0]):
            lay.drops[n] = ("before the headline", lines[n].why)
        seen: set[str] = set()
        for n in head:
            t = _norm(lines[n].text)
            if t in seen:
                lay.drops[n] = ("before the headline", "headline repeated")
            seen.add(t)
    else:
        n = 0
        while n < top:
            if lines[n].cls == METAL:
                if lines[n].label_only and n + 1 < top and _value_line(rule, lines[n + 1]):
                    n += 1
            else:
                lay.drops[n] = ("before the article", lines[n].why)
            n += 1
    # header: between headline and body keep metadata, a subtitle and the lead-in lines
    subtitle = None
    if head and head[-1] + 1 < lay.start and headline_like(rule, lines[head[-1] + 1]):
        subtitle = head[-1] + 1
    lay.header = [n for n in head if n not in lay.drops] + ([subtitle] if subtitle is not None else [])
    n, seen_meta = top, False
    while n < lay.start:
        line = lines[n]
        if n in lay.drops or n == subtitle:
            n += 1
            continue
        if line.cls == METAL:
            seen_meta = True
            lay.keep_meta.add(n)
            if n + 1 < lay.start and _value_line(rule, lines[n + 1]) and (line.label_only or _source_under_date(rule, line.text, lines[n + 1].text)):
                lay.keep_meta.add(n + 1)
                n += 2
                continue
        elif not (seen_meta and line.cls in (NEAR, GOOD)):  # a lead or photo caption under the date line stays
            lay.drops[n] = ("between headline and article", line.why)
        n += 1
    # body: furniture lines, and short lines caught between them
    _body_drops(rule, lines, lay)
    lay.headings = _subheadings(rule, lines, lay)
    # after the body: keep the metadata lines that close the article, drop the rest
    window = rule.param("tail_meta_window", 8)
    n, closing, clean = e + 1, True, True
    while n < len(lines):
        line = lines[n]
        if line.section or n - e > window:
            closing = False
        if line.cls == BAD:
            clean = False
        if closing and line.cls != METAL and _any(rule.param("tail_keep_patterns", []), line.text):
            n += 1  # a photo credit under the last paragraph stays with the article
            continue
        if closing and clean and _any(rule.param("tail_note_patterns", []), line.text):
            n += 1  # a note closing the article: （新华社北京2月22日电） （作者为…）
            continue
        if closing and line.cls == METAL:
            lay.keep_meta.add(n)
            if line.label_only and n + 1 < len(lines) and _value_line(rule, lines[n + 1]):
                lay.keep_meta.add(n + 1)
                n += 2
                continue
        else:
            lay.drops[n] = ("after the article", line.why)
        n += 1
    return lay


def _value_line(rule: Rule, line: Line) -> bool:
    return line.cls in (SHORT, NEAR, METAL) and line.vis <= rule.param("value_max_chars", 20) and not _STOPS.search(line.text)


def _source_under_date(rule: Rule, date: str, line: str) -> bool:
    """`line` is the name of the source printed on its own under a line that holds only the date
    (a portal prints the source as a link: 2019年11月25日 18:57 / 某某日报)."""
    return bool(DATE.fullmatch(date.strip()) and _any(rule.param("source_line", []), line))


def _find_headline(rule: Rule, lines: list[Line], s: int, e: int) -> tuple[list[int], str]:
    """Indices of the headline block of the article run [s, e] (empty: none found).

    A headline candidate is a short line without a full stop, above (or among the
    first lines of) the run, with most of the run's text below it. The page's own
    title (a page export usually starts with it) repeating the line is the strongest
    cue; otherwise the headline is the line over the date/source line."""
    window = rule.param("header_window", 40)
    lo = max(0, s - window)
    good_total = sum(ln.vis for ln in lines[s : e + 1] if ln.cls == GOOD)
    share = rule.param("headline_body_share", 0.7)
    titles = [_norm(ln.text) for ln in lines[: rule.param("page_title_lines", 3)]]
    echo, anchored = None, None
    goods_before = 0
    for n in range(lo, e + 1):
        line = lines[n]
        if n >= s and line.cls == GOOD:
            goods_before += 1
            if goods_before > rule.param("headline_max_goods_above", 2):
                break
        if not headline_like(rule, line):
            continue
        if sum(ln.vis for ln in lines[max(n + 1, s) : e + 1] if ln.cls == GOOD) < share * good_total:
            continue
        # the fewest body lines above it wins; among equals, the one nearest the body
        t = _norm(line.text)
        rank = (-goods_before, n)
        if n >= len(titles) and len(t) >= rule.param("headline_min_han", 5) and any(pt.startswith(t) for pt in titles):
            if echo is None or rank >= echo[0]:
                echo = (rank, n)
        if _meta_below(rule, lines, n):
            if anchored is None or rank >= anchored[0]:
                anchored = (rank, n)
    if echo is not None:
        return _block(rule, lines, echo[1], echo=True), "the page title repeats it"
    if anchored is not None:
        return _block(rule, lines, anchored[1], echo=False), "the date/source line under it"
    return [], ""


def _meta_below(rule: Rule, lines: list[Line], n: int) -> bool:
    """A date/source line follows, past furniture and at most one more headline line."""
    extra = 0
    for m in range(n + 1, min(len(lines), n + 1 + rule.param("meta_search_lines", 15))):
        line = lines[m]
        if line.cls == METAL:
            return True
        if headline_like(rule, line):
            if extra >= 1:
                return False
            extra += 1
            continue
        if line.cls in (BAD, SHORT):
            continue
        return False
    return False


def _block(rule: Rule, lines: list[Line], n: int, echo: bool) -> list[int]:
    """The headline and the headline lines printed right above it (a title over a
    subtitle, or the same headline twice)."""
    block = [n]
    m = n - 1
    distinct = 1
    while m >= 0 and headline_like(rule, lines[m]) and lines[m].vis >= rule.param("headline_block_min_chars", 6):
        same = _norm(lines[m].text) in {_norm(lines[k].text) for k in block}
        if not same:
            if echo or distinct >= rule.param("headline_block_lines", 2):
                break
            distinct += 1
        block.insert(0, m)
        m -= 1
    return block


def _teasers(rule: Rule, lines: list[Line], top: int, first: int, end: int) -> set[int]:
    """Summary lines printed between the headline and the article (导读, 划重点) that the
    article then repeats: the run of text lines from the first one on, as long as each
    one's words reappear below."""
    size = rule.param("teaser_ngram", 3)
    limit = rule.param("teaser_containment", 0.92)
    found: set[int] = set()
    # a summary box sits under furniture or under its own label (划重点：, 摘要：)
    above = lines[first - 1] if first > 0 else None
    if above is None or not (above.cls == BAD or _any(rule.param("teaser_labels", []), above.text)):
        return found
    last: dict[str, int] | None = None
    for n in range(first, min(end, first + rule.param("teaser_window", 12)) + 1):
        line = lines[n]
        if line.cls not in (GOOD, NEAR):
            continue
        grams = _grams(line.text, size)
        if line.vis < rule.param("teaser_min_chars", 15) or not grams:
            break
        if last is None:
            last = _last_text_line(lines, first + 1, end, size)
        # an n-gram reappears below line n when the last text line that prints it is below n
        if sum(last.get(g, -1) > n for g in grams) / len(grams) < limit:
            break
        found.add(n)
    return found


def _last_text_line(lines: list[Line], lo: int, hi: int, size: int) -> dict[str, int]:
    """The last text line in lines[lo..hi] that prints each n-gram (one pass over the article,
    not one per teaser line)."""
    last: dict[str, int] = {}
    for m in range(lo, hi + 1):
        if lines[m].cls in (GOOD, NEAR):
            last.update(dict.fromkeys(_grams(lines[m].text, size), m))
    return last


def _lead_in(rule: Rule, lines: list[Line], top: int, first: int, skip: set[int]) -> list[int]:
    """Lines right above the first body line that belong to the article: a lead, the
    original title, a reporter line, a photo caption."""
    lead: list[int] = []
    n = first - 1
    while n >= top and len(lead) < rule.param("lead_max_lines", 3):
        if n in skip:
            break
        if lines[n].cls not in (NEAR, METAL) or lines[n].item.kind != PARAGRAPH:
            break
        lead.insert(0, n)
        n -= 1
    return lead


def _body_drops(rule: Rule, lines: list[Line], lay: Layout) -> None:
    """Inside the body: furniture lines go, and so do the short lines of a furniture
    cluster (a subscribe box, share buttons); the last short line before text stays
    when it reads as a subheading."""
    s, e = lay.start, lay.end
    n = s
    while n <= e:
        if lines[n].cls in (GOOD, NEAR, METAL) or n in lay.drops:
            n += 1
            continue
        run = []
        while n <= e and lines[n].cls in (SHORT, BAD) and n not in lay.drops:
            run.append(n)
            n += 1
        bads = [k for k in run if lines[k].cls == BAD]
        if not bads:
            continue
        first_bad, last_bad = bads[0], bads[-1]
        for k in run:
            if first_bad <= k <= last_bad:
                lay.drops[k] = ("inside the article", lines[k].why)
        after = [k for k in run if k > last_bad]
        followed_by_text = n <= e and lines[n].cls == GOOD
        for k in after:
            if k == after[-1] and followed_by_text and headline_like(rule, lines[k]):
                continue
            lay.drops[k] = ("inside the article", f"{lines[k].why}, among furniture")


def _subheadings(rule: Rule, lines: list[Line], lay: Layout) -> list[int]:
    """Short lines between paragraphs of the article (one, or two in a row). A web page
    prints one block element per line, so such a line is a subheading, not half of a
    paragraph."""
    kept = [n for n in range(lay.start, lay.end + 1) if n not in lay.drops]

    def heading_like(n: int, nxt: int) -> bool:
        line, text = lines[n], lines[n].text.strip()
        if not headline_like(rule, line) or line.vis > rule.param("subheading_max_chars", 30):
            return False
        if _final(text) in "。！？!?…；;，,、：:" or unbalanced(text) or _any(rule.param("not_heading_patterns", []), text):
            return False  # a sentence, a fragment, or a photo caption/credit left to the caption rules
        return not (re.search(r"[A-Za-z0-9]$", text) and re.match(r"[A-Za-z0-9]", lines[nxt].text.strip()))

    found: list[int] = []
    pos = 1
    while pos < len(kept) - 1:
        run = []
        k = pos
        while k < len(kept) - 1 and len(run) < rule.param("subheading_lines", 2) and heading_like(kept[k], kept[k + 1]):
            run.append(kept[k])
            k += 1
        prev = lines[kept[pos - 1]]
        closed = prev.item.kind != PARAGRAPH or _final(prev.text.strip()) in "。！？!?…；;：:"
        if run and closed and lines[kept[k]].cls == GOOD:
            found.extend(run)
            pos = k
        else:
            pos += 1
    return found


# -- page-chrome: drop the page furniture around and inside the article ---------------
@detector("web-chrome")
def web_chrome(rule: Rule, view: View) -> list[Fix]:
    lay = page_layout(rule, view)
    if not lay.is_page:
        return []
    # one fix per stretch of consecutive lines dropped for the same reason of place, so
    # that an editor reviews "the comment section" rather than each of its lines
    fixes = []
    group: list[int] = []

    def flush() -> None:
        if not group:
            return
        items = [lay.lines[k].item for k in group]
        zone = lay.drops[group[0]][0]
        fixes.append(
            make_fix(
                rule,
                DROP,
                items,
                after="",
                evidence={
                    "zone": zone,
                    "lines": [[it.line, lay.lines[k].cls, lay.drops[k][1]] for k, it in zip(group, items)],
                },
                message=f"{rule.message} ({zone}, {len(items)} line{'s' if len(items) > 1 else ''})",
            )
        )
        group.clear()

    for n, line in enumerate(lay.lines):
        droppable = n in lay.drops and line.item.kind == PARAGRAPH
        if group and (not droppable or lay.drops[n][0] != lay.drops[group[0]][0]):
            flush()
        if droppable:
            group.append(n)
    flush()
    zone = [lay.lines[n] for n in lay.header][:3]
    if len(zone) == 1:
        kinds = [TITLE]
    elif len(zone) == 2:
        short_first = zone[0].vis <= rule.param("kicker_max_chars", 12) < zone[1].vis
        kinds = [KICKER, TITLE] if short_first else [TITLE, SUBTITLE]
    else:
        kinds = [KICKER, TITLE, SUBTITLE]
    headline_message = rule.param("headline_message", rule.message)
    for line, kind in zip(zone, kinds):
        evidence = {"zone": "headline", "found_by": lay.found_by}
        fixes.append(_relabel(rule, line.item, kind, evidence, message=f"{headline_message} ({kind})"))
    for n in lay.headings:
        evidence = {"zone": "inside the article"}
        fixes.append(_relabel(rule, lay.lines[n].item, HEADING, evidence, message=rule.param("heading_message", rule.message)))
    return fixes


# -- web-dateline: the date/source line under a web headline becomes front matter ------


def _dateline_fields(rule: Rule, text: str) -> dict[str, Any] | None:
    text = strip_widgets(rule, text)
    m = DATE.search(text)
    if not m:
        return None
    fields: dict[str, Any] = {}
    date = iso_date(m.group(0))
    if date:
        fields["date"] = date
    rest = (text[: m.start()] + " " + text[m.end() :]).strip()
    time = either_script(r"(?<!\d)(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?(?!\d)").search(rest)
    if time:
        if "date" in fields and "T" not in fields["date"]:
            fields["date"] += f"T{int(time.group(1)):02d}:{time.group(2)}:{time.group(3) or '00'}"
        rest = (rest[: time.start()] + " " + rest[time.end() :]).strip()
    rest = either_script(rule.param("strip", r"^[\s·•|｜:：\-—]+|[\s·•|｜\-—]+$")).sub("", rest).strip()
    rest = either_script(rule.param("bare_label", r"^[^\s:：]{1,8}[:：]$")).sub("", rest).strip()
    if not rest:
        return fields
    parsed = parse_byline(rule, rest)
    labelled = either_script(rule.param("label_rx", r"[:：]")).search(rest)
    if labelled:
        fields.update({k: v for k, v in parsed.items() if k != "date" or "date" not in fields})
        return fields
    # no labels: reporter names go to authors, the rest names the source
    roles = rule.param("reporter_roles", [])
    platform = either_script(rule.param("platform_tokens", r"(?!)"))
    words = [t for t in re.split(r"\s+", rest) if t]
    tokens = [t for t in dict.fromkeys(words) if not platform.match(t)]
    original = either_script(rule.param("original_mark", r"(?!)"))
    if len(tokens) == 2 and any(original.match(w) for w in words) and not any(t.startswith(tuple(roles)) for t in tokens):
        # a platform's post header names the writer, then the account (原创 某某 某市发布 …)
        return {**fields, "authors": [tokens[0]], "source": tokens[1]}
    source, authors = [], []
    for t in tokens:
        r = next((role for role in roles if t.startswith(role)), None)
        if r:
            name = either_script(rule.param("reporter_suffix", r"[/／].*$")).sub("", t[len(r) :])
            if name:
                authors.append(name)
        else:
            source.append(t)
    if source:
        fields["source"] = " ".join(source)
    if authors:
        fields["authors"] = authors
    return fields


@detector("web-dateline")
def web_dateline(rule: Rule, view: View) -> list[Fix]:
    live = view.live()
    max_chars = rule.param("max_chars", 50)
    head_lines = rule.param("head_lines", 8)
    fixes: list[Fix] = []
    taken: set = set()
    body_seen = False
    for n, item in enumerate(live):
        if item.key in taken or item.kind != PARAGRAPH:
            continue
        text = item.text.strip()
        vis = visible_len(text)
        if vis >= rule.param("body_chars", 40) and "。" in text:
            body_seen = True
        nxt = live[n + 1] if n + 1 < len(live) else None
        # a label alone on its line, its value on the next: "来源：" / "新华网"
        if _any(rule.param("label_only", []), text) and nxt is not None and nxt.kind == PARAGRAPH:
            value = nxt.text.strip()
            if 0 < visible_len(value) <= rule.param("value_max_chars", 20) and not _STOPS.search(value):
                combined = text + value
                fields = parse_byline(rule, strip_widgets(rule, combined))
                if "date" in fields:
                    fields["date"] = iso_date(value) or fields["date"]
                if fields:
                    taken.add(nxt.key)
                    fixes.append(_join(rule, item, nxt, "", {"label": text, "value": value}))
                    fixes.append(_meta(rule, item, combined, fields))
                    continue
        # a date-led line (or a short name then the date) at the head of the page
        if body_seen or n >= head_lines or vis > max_chars or "。" in text:
            continue
        reporter = _any(rule.param("reporter_patterns", []), text)
        if reporter and reporter.groupdict().get("name"):
            fixes.append(_meta(rule, item, text, {"authors": [reporter.group("name")]}))
            continue
        if not _any(rule.param("patterns", []), text):
            continue
        fields = _dateline_fields(rule, text)
        if not fields:
            continue
        # the source's name alone on the next line, under a line that gives only the date
        if "source" not in fields and nxt is not None and nxt.kind == PARAGRAPH and _source_under_date(rule, text, nxt.text):
            fields["source"] = nxt.text.strip()
            taken.add(nxt.key)
            fixes.append(_join(rule, item, nxt, " ", {"source": fields["source"]}))
        # a time alone on the next line completes the date
        if nxt is not None and nxt.kind == PARAGRAPH and either_script(rule.param("time_only", r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s*$")).match(nxt.text):
            if "date" in fields and "T" not in fields["date"]:
                hh, mm, *ss = re.findall(r"\d+", nxt.text)
                fields["date"] += f"T{int(hh):02d}:{mm}:{ss[0] if ss else '00'}"
                taken.add(nxt.key)
                fixes.append(_join(rule, item, nxt, " ", {"time": nxt.text.strip()}))
        fixes.append(_meta(rule, item, text, fields))
    return fixes


def _join(rule: Rule, head: Item, tail: Item, sep: str, evidence: dict[str, Any]) -> Fix:
    return make_fix(
        rule,
        JOIN,
        [head, tail],
        before=f"{head.text}\n{tail.text}",
        after=head.text + sep + tail.text,
        params={"sep": sep},
        evidence=evidence,
        message=rule.param("join_message", rule.message),
    )


def _meta(rule: Rule, item: Item, text: str, fields: dict[str, Any]) -> Fix:
    return meta_fix(rule, item, fields, {"text": text})


# -- caption-before-credit: the line over a photo credit is the photo's caption ---------
@detector("caption-before-credit")
def caption_before_credit(rule: Rule, view: View) -> list[Fix]:
    live = view.live()
    fixes = []
    for n, item in enumerate(live[:-1]):
        nxt = live[n + 1]
        if item.kind != PARAGRAPH or nxt.kind not in (PARAGRAPH, CREDIT):
            continue
        text = item.text.strip()
        if visible_len(text) > rule.param("max_chars", 80) or either_script(rule.param("forbid", r"[。！？!?]$")).search(text):
            continue
        if not _any(rule.param("credit_patterns", [r"."]), nxt.text):
            continue
        fixes.append(_relabel(rule, item, CAPTION, {"credit": nxt.text}, message=rule.message))
    return fixes


# -- related-list: a list of other stories after the article --------------------------
@detector("related-list")
def related_list(rule: Rule, view: View) -> list[Fix]:
    """A list header after body text (相关阅读：) with only short unfinished lines under it to the
    end of the document: headlines of other stories, dropped with their header; or with nothing
    under it (热门推荐: the list did not come through)."""
    live = view.live()
    max_chars = rule.param("item_max_chars", 40)
    forbid = either_script(rule.param("item_forbid", r"[。！？!?]"))
    body_seen = False
    for n, item in enumerate(live):
        text = item.text.strip()
        if body_seen and item.kind == PARAGRAPH and _any(rule.param("section_patterns", []), text):
            rest = live[n + 1 :]
            if all(it.kind == PARAGRAPH and visible_len(it.text.strip()) <= max_chars and not forbid.search(it.text) for it in rest):
                group = [item, *rest]
                return [make_fix(rule, DROP, group, after="", evidence={"header": text, "items": len(rest)})]
        body_seen = body_seen or (item.kind == PARAGRAPH and ends_sentence(text))
    return []
