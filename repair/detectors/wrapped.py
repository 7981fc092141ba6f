"""Lines hard-wrapped at a fixed width (OCR, PDF text exports): one paragraph printed over
several lines, each cut where the column ran out, not where the text paused."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..model import MERGE, PARAGRAPH, Fix
from ..rules import Rule
from ..textutil import display_width
from ..view import Item, View, merged_text
from . import detector
from .common import compiled, make_fix


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
    if full < rule.param("min_lines", 8) or full < rule.param("min_share", 0.5) * len(lines) or width > rule.param("max_width", 10**6):
        return []
    # wrapped prose breaks lines anywhere; lines of a table, a list or a poem end where their
    # item or verse ends
    at_width = [it for it, w in zip(lines, widths) if width - tolerance <= w <= width + 2]
    closed = compiled(rule.param("closed_end", r"(?!)"))
    ends_closed = sum(1 for it in at_width if closed.search(it.text.rstrip()))
    if ends_closed > rule.param("max_closed_share", 1.0) * len(at_width):
        return []
    evidence = {"wrap_width": width, "lines_at_width": full, "lines": len(lines)}
    fixes = []
    starts = _Starts(compiled(rule.param("indent", r"(?!)")), compiled(rule.param("item_start", r"(?!)")), compiled(rule.param("next_word", r"(?!)")), compiled(rule.param("hanging", r"(?!)")))
    for run in _runs(view, width, tolerance, starts):
        seps = [_separator(rule, a.text, b.text) for a, b in zip(run, run[1:])]
        after = merged_text([it.text for it in run], seps)
        fixes.append(
            make_fix(rule, MERGE, run, after=after, params={"seps": seps}, evidence={**evidence, "lines_joined": len(run)})
        )
    return fixes


@dataclass(frozen=True)
class _Starts:
    indent: Any  # a line opening so starts a paragraph
    item: Any  # a line opening so is an item of a list, a table row or a heading
    word: Any  # a word that is not cut at a line end
    hanging: Any  # marks that may hang past the width at a line's end


def _runs(view: View, width: int, tolerance: int, starts: _Starts) -> list[list[Item]]:
    """Runs of consecutive lines in which every line but the last is full and the next line
    follows with no empty line between, no paragraph indent and no list or table marker. A line
    is full when it comes within `tolerance` columns of the width, marks hanging in the margin
    aside (a line any wider is not wrapped text), or when the next line's first word would not have fitted after it (a Latin
    word is not cut, so it leaves its line short)."""
    runs: list[list[Item]] = []
    run: list[Item] = []
    items = view.items
    for n, it in enumerate(items):
        if not (it.live and it.kind == PARAGRAPH):
            run = _close(runs, run)
            continue
        used = display_width(it.text)
        hung = starts.hanging.search(it.text.rstrip())
        if used - (display_width(hung.group()) if hung else 0) > width + tolerance + 2:
            run = _close(runs, run)  # wider than the column: a line of its own, not wrapped
            continue
        continues = bool(run) and it.block.gap_before == 0 and not starts.indent.match(it.text) and not starts.item.match(it.text)
        if not continues:
            run = _close(runs, run)
        run.append(it)
        if used >= width - tolerance:
            continue
        following = items[n + 1].text if n + 1 < len(items) else ""
        word = starts.word.match(following)
        if not (used < width and word and used + 1 + display_width(word.group()) > width):
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
