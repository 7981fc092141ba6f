"""Run one rule's embedded example on its own: the input is a small document."""

from __future__ import annotations

from ..analyze import analyze
from ..blocks import make_document
from ..model import DROP, EDIT, META, RELABEL, SPLIT
from ..rules import Rule, RuleSet, RuleTest
from ..view import View


def check(rule: Rule, test: RuleTest) -> tuple[bool, str]:
    doc = make_document(test.input, name=f"{rule.id}-test")
    rules = RuleSet(rules=[rule, *_prerequisites(rule, test)])
    result = analyze(doc, rules)
    target = _target(result.view, test.target)
    touching = [
        f for f in result.fixes if f.rule == rule.id and (target is None or any(k[0] == target[0] for k in f.blocks))
    ]
    if not test.fires:
        return (not touching, "did not fire" if not touching else f"fired: {touching[0].before!r} -> {touching[0].after!r}")
    if not touching:
        return False, "expected a fix, none proposed"
    fix = touching[0]
    if test.expect_text is not None and fix.after != test.expect_text:
        return False, f"text {fix.after!r} != {test.expect_text!r}"
    if test.expect is None:
        return True, f"fired ({fix.kind})"
    if fix.kind == EDIT:
        got = " ".join(f.after for f in touching if f.kind == EDIT)
    elif fix.kind == DROP:
        got = "drop"
    elif fix.kind == RELABEL:
        got = fix.params["kind"]
    elif fix.kind == META:
        got = "byline"
        if test.expect_meta is not None and fix.params["fields"] != test.expect_meta:
            return False, f"metadata {fix.params['fields']!r} != {test.expect_meta!r}"
    elif fix.kind == SPLIT:
        raw = doc.block(fix.blocks[0]).text
        got = [raw[a:b] for a, b in fix.params["cuts"]]
    else:
        got = fix.after
    return got == test.expect, f"got {got!r}, expected {test.expect!r}"


def _prerequisites(rule: Rule, test: RuleTest) -> list[Rule]:
    from ..rules import default_rules_dir, load_rule

    folder = rule.path.parent if rule.path else default_rules_dir()
    return [load_rule(folder / f"{rule_id}.toml") for rule_id in test.with_rules]


def _target(view: View, needle: str | None):
    for item in view.items:
        if needle is None and item.text.strip():
            return item.key
        if needle is not None and needle in item.block.text:
            return item.key
    return None
