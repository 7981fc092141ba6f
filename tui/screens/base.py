"""What the queue and the document screens share: the session, changes that
report a failed save, and `A` (accept every undecided safe fix, after a confirm)."""

from __future__ import annotations

from typing import Callable, TypeVar

from textual.binding import Binding
from textual.screen import Screen

from ..state import ReviewSession, SaveError
from .confirm import ConfirmScreen

T = TypeVar("T")

ACCEPT_SAFE = Binding(
    "A", "accept_safe", "Accept safe", show=False, tooltip="accept every undecided safe fix in every document (asks first)"
)


class SessionScreen(Screen):
    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def refresh_all(self) -> None:
        raise NotImplementedError

    def change(self, action: Callable[[], T]) -> T | None:
        """Run a decision change; a failed save is shown, never swallowed."""
        try:
            return action()
        except SaveError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=15)
            return None
        finally:
            self.refresh_all()

    def action_accept_safe(self) -> None:
        pending = self.session.safe_pending()
        if not pending:
            self.notify("No undecided safe fixes in any document.")
            return
        documents = len({n for n, _ in pending})
        question = f"Accept all {len(pending)} undecided safe fixes in {documents} document(s)?"

        def done(confirmed: bool | None) -> None:
            if confirmed:
                count = self.change(self.session.accept_all_safe)
                self.notify(f"Accepted {count or 0} safe fixes.")

        self.app.push_screen(ConfirmScreen(question), done)
