"""One document through every stage. The CLI, the batch runner and the TUI call this."""

from __future__ import annotations

from pathlib import Path

from .analyze import Analysis, analyze
from .arrange import arrange, replay
from .blocks import make_document
from .decisions import REJECT, policy
from .model import ArticleResult, DocumentResult
from .render import render
from .rules import RuleSet, load_rules

_DEFAULT_RULES: RuleSet | None = None


def default_rules() -> RuleSet:
    global _DEFAULT_RULES
    if _DEFAULT_RULES is None:
        _DEFAULT_RULES = load_rules()
    return _DEFAULT_RULES


def analyze_text(
    text: str,
    name: str = "document",
    rules: RuleSet | None = None,
    decisions: dict[str, str] | None = None,
    source_format: str = "text",
) -> Analysis:
    """With `decisions`, the rejected merges of wrapped lines are held back, so that later rules
    see those lines as printed. `source_format`: "html" for a web page's extracted text."""
    return analyze(make_document(text, name, source_format), rules or default_rules(), rejected_ids(decisions))


def rejected_ids(decisions: dict[str, str] | None) -> frozenset[str]:
    return frozenset(k for k, v in (decisions or {}).items() if v == REJECT)


def article_names(stem: str, count: int) -> list[str]:
    """One article keeps the input's stem; a page of several gets -01, -02, ..."""
    if count == 1:
        return [stem]
    return [f"{stem}-{n:02d}" for n in range(1, count + 1)]


def build(analysis: Analysis, rules: RuleSet, decisions: dict[str, str] | None = None, only_safe: bool = False) -> DocumentResult:
    decisions = decisions or {}
    accept = policy(decisions, only_safe, analysis.fixes)
    held_back = analysis.held_back
    if analysis.view is not None and all(accept(f) == (f.id not in held_back) for f in analysis.fixes):
        # the analysis applied the fixes, in this order, as the decisions do: replaying them would
        # make the same view again (arranging only reads it). (A hand-made analysis may have no view.)
        view, applied = analysis.view, [f for f in analysis.fixes if f.id not in held_back]
    else:
        view, applied = replay(analysis.doc, analysis.fixes, rules, accept)
    drafts = arrange(view)
    names = article_names(Path(analysis.doc.name).stem, len(drafts))
    articles = [
        ArticleResult(
            name=name,
            title=d.header.get("title"),
            meta={**d.header, **d.meta},
            body=d.body,
            figures=d.figures,
            markdown=render(d),
        )
        for name, d in zip(names, drafts)
    ]
    ids = {f.id for f in analysis.fixes}
    return DocumentResult(
        name=analysis.doc.name,
        articles=articles,
        fixes=analysis.fixes,
        applied=applied,
        decisions={k: v for k, v in decisions.items() if k in ids},
        stale_decisions=sorted(k for k in decisions if k not in ids),
    )


def repair_text(
    text: str,
    name: str = "document",
    *,
    rules: RuleSet | None = None,
    decisions: dict[str, str] | None = None,
    only_safe: bool = False,
) -> DocumentResult:
    rules = rules or default_rules()
    return build(analyze_text(text, name, rules, decisions), rules, decisions, only_safe)
