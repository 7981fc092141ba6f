"""The review session model, without Textual: decisions, saving, undo, resume."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import seed, wrapped_text
from repair.decisions import ACCEPT, REJECT, load_decisions
from repair.jobs import Options, iter_inputs, process_file
from tui.state import ReviewSession, SaveError


def copy_seeds(tmp_path: Path, *prefixes: str) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    return [Path(shutil.copy(seed(p), folder)) for p in prefixes]


def open_session(paths: list[Path], rules, **kw) -> ReviewSession:
    return ReviewSession(iter_inputs(paths), rules, **kw)


def saved(path: Path) -> dict[str, str]:
    return load_decisions(path.with_name(path.name + ".decisions.json"))


def test_decisions_are_saved_at_once_and_cursor_advances(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    session = open_session([src], rules)
    doc = session.doc
    assert doc.fixes and doc.cursor == 0
    first, second = doc.fixes[0], doc.fixes[1]
    assert session.decide(REJECT, advance=True)
    assert saved(src) == {first.id: REJECT}
    assert session.fix is second
    session.decide(ACCEPT, advance=True)
    assert saved(src) == {first.id: REJECT, second.id: ACCEPT}


def test_fixes_are_listed_in_page_order(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    lines = [f.lines for f in open_session([src], rules).doc.fixes]
    assert lines == sorted(lines)


def test_toggle_and_undo(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    session = open_session([src], rules)
    fix = session.fix
    session.toggle()
    assert session.doc.decision(fix) == ACCEPT
    session.toggle()
    assert session.doc.decision(fix) == REJECT
    assert saved(src) == {fix.id: REJECT}
    session.undo()
    assert saved(src) == {fix.id: ACCEPT}
    session.undo()
    assert saved(src) == {}
    assert session.undo() is None


def test_undo_returns_to_where_the_decision_was_made(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    session = open_session([src], rules)
    session.select(3)
    session.decide(ACCEPT, advance=True)
    session.move(5)
    step = session.undo()
    assert step is not None and session.doc.cursor == 3
    assert session.doc.decision(session.fix) is None


def test_bulk_actions_are_one_undo_step(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    session = open_session([src], rules)
    session.decide(REJECT)
    count = session.decide_remaining(ACCEPT)
    assert count == len(session.doc.fixes) - 1
    assert not session.doc.undecided()
    assert list(saved(src).values()).count(REJECT) == 1
    session.undo()
    assert saved(src) == {session.doc.fixes[0].id: REJECT}


def test_accept_all_safe_touches_every_document(tmp_path, rules):
    a, b = copy_seeds(tmp_path, "000", "002")
    session = open_session([tmp_path / "in"], rules)
    assert [d.source.name for d in session.docs] == [a.name, b.name]
    pending = session.safe_pending()
    assert session.accept_all_safe() == len(pending) > 0
    for doc in session.docs:
        assert all(doc.decision(f) == ACCEPT for f in doc.fixes if f.safe)
        assert all(doc.decision(f) is None for f in doc.fixes if not f.safe)
    session.undo()
    assert saved(a) == {} and saved(b) == {}


def test_decide_rule_here_or_everywhere(tmp_path, rules):
    copy_seeds(tmp_path, "000", "002")
    session = open_session([tmp_path / "in"], rules)
    rule = "half-width-punctuation"
    here = session.decide_rule(rule, REJECT)
    assert here == sum(f.rule == rule for f in session.doc.fixes)
    other = session.docs[1 - session.current]
    assert not any(other.decision(f) for f in other.fixes)
    session.decide_rule(rule, REJECT, everywhere=True)
    assert all(other.decision(f) == REJECT for f in other.fixes if f.rule == rule)


def test_next_undecided_crosses_documents_and_wraps(tmp_path, rules):
    copy_seeds(tmp_path, "000", "002")
    session = open_session([tmp_path / "in"], rules)
    first = session.docs[0]
    session.select(len(first.fixes) - 1)
    assert session.next_undecided()
    assert session.current == 1 and session.doc.cursor == 0
    assert session.next_undecided(forward=False)
    assert session.current == 0 and session.doc.cursor == len(first.fixes) - 1
    for doc in session.docs:
        session.open_doc(session.docs.index(doc))
        session.decide_remaining(ACCEPT)
    assert not session.next_undecided()


def test_reopening_resumes_at_first_undecided(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    session = open_session([src], rules)
    session.decide(ACCEPT, advance=True)
    session.decide(REJECT, advance=True)
    again = open_session([src], rules)
    assert again.doc.cursor == 2
    assert again.doc.decision(again.doc.fixes[0]) == ACCEPT
    assert again.doc.decision(again.doc.fixes[1]) == REJECT


def test_stale_decisions_are_kept_and_described(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    file = src.with_name(src.name + ".decisions.json")
    note = {"rule": "old-rule", "lines": [9, 9], "before": "旧文本"}
    file.write_text(json.dumps({"decisions": {"deadbeef0000": "reject"}, "fixes": {"deadbeef0000": note}}))
    session = open_session([src], rules)
    assert session.doc.stale() == ["deadbeef0000"]
    assert session.doc.describe_stale() == ["L9 old-rule: 旧文本 (rejected) [deadbeef0000]"]
    session.decide(ACCEPT)
    data = json.loads(file.read_text())
    assert data["decisions"]["deadbeef0000"] == "reject"
    assert data["fixes"]["deadbeef0000"] == note
    assert data["fixes"][session.fix.id]["rule"] == session.fix.rule


def test_decisions_folder(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    folder = tmp_path / "decisions"
    session = open_session([src], rules, decisions_dir=folder)
    session.decide(REJECT)
    assert load_decisions(folder / (src.name + ".decisions.json")) == {session.fix.id: REJECT}
    assert not src.with_name(src.name + ".decisions.json").exists()


def test_save_failure_is_reported_and_kept_in_memory(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    session = open_session([src], rules, decisions_dir=blocker)
    with pytest.raises(SaveError):
        session.decide(REJECT)
    assert session.doc.decision(session.fix) == REJECT


def test_unreadable_document_is_listed_not_fatal(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    bad = tmp_path / "in" / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02\xff" * 50)
    session = open_session([tmp_path / "in"], rules)
    broken = next(d for d in session.docs if d.source == bad)
    assert broken.error and not broken.fixes and broken.fix is None
    assert session.doc.source == src  # opens on the document with work to do


def test_result_and_write_follow_decisions_like_repair_fix(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    session = open_session([src], rules, output=tmp_path / "out")
    before = "".join(a.markdown for a in session.result().articles)
    session.decide(REJECT)
    after = "".join(a.markdown for a in session.result().articles)
    assert before != after
    outcome = session.write()
    assert outcome.error is None and outcome.outputs
    written = "".join(p.read_text(encoding="utf-8") for p in outcome.outputs)
    assert written == after
    cli = process_file(src, Path(src.stem), None, rules, Options(write=False))
    assert "".join(a.markdown for a in cli.result.articles) == after


def test_preview_drops_rejected_fixes(tmp_path, rules):
    (src,) = copy_seeds(tmp_path, "002")
    session = open_session([src], rules)
    fix = session.fix
    key = fix.blocks[0]
    changed = session.preview().get(key)
    session.decide(REJECT)
    restored = session.preview().get(key)
    assert (changed.text, changed.kind) != (restored.text, restored.kind)
    assert restored.text == restored.block.text


def test_core_never_imports_textual():
    import subprocess
    import sys

    code = (
        "import pkgutil, importlib, sys, repair\n"
        "for m in pkgutil.walk_packages(repair.__path__, 'repair.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        try: importlib.import_module(m.name)\n"
        "        except ImportError: pass  # optional extras (cluster engines)\n"
        "import tui.state, tui.markup\n"
        "assert not [n for n in sys.modules if n.split('.')[0] == 'textual'], 'textual imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr


def test_only_a_rejected_merge_analyses_the_document_again(tmp_path, rules):
    src = tmp_path / "wrapped.txt"
    src.write_text(wrapped_text(), encoding="utf-8")
    session = open_session([src], rules)
    doc = session.doc
    merge = next(n for n, f in enumerate(doc.fixes) if f.rule == "wrapped-lines")
    doc.cursor = merge
    analysed = doc.fixes
    session.decide(ACCEPT)  # the analysis already applies it: nothing to redo
    assert doc.fixes is analysed
    session.decide(REJECT)
    assert doc.fixes is not analysed and [f.id for f in doc.fixes] != [f.id for f in analysed]
