"""The list of fixes of one document: decision, line, rule, safety, confidence, message."""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from repair.model import REVIEW, SAFE, SAFETY_WIDTH, SUGGEST, Fix

from ..markup import kind_mark, shorten, state_mark
from ..state import ReviewDoc

# (label, width); the message column takes what is left.
COLUMNS = (("", 2), ("line", 5), ("rule", 18), ("safety", SAFETY_WIDTH), ("conf", 4))
SAFETY_STYLES = {SAFE: "green", REVIEW: "yellow", SUGGEST: "cyan"}
PADDING = 1


class FixTable(DataTable):
    DEFAULT_CSS = """
    FixTable { scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=PADDING)
        self._doc: ReviewDoc | None = None
        self._fixes: list[Fix] | None = None  # the list shown (analysing again makes a new one)
        self._only_safe = False
        self._built_width = 0

    def show(self, doc: ReviewDoc, only_safe: bool) -> None:
        """Fill the table for `doc` (rebuilt when the document, its fixes or the width change)."""
        width = self.scrollable_content_region.width
        if doc is not self._doc or doc.fixes is not self._fixes or width != self._built_width:
            self._doc, self._fixes, self._only_safe, self._built_width = doc, doc.fixes, only_safe, width
            self._rebuild(width)
        else:
            self._only_safe = only_safe
            for row, fix in enumerate(doc.fixes):
                self.update_cell_at(Coordinate(row, 0), self._state(fix))
        if doc.fixes and self.cursor_row != doc.cursor:
            self.move_cursor(row=doc.cursor, animate=False)

    def on_resize(self) -> None:
        if self._doc is not None:
            self.show(self._doc, self._only_safe)

    def _rebuild(self, width: int) -> None:
        self.clear(columns=True)
        fixed = sum(w for _, w in COLUMNS) + 2 * PADDING * (len(COLUMNS) + 1)
        message_width = max(8, width - fixed)
        for label, w in COLUMNS:
            self.add_column(label, width=w)
        self.add_column("message", width=message_width)
        assert self._doc is not None
        for fix in self._doc.fixes:
            lines = f"L{fix.lines[0]}"
            self.add_row(
                self._state(fix),
                lines,
                shorten(fix.rule, 18),
                Text(fix.safety, style=SAFETY_STYLES.get(fix.safety, "")),
                f"{fix.confidence:.2f}",
                shorten(fix.message, message_width),
                key=fix.id,
            )

    def _state(self, fix: Fix) -> Text:
        assert self._doc is not None
        return state_mark(self._doc, fix, self._only_safe).append(kind_mark(fix.kind), style="bold")
