"""Screenshots of the review app at fixed sizes, on a seed with Chinese text.

The rules are pinned copies (tests/snapshots/rules/) so that work on the bundled
rules does not change these pictures. After an intended change of the UI:
`python -m pytest tests/test_tui_snapshots.py --snapshot-update`, then look at
the SVGs before committing them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import seed
from repair.jobs import iter_inputs
from repair.rules import load_rules
from tui.app import ReviewApp
from tui.state import ReviewSession

PINNED_RULES = Path(__file__).parent / "snapshots" / "rules"


@pytest.fixture
def pinned_rules():
    return load_rules(PINNED_RULES)


def app_for(tmp_path: Path, rules, *prefixes: str) -> ReviewApp:
    folder = tmp_path / "in"
    folder.mkdir()
    for prefix in prefixes:
        shutil.copy(seed(prefix), folder)
    inputs = iter_inputs([folder] if len(prefixes) > 1 else list(folder.iterdir()))
    return ReviewApp(ReviewSession(inputs, rules, output=tmp_path / "out"))


def test_document_80x24(snap_compare, tmp_path, pinned_rules):
    assert snap_compare(app_for(tmp_path, pinned_rules, "002"), terminal_size=(80, 24))


def test_document_after_decisions_120x40(snap_compare, tmp_path, pinned_rules):
    app = app_for(tmp_path, pinned_rules, "002")
    assert snap_compare(app, press=["n", "y", "j", "j"], terminal_size=(120, 40))


def test_markdown_view_80x24(snap_compare, tmp_path, pinned_rules):
    app = app_for(tmp_path, pinned_rules, "002")
    assert snap_compare(app, press=["n", "v"], terminal_size=(80, 24))


def test_help_80x24(snap_compare, tmp_path, pinned_rules):
    assert snap_compare(app_for(tmp_path, pinned_rules, "002"), press=["question_mark"], terminal_size=(80, 24))


def test_queue_80x24(snap_compare, tmp_path, pinned_rules):
    assert snap_compare(app_for(tmp_path, pinned_rules, "000", "002", "004"), terminal_size=(80, 24))
