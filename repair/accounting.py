"""Nothing lost: every input character is in the output or removed by a named fix."""

from __future__ import annotations

from collections import Counter

import regex as re

from .model import DocumentResult
from .report import removed_text

_SPACE = re.compile(r"[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]+")


def unaccounted(source: str, result: DocumentResult, removed: list[str] | None = None) -> str:
    """Characters of `source` found neither in the Markdown nor in applied fixes' removals
    (`removed`: what each applied fix removed, when the caller has it already)."""
    if removed is None:
        removed = [removed_text(f) for f in result.applied]
    have = Counter(_SPACE.sub("", "".join(a.markdown for a in result.articles)))
    have.update(_SPACE.sub("", "".join(removed)))
    need = Counter(_SPACE.sub("", source))
    missing = need - have
    return "".join(ch * n for ch, n in sorted(missing.items()))
