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
    return TRANSFORMS[rule.detector](rule, text, params)


def run_single_rule(rule: Rule, test: RuleTest) -> tuple[bool, str]:
    from .testing import check

    return check(rule, test)


# Registration happens on import.
from . import articles, classify, cohesion, duplicates, edition, joins, jumps, text, web, wrapped  # noqa: E402,F401
