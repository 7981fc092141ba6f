"""Detectors that decide what a block is: boilerplate, byline, caption, credit,
title, section heading; and that split off a credit glued to a paragraph."""

from __future__ import annotations

from functools import lru_cache
from itertools import takewhile
from typing import Any

import regex as re

from ..model import (
    BYLINE,
    CAPTION,
    CREDIT,
    DROP,
    FIGURE_TITLE,
    HEADING,
    KICKER,
    PARAGRAPH,
    RELABEL,
    SPLIT,
    SUBTITLE,
    TITLE,
    Fix,
)
from ..lexicon import last_word
from ..rules import Rule
from ..textutil import closes_unopened, ends_sentence, unbalanced, visible_len
from ..view import Item, Key, View
from . import detector
from .common import compile_all, compiled, first_searcher, make_fix, meta_fix, starts_like, starts_like_any

FIGURE_LIKE = {CAPTION, CREDIT, FIGURE_TITLE}
_COMMAS = re.compile(r"[，,；;]")


def _candidates(rule: Rule, view: View) -> list[Item]:
    kinds = set(rule.param("kinds", [PARAGRAPH]))
    max_chars = rule.param("max_chars", 10**9)
    min_chars = rule.param("min_chars", 0)
    return [it for it in view.live() if it.kind in kinds and _length_within(it.text, min_chars, max_chars)]


def _length_within(text: str, low: int, high: int) -> bool:
    if low <= 0 and len(text) <= high:
        return True  # the visible length is at most the length
    return low <= visible_len(text) <= high


def _relabel(rule: Rule, item: Item, kind: str, evidence: dict[str, Any], strip: str | None = None, **kw) -> Fix:
    after = item.text[len(strip) :].strip() if strip else item.text
    params: dict[str, Any] = {"kind": kind}
    if strip:
        params["strip"] = strip
    return make_fix(
        rule,
        RELABEL,
        [item],
        before=item.text,
        after=after,
        params=params,
        evidence={"from": item.kind, "to": kind, **evidence},
        message=kw.get("message") or f"{rule.message} ({item.kind} → {kind})",
        confidence=kw.get("confidence"),
    )


# -- pattern-class: any pattern matches -> drop or relabel ---------------------
@detector("pattern-class")
def pattern_class(rule: Rule, view: View) -> list[Fix]:
    first_hit = first_searcher(rule.param("patterns", []))
    exclude = compile_all(rule.param("exclude", []))
    action = rule.param("action", "relabel")
    fixes = []
    for item in _candidates(rule, view):
        hit = first_hit(item.text)
        if hit is None or any(p.search(item.text) for p in exclude):
            continue
        evidence = {"pattern": hit.pattern}
        if action == "drop":
            fixes.append(make_fix(rule, DROP, [item], before=item.text, after="", evidence=evidence))
        else:
            strip = None
            if rule.param("strip"):
                m = re.match(rule.param("strip"), item.text)
                strip = m.group(0) if m else None
            fixes.append(_relabel(rule, item, rule.param("kind"), evidence, strip))
    return fixes


# -- trailing-split: a credit glued to the end of a paragraph -----------------
@detector("trailing-split")
def trailing_split(rule: Rule, view: View) -> list[Fix]:
    pattern = compiled(rule.param("pattern"))
    exclude = compile_all(rule.param("exclude", []))
    fixes = []
    for item in _candidates(rule, view):
        raw = item.block.text
        m = pattern.search(raw)
        if not m or m.start("tail") == 0 or any(p.search(raw) for p in exclude):
            continue
        head_end = m.start("sep") if "sep" in pattern.groupindex else m.start("tail")
        cuts = [[0, head_end], [m.start("tail"), m.end("tail")]]
        fixes.append(
            make_fix(
                rule,
                SPLIT,
                [item],
                before=raw,
                after=raw[:head_end] + "\n" + m.group("tail"),
                params={"cuts": cuts},
                evidence={"tail": m.group("tail")},
            )
        )
    return fixes


# -- byline: metadata lines become front matter --------------------------------
DATE = re.compile(
    r"(?P<y>\d{4})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?"
)


def iso_date(text: str) -> str | None:
    m = DATE.search(text)
    if not m:
        return None
    date = f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
    if m["H"]:
        date += f"T{int(m['H']):02d}:{m['M']}:{m['S'] or '00'}"
    return date


def parse_byline(rule: Rule, text: str) -> dict[str, Any]:
    """The fields of a byline line (its page buttons already taken out by `strip_widgets`)."""
    labels: dict[str, str] = rule.param("labels", {})
    prefixes: dict[str, str] = rule.param("prefix_labels", {})
    roles: list[str] = sorted(rule.param("roles", []), key=len, reverse=True)
    name_fields = rule.param("name_fields", ["authors"])  # fields that hold a list of names
    text = re.sub(rule.param("marker", r"^\s*[▶►]\s*"), "", text).strip()
    fields: dict[str, Any] = {}
    # the publication or account a line opens with (《某某周刊》记者…, 本文来自微信公众号“某某”…)
    prefix = compiled(rule.param("source_prefix", r"(?!)")).match(text)
    if prefix:
        fields["source"], text = prefix.groupdict().get("source") or prefix.group(0), text[prefix.end() :]
    marks = list(_label_re(tuple(labels), tuple(prefixes)).finditer(text)) if labels or prefixes else []
    if marks:
        for n, m in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
            field = labels[m["label"]] if m["label"] else prefixes[m["prefix"]]
            value = text[m.end() : end].strip(" |｜【】[]")
            if not field:
                continue  # a page widget printed in the line (字号：大 中 小)
            if field in name_fields:
                fields.setdefault(field, []).extend(_names(value, roles))
            elif field == "date":
                fields["date"] = iso_date(value) or value
            elif value:
                fields.update(_value_and_trailers(rule, field, value, fields))
    else:
        names = _names(text, roles)
        if names:
            fields["authors"] = names
    return fields


def _value_and_trailers(rule: Rule, field: str, value: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A field's value without what a page prints after it with no label of its own: the date
    and a link after a source (来源：某某日报 2019-12-21 08:45 https://…), a staff code after
    an editor's name (责任编辑：某某_AB1234)."""
    found: dict[str, Any] = {}
    date = DATE.search(value)
    if date and "date" not in fields and compiled(rule.param("after_date", r"(?!)")).fullmatch(value[date.end() :]):
        link = compiled(rule.param("link", r"(?!)")).search(value, date.end())
        if link:
            found["url"] = link.group()
        found["date"] = iso_date(date.group())
        value = value[: date.start()].strip()
    code = compiled(rule.param("staff_code", r"(?!)")).search(value) if field in rule.param("staff_fields", []) else None
    if code and code.start() > 0:
        value = value[: code.start()].strip()
    if value:
        found[field] = value
    return found


def strip_widgets(rule: Rule, text: str) -> str:
    """The line without the page's buttons printed in it (【大 中 小】 【打印】)."""
    return compiled(rule.param("widgets", r"(?!)")).sub(" ", text)


@lru_cache(maxsize=16)
def _label_re(labels: tuple[str, ...], prefixes: tuple[str, ...]):
    """A label and its colon (作者：), or a label that ends in a slash or a bar (文/), at the start
    or after a space, a bar, a comma or a bracket that ends or opens a field (【来源：…】【作者：…】)."""

    def alternation(keys: tuple[str, ...]) -> str:
        return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)) or "(?!)"

    return re.compile(
        r"(?:^|(?<=[\s|｜【】\[\]，,；;）)]))(?:(?P<label>" + alternation(labels) + r")\s*[:：]|(?P<prefix>" + alternation(prefixes) + r"))\s*"
    )


def _names(text: str, roles: list[str]) -> list[str]:
    for role in roles:
        text = text.replace(role, " ")
    return [n for n in re.split(r"[\s、，,/／|｜]+", text) if n]


@detector("byline")
def byline(rule: Rule, view: View) -> list[Fix]:
    first_hit = first_searcher(rule.param("patterns", []))
    fixes = []
    for item in _candidates(rule, view):
        text = strip_widgets(rule, item.text)
        hit = first_hit(text)
        if hit is None:
            continue
        fields = parse_byline(rule, text)
        if fields:
            fixes.append(meta_fix(rule, item, fields, {"pattern": hit.pattern}))
    return fixes


# -- caption: short, isolated, descriptive lines -----------------------------
@detector("caption")
def caption(rule: Rule, view: View) -> list[Fix]:
    live = view.live()
    max_chars = rule.param("max_chars", 45)
    min_gap = rule.param("min_gap", 2)
    forbid = compiled(rule.param("forbid", r"[，,；;：:]"))
    end_ok = compiled(rule.param("ending", r"[。]$|[^\p{P}]$"))
    chosen: set = set()
    def figure(it: Item) -> bool:
        return it.kind in FIGURE_LIKE or it.key in chosen

    def body_text(it: Item) -> bool:
        """Too long, or with clauses, to be a caption itself."""
        return it.kind == PARAGRAPH and (visible_len(it.text) > max_chars or bool(forbid.search(it.text)))

    fixes = []
    if sum(1 for it in live if it.kind == PARAGRAPH) < 2:
        return fixes  # a document's only text captions nothing: it is the text
    for n, item in enumerate(live):
        if item.kind != PARAGRAPH or visible_len(item.text) > max_chars:
            continue
        if forbid.search(item.text) or not end_ok.search(item.text.strip()):
            continue
        if closes_unopened(item.text):
            continue  # the end of a quotation cut off at a column break, not a caption
        gap_after = live[n + 1].block.gap_before if n + 1 < len(live) else min_gap
        gap_before = item.block.gap_before if n else min_gap
        isolated = gap_before >= min_gap and gap_after >= min_gap
        beside_figure = (n and figure(live[n - 1])) or (n + 1 < len(live) and live[n + 1].kind in FIGURE_LIKE)
        # set close to a paragraph of body text, a short sentence reads on with the text
        close_to_text = (n and gap_before < min_gap and body_text(live[n - 1]) and not figure(live[n - 1])) or (
            n + 1 < len(live) and gap_after < min_gap and body_text(live[n + 1])
        )
        if not (isolated or (beside_figure and not close_to_text and max(gap_before, gap_after) >= min_gap)):
            continue
        if not ends_sentence(item.text) and not isolated:
            continue
        chosen.add(item.key)
        fixes.append(
            _relabel(
                rule,
                item,
                CAPTION,
                {"gap_before": gap_before, "gap_after": gap_after, "chars": visible_len(item.text)},
            )
        )
    return fixes


# -- headline zone at the top of a document ------------------------------------
def headline_like(rule: Rule, item: Item, forbid_end: str | None = None) -> bool:
    """A paragraph shaped like a headline (see headline_shaped)."""
    return item.kind == PARAGRAPH and headline_shaped(rule, item.text, forbid_end)


def headline_shaped(rule: Rule, text: str, forbid_end: str | None = None) -> bool:
    """Short, no sentence end, at most a comma or two, quotes balanced, and not ending on a word
    the rule lists (`forbid_end_words`): shaped like a headline.
    `forbid_end` replaces the rule's own pattern for the line's last characters."""
    text = text.strip()
    return (
        2 <= visible_len(text) <= rule.param("max_chars", 40)
        and not compiled(forbid_end or rule.param("forbid_end", r"[。；;，,、：:]$")).search(text)
        and not compiled(rule.param("forbid", r"。")).search(text)
        and len(_COMMAS.findall(text)) <= rule.param("max_commas", 1)
        and not unbalanced(text)
        and not _ends_on_word(text, rule.param("forbid_end_words", ()))
    )


def _ends_on_word(text: str, words) -> bool:
    """Whether the text's last word, as the dictionary segments it, is one of the words."""
    return bool(words) and last_word(text) in words


def end_above(rule: Rule, below: Item | None) -> str | None:
    """The pattern of endings that rule a line out as a headline when `below` is printed right
    under it. Under a byline naming reporters, the byline is the evidence, so the rule's
    `above_byline_forbid_end` (punctuation only) applies; under an editor line that closes an
    article, or anything else, the rule's own pattern (None)."""
    if below is None or below.kind != BYLINE:
        return None
    if starts_like(rule, "closing_bylines", below.text.strip()):
        return None
    return rule.param("above_byline_forbid_end", None)


@detector("title-zone")
def title_zone(rule: Rule, view: View) -> list[Fix]:
    live = [it for it in view.live() if it.kind not in FIGURE_LIKE]
    if not live or any(it.kind == TITLE for it in live[:3]):
        return []
    zone: list[Item] = []
    # front matter printed above the headline (a page's running head) does not end the zone
    start = next((n for n, it in enumerate(live) if it.kind != BYLINE), len(live))
    for n in range(start, len(live)):
        item, below = live[n], live[n + 1] if n + 1 < len(live) else None
        if item.kind == BYLINE or not (headline_like(rule, item, end_above(rule, below)) or (zone and headline_note(rule, item))):
            break
        zone.append(item)
    if not zone or len(zone) > rule.param("max_lines", 3):
        return []
    rest = live[start + len(zone) :]
    if not rest:
        return []
    return [
        _relabel(rule, item, kind, {"position": i + 1, "zone_lines": len(zone)})
        for i, (item, kind) in enumerate(zip(zone, zone_kinds(rule, zone)))
    ]


def headline_note(rule: Rule, item: Item) -> bool:
    """A line printed under a headline about it, such as the original title of a reprint."""
    return item.kind == PARAGRAPH and starts_like(rule, "headline_notes", item.text.strip())


def zone_kinds(rule: Rule, zone: list[Item]) -> list[str]:
    """Kicker / title / subtitle for the lines of a headline zone; a note on the headline
    (原标题…) is a subtitle, and the other lines are read without it."""
    notes = [headline_note(rule, it) for it in zone]
    kinds = iter(_line_kinds(rule, [it for it, note in zip(zone, notes) if not note]))
    return [SUBTITLE if note else next(kinds) for note in notes]


def _line_kinds(rule: Rule, zone: list[Item]) -> list[str]:
    """Kicker / title / subtitle for the headline lines of a zone.

    A short first line over a longer one, or a first line ending in a lead-in dash,
    is a kicker (引题); otherwise the first line is the title and the next its subtitle."""
    if len(zone) == 1:
        return [TITLE]
    if len(zone) == 2:
        first = zone[0].text.strip()
        lead_in = re.search(rule.param("kicker_end", r"(?:——|—)$"), first)
        short_first = visible_len(first) <= rule.param("kicker_max_chars", 12) < visible_len(zone[1].text)
        return [KICKER, TITLE] if lead_in or short_first else [TITLE, SUBTITLE]
    return [KICKER, TITLE, SUBTITLE] + [SUBTITLE] * (len(zone) - 3)


# -- section headings inside the body ----------------------------------------
# the lists of clauses that open sentences: a line opening with one is no heading
SENTENCE_START_LISTS = ("clause_openers", "sentence_starts")


def plain_in_marked(rule: Rule, view: View, items: list[Item], article: dict[Key, int]) -> set[Key]:
    """Paragraphs after the first of an article that marks a section heading in the text (## …)
    after a paragraph of its own. An export that marks headings marks each one: a short line
    it left plain there is no heading. (Above the first paragraph, a plain line may be a subtitle.)"""
    if view.doc.source_format not in rule.param("marked_formats", ()):
        return set()
    marked, seen = set(), set()
    for it in items:
        a = article[it.key]
        if it.kind == PARAGRAPH:
            seen.add(a)
        elif it.kind == HEADING and a in seen and starts_like(rule, "marked_headings", it.block.text.strip()):
            marked.add(a)
    plain, seen = set(), set()
    for it in items:
        a = article[it.key]
        if it.kind == PARAGRAPH and a in marked:
            if a in seen:
                plain.add(it.key)
            seen.add(a)
    return plain


@detector("section-heading")
def section_heading(rule: Rule, view: View) -> list[Fix]:
    live = view.live()
    article = view.article_index()
    joined = {j.head for j in view.joins} | {j.tail for j in view.joins}
    plain = plain_in_marked(rule, view, live, article)
    fixes = []
    for n, item in enumerate(live):
        if n == 0 or item.key in joined or not headline_like(rule, item) or starts_like_any(rule, SENTENCE_START_LISTS, item.text.strip()):
            continue
        prev = live[n - 1]
        if prev.kind == PARAGRAPH and not ends_sentence(prev.text) and prev.key not in joined:
            continue  # an open paragraph: this is more likely its continuation
        # what follows in its own article: a heading over nothing but the next article's text heads nothing
        following = list(takewhile(lambda it: article[it.key] == article[item.key], live[n + 1 :]))
        body_after = next((it for it in following if it.kind in (PARAGRAPH, HEADING)), None)
        until_next = []
        for it in following:
            if it.kind == HEADING or (it.kind == PARAGRAPH and headline_like(rule, it)):
                break
            until_next.append(it)
        # a group of photos has captions: a credit alone under a line with text after them is the
        # section's photo credit, under its heading; with no text after them, the photo's title
        if until_next and all(it.kind in FIGURE_LIKE for it in until_next) and (body_after is None or any(it.kind == CAPTION for it in until_next)):
            fixes.append(
                _relabel(rule, item, FIGURE_TITLE, {"followed_by": "captions only"}, message=rule.param("figure_message"))
            )
            continue
        if body_after is None or item.key in plain:
            continue
        # the ornament a paper prints before a box's heading (■链接) is no part of it
        ornament = compiled(rule.param("ornament", r"(?!)")).match(item.text)
        strip = ornament.group() if ornament and ornament.end() < len(item.text.rstrip()) else None
        fixes.append(_relabel(rule, item, HEADING, {"chars": visible_len(item.text)}, strip))
    return fixes
