"""Lines hard-wrapped at a fixed width (OCR, PDF text exports): one paragraph printed over
several lines, each cut where the column ran out, not where the text paused."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

from ..model import MERGE, PARAGRAPH, Fix
from ..rules import Rule
from ..view import Item, View, merged_text
from . import detector
from .common import compiled, make_fix


@lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns the text takes in print: a wide (Han, full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.rstrip())


def wrap_width(widths: list[int], tolerance: int) -> tuple[int, int]:
    """The width the lines were wrapped at (the most common one, the wider on a tie) and how
    many lines reach it: within `tolerance` columns short of it, or a full-width closing mark
    over (it may hang in the margin)."""
    counts = Counter(widths)
    if not counts:
        return 0, 0
    width = max(counts, key=lambda w: (counts[w], w))
    return width, sum(c for w, c in counts.items() if width - tolerance <= w <= width + 2)


@detector("unwrap")
def unwrap(rule: Rule, view: View) -> list[Fix]:
    lines = [it for it in view.items if it.live and it.kind == PARAGRAPH]
    if len(lines) < rule.param("min_lines", 8):
        return []
    narrowest = rule.param("min_width", 16)
    tolerance = rule.param("tolerance", 3)
    widths = [display_width(it.text) for it in lines]
    width, full = wrap_width([w for w in widths if w >= narrowest], tolerance)
    if full < rule.param("min_lines", 8) or full < rule.param("min_share", 0.5) * len(lines):
        return []
    indent = compiled(rule.param("indent", r"(?!)"))
    evidence = {"wrap_width": width, "lines_at_width": full, "lines": len(lines)}
    fixes = []
    next_word = compiled(rule.param("next_word", r"(?!)"))
    for run in _runs(view, width, tolerance, indent, next_word):
        seps = [_separator(rule, a.text, b.text) for a, b in zip(run, run[1:])]
        after = merged_text([it.text for it in run], seps)
        fixes.append(
            make_fix(rule, MERGE, run, after=after, params={"seps": seps}, evidence={**evidence, "lines_joined": len(run)})
        )
    return fixes


def _runs(view: View, width: int, tolerance: int, indent, next_word) -> list[list[Item]]:
    """Runs of consecutive lines in which every line but the last is full and the next line
    follows with no empty line between and no paragraph indent. A line is full when it comes
    within `tolerance` columns of the width, or when the next line's first word would not have
    fitted after it (a Latin word is not cut, so it leaves its line short)."""
    runs: list[list[Item]] = []
    run: list[Item] = []
    lines = [it for it in view.items]
    for n, it in enumerate(lines):
        if not (it.live and it.kind == PARAGRAPH):
            run = _close(runs, run)
            continue
        continues = bool(run) and it.block.gap_before == 0 and not indent.match(it.text)
        if not continues:
            run = _close(runs, run)
        run.append(it)
        used = display_width(it.text)
        if used >= width - tolerance:
            continue
        following = lines[n + 1].text if n + 1 < len(lines) else ""
        word = next_word.match(following)
        if not (word and used + 1 + display_width(word.group()) > width):
            run = _close(runs, run)
    _close(runs, run)
    return runs


def _close(runs: list[list[Item]], run: list[Item]) -> list[Item]:
    if len(run) > 1:
        runs.append(run)
    return []


def _separator(rule: Rule, head: str, tail: str) -> str:
    """What the line break stood for: nothing inside Chinese text, a space between two Latin words."""
    if compiled(rule.param("space_before", r"(?!)")).search(head.rstrip()) and compiled(rule.param("space_after", r"(?!)")).match(tail):
        return " "
    return ""
