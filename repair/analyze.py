"""Rules propose fixes. Each rule's detector sees the document with every earlier
proposal applied, as the default policy would apply it: not the suggestions (nor what requires
them), and not the merges of wrapped lines an editor rejected: later rules then see those lines
as printed and propose their fixes for them (a fix made for a merged paragraph would act on its
first line alone)."""

from __future__ import annotations

from dataclasses import dataclass

from .decisions import REJECT, policy
from .detectors import DETECTORS
from .model import MERGE, Document, Fix, IdNumbering
from .rules import RuleSet
from .view import View


@dataclass
class Analysis:
    doc: Document
    fixes: list[Fix]
    view: View | None  # the state with every fix applied but `held_back` (None for an analysis made by hand)
    # ids of the fixes the view holds back: the merges an editor rejected, applied as rejected, and
    # the suggestions (applied only when accepted) with the fixes that require them
    held_back: frozenset[str] = frozenset()


def analyze(doc: Document, rules: RuleSet, rejected: frozenset[str] = frozenset()) -> Analysis:
    """`rejected`: ids of fixes an editor rejected (only merges are held back here)."""
    view = View.of(doc)
    fixes: list[Fix] = []
    held_back: set[str] = set()
    # the default policy, but for the rejected merges: the only decisions the view takes now
    held_merges: dict[str, str] = {}
    applies = policy(held_merges, fixes=fixes)
    unique = IdNumbering()
    for rule in rules:
        for fix in DETECTORS[rule.detector](rule, view):
            fix = unique(fix)
            fixes.append(fix)
            if fix.kind == MERGE and fix.id in rejected:
                held_merges[fix.id] = REJECT
            if not applies(fix):
                held_back.add(fix.id)
            view.apply(fix, rules, accepted=fix.id not in held_back)
    return Analysis(doc=doc, fixes=fixes, view=view, held_back=frozenset(held_back))
