"""Plain data passed between the pipeline stages.

read bytes -> text -> blocks -> rules propose fixes -> reorder -> apply decisions -> render.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

# Block kinds. A block starts as "paragraph" (or "blank" when the line holds only
# whitespace); fixes relabel it.
PARAGRAPH = "paragraph"
BLANK = "blank"
HEADING = "heading"
ITEM = "item"  # a list item: printed with its marker, consecutive items as one list
TITLE = "title"
KICKER = "kicker"
SUBTITLE = "subtitle"
BYLINE = "byline"
CAPTION = "caption"
CREDIT = "credit"
FIGURE_TITLE = "figure-title"
BOILERPLATE = "boilerplate"

BODY_KINDS = frozenset({PARAGRAPH, HEADING, ITEM})
FIGURE_KINDS = frozenset({CAPTION, CREDIT, FIGURE_TITLE})
HEADER_KINDS = frozenset({TITLE, KICKER, SUBTITLE})

# Fix kinds.
EDIT = "edit"  # rewrite a block's text (replayed from the rule at apply time)
DROP = "drop"  # remove a block; its full text goes to the report
RELABEL = "relabel"  # change a block's kind (optionally strip a prefix)
META = "meta"  # a byline/metadata block becomes front matter
SPLIT = "split"  # a block holds two things; rejecting glues the pieces back
JOIN = "join"  # two blocks are halves of one paragraph
MERGE = "merge"  # consecutive lines wrapped at a fixed width are one block
MOVE = "move"  # a block goes elsewhere (possibly to another article)
ARTICLE = "article"  # a new article starts at this block

SAFE = "safe"
REVIEW = "review"
# shown with its evidence, applied only when an editor accepts it (the evidence is too weak to act on unseen)
SUGGEST = "suggest"
SAFETIES = (SAFE, REVIEW, SUGGEST)
SAFETY_WIDTH = max(map(len, SAFETIES))  # the safety column of `repair check`, `repair rules list` and the review


@dataclass(frozen=True)
class Block:
    """One unit of source text: a line, or a piece of a line after a split fix.

    `key` orders blocks in source order and identifies them: (line_index, piece).
    """

    key: tuple[int, int]
    text: str
    line: int  # 1-based source line
    gap_before: int = 0  # empty lines between this block and the previous one (lines of spaces are not counted)
    kind: str = PARAGRAPH
    sep_before: str = ""  # text between the previous piece and this one (split pieces)
    last_line: int = 0  # the last source line of a block made of several wrapped lines (0: `line`)

    @property
    def lines(self) -> range:
        """The source lines the block holds."""
        return range(self.line, max(self.line, self.last_line) + 1)

    @property
    def id(self) -> str:
        line, piece = self.key
        return f"L{line}" if piece == 0 else f"L{line}.{piece}"


@dataclass(frozen=True)
class Fix:
    """A proposed change with its evidence. Decisions refer to `id`."""

    id: str
    rule: str
    kind: str
    blocks: tuple[tuple[int, int], ...]
    lines: tuple[int, int]
    before: str
    after: str
    safety: str
    confidence: float
    message: str
    why: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    # ids of fixes this one was made on the assumption of (a credit that goes with its moved
    # caption): by default it applies only where they do
    requires: tuple[str, ...] = ()

    @property
    def safe(self) -> bool:
        return self.safety == SAFE

    @property
    def by_default(self) -> bool:
        """Applied when no editor decided (a suggestion waits for one)."""
        return self.safety != SUGGEST

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "kind": self.kind,
            "blocks": [list(b) for b in self.blocks],
            "lines": list(self.lines),
            "before": self.before,
            "after": self.after,
            "safety": self.safety,
            "confidence": round(self.confidence, 3),
            "message": self.message,
            "why": self.why,
            "params": self.params,
            "evidence": self.evidence,
            **({"requires": list(self.requires)} if self.requires else {}),
        }


def stable_id(rule: str, *payload: str) -> str:
    """An id from the rule and the source text a fix touches, so it survives re-analysis."""
    h = hashlib.sha1(rule.encode())
    for part in payload:
        h.update(b"\x00")
        h.update(part.encode())
    return h.hexdigest()[:12]


class IdNumbering:
    """Identical text can occur twice (two blank lines, a repeated credit): repeats of an id are
    numbered. A detector whose fixes require others of its own numbers them itself first, so the
    ids it refers to are final (numbering them again changes nothing: each is unique by then)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, fix: Fix) -> Fix:
        count = self._seen.get(fix.id, 0)
        self._seen[fix.id] = count + 1
        if count == 0:
            return fix
        return replace(fix, id=stable_id(fix.rule, fix.id, str(count)))


@dataclass
class Document:
    """A source document split into blocks; the unit rules analyse."""

    name: str
    text: str
    blocks: list[Block]
    # what the text was read from: "text", or "html" (the page's text as reading.py extracts it)
    source_format: str = "text"

    def block(self, key: tuple[int, int]) -> Block:
        return self._index()[key]

    def _index(self) -> dict[tuple[int, int], Block]:
        cache = self.__dict__.get("_by_key")
        if cache is None or len(cache) != len(self.blocks):
            cache = {b.key: b for b in self.blocks}
            self.__dict__["_by_key"] = cache
        return cache


@dataclass(frozen=True)
class BodyItem:
    kind: str  # "paragraph" | "heading" | "item"
    text: str
    lines: tuple[int, ...]  # source lines it came from


@dataclass
class ArticleResult:
    name: str
    title: str | None
    meta: dict[str, Any]
    body: list[BodyItem]
    figures: list[BodyItem]
    markdown: str = ""


@dataclass
class DocumentResult:
    name: str
    articles: list[ArticleResult]
    fixes: list[Fix]
    applied: list[Fix]
    decisions: dict[str, str]
    stale_decisions: list[str] = field(default_factory=list)
