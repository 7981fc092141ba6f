"""The JSON report of a repair and the text listing of fixes.

Like ftfy's explanations, the report is replayable: it lists every fix in the
order applied, with the text before and after and the full text of anything
removed, so nothing leaves the output unaccounted for.
"""

from __future__ import annotations

import difflib
from typing import Any

from .model import DROP, EDIT, META, RELABEL, DocumentResult, Fix


def removed_text(fix: Fix) -> str:
    """The characters a fix takes out of the published text."""
    if fix.kind in (DROP, META):
        return fix.before
    if fix.kind == RELABEL and fix.params.get("strip"):
        return fix.params["strip"]
    if fix.kind == EDIT:
        matcher = difflib.SequenceMatcher(a=fix.before, b=fix.after, autojunk=False)
        return "".join(fix.before[i1:i2] for op, i1, i2, _, _ in matcher.get_opcodes() if op in ("delete", "replace"))
    return ""


def decision_of(fix: Fix, result: DocumentResult) -> str:
    return {"accept": "accepted", "reject": "rejected"}.get(result.decisions.get(fix.id, ""), "default")


def build_report(
    result: DocumentResult, source: str, rules_version: str, outputs: list[str], text: str | None = None
) -> dict[str, Any]:
    from .accounting import unaccounted

    applied = {f.id for f in result.applied}
    fixes = []
    for fix in result.fixes:
        entry = fix.to_json()
        entry["applied"] = fix.id in applied
        entry["decision"] = decision_of(fix, result)
        if fix.id in applied:
            entry["removed"] = removed_text(fix)
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
        "unaccounted": unaccounted(text, result) if text is not None else None,
    }


def describe(fix: Fix) -> str:
    """One line per fix for `repair check`."""
    lines = f"{fix.lines[0]}" if fix.lines[0] == fix.lines[1] else f"{fix.lines[0]}-{fix.lines[1]}"
    return f"L{lines:<7} {fix.rule:<26} {fix.kind:<8} {fix.safety:<6} {fix.confidence:.2f}  {fix.message}  [{fix.id}]"
