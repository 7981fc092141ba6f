"""A read-only pane of rows (gutter + wrapped body) that can scroll to a source line.

Rows wrap at the pane's width by terminal cells, so wide Chinese characters line
up; continuation lines are indented under the gutter.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..markup import SELECTED, Row


class TextPane(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TextPane {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._strips: list[Strip] = []
        self._first_strip: list[int] = []  # row index -> its first strip
        self._width = 0
        self._pending_anchor: int | None = None

    @property
    def rows(self) -> list[Row]:
        return self._rows

    def set_rows(self, rows: list[Row], anchor: int | None = None, top: bool = False) -> None:
        """Show `rows`; bring the rows of source line `anchor` into view (or go to the top)."""
        self._rows = rows
        self._width = 0
        if top:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._pending_anchor = anchor
        self._layout()

    def plain(self) -> str:
        """The pane's text as shown (for tests)."""
        return "\n".join(strip.text.rstrip() for strip in self._strips)

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or not self.is_mounted:
            return
        if width != self._width:
            self._width = width
            self._strips, self._first_strip = [], []
            console = self.app.console
            for row in self._rows:
                self._first_strip.append(len(self._strips))
                self._strips.extend(_wrap(row, width, console))
            self.virtual_size = Size(width, len(self._strips))
            self.refresh()
        if self._pending_anchor is not None:
            # After the refresh, so that the new virtual size bounds the scroll.
            self.call_after_refresh(self._reveal, self._pending_anchor)
            self._pending_anchor = None

    def _reveal(self, anchor: int) -> None:
        hits = [i for i, row in enumerate(self._rows) if row.anchor is not None and row.anchor <= anchor]
        if not hits:
            return
        index = hits[-1]
        first = self._first_strip[index]
        last = self._first_strip[index + 1] if index + 1 < len(self._rows) else len(self._strips)
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        if first >= top and last <= top + height:
            return  # already in view
        self.scroll_to(y=max(0, first - 1), animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if index >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        return self._strips[index].crop_extend(0, width, self.rich_style).apply_style(self.rich_style)


def _wrap(row: Row, width: int, console) -> list[Strip]:
    gutter_width = row.gutter.cell_len
    body_width = max(4, width - gutter_width)
    lines = row.body.wrap(console, body_width, overflow="fold") or [Text("")]
    background = Style.parse(SELECTED) if row.selected else None
    strips = []
    for n, line in enumerate(lines):
        gutter = row.gutter if n == 0 else Text(" " * gutter_width)
        text = Text.assemble(gutter, line, end="")
        segments = list(text.render(console, end=""))
        strip = Strip(segments, text.cell_len).adjust_cell_length(width)
        if background is not None:
            strip = Strip(
                [Segment(s.text, background + s.style if s.style else background, s.control) for s in strip],
                width,
            )
        strips.append(strip)
    return strips
