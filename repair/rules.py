"""Rule files: one TOML file per rule in `rules/`. Loading, validation and embedded tests.

A rule configures one detector (the kinds of detection the engine knows, in
`repair.detectors`). Everything tunable -- patterns, word lists, thresholds --
is in the rule's `[params]`, and every rule carries examples that must fire and
look-alikes that must not (`[[tests]]`).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

from .errors import RuleError
from .model import SAFETIES

REQUIRED = ("id", "detector", "message", "why", "safety")


@dataclass(frozen=True)
class RuleTest:
    input: str
    fires: bool = True
    expect: Any = None
    target: str | None = None
    expect_meta: dict[str, Any] | None = None
    expect_text: str | None = None  # the fix's result text (a relabel's, once it took a prefix off)
    with_rules: tuple[str, ...] = ()  # rules this example needs run first (structure rules)


@dataclass(frozen=True)
class Rule:
    id: str
    detector: str
    message: str
    why: str
    safety: str
    confidence: float
    order: int
    params: dict[str, Any]
    tests: tuple[RuleTest, ...]
    path: Path | None = None
    enabled: bool = True
    shared_from: dict[str, str] = field(default_factory=dict)  # setting -> the rule it is read from

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass
class RuleSet:
    rules: list[Rule]
    version: str = ""
    by_id: dict[str, Rule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rules.sort(key=lambda r: (r.order, r.id))
        self.by_id = {r.id: r for r in self.rules}

    def __iter__(self):
        return iter(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return self.by_id.get(rule_id)


def default_rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "_rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError(f"no rules folder found next to {here}")


ParamsOf = Callable[[str], dict[str, Any]]  # rule id -> that rule's settings


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    """A rule file's bytes and parsed TOML."""
    try:
        raw = path.read_bytes()
        return raw, tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path.name}: cannot read rule file: {exc}") from None


def _params_on_disk(folder: Path) -> ParamsOf:
    """The settings of rules read from their files in `folder` (each file once)."""

    @cache
    def params_of(rule_id: str) -> dict[str, Any]:
        return _read(folder / f"{rule_id}.toml")[1].get("params", {})

    return params_of


def load_rule(path: Path) -> Rule:
    """One rule file; settings it shares with other rules are read from their files beside it."""
    return _build(path, _read(path)[1], _params_on_disk(path.parent))


def _build(path: Path, data: dict[str, Any], params_of: ParamsOf) -> Rule:
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise RuleError(f"{path.name}: missing {', '.join(missing)}")
    if data["safety"] not in SAFETIES:
        raise RuleError(f"{path.name}: safety must be one of {SAFETIES}, not {data['safety']!r}")
    if data["id"] != path.stem:
        raise RuleError(f"{path.name}: id {data['id']!r} must match the file name")
    tests = []
    for raw in data.get("tests", []):
        if "input" not in raw:
            raise RuleError(f"{path.name}: every [[tests]] entry needs an input")
        tests.append(
            RuleTest(
                input=raw["input"],
                fires=raw.get("fires", True),
                expect=raw.get("expect"),
                target=raw.get("target"),
                expect_meta=raw.get("expect_meta"),
                expect_text=raw.get("expect_text"),
                with_rules=tuple(raw.get("with", ())),
            )
        )
    params, shared_from = _resolve_shared(path, data.get("params", {}), params_of)
    # a setting naming the safety of some of a rule's fixes (lone_stray_safety) takes the same values
    for name, value in params.items():
        if name.endswith("_safety") and value not in SAFETIES:
            raise RuleError(f"{path.name}: {name} must be one of {SAFETIES}, not {value!r}")
    return Rule(
        id=data["id"],
        detector=data["detector"],
        message=data["message"],
        why=data["why"],
        safety=data["safety"],
        confidence=float(data.get("confidence", 0.9)),
        order=int(data.get("order", 100)),
        params=params,
        tests=tuple(tests),
        path=path,
        shared_from=shared_from,
        enabled=bool(data.get("enabled", True)),
    )


def _shared_source(value: Any) -> str | None:
    """The rule a setting written `{ same_as = "other-rule" }` is read from, else None."""
    return value["same_as"] if isinstance(value, dict) and set(value) == {"same_as"} else None


def _resolve_shared(path: Path, params: dict[str, Any], params_of: ParamsOf) -> tuple[dict[str, Any], dict[str, str]]:
    """A setting written `name = { same_as = "other-rule" }` is that rule's setting of the same
    name: two rules that must agree keep one copy.
    Returns the settings with those filled in, and which rule each shared one came from."""
    resolved = dict(params)
    shared_from = {name: rule for name, value in params.items() if (rule := _shared_source(value))}
    for name, rule_id in shared_from.items():
        source = f"{rule_id}.toml"
        try:
            other = params_of(rule_id)
        except RuleError as exc:
            raise RuleError(f"{path.name}: {name} is the same as in {source}, which cannot be read: {exc}") from None
        if name not in other:
            raise RuleError(f"{path.name}: {name} is the same as in {source}, which has no {name}")
        if _shared_source(other[name]):
            raise RuleError(f"{path.name}: {name} refers to {source}, which refers on; point to the rule that holds it")
        resolved[name] = other[name]
    return resolved, shared_from


def load_rules(directory: Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> RuleSet:
    """Load every `*.toml` in the folder. `overrides` maps rule id -> params to replace; a
    setting another rule shares follows its override there too (unless that rule's own
    setting is overridden), so the two never disagree."""
    from .detectors import DETECTORS

    directory = directory or default_rules_dir()
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise RuleError(f"no rule files in {directory}")
    overrides = overrides or {}
    digest = hashlib.sha1()
    files: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in paths:
        raw, data = _read(path)
        digest.update(path.name.encode())
        digest.update(raw)
        data["params"] = {**data.get("params", {}), **overrides.get(path.stem, {})}
        files[path.stem] = (path, data)

    def params_of(rule_id: str) -> dict[str, Any]:
        if rule_id not in files:
            raise RuleError(f"no {rule_id}.toml in {directory}")
        return files[rule_id][1]["params"]

    loaded = []
    for path, data in files.values():
        rule = _build(path, data, params_of)
        if rule.detector not in DETECTORS:
            raise RuleError(f"{path.name}: unknown detector {rule.detector!r}")
        loaded.append(rule)
    return RuleSet(rules=[r for r in loaded if r.enabled], version=digest.hexdigest()[:12])


@dataclass
class TestOutcome:
    rule: str
    index: int
    ok: bool
    detail: str


def run_rule_tests(rule: Rule) -> list[TestOutcome]:
    """Run a rule's embedded examples; a rule lacking a firing and a non-firing example fails."""
    from .detectors import run_single_rule

    outcomes: list[TestOutcome] = []
    if not any(t.fires for t in rule.tests) or not any(not t.fires for t in rule.tests):
        outcomes.append(TestOutcome(rule.id, -1, False, "needs at least one firing and one non-firing test"))
    for i, test in enumerate(rule.tests):
        try:
            ok, detail = run_single_rule(rule, test)
        except Exception as exc:  # a broken rule must be reported, not crash the runner
            ok, detail = False, f"error: {type(exc).__name__}: {exc}"
        outcomes.append(TestOutcome(rule.id, i, ok, detail))
    return outcomes
