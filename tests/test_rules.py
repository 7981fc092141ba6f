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
        (HEAD + "[params]\nlone_stray_safety = 'maybe'\n", "lone_stray_safety must be one of"),
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


def _other(tmp_path: Path, params: str) -> None:
    (tmp_path / "other.toml").write_text(HEAD.replace('"demo"', '"other"') + "[params]\n" + params, encoding="utf-8")


def test_a_setting_can_be_another_rules_setting(tmp_path: Path) -> None:
    _other(tmp_path, "patterns = ['^x$', '^y$']\n")
    path = _write(tmp_path, HEAD + "[params]\npatterns = { same_as = \"other\" }\nlimit = 3\n")
    rule = load_rule(path)
    assert rule.params == {"patterns": ["^x$", "^y$"], "limit": 3}
    assert rule.shared_from == {"patterns": "other"}


@pytest.mark.parametrize(
    "other, message",
    [
        (None, "cannot be read"),
        ("limit = 3\n", "has no patterns"),
        ("patterns = { same_as = \"third\" }\n", "refers on"),
    ],
)
def test_a_shared_setting_must_be_found_in_one_step(tmp_path: Path, other: str | None, message: str) -> None:
    if other is not None:
        _other(tmp_path, other)
    path = _write(tmp_path, HEAD + "[params]\npatterns = { same_as = \"other\" }\n")
    with pytest.raises(RuleError, match=message):
        load_rule(path)


def test_article_starts_read_headline_shapes_from_the_headline_rule() -> None:
    folder = default_rules_dir()
    headline, start = load_rule(folder / "headline.toml"), load_rule(folder / "article-start.toml")
    for name in ("forbid_end", "forbid", "above_byline_forbid_end", "closing_bylines", "headline_notes"):
        assert start.params[name] == headline.params[name]


def test_a_shared_setting_follows_an_override_of_its_source(tmp_path: Path) -> None:
    for name in ("other", "demo"):
        patterns = "['^x$']" if name == "other" else '{ same_as = "other" }'
        head = HEAD.replace('"demo"', f'"{name}"').replace("share-residue", "pattern-class")
        (tmp_path / f"{name}.toml").write_text(head + f"[params]\npatterns = {patterns}\n", encoding="utf-8")
    rules = load_rules(tmp_path, overrides={"other": {"patterns": ["^y$"]}})
    assert rules.get("demo").params["patterns"] == ["^y$"] == rules.get("other").params["patterns"]
    own = load_rules(tmp_path, overrides={"other": {"patterns": ["^y$"]}, "demo": {"patterns": ["^z$"]}})
    assert own.get("demo").params["patterns"] == ["^z$"]
