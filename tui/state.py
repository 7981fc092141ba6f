"""The review session outside any widget: documents, their fixes, the editor's
decisions, the selection and the undo stack.

Every change of a decision is written to the document's decision file before the
method returns, so a crash or kill after any key press loses nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from repair.analyze import Analysis
from repair.arrange import replay
from repair.decisions import ACCEPT, REJECT, decisions_path, load_decisions, policy, save_decisions
from repair.errors import RepairError
from repair.jobs import Options, Outcome, process_file
from repair.model import MERGE, DocumentResult, Fix
from repair.pipeline import analyze_text, build
from repair.reading import read_source
from repair.rules import RuleSet
from repair.view import View

Decision = str | None  # ACCEPT, REJECT or None (undecided)


class SaveError(RepairError):
    """A decision file could not be written; the decision is kept in memory."""


@dataclass
class Change:
    doc: int
    fix_id: str
    old: Decision
    new: Decision


@dataclass
class Step:
    """One undoable action: every decision it changed and where the editor was."""

    label: str
    changes: list[Change]
    doc: int
    cursor: int


@dataclass
class ReviewDoc:
    source: Path
    relative: Path  # output path without suffix, as `repair fix` names it
    decisions_file: Path
    text: str = ""
    source_format: str = "text"  # or "html": what the text was read from
    error: str | None = None
    analysis: Analysis | None = None
    decisions: dict[str, str] = field(default_factory=dict)  # stale ones included: never dropped
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)  # what each decided fix was
    fixes: list[Fix] = field(default_factory=list)  # in page order (the core lists them by rule)
    cursor: int = 0

    @property
    def name(self) -> str:
        return str(self.relative.parent / self.source.name)

    @property
    def fix(self) -> Fix | None:
        fixes = self.fixes
        return fixes[self.cursor] if 0 <= self.cursor < len(fixes) else None

    def decision(self, fix: Fix) -> Decision:
        return self.decisions.get(fix.id)

    def undecided(self) -> list[int]:
        return [i for i, f in enumerate(self.fixes) if f.id not in self.decisions]

    def decided_count(self) -> int:
        return len(self.fixes) - len(self.undecided())

    def count(self, value: str) -> int:
        return sum(1 for f in self.fixes if self.decisions.get(f.id) == value)

    def stale(self) -> list[str]:
        """Decisions whose fix the current analysis no longer proposes."""
        ids = {f.id for f in self.fixes}
        return sorted(k for k in self.decisions if k not in ids)

    def describe_stale(self) -> list[str]:
        out = []
        for fix_id in self.stale():
            note = self.notes.get(fix_id, {})
            where = f"L{note['lines'][0]} " if note.get("lines") else ""
            what = f"{note.get('rule', '?')}: {note.get('before', '')}" if note else fix_id
            out.append(f"{where}{what} ({self.decisions[fix_id]}ed) [{fix_id}]")
        return out

    def applies(self, fix: Fix, only_safe: bool) -> bool:
        """Whether the output will contain this fix (decision, else the usual policy)."""
        return policy(self.decisions, only_safe, self.fixes)(fix)

    def previewed(self) -> Callable[[Fix], bool]:
        """Whether the preview applies a fix: every one not rejected, nor a suggestion not accepted, nor
        waiting for one of those."""
        return policy(self.decisions, False, self.fixes)

    def first_undecided(self) -> int:
        pending = self.undecided()
        return pending[0] if pending else 0


class ReviewSession:
    def __init__(
        self,
        inputs: list[tuple[Path, Path]],
        rules: RuleSet,
        *,
        decisions_dir: Path | None = None,
        output: Path = Path("out"),
        only_safe: bool = False,
    ) -> None:
        self.rules = rules
        self.decisions_dir = decisions_dir
        self.output = Path(output)
        self.only_safe = only_safe
        self.docs = [self._open(Path(src), Path(rel)) for src, rel in inputs]
        self.undo_stack: list[Step] = []
        pending = [i for i, d in enumerate(self.docs) if d.undecided()]
        self.current = pending[0] if pending else 0

    # -- loading and saving ----------------------------------------------
    def _open(self, source: Path, relative: Path) -> ReviewDoc:
        doc = ReviewDoc(source, relative, decisions_path(source, self.decisions_dir))
        doc.decisions = load_decisions(doc.decisions_file)
        doc.notes = _load_notes(doc.decisions_file)
        try:
            read = read_source(source)
        except RepairError as exc:
            doc.error = str(exc)
            return doc
        doc.text, doc.source_format = read.text, read.format
        self._analyze(doc)
        doc.cursor = doc.first_undecided()
        return doc

    def _analyze(self, doc: ReviewDoc) -> None:
        doc.analysis = analyze_text(doc.text, doc.source.name, self.rules, doc.decisions, doc.source_format)
        doc.fixes = sorted(doc.analysis.fixes, key=lambda f: f.lines)

    def _reanalyze(self, doc: ReviewDoc) -> None:
        """A merge of wrapped lines was rejected or taken back: later rules must see the lines
        as printed (or merged), so the document is analysed again; the cursor stays on its fix."""
        selected = doc.fix.id if doc.fix is not None else None
        self._analyze(doc)
        ids = [f.id for f in doc.fixes]
        doc.cursor = ids.index(selected) if selected in ids else min(doc.cursor, max(0, len(ids) - 1))

    def save(self, doc: ReviewDoc) -> None:
        for fix in doc.fixes:
            if fix.id in doc.decisions:
                doc.notes[fix.id] = _note(fix)
        notes = {k: v for k, v in doc.notes.items() if k in doc.decisions}
        meta = {"input": doc.source.name, "rules_version": self.rules.version, "fixes": notes}
        try:
            save_decisions(doc.decisions_file, doc.decisions, meta)
        except OSError as exc:
            raise SaveError(f"cannot save decisions to {doc.decisions_file}: {exc.strerror or exc}") from None

    # -- selection ----------------------------------------------------------
    @property
    def doc(self) -> ReviewDoc:
        return self.docs[self.current]

    @property
    def fix(self) -> Fix | None:
        return self.doc.fix if self.docs else None

    def open_doc(self, index: int) -> None:
        self.current = max(0, min(index, len(self.docs) - 1))

    def select(self, index: int) -> None:
        fixes = self.doc.fixes
        if fixes:
            self.doc.cursor = max(0, min(index, len(fixes) - 1))

    def move(self, delta: int) -> None:
        self.select(self.doc.cursor + delta)

    def next_undecided(self, forward: bool = True) -> bool:
        """Select the next (or previous) undecided fix: in this document, then in the
        following (preceding) documents, wrapping around. False: none is left."""
        sign = 1 if forward else -1
        doc = self.doc
        here = [i for i in doc.undecided() if (i - doc.cursor) * sign > 0]
        if here:
            doc.cursor = here[0] if forward else here[-1]
            return True
        count = len(self.docs)
        for step in range(1, count + 1):  # the last step is this document again
            index = (self.current + sign * step) % count
            pending = self.docs[index].undecided()
            if pending:
                self.current = index
                self.docs[index].cursor = pending[0] if forward else pending[-1]
                return True
        return False

    def _advance_in_doc(self) -> bool:
        """After deciding: the next undecided fix of this document (wrapping)."""
        doc = self.doc
        pending = doc.undecided()
        if not pending:
            return False
        later = [i for i in pending if i > doc.cursor]
        doc.cursor = later[0] if later else pending[0]
        return True

    # -- decisions ----------------------------------------------------------
    def decide(self, value: Decision, advance: bool = False) -> bool:
        """Decide the selected fix. With advance, go on to the next undecided fix;
        returns False when this document has none left."""
        fix = self.fix
        if fix is None:
            return False
        self._record(f"{value or 'clear'} {fix.rule}", [(self.current, fix, value)])
        return self._advance_in_doc() if advance else True

    def toggle(self) -> None:
        fix = self.fix
        if fix is not None:
            self.decide(REJECT if self.doc.decision(fix) == ACCEPT else ACCEPT)

    def decide_remaining(self, value: str) -> int:
        """Decide every undecided fix of this document."""
        doc = self.doc
        targets = [(self.current, doc.fixes[i], value) for i in doc.undecided()]
        self._record(f"{value} remaining", targets)
        return len(targets)

    def safe_pending(self) -> list[tuple[int, Fix]]:
        return [(n, f) for n, d in enumerate(self.docs) for f in d.fixes if f.safe and f.id not in d.decisions]

    def accept_all_safe(self) -> int:
        targets = [(n, f, ACCEPT) for n, f in self.safe_pending()]
        self._record("accept safe everywhere", targets)
        return len(targets)

    def decide_rule(self, rule: str, value: str, everywhere: bool = False, only_undecided: bool = True) -> int:
        """Decide the fixes of one rule in this document (or every document)."""
        docs = range(len(self.docs)) if everywhere else [self.current]
        targets = [
            (n, f, value)
            for n in docs
            for f in self.docs[n].fixes
            if f.rule == rule and not (only_undecided and f.id in self.docs[n].decisions)
        ]
        self._record(f"{value} {rule}", targets)
        return len(targets)

    def rules_in_doc(self) -> list[tuple[str, int, int]]:
        """(rule, fixes, undecided) for the rules with fixes in this document."""
        seen: dict[str, list[int]] = {}
        for fix in self.doc.fixes:
            counts = seen.setdefault(fix.rule, [0, 0])
            counts[0] += 1
            counts[1] += fix.id not in self.doc.decisions
        return [(rule, c[0], c[1]) for rule, c in seen.items()]

    def _record(self, label: str, targets: list[tuple[int, Fix, Decision]]) -> None:
        changes = [
            Change(n, fix.id, self.docs[n].decisions.get(fix.id), value)
            for n, fix, value in targets
            if self.docs[n].decisions.get(fix.id) != value
        ]
        if not changes:
            return
        self.undo_stack.append(Step(label, changes, self.current, self.doc.cursor))
        self._apply(changes, undo=False)

    def undo(self) -> Step | None:
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        self.current = step.doc
        self.docs[step.doc].cursor = step.cursor
        self._apply(list(reversed(step.changes)), undo=True)
        return step

    def _apply(self, changes: list[Change], undo: bool) -> None:
        touched: list[int] = []
        merges = {n: {f.id for f in self.docs[n].fixes if f.kind == MERGE} for n in {c.doc for c in changes}}
        # the analysis depends only on which merges are rejected (accepting one changes nothing)
        merges_changed = {c.doc for c in changes if c.fix_id in merges[c.doc] and (c.old == REJECT) != (c.new == REJECT)}
        for change in changes:
            value = change.old if undo else change.new
            decisions = self.docs[change.doc].decisions
            if value is None:
                decisions.pop(change.fix_id, None)
            else:
                decisions[change.fix_id] = value
            if change.doc not in touched:
                touched.append(change.doc)
        for n in merges_changed:
            self._reanalyze(self.docs[n])
        errors = []
        for n in touched:
            try:
                self.save(self.docs[n])
            except SaveError as exc:
                errors.append(str(exc))
        if errors:
            raise SaveError("; ".join(errors))

    # -- results --------------------------------------------------------------
    def result(self, doc: ReviewDoc | None = None) -> DocumentResult | None:
        doc = doc or self.doc
        if doc.analysis is None:
            return None
        return build(doc.analysis, self.rules, dict(doc.decisions), self.only_safe)

    def preview(self, doc: ReviewDoc | None = None) -> View | None:
        """The document with every fix not rejected applied (and not waiting for a rejected one it
        requires): what the page view marks up."""
        doc = doc or self.doc
        if doc.analysis is None:
            return None
        view, _ = replay(doc.analysis.doc, doc.fixes, self.rules, doc.previewed())
        return view

    def write(self, doc: ReviewDoc | None = None) -> Outcome:
        """Write the document's Markdown and report as `repair fix` would."""
        doc = doc or self.doc
        options = Options(only_safe=self.only_safe, decisions_dir=self.decisions_dir)
        return process_file(doc.source, doc.relative, self.output, self.rules, options)


def _note(fix: Fix) -> dict[str, Any]:
    before = fix.before if len(fix.before) <= 60 else fix.before[:59] + "…"
    return {"rule": fix.rule, "kind": fix.kind, "lines": list(fix.lines), "message": fix.message, "before": before}


def _load_notes(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    notes = data.get("fixes") if isinstance(data, dict) else None
    return {k: v for k, v in notes.items() if isinstance(v, dict)} if isinstance(notes, dict) else {}
