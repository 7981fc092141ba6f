"""A yes/no question over the current screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", tooltip="confirm"),
        Binding("n,escape", "answer(False)", "No", tooltip="cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question")
            yield Static("[b]y[/b]/enter: yes    [b]n[/b]/escape: no", id="answers")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
