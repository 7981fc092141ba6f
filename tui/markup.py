"""Rich Text for the three views and the fix details. Pure functions of the
session model, so they are tested without Textual.

A view is a list of rows: a gutter (line number, decision, kind), a body that
wraps under the gutter, and the source line the row belongs to (the anchor the
page scrolls to).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable

from rich.cells import cell_len
from rich.text import Text

from repair.decisions import ACCEPT, REJECT
from repair.model import ARTICLE, BLANK, DROP, EDIT, JOIN, META, MOVE, RELABEL, SPLIT, DocumentResult, Fix
from repair.report import weights_text
from repair.view import View

from .state import ReviewDoc

REMOVED = "strike red"
INSERTED = "bold green"
TAG = "italic yellow"
MOVED = "cyan"
JOINED = "magenta"
ARTICLE_RULE = "bold blue"
SELECTED = "on #2a2a4a"
DIM = "dim"

GUTTER_WIDTH = 7  # "1234✓~ "

Key = tuple[int, int]

KIND_MARK = {
    "edit": "~",
    "drop": "-",
    "relabel": "#",
    "meta": "@",
    "split": "/",
    "join": "+",
    "merge": "&",
    "move": ">",
    "article": "=",
}


@dataclass
class Row:
    body: Text
    gutter: Text = field(default_factory=Text)
    anchor: int | None = None  # source line
    selected: bool = False


def _decision_look(doc: ReviewDoc, fix: Fix, only_safe: bool) -> tuple[str, str, str]:
    """(mark, words, style) for a fix's decision."""
    decision = doc.decision(fix)
    if decision == ACCEPT:
        return "✓", "accepted", "bold green"
    if decision == REJECT:
        return "✗", "rejected", "bold red"
    if doc.applies(fix, only_safe):
        return "?", "undecided (applied by default)", "bold yellow"
    return "?", "undecided (not applied by default)", "dim yellow"


def state_mark(doc: ReviewDoc, fix: Fix, only_safe: bool) -> Text:
    mark, _, style = _decision_look(doc, fix, only_safe)
    return Text(mark, style=style)


def state_word(doc: ReviewDoc, fix: Fix, only_safe: bool) -> Text:
    _, words, style = _decision_look(doc, fix, only_safe)
    return Text(words, style=style)


def kind_mark(kind: str) -> str:
    return KIND_MARK.get(kind, kind[:1] or "?")


def diff_text(before: str, after: str) -> Text:
    """`before` with removed characters struck and inserted ones highlighted."""
    out = Text()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(before[i1:i2])
            continue
        if i2 > i1:
            out.append(before[i1:i2], style=REMOVED)
        if j2 > j1:
            out.append(after[j1:j2], style=INSERTED)
    return out


def diff_context(before: str, after: str, context: int = 8) -> Text:
    """Only the changed places of `diff_text`, each with a little context."""
    out = Text()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    end = 0
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > end or (end and out):
            out.append("…", style=DIM)
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                out.append(before[i1:i2])
            else:
                out.append(before[i1:i2], style=REMOVED)
                out.append(after[j1:j2], style=INSERTED)
            end = i2
    if end < len(before):
        out.append("…", style=DIM)
    return out


def shorten(text: str, width: int) -> str:
    """Cut to `width` terminal cells (wide characters count two), ending in an ellipsis."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def fix_lines(fix: Fix) -> set[int]:
    """The source lines a fix acts on: its blocks' lines (a join spans only its two halves)."""
    return {key[0] for key in fix.blocks} or set(range(fix.lines[0], fix.lines[1] + 1))


def _fixes_by_line(fixes: Iterable[Fix]) -> dict[int, list[Fix]]:
    by_line: dict[int, list[Fix]] = {}
    for fix in fixes:
        for line in fix_lines(fix):
            by_line.setdefault(line, []).append(fix)
    return by_line


def touched_lines(fix: Fix) -> set[int]:
    """Lines to emphasise for the selected fix: where it acts and where a move lands."""
    lines = fix_lines(fix)
    if fix.kind == MOVE:
        for name in ("after", "before", "to"):
            if fix.params.get(name):
                lines.add(int(fix.params[name][0]))
    return lines


def _gutter(number: int | None, fixes: list[Fix], doc: ReviewDoc, selected: Fix | None, only_safe: bool) -> Text:
    label = f"{number:>4}" if number is not None else "    "
    gutter = Text()
    gutter.append(label, style="bold reverse" if selected is not None and selected in fixes else DIM)
    if not fixes:
        return gutter.append("   ")
    shown = selected if selected in fixes else _most_pending(doc, fixes)
    gutter.append_text(state_mark(doc, shown, only_safe))
    gutter.append(kind_mark(shown.kind), style="bold")
    return gutter.append(" ")


def _most_pending(doc: ReviewDoc, fixes: list[Fix]) -> Fix:
    for wanted in (None, REJECT):
        for fix in fixes:
            if doc.decision(fix) == wanted:
                return fix
    return fixes[0]


def page_rows(doc: ReviewDoc, view: View | None, selected: Fix | None, only_safe: bool) -> list[Row]:
    """The source lines with every fix that the preview applies marked where it acts (not
    rejected, nor waiting for a rejected one it requires).

    Items (text, kind, dropped) come from the core's replay; joins, moves and
    article starts are drawn from the fixes themselves so new parameters of
    those kinds do not break the page.
    """
    if view is None:
        return [Row(Text(doc.error or "no text", style="bold red"))]
    live = list(filter(doc.previewed(), doc.fixes))
    marks = _Marks(live)
    by_line = _fixes_by_line(doc.fixes)
    items_by_line: dict[int, list[Any]] = {}
    absorbed: set[int] = set()  # lines a merge of wrapped lines printed into the line above
    for item in view.items:
        items_by_line.setdefault(item.line, []).append(item)
        absorbed.update(item.block.lines[1:])
    glued = {f.blocks[0][0] for f in doc.fixes if f.kind == SPLIT and doc.decision(f) == REJECT}
    chosen = touched_lines(selected) if selected is not None else set()

    rows: list[Row] = []
    previous_empty = False
    for number, raw in enumerate(doc.text.split("\n"), start=1):
        items = items_by_line.get(number, [])
        if number in absorbed:
            continue
        if not items and raw == "":
            if not previous_empty:  # a run of empty lines shows as one
                rows.append(Row(Text(""), anchor=number))
            previous_empty = True
            continue
        previous_empty = False
        if number in marks.article_lines:
            rule = f"─── article {marks.article_lines[number]} starts ───"
            rows.append(Row(Text(rule, style=ARTICLE_RULE), anchor=number))
        rows.extend(marks.ghosts.get(("before", number), []))
        body = Text()
        for n, item in enumerate(items):
            if n and item.key[1] > 0:
                sep = item.block.sep_before or ""
                if number in glued:
                    body.append(sep)
                else:
                    body.append(sep, style=REMOVED).append("|", style="bold yellow")
            body.append_text(_item_text(item, marks))
        gutter = _gutter(number, by_line.get(number, []), doc, selected, only_safe)
        rows.append(Row(body, gutter, number, number in chosen))
        rows.extend(marks.ghosts.get(("after", number), []))
    return rows


class _Marks:
    """Where the structural fixes that are not rejected act."""

    def __init__(self, fixes: list[Fix]) -> None:
        self.heads: dict[Key, Fix] = {}
        self.tails: dict[Key, Fix] = {}
        self.moves: dict[Key, Fix] = {}
        self.ghosts: dict[tuple[str, int], list[Row]] = {}
        self.article_lines: dict[int, int] = {}
        for fix in fixes:
            if fix.kind == JOIN and len(fix.blocks) > 1:
                self.heads[fix.blocks[0]] = fix
                self.tails[fix.blocks[1]] = fix
            elif fix.kind == MOVE:
                for key in fix.blocks:
                    self.moves[key] = fix
                    self._ghost(fix, key)
        starts = sorted(f.blocks[0] for f in fixes if f.kind == ARTICLE and f.blocks)
        self.article_lines = {key[0]: n for n, key in enumerate(starts, start=2)}

    def _ghost(self, fix: Fix, key: Key) -> None:
        p = fix.params
        if p.get("after"):
            slot = ("after", int(p["after"][0]))
        elif p.get("before"):
            slot = ("before", int(p["before"][0]))
        elif p.get("to"):
            slot = ("before", int(p["to"][0]))
        else:
            return
        ghost = Text(f"⇢ L{key[0]} lands here", style=f"bold {MOVED}")
        self.ghosts.setdefault(slot, []).append(Row(ghost, Text(" " * GUTTER_WIDTH)))


def move_destination(fix: Fix) -> str:
    """Where a move sends its blocks, in words."""
    if fix.after.startswith("→"):
        return fix.after
    p, where = fix.params, []
    for name in ("after", "before", "to"):
        if p.get(name):
            where.append(f"{name} L{p[name][0]}")
    if p.get("article") is not None:
        where.append(f"article {int(p['article']) + 1}")
    if p.get("fragment"):
        where.append(f"separate item {p['fragment']}")
    return "→ " + (", ".join(where) or "the start of its article")


def _item_text(item: Any, marks: _Marks) -> Text:
    block = item.block
    out = Text()
    if item.key in marks.tails:
        out.append(f"+L{marks.tails[item.key].blocks[0][0]} ", style=f"bold {JOINED}")
    if item.dropped:
        out.append(block.text if block.kind != BLANK else "␣" * max(1, len(block.text)), style=REMOVED)
        return out
    if item.kind != block.kind:
        tag = f"[{item.kind}"
        if item.meta:
            tag += " → " + ", ".join(f"{k}: {_plain(v)}" for k, v in item.meta.items())
        out.append(tag + "] ", style=TAG)
    text = diff_text(block.text, item.text)
    if item.key in marks.tails:
        text.stylize(JOINED)
    if item.key in marks.moves:
        text.stylize(MOVED)
    out.append_text(text)
    if block.lines[-1] > block.line:
        out.append(f"  & L{block.line}–{block.lines[-1]} as one line", style=f"bold {JOINED}")
    if item.key in marks.heads:
        out.append(f" ⋈ L{marks.heads[item.key].blocks[1][0]} joins here", style=f"bold {JOINED}")
    if item.key in marks.moves:
        out.append(f"  ⇢ {move_destination(marks.moves[item.key]).lstrip('→ ')}", style=f"bold {MOVED}")
    return out


def _plain(value: Any) -> str:
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)


def original_rows(doc: ReviewDoc, selected: Fix | None) -> list[Row]:
    chosen = touched_lines(selected) if selected is not None else set()
    return [
        Row(Text(raw), Text().append(f"{n:>4}", style="bold reverse" if n in chosen else DIM).append("   "), n, n in chosen)
        for n, raw in enumerate(doc.text.split("\n"), start=1)
    ]


def markdown_rows(result: DocumentResult | None, selected: Fix | None) -> list[Row]:
    """The Markdown files as they will be written; rows carry the source line of the
    paragraph they show so the view can follow the selected fix."""
    if result is None:
        return []
    rows: list[Row] = []
    target = selected.lines[0] if selected is not None else None
    for article in result.articles:
        rows.append(Row(Text(f"─── {article.name}.md ───", style=ARTICLE_RULE)))
        sources = [(it.text, it.lines) for it in [*article.body, *article.figures] if it.lines]
        for line in article.markdown.split("\n"):
            lines = next((ls for text, ls in sources if text and text in line), ())
            style = "bold" if line.startswith("#") else (DIM if line == "---" else "")
            anchor = min(lines) if lines else None
            rows.append(Row(Text(line, style=style), anchor=anchor, selected=target in lines))
    return rows


def details_rows(doc: ReviewDoc, fix: Fix | None, view: View | None, only_safe: bool) -> list[Row]:
    if doc.error:
        return [Row(Text(f"Cannot review {doc.name}: {doc.error}", style="bold red"))]
    if fix is None:
        return [Row(Text("No fixes proposed for this document.", style=DIM))]
    index = doc.fixes.index(fix) + 1
    lines = f"L{fix.lines[0]}" if fix.lines[0] == fix.lines[1] else f"L{fix.lines[0]}–{fix.lines[1]}"
    head = Text.assemble((f"{index}/{len(doc.fixes)} ", "bold"), state_word(doc, fix, only_safe))
    head.append(f"  {fix.rule} · {fix.kind} · {fix.safety} · {fix.confidence:.2f} · {lines}", style="bold")
    rows = [Row(head), Row(Text(fix.message))]
    rows.extend(Row(t) for t in _change_rows(fix, view))
    # this fix's own evidence before the rule's general why: a short pane shows it unscrolled
    for key, value in _evidence_items(fix):
        rows.append(Row(Text.assemble((f"{key}: ", "bold cyan"), _evidence_value(value))))
    # a fix made on the assumption of another applies by default only where that one does
    for needed in (f for f in doc.fixes if f.id in fix.requires):
        where = f"L{needed.lines[0]} {needed.rule} {needed.kind} [{needed.id}] "
        rows.append(Row(Text.assemble(("requires: ", "bold cyan"), where, state_word(doc, needed, only_safe))))
    if fix.why:
        rows.append(Row(Text.assemble(("why: ", "bold"), fix.why)))
    rows.append(Row(Text(f"id {fix.id}", style=DIM)))
    return rows


# the verdict first (a join's score and cues, a move's cue), then the rest as the rule gave it
_EVIDENCE_FIRST = ("score", "cues", "cue")
# evidence the join row already shows (both blocks' lines and the seam)
_SHOWN_BY_JOIN_ROW = frozenset({"seam", "head_line", "tail_line"})


def _evidence_items(fix: Fix) -> list[tuple[str, Any]]:
    """(key, value) pairs to show; a score and the weighted cues it adds up become one row."""
    shown = _SHOWN_BY_JOIN_ROW if _is_join(fix) else frozenset()
    evidence = {k: v for k, v in fix.evidence.items() if k not in shown}
    if "score" in evidence and isinstance(evidence.get("cues"), dict):
        evidence["score"] = f"{evidence['score']} = {weights_text(evidence.pop('cues'))}"
    return sorted(evidence.items(), key=lambda kv: _EVIDENCE_FIRST.index(kv[0]) if kv[0] in _EVIDENCE_FIRST else len(_EVIDENCE_FIRST))


def _is_join(fix: Fix) -> bool:
    return fix.kind == JOIN and len(fix.blocks) > 1


def _evidence_value(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}={_evidence_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_evidence_value(v) for v in value)
    return str(value)


def _block_text(view: View | None, key: Any) -> str:
    item = view.get(tuple(key)) if view is not None else None
    return item.block.text if item is not None else ""


_SEAM_CHARS = 12  # characters on each side of a join's seam: the row fits 80 columns


def _change_rows(fix: Fix, view: View | None) -> list[Text]:
    """What the fix does, by kind; unknown kinds fall back to before/after."""
    if _is_join(fix):
        head, tail = fix.blocks[0], fix.blocks[1]
        sep = fix.params.get("sep", "")
        # one row: the head's line and end, the tail's line and start (the seam in context)
        return [
            Text.assemble(
                ("joins: ", "bold"),
                f"L{head[0]} …" + _block_text(view, head)[-_SEAM_CHARS:],
                (" ⋈ ", f"bold {JOINED}"),
                (repr(sep) + " " if sep else "", DIM),
                f"L{tail[0]} ",
                (_block_text(view, tail)[:_SEAM_CHARS] + "…", JOINED),
            )
        ]
    if fix.kind == MOVE:
        return [
            Text.assemble(("from: ", "bold"), f"L{fix.lines[0]} ", (shorten(fix.before, 60), MOVED)),
            Text.assemble(("to: ", "bold"), move_destination(fix).lstrip("→ ")),
        ]
    if fix.kind == EDIT:
        return [Text.assemble(("change: ", "bold"), diff_context(fix.before, fix.after))]
    if fix.kind == SPLIT and fix.params.get("cuts"):
        pieces = Text("split: ", style="bold")
        for n, (start, end) in enumerate(fix.params["cuts"]):
            piece = fix.before[start:end]
            if n:
                pieces.append(" | ", style="bold yellow")
            pieces.append(piece if cell_len(piece) <= 40 else ("…" + piece[-19:] if n == 0 else piece[:19] + "…"))
        return [pieces]
    if fix.before == fix.after or not fix.after:
        rows = [Text.assemble(("text: ", "bold"), (fix.before, REMOVED if fix.kind == DROP else ""))]
    else:
        rows = [Text.assemble(("before: ", "bold"), fix.before), Text.assemble(("after: ", "bold"), fix.after)]
    if fix.params and fix.kind not in (RELABEL, META):  # those say it in `after`
        rows.append(Text.assemble(("params: ", "bold"), _evidence_value(fix.params)))
    return rows
