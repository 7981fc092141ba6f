"""`?`: every key of every screen, made from the screens' own bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..markup import KIND_MARK, REMOVED, INSERTED, TAG, MOVED, JOINED, Row
from ..widgets.textpane import TextPane

KEY_NAMES = {"space": "space", "down": "↓", "up": "↑", "question_mark": "?", "escape": "esc"}


def key_label(binding: Binding) -> str:
    keys = [k.strip() for k in binding.key.split(",")]
    if binding.key_display and len(keys) == 1:
        return binding.key_display if binding.key_display != "spc" else "space"
    return "/".join(KEY_NAMES.get(k, k) for k in keys)


def help_rows(sections: list[tuple[str, list[Binding]]]) -> list[Row]:
    rows: list[Row] = []
    for title, bindings in sections:
        rows.append(Row(Text(title, style="bold underline")))
        for binding in bindings:
            text = binding.tooltip or binding.description
            rows.append(Row(Text(text), Text(f"  {key_label(binding):<10}", style="bold cyan")))
        rows.append(Row(Text("")))
    rows.append(Row(Text("Marks", style="bold underline")))
    rows.append(Row(Text("✓ accepted  ✗ rejected  ? undecided (dim: the policy leaves it out)")))
    rows.append(Row(Text("  ".join(f"{mark} {kind}" for kind, mark in KIND_MARK.items()))))
    legend = Text()
    for label, style in (("removed", REMOVED), ("inserted", INSERTED), ("[new kind]", TAG), ("moved", MOVED), ("joined", JOINED)):
        legend.append(label, style=style).append("  ")
    rows.append(Row(legend))
    rows.append(Row(Text("")))
    rows.append(Row(Text("Decisions", style="bold underline")))
    rows.append(Row(Text("Saved at every key press, next to each input as <input>.decisions.json (with --decisions DIR: DIR/<input>.decisions.json). q leaves undecided fixes undecided; `repair fix` applies the accepted ones, leaves out the rejected ones.")))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", tooltip="close help")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield TextPane(id="keys")
            yield Static("esc, q or ? closes", id="help-foot")

    def on_mount(self) -> None:
        pane = self.query_one("#keys", TextPane)
        pane.border_title = "Keys"
        pane.set_rows(help_rows(self.sections))
        pane.focus()

    def action_close(self) -> None:
        self.dismiss(None)
