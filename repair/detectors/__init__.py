"""The kinds of detection the engine knows. Rule files pick one and configure it.

A detector is `detect(rule, view) -> list[Fix]`. Edit detectors also register a
`transform(rule, text, params) -> text` so accepted edits can be replayed.
"""

from __future__ import annotations

from typing import Any, Callable

from ..model import Fix
from ..rules import Rule, RuleTest
from ..view import View

Detector = Callable[[Rule, View], list[Fix]]
Transform = Callable[[Rule, str, dict[str, Any]], str]

DETECTORS: dict[str, Detector] = {}
TRANSFORMS: dict[str, Transform] = {}


def detector(name: str):
    def register(fn: Detector) -> Detector:
        DETECTORS[name] = fn
        return fn

    return register


def transformer(name: str):
    def register(fn: Transform) -> Transform:
        TRANSFORMS[name] = fn
        return fn

    return register


def transform(rule: Rule, text: str, params: dict[str, Any]) -> str:
    key = (rule.id, repr(params), text)
    known = _recent.get(key)
    if known is not None and known[0] is rule:
        return known[1]
    result = TRANSFORMS[rule.detector](rule, text, params)
    global _recent_chars
    if _recent_chars > _RECENT_CHARS:
        _recent.clear()
        _recent_chars = 0
    _recent[key] = (rule, result)
    _recent_chars += len(text) + len(result)
    return result


# An edit's transform runs three times with the same arguments: when the rule proposes it,
# when the analysis applies it for the later rules, and when the build replays it. Transforms
# are pure functions of (rule, text, params), so the results for the latest texts are kept
# (the rule is kept too, and compared by identity: two rule sets may share an id).
_RECENT_CHARS = 4_000_000
_recent: dict[tuple[str, str, str], tuple[Rule, str]] = {}
_recent_chars = 0


def run_single_rule(rule: Rule, test: RuleTest) -> tuple[bool, str]:
    from .testing import check

    return check(rule, test)


# Registration happens on import.
from . import articles, classify, cohesion, duplicates, joins, text, web  # noqa: E402,F401
