"""`repair review`: the Textual app where editors accept or reject fixes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from repair.decisions import ACCEPT, REJECT
from repair.rules import RuleSet

from .screens.confirm import ConfirmScreen
from .screens.document import DocumentScreen
from .screens.help import HelpScreen
from .screens.queue import QueueScreen
from .state import ReviewSession


class ReviewApp(App[int]):
    TITLE = "repair review"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this list of keys"),
        Binding("q", "quit", "Quit", tooltip="quit (decisions are already saved; undecided fixes stay undecided)"),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def get_default_screen(self) -> Screen:
        return QueueScreen(self.session)

    def on_mount(self) -> None:
        if len(self.session.docs) == 1:
            self.push_screen(DocumentScreen(self.session))

    def action_help(self) -> None:
        if isinstance(self.screen, (HelpScreen, ConfirmScreen)):
            return
        sections = [
            ("Reviewing a document", DocumentScreen.BINDINGS),
            ("Queue of documents", QueueScreen.BINDINGS),
            ("Everywhere", [*self.BINDINGS, Binding("ctrl+p", "command_palette", tooltip="command palette: bulk accept/reject per rule")]),
        ]
        self.push_screen(HelpScreen(sections))

    async def action_quit(self) -> None:
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, DocumentScreen):
            return
        for rule, total, pending in self.session.rules_in_doc():
            for value, verb in ((ACCEPT, "Accept"), (REJECT, "Reject")):
                yield SystemCommand(
                    f"{verb} all {rule} fixes in this document",
                    f"{total} fixes, {pending} undecided",
                    lambda r=rule, v=value: screen.bulk_rule(r, v, everywhere=False),
                )
                yield SystemCommand(
                    f"{verb} all {rule} fixes in every document",
                    "every document of this review",
                    lambda r=rule, v=value: screen.bulk_rule(r, v, everywhere=True),
                )


def run_review(
    inputs: list[tuple[Path, Path]],
    rules: RuleSet,
    *,
    decisions_dir: Path | None = None,
    output: Path = Path("out"),
    only_safe: bool = False,
) -> int:
    if not inputs:
        print("repair: no input documents to review", file=sys.stderr)
        return 2
    session = ReviewSession(inputs, rules, decisions_dir=decisions_dir, output=output, only_safe=only_safe)
    result = ReviewApp(session).run()
    return result if isinstance(result, int) else 0
