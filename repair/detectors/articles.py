"""Where a page's articles start: headlines, bylines and topic shifts."""

from __future__ import annotations

import math
from collections import Counter


from ..model import ARTICLE, BYLINE, FIGURE_KINDS, KICKER, SUBTITLE, PARAGRAPH, RELABEL, TITLE, Fix
from ..rules import Rule
from ..view import Item, Key, View
from . import detector
from .classify import headline_like, zone_kinds
from .common import make_fix
from .page import bigrams, cosine


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
    for n, item in enumerate(live):
        after_text = n > 0 and live[n - 1].kind == PARAGRAPH and live[n - 1].key not in taken
        anchor = _anchor(rule, live, n) or (item.key in shifts and after_text)
        if item.kind == PARAGRAPH and item.key not in taken and not (seen_body and anchor):
            seen_body = True
            continue
        if not seen_body or item.key in taken or not anchor:
            continue
        first = n
        while first > 0 and n - first + 1 < max_lines and _zone_line(rule, live[first - 1]) and live[first - 1].key not in taken:
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
    vectors = {n: bigrams(live[n].text) for n in paras}
    df: Counter[str] = Counter()
    for vec in vectors.values():
        df.update(vec.keys())
    idf = {g: math.log((1 + len(paras)) / (1 + c)) + 1 for g, c in df.items()}

    def merged(indices: list[int]) -> Counter[str]:
        total: Counter[str] = Counter()
        for n in indices:
            total.update(vectors[n])
        return total

    def around(i: int, skip: int) -> float:
        return cosine(merged(paras[max(0, i - window) : i]), merged(paras[i + skip : i + skip + window]), idf)

    base = sorted(around(i, 0) for i in range(2, len(paras) - 1))
    typical = base[len(base) // 2]
    if typical <= 0:
        return {}
    found: dict[Key, float] = {}
    for i, n in enumerate(paras):
        if i < rule.param("shift_min_before", 2) or i > len(paras) - 3 or not headline_like(rule, live[n]):
            continue
        ratio = around(i, 1) / typical
        if ratio < rule.param("shift_ratio", 0.035):
            found[live[n].key] = ratio
    return found


def _continues_zone(rule: Rule, live: list[Item], n: int) -> bool:
    """A further title line, or a headline-like subtitle that the byline follows."""
    item = live[n]
    if item.kind == TITLE:
        return True
    following = live[n + 1] if n + 1 < len(live) else None
    return item.kind == PARAGRAPH and headline_like(rule, item) and following is not None and following.kind == BYLINE


def _zone_line(rule: Rule, item: Item) -> bool:
    return item.kind in (TITLE, KICKER, SUBTITLE) or (item.kind == PARAGRAPH and headline_like(rule, item))


def _anchor(rule: Rule, live: list[Item], n: int) -> bool:
    item = live[n]
    nxt = live[n + 1] if n + 1 < len(live) else None
    if item.kind == TITLE:
        return n == 0 or live[n - 1].kind not in (TITLE, KICKER)
    return item.kind == PARAGRAPH and nxt is not None and nxt.kind == BYLINE and headline_like(rule, item)


def _start(rule: Rule, item: Item, why: str) -> Fix:
    return make_fix(
        rule,
        ARTICLE,
        [item],
        after=f"new article: {item.text}",
        evidence={"cue": why},
        message=f"{rule.message}: {item.text[:30]}",
    )
