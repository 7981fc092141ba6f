"""One document: the marked-up page (or Markdown, or original), its fixes, the
selected fix's details. Every key that decides saves at once (see state.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from repair.decisions import ACCEPT, REJECT

from .. import markup
from ..state import ReviewSession
from ..widgets.fixtable import FixTable
from ..widgets.textpane import TextPane
from .base import ACCEPT_SAFE, SessionScreen

VIEWS = ("page", "markdown", "original")
VIEW_TITLES = {
    "page": "Page · fixes marked (v: Markdown)",
    "markdown": "Markdown as it will be written (v: original)",
    "original": "Original text (v: page)",
}


class DocumentScreen(SessionScreen):
    BINDINGS = [
        Binding("y", "decide('accept', True)", "Accept", tooltip="accept the fix and go to the next undecided one"),
        Binding("n", "decide('reject', True)", "Reject", tooltip="reject the fix and go to the next undecided one"),
        Binding("space", "toggle", "Toggle", key_display="spc", show=False, tooltip="toggle accept/reject (undecided → accept)"),
        Binding("j,down", "move(1)", "Down", show=False, priority=True, tooltip="next fix"),
        Binding("k,up", "move(-1)", "Up", show=False, priority=True, tooltip="previous fix"),
        Binding("right_square_bracket", "undecided(True)", "Next ?", key_display="]", tooltip="next undecided fix (then next document)"),
        Binding("left_square_bracket", "undecided(False)", "Prev ?", key_display="[", show=False, tooltip="previous undecided fix"),
        Binding("a", "remaining('accept')", "Accept rest", show=False, tooltip="accept all undecided fixes of this document"),
        Binding("d", "remaining('reject')", "Reject rest", show=False, tooltip="reject all undecided fixes of this document"),
        ACCEPT_SAFE,
        Binding("u", "undo", "Undo", tooltip="undo the last decision (or bulk action)"),
        Binding("v", "cycle_view", "View", tooltip="switch view: marked-up page → Markdown → original"),
        Binding("w", "write", "Write", show=False, tooltip="write this document's Markdown and report to the output folder now"),
        Binding("pagedown", "scroll_page(1)", "Page down", show=False, tooltip="scroll the page view down"),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False, tooltip="scroll the page view up"),
        Binding("J", "scroll_details(1)", "Details down", show=False, tooltip="scroll the fix details down"),
        Binding("K", "scroll_details(-1)", "Details up", show=False, tooltip="scroll the fix details up"),
        Binding("greater_than_sign", "other_doc(1)", "Next doc", key_display=">", show=False, tooltip="next document"),
        Binding("less_than_sign", "other_doc(-1)", "Prev doc", key_display="<", show=False, tooltip="previous document"),
        Binding("escape", "queue", "Queue", show=False, tooltip="back to the queue of documents"),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__(session)
        self.view = "page"
        self._shown: tuple = (None, None, None)  # (document, fix, view) last drawn

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield TextPane(id="page")
        yield FixTable(id="fixes")
        yield TextPane(id="details")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#fixes", FixTable).border_title = "Fixes"
        self.query_one("#details", TextPane).border_title = "Fix details"
        self.query_one("#fixes").focus()
        self.refresh_all()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    # -- drawing --------------------------------------------------------------
    def refresh_all(self) -> None:
        session = self.session
        doc, fix = session.doc, session.fix
        shown = (session.current, fix.id if fix else None, self.view)
        new_doc, moved = shown[0] != self._shown[0], shown != self._shown
        self._shown = shown
        self.query_one("#status", Static).update(self._status())
        self.query_one("#fixes", FixTable).show(doc, session.only_safe)
        preview = session.preview()
        page = self.query_one("#page", TextPane)
        page.border_title = VIEW_TITLES[self.view]
        if self.view == "page":
            rows = markup.page_rows(doc, preview, fix, session.only_safe)
        elif self.view == "markdown":
            rows = markup.markdown_rows(session.result(), fix)
        else:
            rows = markup.original_rows(doc, fix)
        anchor = fix.lines[0] if fix and moved else None
        top = new_doc
        if moved and self.view == "markdown" and not any(r.selected for r in rows):
            anchor, top = None, True  # e.g. front matter: its fix has no paragraph
        page.set_rows(rows, anchor=anchor, top=top)
        details = markup.details_rows(doc, fix, preview, session.only_safe)
        self.query_one("#details", TextPane).set_rows(details, top=True)
        if new_doc and doc.stale():
            stale = doc.describe_stale()
            listing = "\n".join(stale[:5]) + ("\n…" if len(stale) > 5 else "")
            self.notify(f"{len(stale)} earlier decisions no longer match a fix:\n{listing}", severity="warning", timeout=10)

    def _status(self) -> str:
        session, doc = self.session, self.session.doc
        parts = [f"[b]{doc.name}[/b]"]
        if len(session.docs) > 1:
            parts.insert(0, f"doc {session.current + 1}/{len(session.docs)}")
        if doc.error:
            parts.append(f"[red]{doc.error}[/red]")
        else:
            total = len(doc.fixes)
            parts.append(f"{doc.decided_count()}/{total} decided ([green]{doc.count(ACCEPT)}✓[/] [red]{doc.count(REJECT)}✗[/])")
        if doc.stale():
            parts.append(f"[yellow]{len(doc.stale())} stale[/]")
        if session.only_safe:
            parts.append("undecided: safe only")
        return " │ ".join(parts)

    # -- table events -----------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Moving the cursor from the model posts this event too; by the time it
        # arrives the cursor may have moved on, and following it would bounce back.
        if event.cursor_row != event.data_table.cursor_row:
            return
        if event.cursor_row != self.session.doc.cursor:
            self.session.select(event.cursor_row)
            self.refresh_all()

    # -- actions ----------------------------------------------------------------
    def action_decide(self, value: str, advance: bool) -> None:
        if self.session.fix is None:
            return
        more = self.change(lambda: self.session.decide(value, advance=advance))
        if advance and more is False:
            self.notify(f"Every fix of {self.session.doc.name} is decided. ] goes to the next document with undecided fixes.")

    def action_toggle(self) -> None:
        self.change(self.session.toggle)

    def action_move(self, delta: int) -> None:
        self.session.move(delta)
        self.refresh_all()

    def action_undecided(self, forward: bool) -> None:
        if not self.session.next_undecided(forward):
            self.notify("No undecided fixes left in any document.")
        self.refresh_all()

    def action_remaining(self, value: str) -> None:
        count = self.change(lambda: self.session.decide_remaining(value))
        self.notify(f"{value.capitalize()}ed {count or 0} remaining fixes of this document.")

    def bulk_rule(self, rule: str, value: str, everywhere: bool) -> None:
        count = self.change(lambda: self.session.decide_rule(rule, value, everywhere, only_undecided=False))
        self.notify(f"{value.capitalize()}ed {count or 0} {rule} fixes.")

    def action_undo(self) -> None:
        step = self.change(self.session.undo)
        self.notify(f"Undid: {step.label}" if step else "Nothing to undo.")

    def action_cycle_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.refresh_all()

    def action_write(self) -> None:
        outcome = self.session.write()
        if outcome.error:
            self.notify(outcome.error, title="Not written", severity="error")
            return
        folder = outcome.outputs[0].parent if outcome.outputs else self.session.output
        names = ", ".join(p.name for p in outcome.outputs)
        self.notify(f"{names} and the report in {folder} ({outcome.applied}/{outcome.fixes} fixes applied)", title="Written")

    def action_scroll_page(self, direction: int) -> None:
        page = self.query_one("#page", TextPane)
        page.scroll_page_down() if direction > 0 else page.scroll_page_up()

    def action_scroll_details(self, direction: int) -> None:
        details = self.query_one("#details", TextPane)
        details.scroll_relative(y=3 * direction, animate=False)

    def action_other_doc(self, delta: int) -> None:
        self.session.open_doc((self.session.current + delta) % len(self.session.docs))
        self.refresh_all()

    def action_queue(self) -> None:
        self.app.pop_screen()
