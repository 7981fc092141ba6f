"""The queue of documents: counts per document; enter opens one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from ..widgets.queuetable import QueueTable
from .base import ACCEPT_SAFE, SessionScreen
from .document import DocumentScreen


class QueueScreen(SessionScreen):
    BINDINGS = [
        Binding("enter", "open", "Open", priority=True, tooltip="review the selected document"),
        Binding("j,down", "move(1)", "Down", show=False, priority=True, tooltip="next document"),
        Binding("k,up", "move(-1)", "Up", show=False, priority=True, tooltip="previous document"),
        Binding("right_square_bracket", "next_pending", "Next ?", key_display="]", tooltip="open the next document with undecided fixes"),
        ACCEPT_SAFE,
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield QueueTable(id="queue")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#queue").focus()
        self.refresh_all()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def refresh_all(self) -> None:
        docs = self.session.docs
        fixes = sum(len(d.fixes) for d in docs)
        decided = sum(d.decided_count() for d in docs)
        failed = sum(1 for d in docs if d.error)
        status = f"[b]{len(docs)} documents[/b] │ {decided}/{fixes} fixes decided"
        if failed:
            status += f" │ [red]{failed} unreadable[/]"
        self.query_one("#status", Static).update(status)
        self.query_one("#queue", QueueTable).show(self.session)

    def action_move(self, delta: int) -> None:
        table = self.query_one("#queue", QueueTable)
        table.move_cursor(row=max(0, min(table.cursor_row + delta, table.row_count - 1)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open(event.cursor_row)

    def action_open(self, index: int | None = None) -> None:
        row = self.query_one("#queue", QueueTable).cursor_row if index is None else index
        self.session.open_doc(row)
        self.app.push_screen(DocumentScreen(self.session))

    def action_next_pending(self) -> None:
        pending = [i for i, d in enumerate(self.session.docs) if d.undecided()]
        later = [i for i in pending if i > self.session.current] or pending
        if not later:
            self.notify("No undecided fixes left in any document.")
            return
        self.action_open(later[0])
