"""Lines hard-wrapped at a fixed width (OCR, PDF text exports): one paragraph printed over
several lines, each cut where the column ran out, not where the text paused."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex as re

from ..model import MERGE, PARAGRAPH, Fix
from ..rules import Rule
from ..textutil import display_width, ends_sentence
from ..view import Item, Key, View, merged_text
from . import detector
from .common import compiled, make_fix


@dataclass(frozen=True)
class _Settings:
    """The rule's limits and patterns, read once per document."""

    min_lines: int
    indent_min_lines: int  # lines opening with an indent that make a document's paragraphs marked by indents
    indent_full_share: float  # a line this share of the document's long lines is long
    full_stop: re.Pattern[str]  # a line ending so may end its paragraph there
    captions: tuple[re.Pattern[str], ...]  # a line opening so is a photo caption
    min_share: float
    tolerance: int
    min_width: int
    max_width: int
    max_closed_share: float
    closed_end: re.Pattern[str]  # how a verse, a table row or a list item ends
    indent: re.Pattern[str]  # a line opening so starts a paragraph
    item_start: re.Pattern[str]  # a line opening so is a list item, a table row or a heading
    next_word: re.Pattern[str]  # a word that is not cut at a line end
    hanging: re.Pattern[str]  # marks that may hang past the width at a line's end
    space_before: re.Pattern[str]  # a line end and a line start between which the break was a space
    space_after: re.Pattern[str]

    @classmethod
    def of(cls, rule: Rule) -> "_Settings":
        pattern = lambda name: compiled(rule.param(name, r"(?!)"))  # noqa: E731
        return cls(
            min_lines=rule.param("min_lines", 8),
            indent_min_lines=rule.param("indent_min_lines", 10**6),
            indent_full_share=rule.param("indent_full_share", 0.6),
            full_stop=pattern("full_stop"),
            captions=tuple(compiled(p) for p in rule.param("patterns", [])),
            min_share=rule.param("min_share", 0.5),
            tolerance=rule.param("tolerance", 3),
            min_width=rule.param("min_width", 16),
            max_width=rule.param("max_width", 10**6),
            max_closed_share=rule.param("max_closed_share", 1.0),
            closed_end=pattern("closed_end"),
            indent=pattern("indent"),
            item_start=pattern("item_start"),
            next_word=pattern("next_word"),
            hanging=pattern("hanging"),
            space_before=pattern("space_before"),
            space_after=pattern("space_after"),
        )


def wrap_width(widths: list[int]) -> int:
    """The width the lines were wrapped at: the most common one, the wider on a tie."""
    counts = Counter(widths)
    return max(counts, key=lambda w: (counts[w], w)) if counts else 0


@detector("unwrap")
def unwrap(rule: Rule, view: View) -> list[Fix]:
    s = _Settings.of(rule)
    lines = [it for it in view.items if it.live and it.kind == PARAGRAPH]
    widths = {it.key: display_width(it.text) for it in lines}  # every printed line's, measured once
    width, at_width = _wrap_width(lines, widths, s)
    if at_width:
        evidence = {"wrap_width": width, "lines_at_width": at_width, "lines": len(lines)}
        runs, message = _runs(view, widths, width, s), rule.message
    else:
        indented = sum(1 for it in lines if s.indent.match(it.text))
        if indented < s.indent_min_lines:
            return []
        evidence = {"indented_lines": indented, "lines": len(lines)}
        runs, message = _indent_runs(view, widths, s), rule.param("indent_message", rule.message)
    fixes = []
    for run in runs:
        seps = [_separator(s, a.text, b.text) for a, b in zip(run, run[1:])]
        fixes.append(
            make_fix(
                rule,
                MERGE,
                run,
                after=merged_text([it.text for it in run], seps),
                params={"seps": seps},
                evidence={**evidence, "lines_joined": len(run)},
                message=message,
            )
        )
    return fixes


def _wrap_width(lines: list[Item], widths: dict[Key, int], s: _Settings) -> tuple[int, int]:
    """The width most lines were wrapped at and how many reach it; (0, 0) when the lines are not
    a column of wrapped text."""
    if len(lines) < s.min_lines:
        return 0, 0
    width = wrap_width([w for w in widths.values() if w >= s.min_width])
    # the lines that reach the width: within `tolerance` columns short of it, or a full-width
    # closing mark over (it may hang in the margin)
    at_width = [it for it in lines if widths[it.key] >= s.min_width and width - s.tolerance <= widths[it.key] <= width + 2]
    if len(at_width) < s.min_lines or len(at_width) < s.min_share * len(lines) or width > s.max_width:
        return 0, 0
    # wrapped prose breaks lines anywhere; lines of a table, a list or a poem end where their
    # item or verse ends
    if sum(1 for it in at_width if s.closed_end.search(it.text.rstrip())) > s.max_closed_share * len(at_width):
        return 0, 0
    return width, len(at_width)


def _indent_runs(view: View, widths: dict[Key, int], s: _Settings) -> list[list[Item]]:
    """In a document whose paragraphs open with an indent, runs of an indented line and the lines
    right under it (no empty line between) that open with none: one paragraph wrapped at a width
    that varies (a proportional font). Only a long line goes on onto the next: a headline, a
    byline or a list's lead-in above a line with no indent is short. Under a line that ends on a
    full stop, a line with no indent may be a byline, a heading or a caption: it goes on with the
    paragraph only when it is long itself and another such line follows it, or when it ends on a
    full stop too; never when it opens as a caption does."""
    lines = [it for it in view.items if not _taken_out(it)]
    printed = sorted(widths.values())
    long = s.indent_full_share * printed[(len(printed) * 9) // 10] if printed else 0
    runs: list[list[Item]] = []
    run: list[Item] = []
    for n, it in enumerate(lines):
        if not (it.live and it.kind == PARAGRAPH):
            run = _close(runs, run)
            continue
        if s.indent.match(it.text):
            run = _close(runs, run)
            run.append(it)  # a paragraph starts
        elif run and _goes_on(lines, n, run[-1], widths, long, s):
            run.append(it)
        else:
            run = _close(runs, run)  # a headline, a byline, a caption: a line of its own
    _close(runs, run)
    return runs


def _goes_on(lines: list[Item], n: int, above: Item, widths: dict[Key, int], long: float, s: _Settings) -> bool:
    """Line n, with no indent, goes on with the paragraph of the line above it."""
    it = lines[n]
    if it.block.gap_before or s.item_start.match(it.text) or widths[above.key] < long:
        return False
    if not s.full_stop.search(above.text.rstrip()):
        return True
    if any(p.match(it.text) for p in s.captions):
        return False
    if s.full_stop.search(it.text.rstrip()):
        return True  # the paragraph's last line
    after = lines[n + 1] if n + 1 < len(lines) else None
    return (
        widths[it.key] >= long
        and after is not None
        and after.live
        and after.kind == PARAGRAPH
        and not after.block.gap_before
        and not s.indent.match(after.text)
    )


def _runs(view: View, widths: dict[Key, int], width: int, s: _Settings) -> list[list[Item]]:
    """Runs of consecutive lines in which every line but the last is full and the next line
    follows with no empty line between, no paragraph indent and no list or table marker.

    A line is full when it comes within `tolerance` columns of the width (a line wider than the
    column, marks hanging in the margin aside, is not wrapped text), or when the next line's
    first word would not have fitted after it (a Latin word is not cut, so it leaves its line
    short)."""
    runs: list[list[Item]] = []
    run: list[Item] = []
    items = view.items
    across = False  # past a line an earlier rule took out (a page's number)
    for n, it in enumerate(items):
        if _taken_out(it):
            # the lines around it may be one paragraph, whatever empty lines the page break left
            across = True
            continue
        if not (it.live and it.kind == PARAGRAPH):
            run = _close(runs, run)
            continue
        used = widths[it.key]
        if used > width + s.tolerance + 2 and used - _hung_width(s, it.text) > width + s.tolerance + 2:
            run = _close(runs, run)  # wider than the column: a line of its own
            continue
        # across a page's number, empty lines say nothing of a sentence left open above them
        gap = it.block.gap_before and not (across and run and not ends_sentence(run[-1].text))
        if gap or s.indent.match(it.text) or s.item_start.match(it.text):
            run = _close(runs, run)
        across = False
        run.append(it)
        if used >= width - s.tolerance:
            continue
        after = next((items[m] for m in range(n + 1, len(items)) if not _taken_out(items[m])), None)
        word = s.next_word.match(after.text) if after is not None else None
        if not (word and used + 1 + display_width(word.group()) > width):
            run = _close(runs, run)
    _close(runs, run)
    return runs


def _taken_out(it: Item) -> bool:
    """A line an earlier rule dropped (a page's number): not there for the lines around it."""
    return it.dropped and it.kind == PARAGRAPH


def _hung_width(s: _Settings, text: str) -> int:
    """The columns of the marks that hang in the margin at the line's end."""
    hung = s.hanging.search(text.rstrip())
    return display_width(hung.group()) if hung else 0


def _close(runs: list[list[Item]], run: list[Item]) -> list[Item]:
    if len(run) > 1:
        runs.append(run)
    return []


def _separator(s: _Settings, head: str, tail: str) -> str:
    """What the line break stood for: nothing inside Chinese text, a space between two Latin words."""
    return " " if s.space_before.search(head.rstrip()) and s.space_after.match(tail) else ""
