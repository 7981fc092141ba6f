"""Every rule file's embedded examples, run by pytest as by `repair rules test`."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.errors import RuleError
from repair.rules import default_rules_dir, load_rule, load_rules, run_rule_tests

RULE_FILES = sorted(default_rules_dir().glob("*.toml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_examples(path: Path) -> None:
    rule = load_rule(path)
    failures = [o for o in run_rule_tests(rule) if not o.ok]
    assert not failures, "\n".join(f"example {o.index}: {o.detail}" for o in failures)


def test_rules_load_with_a_version() -> None:
    rules = load_rules()
    assert len(rules.rules) == len(RULE_FILES)
    assert len(rules.version) == 12


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(body, encoding="utf-8")
    return path


HEAD = 'id = "demo"\ndetector = "share-residue"\nmessage = "m"\nwhy = "w"\nsafety = "safe"\n'


def test_rule_without_a_look_alike_fails(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEAD.replace("share-residue", "pattern-class")
        + "[params]\naction='drop'\npatterns=['^x$']\n[[tests]]\ninput='x'\nexpect='drop'\n",
    )
    outcomes = run_rule_tests(load_rule(path))
    assert not all(o.ok for o in outcomes)
    assert any("non-firing" in o.detail for o in outcomes)


def test_wrong_expectation_fails(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEAD.replace("share-residue", "pattern-class")
        + "[params]\naction='drop'\npatterns=['^x$']\n"
        + "[[tests]]\ninput='x'\nexpect='caption'\n[[tests]]\ninput='y'\nfires=false\n",
    )
    assert [o.ok for o in run_rule_tests(load_rule(path))] == [False, True]


@pytest.mark.parametrize(
    "body, message",
    [
        ('id = "demo"\n', "missing"),
        (HEAD.replace('"safe"', '"maybe"'), "safety"),
        (HEAD.replace('id = "demo"', 'id = "other"'), "file name"),
        ("id = [", "cannot read"),
    ],
)
def test_invalid_rule_files_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        load_rule(_write(tmp_path, body))


def test_unknown_detector_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, HEAD.replace("share-residue", "no-such-detector"))
    with pytest.raises(RuleError, match="unknown detector"):
        load_rules(tmp_path)
