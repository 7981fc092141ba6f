"""The JSON report of a repair and the text listing of fixes.

Like ftfy's explanations, the report is replayable: it lists every fix in the
order applied, with the text before and after and the full text of anything
removed, so nothing leaves the output unaccounted for.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from typing import Any

import orjson

from .model import DROP, EDIT, META, RELABEL, SAFETY_WIDTH, DocumentResult, Fix


def removed_text(fix: Fix) -> str:
    """The characters a fix takes out of the published text."""
    if fix.kind in (DROP, META):
        return fix.before
    if fix.kind == RELABEL and fix.params.get("strip"):
        return fix.params["strip"]
    if fix.kind == EDIT:
        return removed_by_edit(fix.before, fix.after)
    return ""


_WHOLE_DIFF = 4000  # characters; difflib is quadratic, so longer edits are counted instead


def removed_by_edit(before: str, after: str) -> str:
    """The characters of `before` an edit took out, in order.

    Short edits get a character diff. A long one (a megabyte-long line) gets the
    multiset difference in linear time: the same characters unless the edit moved
    some, which is what accounting for lost text needs.
    """
    if len(before) + len(after) <= _WHOLE_DIFF:
        swapped = _swapped(before, after)
        if swapped is not None:
            return swapped
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        return "".join(before[i1:i2] for op, i1, i2, _, _ in matcher.get_opcodes() if op in ("delete", "replace"))
    surplus = Counter(before)
    surplus.subtract(after)
    removed = []
    for ch in before:
        if surplus[ch] > 0:
            surplus[ch] -= 1
            removed.append(ch)
    return "".join(removed)


def _swapped(before: str, after: str) -> str | None:
    """The characters of `before` an edit swapped one for one, when that is what the
    character diff finds; None when it might find something else.

    It is when every swapped-out character is absent from `after` and every swapped-in
    one from `before` (`,` -> `，` in a line with no other comma of either width): no
    common substring then holds a swapped position, so any one of them occurs in both
    texts at the same offsets, and the diff, which takes the longest and leftmost,
    matches every unchanged stretch to itself and reports exactly the swapped ones."""
    if len(before) != len(after):
        return None
    changed = [i for i, (old, new) in enumerate(zip(before, after)) if old != new]
    if {before[i] for i in changed}.isdisjoint(after) and {after[i] for i in changed}.isdisjoint(before):
        return "".join(before[i] for i in changed)
    return None


def decision_of(fix: Fix, result: DocumentResult) -> str:
    return {"accept": "accepted", "reject": "rejected"}.get(result.decisions.get(fix.id, ""), "default")


def build_report(
    result: DocumentResult, source: str, rules_version: str, outputs: list[str], text: str | None = None
) -> dict[str, Any]:
    from .accounting import unaccounted

    removed = {f.id: removed_text(f) for f in result.applied}  # diffs are slow: each computed once
    fixes = []
    for fix in result.fixes:
        entry = fix.to_json()
        entry["applied"] = fix.id in removed
        entry["decision"] = decision_of(fix, result)
        if fix.id in removed:
            entry["removed"] = removed[fix.id]
        fixes.append(entry)
    return {
        "input": source,
        "rules_version": rules_version,
        "articles": [
            {"name": a.name, "output": out, "title": a.title, "paragraphs": len(a.body), "figures": len(a.figures)}
            for a, out in zip(result.articles, outputs)
        ],
        "fixes": fixes,
        "stale_decisions": result.stale_decisions,
        "unaccounted": unaccounted(text, result, [removed[f.id] for f in result.applied]) if text is not None else None,
    }


def report_json(report: dict[str, Any]) -> str:
    """The report as indented JSON, laid out as `json.dumps(report, ensure_ascii=False, indent=2)`
    lays it out; orjson writes it several times faster (the standard encoder falls back to Python
    when indenting). The values read back the same; only a float under 1e-4 is spelled otherwise
    (0.00001 for 1e-05; a report rounds its figures). A value orjson does not take (an integer
    beyond 64 bits) goes the standard way."""
    try:
        return orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8") + "\n"
    except TypeError:
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def describe(fix: Fix) -> str:
    """One line per fix for `repair check`."""
    lines = f"{fix.lines[0]}" if fix.lines[0] == fix.lines[1] else f"{fix.lines[0]}-{fix.lines[1]}"
    return f"L{lines:<7} {fix.rule:<26} {fix.kind:<8} {fix.safety:<{SAFETY_WIDTH}} {fix.confidence:.2f}  {fix.message}  [{fix.id}]"


STRUCTURAL = ("join", "merge", "move", "article", "split")


def evidence_line(fix: Fix) -> str:
    """The evidence of a structural fix or a drop, compact, for the text listing."""
    if fix.kind not in STRUCTURAL and fix.kind != DROP:
        return ""
    parts = []
    for key, value in fix.evidence.items():
        if isinstance(value, dict):
            value = weights_text(value)
        parts.append(f"{key}: {value}")
    if fix.requires:
        parts.append(f"requires: {', '.join(fix.requires)}")
    return "; ".join(parts)


def weights_text(cues: dict[str, Any]) -> str:
    """Weighted cues as `open_end +2, backward -1`."""
    return ", ".join(f"{k} {v:+g}" if isinstance(v, (int, float)) else f"{k} {v}" for k, v in cues.items())
