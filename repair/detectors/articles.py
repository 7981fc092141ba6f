"""Where a page's articles start: headlines, bylines and topic shifts."""

from __future__ import annotations

import math
from collections import Counter
from itertools import chain

from ..model import ARTICLE, BYLINE, FIGURE_KINDS, HEADER_KINDS, HEADING, KICKER, SUBTITLE, PARAGRAPH, RELABEL, TITLE, Fix
from ..lexicon import frequency, seam_word, segment
from ..textutil import HAN, visible_len
from ..rules import Rule
from ..view import Item, Key, View
from . import detector
from .classify import end_above, headline_like, headline_note, zone_kinds
from .common import compiled, make_fix, starts_like
from .jumps import jump_in_at_start
from .page import bigram_list, cosine_of, idf_weights, norm2


@detector("article-start")
def article_start(rule: Rule, view: View) -> list[Fix]:
    """A headline after body text starts a new article: a `#` title, or headline-like lines
    right above a byline. The lines of its headline zone become kicker/title/subtitle."""
    live = [it for it in view.live() if it.kind not in FIGURE_KINDS]
    fixes: list[Fix] = []
    seen_body = False
    taken: set[Key] = set()
    max_lines = rule.param("max_lines", 3)
    shifts = _topic_shifts(rule, live)
    datelines = _dateline_starts(rule, live)
    for n, item in enumerate(live):
        after_text = n > 0 and live[n - 1].kind == PARAGRAPH and live[n - 1].key not in taken
        anchor = _anchor(rule, live, n) or item.key in datelines or (item.key in shifts and after_text)
        if item.kind == PARAGRAPH and item.key not in taken and not (seen_body and anchor):
            seen_body = True
            continue
        if not seen_body or item.key in taken or not anchor:
            continue
        first = n
        # a title marked as such (a Markdown heading) says where the article starts: a plain line
        # above it is the end of the article before, not its kicker
        marked = item.kind == TITLE
        while first > 0 and n - first + 1 < max_lines and _zone_line(rule, live[first - 1], marked) and live[first - 1].key not in taken:
            first -= 1
        last = n
        while last + 1 < len(live) and last - first + 1 < max_lines and _continues_zone(rule, live, last + 1):
            last += 1
        zone = live[first : last + 1]
        taken.update(it.key for it in zone)
        for it, kind in zip(zone, zone_kinds(rule, zone)):
            if it.kind != kind:
                fixes.append(
                    make_fix(
                        rule,
                        RELABEL,
                        [it],
                        after=it.text,
                        params={"kind": kind},
                        evidence={"zone_lines": len(zone), "from": it.kind, "to": kind},
                        message=f"{rule.param('title_message')} ({it.kind} → {kind})",
                        salt="title",
                    )
                )
        if item.kind == TITLE:
            cue = "a second headline on the page"
        elif item.key in shifts:
            cue = f"a headline where the vocabulary changes completely (window similarity {shifts[item.key]:.3f} of the page's typical)"
        elif item.key in datelines:
            cue = "a headline followed by a news dateline, and by text that shares more with that lead than with the text above"
        else:
            cue = "a headline followed by a byline"
        fixes.append(_start(rule, zone[0], cue))
    return fixes


def _topic_shifts(rule: Rule, live: list[Item]) -> dict[Key, float]:
    """Headline-like lines where the text before and after share almost no vocabulary,
    relative to how much neighbouring windows share elsewhere in the document (TextTiling)."""
    paras = [n for n, it in enumerate(live) if it.kind == PARAGRAPH]
    window = rule.param("shift_window", 4)
    if len(paras) < 2 * window:
        return {}
    first = rule.param("shift_min_before", 2)
    candidates = [i for i, n in enumerate(paras) if first <= i <= len(paras) - 3 and _shift_line(rule, live[n], live[paras[i + 1]])]
    if not candidates:
        return {}
    windows = _Windows([bigram_list(live[n].text) for n in paras])

    def around(i: int, skip: int) -> float:
        return windows.cosine((max(0, i - window), i), (i + skip, i + skip + window))

    threshold = rule.param("shift_ratio", 0.035)
    across = {i: around(i, 1) for i in candidates}
    if all(value / _MAX_COSINE >= threshold for value in across.values()):
        return {}  # the typical similarity is a cosine too: no ratio to it can be this low
    base = sorted(around(i, 0) for i in range(2, len(paras) - 1))
    typical = base[len(base) // 2]
    if typical <= 0:
        return {}
    found: dict[Key, float] = {}
    for i in candidates:
        ratio = across[i] / typical
        if ratio >= threshold or _name_across(rule, live, paras[i]):
            continue
        if not starts_like(rule, "credit_lines", live[paras[i]].text.strip()):
            found[live[paras[i]].key] = ratio
        elif _shift_line(rule, live[paras[i + 1]], live[paras[i + 2]]):  # candidates end 3 before the last
            # a credit closes the article above: the headline is the line after it
            found[live[paras[i + 1]].key] = ratio
    return found


_MAX_COSINE = 1 + 1e-9  # 1, and room for rounding


def _name_across(rule: Rule, live: list[Item], n: int) -> bool:
    """A name the dictionary does not know (丁春山) recurs in several paragraphs on each side of
    line n, within its section: the article goes on under a sub-heading, though the rest of its
    vocabulary changes. Two articles on one page rarely name the same unknown person that often;
    words the dictionary knows (习近平, 国务院, 疫情防控) are shared by many."""
    width, least = rule.param("shift_name_window", 0), rule.param("shift_name_paragraphs", 2)
    if not width:
        return False

    def recurring(texts: list[str]) -> set[str]:
        counts = Counter(name for text in texts for name in _unknown_names(rule, text))
        return {name for name, c in counts.items() if c >= least}

    before = recurring(_section(rule, live, n - 1, -1, width))
    return bool(before and before & recurring(_section(rule, live, n + 1, 1, width)))


_HEADLINE_KINDS = HEADER_KINDS | {BYLINE, HEADING}


def _section(rule: Rule, live: list[Item], n: int, step: int, width: int) -> list[str]:
    """The texts of up to `width` paragraphs from live[n] on, one way, up to the next headline."""
    texts: list[str] = []
    while 0 <= n < len(live) and len(texts) < width:
        item = live[n]
        if item.kind in _HEADLINE_KINDS or (item.kind == PARAGRAPH and headline_like(rule, item)):
            break
        if item.kind == PARAGRAPH:
            texts.append(item.text)
        n += step
    return texts


def _unknown_names(rule: Rule, text: str) -> set[str]:
    """Runs of characters the dictionary reads one by one, none of them a common word alone
    (黄|旭|华, not 他|说|了): a name it does not know."""
    size, most = rule.param("shift_name_chars", 3), rule.param("shift_name_char_max_freq", 0)
    words = segment(text)
    lone = [len(w) == 1 and HAN.match(w) is not None and frequency(w) <= most for w in words]
    return {"".join(words[k : k + size]) for k in range(len(words) - size + 1) if all(lone[k : k + size])}


def _shift_line(rule: Rule, item: Item, below: Item) -> bool:
    """A headline-like line that the paragraph under it does not point back to (该瓶…, 这是…):
    an article's first paragraph never opens by referring to what was printed before it, so
    such a line is a label or a sub-heading."""
    return (
        headline_like(rule, item)
        and not starts_like(rule, "refers_back", below.text.strip())
        and seam_word(item.text.strip(), below.text.strip(), min_freq=rule.param("cut_word_min_freq", 10**9)) is None
    )


class _Windows:
    """Bigram vectors of runs of consecutive paragraphs, each built and measured once.

    A run's vector counts its paragraphs' bigrams in order, so it equals (keys in the
    same order) the sum of the paragraphs' vectors, and `cosine` gives page.cosine_of's value."""

    def __init__(self, grams: list[tuple[str, ...]]) -> None:
        self.grams = grams
        df: Counter[str] = Counter()
        for gs in grams:
            df.update(set(gs))
        self.squares, self.idf2 = idf_weights(df, len(grams))
        self._vectors: dict[tuple[int, int], tuple[Counter[str], float]] = {}

    def vector(self, lo: int, hi: int) -> tuple[Counter[str], float]:
        """The run's vector and its idf-weighted norm."""
        span = (lo, min(hi, len(self.grams)))
        if span not in self._vectors:
            vec = Counter(chain.from_iterable(self.grams[span[0] : span[1]]))
            self._vectors[span] = vec, math.sqrt(norm2(vec, self.squares))
        return self._vectors[span]

    def cosine(self, a_span: tuple[int, int], b_span: tuple[int, int]) -> float:
        return cosine_of(*self.vector(*a_span), *self.vector(*b_span), self.idf2)


def _continues_zone(rule: Rule, live: list[Item], n: int) -> bool:
    """A further title line, or a headline-like subtitle or a note on the headline (原标题…)
    that the byline follows."""
    item = live[n]
    if item.kind == TITLE:
        return True
    following = live[n + 1] if n + 1 < len(live) else None
    return (
        item.kind == PARAGRAPH
        and (headline_like(rule, item) or headline_note(rule, item))
        and following is not None
        and following.kind == BYLINE
    )


def _zone_line(rule: Rule, item: Item, marked_only: bool = False) -> bool:
    """A line above the headline that belongs to it (a kicker), not a credit ending the article
    before; with `marked_only`, only a line already marked as part of a headline."""
    if item.kind in (TITLE, KICKER, SUBTITLE):
        return True
    return not marked_only and item.kind == PARAGRAPH and headline_like(rule, item) and not starts_like(rule, "credit_lines", item.text.strip())


def _anchor(rule: Rule, live: list[Item], n: int) -> bool:
    item = live[n]
    nxt = live[n + 1] if n + 1 < len(live) else None
    if item.kind == TITLE:
        return n == 0 or live[n - 1].kind not in (TITLE, KICKER)
    if item.kind != PARAGRAPH:
        return False
    if nxt is not None and n + 2 < len(live) and live[n + 2].kind == BYLINE and headline_note(rule, nxt):
        nxt = live[n + 2]  # a note on the headline between it and its byline
    # right above a reporter's byline, a headline may end in a word that elsewhere would leave it open (…不等)
    return nxt is not None and nxt.kind == BYLINE and headline_like(rule, item, end_above(rule, nxt))


def _dateline_starts(rule: Rule, live: list[Item]) -> set[Key]:
    """Headline-like lines right above a paragraph opening with a news dateline (本报讯, 新华社某地
    某日电), where none of the paragraphs after that lead shares more with the text above the line
    than with the lead. Another article's lead printed inside a paragraph cut at a column break
    opens so too, under the cut paragraph's first half: after it (and the rest of its item) comes
    that paragraph's second half, at home with the text above."""
    paras = [n for n, it in enumerate(live) if it.kind == PARAGRAPH]
    found = [
        i
        for i, n in enumerate(paras[:-1])
        if paras[i + 1] == n + 1
        and starts_like(rule, "dateline_leads", live[n + 1].text.strip())
        and not starts_like(rule, "dateline_closing", live[n + 1].text.strip())
        # a weaker sign than a byline: a headline of the plainest shape
        and visible_len(live[n].text) <= rule.param("dateline_headline_chars", 30)
        and not compiled(rule.param("dateline_headline_forbid", "(?!)")).search(live[n].text)
        and headline_like(rule, live[n])
    ]
    if not found:
        return set()
    windows = _Windows([bigram_list(live[n].text) for n in paras])
    width = rule.param("dateline_window", 3)
    starts = set()
    for i in found:  # paras[i] is the line, paras[i + 1] the lead
        lead, above = (i + 1, i + 2), (max(0, i - width), i)
        after = []  # the lead's article goes on up to the next headline-like line or continued text
        for k in range(i + 2, min(len(paras), i + 2 + width)):
            item = live[paras[k]]
            if headline_like(rule, item) or jump_in_at_start(rule, item.block.text):
                break
            after.append(k)
        if all(windows.cosine((k, k + 1), lead) >= windows.cosine((k, k + 1), above) for k in after):
            starts.add(live[paras[i]].key)
    return starts


def _start(rule: Rule, item: Item, why: str) -> Fix:
    return make_fix(
        rule,
        ARTICLE,
        [item],
        after=f"new article: {item.text}",
        evidence={"cue": why},
        message=f"{rule.message}: {item.text[:30]}",
    )
