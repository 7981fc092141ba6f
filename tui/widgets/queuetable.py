"""The queue of documents with their counts of fixes and decisions."""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from repair.decisions import ACCEPT, REJECT

from ..markup import shorten
from ..state import ReviewDoc, ReviewSession

COLUMNS = ("document", "fixes", "decided", "✓", "✗", "stale", "status")


class QueueTable(DataTable):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")

    def show(self, session: ReviewSession) -> None:
        """Fill the table once, then only update its cells (the cursor stays put)."""
        if not self.columns:
            for label in COLUMNS:
                self.add_column(label, width=30 if label == "document" else None)
            for doc in session.docs:
                self.add_row(*_cells(doc))
            self.move_cursor(row=session.current, animate=False)
            return
        for row, doc in enumerate(session.docs):
            for column, value in enumerate(_cells(doc)):
                self.update_cell_at(Coordinate(row, column), value, update_width=column == len(COLUMNS) - 1)


def _cells(doc: ReviewDoc) -> list[str | Text]:
    if doc.error:
        status = Text(doc.error, style="red")
    elif not doc.fixes:
        status = Text("no fixes", style="dim")
    elif doc.undecided():
        status = Text(f"{len(doc.undecided())} to review", style="yellow")
    else:
        status = Text("done", style="green")
    stale = len(doc.stale())
    return [
        shorten(doc.name, 30),
        str(len(doc.fixes)),
        str(doc.decided_count()),
        str(doc.count(ACCEPT)),
        str(doc.count(REJECT)),
        str(stale) if stale else "",
        status,
    ]
