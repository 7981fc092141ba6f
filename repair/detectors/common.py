"""Helpers detectors share to build fixes."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..model import META, Fix, stable_id
from ..rules import Rule
from ..script import convert
from ..view import Item


def make_fix(
    rule: Rule,
    kind: str,
    items: list[Item],
    *,
    before: str | None = None,
    after: str = "",
    params: dict[str, Any] | None = None,
    evidence: dict[str, Any] | None = None,
    message: str | None = None,
    confidence: float | None = None,
    salt: str = "",
    requires: tuple[str, ...] = (),
    safety: str | None = None,
) -> Fix:
    lines = [line for it in items for line in (it.line, it.block.lines[-1])]
    return Fix(
        id=stable_id(rule.id, kind, salt, *(it.block.text for it in items)),
        rule=rule.id,
        kind=kind,
        blocks=tuple(it.key for it in items),
        lines=(min(lines), max(lines)),
        before=before if before is not None else "\n".join(it.text for it in items),
        after=after,
        safety=safety or rule.safety,
        confidence=rule.confidence if confidence is None else confidence,
        message=message or rule.message,
        why=rule.why,
        params=params or {},
        evidence=evidence or {},
        requires=requires,
    )


def meta_fix(rule: Rule, item: Item, fields: dict[str, Any], evidence: dict[str, Any], **params: Any) -> Fix:
    """Move a line to the front matter as `fields`; the fix shows them as `key: value; …`."""
    after = "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in fields.items())
    return make_fix(rule, META, [item], before=item.text, after=after, params={"fields": fields, **params}, evidence=evidence)


@lru_cache(maxsize=4096)
def compiled(pattern: str):
    """Rule-file patterns compiled once (the regex module's own cache costs more per call)."""
    import regex as re

    return re.compile(pattern)


@lru_cache(maxsize=1024)
def either_script(pattern: str):
    """A pattern from a rule file, matching in either script: word lists are written
    once, and the document may be in Traditional script or converted to either."""
    variants = [pattern]
    for config in ("t2s", "s2t"):
        other = convert(pattern, config)
        if other not in variants:
            variants.append(other)
    return compiled("|".join(f"(?:{v})" for v in variants) if len(variants) > 1 else pattern)


def compile_all(patterns: list[str]):
    return [compiled(p) for p in patterns]


def starts_like(rule, name: str, text: str) -> bool:
    """Whether one of the rule's patterns listed under param `name` matches at the start of text."""
    patterns = tuple(rule.param(name, []))
    either = _either(patterns)
    if either is not None:
        return either.match(text) is not None
    return any(compiled(p).match(text) for p in patterns)


def starts_like_any(rule, names: tuple[str, ...], text: str) -> bool:
    """Whether a pattern of any of the rule's lists named `names` matches at the start of text."""
    return any(starts_like(rule, name, text) for name in names)


def first_searcher(patterns: list[str]):
    """A function giving the first of the patterns (in list order) that finds a match in a text,
    or None. Where the patterns can be joined, one search of the joined pattern rules out
    most texts at once."""
    each = compile_all(patterns)
    either = _either(tuple(patterns))

    def first(text: str):
        if either is not None and either.search(text) is None:
            return None
        return next((p for p in each if p.search(text)), None)

    return first


@lru_cache(maxsize=1024)
def _either(patterns: tuple[str, ...]):
    """One pattern that matches where any of them does (one regex call instead of one each), or
    None where joining could change a meaning: a group (a back-reference counts them) or a flag
    (an inline flag would spread to the others)."""
    plain = compiled("").flags
    if not patterns or any(compiled(p).groups or compiled(p).flags != plain for p in patterns):
        return None
    return compiled("|".join(f"(?:{p})" for p in patterns))
