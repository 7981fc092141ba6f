"""The working state of a document while fixes are proposed or applied.

Analysis and application share this one code path: analysis applies each
proposed fix as if accepted so later rules see its effect; application replays
the fixes an editor (or the policy) accepted. Edits are replayed from the rule,
so rejecting one fix never corrupts another.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .model import (
    ARTICLE,
    BLANK,
    BYLINE,
    DROP,
    EDIT,
    JOIN,
    MERGE,
    META,
    MOVE,
    RELABEL,
    SPLIT,
    Block,
    Document,
    Fix,
)

if TYPE_CHECKING:
    from .rules import RuleSet

Key = tuple[int, int]


@dataclass
class Item:
    block: Block
    text: str
    kind: str
    dropped: bool = False
    meta: dict[str, Any] | None = None
    key: Key = field(init=False, repr=False, compare=False)  # the block's, read very often

    def __post_init__(self) -> None:
        self.key = self.block.key

    @property
    def line(self) -> int:
        return self.block.line

    @property
    def live(self) -> bool:
        return not self.dropped and self.kind != BLANK


@dataclass
class Join:
    head: Key
    tail: Key
    sep: str
    at_tail: bool = False  # the paragraph stands where its tail was printed
    jump: bool = False  # the tail goes on from a page-jump marker: what is printed between is other pages' text
    fix: str = ""  # the id of the join fix that made it ("" for split pieces glued back)


@dataclass
class Move:
    key: Key
    to: Key | None = None  # a block of the target article (its start); None: same article
    before: Key | None = None
    after: Key | None = None
    fragment: str | None = None  # a separate item of its own, named by this id


def merged_text(lines: list[str], seps: list[str]) -> str:
    """Lines printed as one: the spaces around each line break give way to its separator."""
    out = lines[0]
    for sep, line in zip(seps, lines[1:]):
        out = out.rstrip() + sep + line.lstrip()
    return out


def _key(value) -> Key | None:
    return tuple(value) if value else None


@dataclass
class View:
    doc: Document
    items: list[Item]
    joins: list[Join] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    article_starts: list[Key] = field(default_factory=list)
    editions: list[tuple[Key, dict[str, Any]]] = field(default_factory=list)  # running heads: where, and what they name
    copies: dict[Key, Key] = field(default_factory=dict)  # a paragraph printed twice: the kept copy's key, the dropped one's
    # the pieces a split fix cut a block into: each piece that ends at a cut, and each that starts at
    # one, with the id of that split (a fix that reads the cut requires it)
    cut_end: dict[Key, str] = field(default_factory=dict)
    cut_start: dict[Key, str] = field(default_factory=dict)
    _index: dict[Key, Item] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document) -> "View":
        view = cls(doc=doc, items=[Item(b, b.text, b.kind) for b in doc.blocks])
        view.reindex()
        return view

    def reindex(self) -> None:
        self._index = {it.key: it for it in self.items}

    def get(self, key: Key) -> Item | None:
        return self._index.get(key)

    def live(self) -> list[Item]:
        return [it for it in self.items if it.live]

    def article_bounds(self) -> list[Key]:
        """Keys where a new article starts (a start at the first live block starts nothing)."""
        live = self.live()
        first = live[0].key if live else None
        return sorted(k for k in set(self.article_starts) if first is None or k > first)

    def article_index(self) -> dict[Key, int]:
        """Every block's article, by the article starts and the moves to another article accepted so
        far (0 = the first)."""
        bounds = self.article_bounds()
        index = {it.key: bisect.bisect_right(bounds, it.key) for it in self.items}
        for move in self.moves:  # a block moved to another article belongs to it from then on
            if move.to is not None and move.to in index and move.key in index:
                index[move.key] = index[move.to]
        return index

    # -- applying fixes -------------------------------------------------
    def apply(self, fix: Fix, rules: "RuleSet", accepted: bool = True) -> None:
        if fix.kind == SPLIT:
            self._split(fix, glued=not accepted)
            return
        if not accepted:
            return
        if fix.params.get("edition"):
            self.editions.append((fix.blocks[0], fix.params.get("fields", {})))
        if fix.kind == MERGE:
            self._merge(fix)
        elif fix.kind == EDIT:
            from .detectors import transform

            rule = rules.get(fix.rule)
            for key in fix.blocks:
                item = self.get(key)
                if item is None or rule is None:
                    continue
                if len(fix.blocks) == 1 and item.text == fix.before:
                    item.text = fix.after  # the rule's own result: a transform is pure in (rule, text, params)
                else:
                    item.text = transform(rule, item.text, fix.params)
        elif fix.kind == DROP:
            for key in fix.blocks:
                if (item := self.get(key)) is not None:
                    item.dropped = True
            if (kept := _key(fix.params.get("copy_of"))) is not None:
                self.copies[kept] = fix.blocks[0]
        elif fix.kind == RELABEL:
            item = self.get(fix.blocks[0])
            if item is not None:
                item.kind = fix.params["kind"]
                prefix = fix.params.get("strip")
                if prefix and item.text.startswith(prefix):
                    item.text = item.text[len(prefix) :].strip()
        elif fix.kind == META:
            item = self.get(fix.blocks[0])
            if item is not None:
                item.kind = BYLINE
                item.meta = dict(fix.params.get("fields", {}))
        elif fix.kind == JOIN:
            head, tail = fix.blocks[0], fix.blocks[1]
            self.joins.append(Join(head, tail, fix.params.get("sep", ""), fix.params.get("at") == "tail", bool(fix.params.get("jump")), fix.id))
        elif fix.kind == MOVE:
            p = fix.params
            anchors = (_key(p.get("before")), _key(p.get("after")))
            for key in fix.blocks:  # several blocks keep their order: each after the one before
                self.moves.append(Move(key, _key(p.get("to")), *anchors, p.get("fragment")))
                anchors = (None, key)
        elif fix.kind == ARTICLE:
            self.article_starts.append(fix.blocks[0])

    def _merge(self, fix: Fix) -> None:
        """Make consecutive lines one block, as if the source had printed them on one line:
        later rules, and the layout, see a single paragraph."""
        members = [self.get(key) for key in fix.blocks]
        if any(it is None for it in members) or len(members) < 2:
            return
        first = members[0]
        seps = list(fix.params.get("seps", [""] * (len(members) - 1)))
        block = Block(
            key=first.key,
            text=merged_text([it.block.text for it in members], seps),
            line=first.block.line,
            gap_before=first.block.gap_before,
            kind=first.block.kind,
            sep_before=first.block.sep_before,
            last_line=members[-1].block.lines[-1],
        )
        merged = Item(block, merged_text([it.text for it in members], seps), first.kind)
        # the lines of a merge are consecutive items (the rule reads runs of them), but for lines an
        # earlier rule dropped (a page's number), which stay after it: replace them in place rather
        # than rebuild the list and its index once per merged paragraph
        pos = self.items.index(first)
        end = pos + len(members)
        if self.items[end - 1] is not members[-1]:
            end = self.items.index(members[-1], pos) + 1
        joined = set(fix.blocks)
        self.items[pos:end] = [merged, *(it for it in self.items[pos:end] if it.key not in joined)]
        for it in members[1:]:
            del self._index[it.key]
        self._index[first.key] = merged

    def _split(self, fix: Fix, glued: bool) -> None:
        """Cut a block into pieces at the fix's offsets (into the source text).

        Pieces always exist so that later fixes can address them; a rejected split
        marks the later pieces as glued back (joined with the original separator).
        """
        key = fix.blocks[0]
        item = self.get(key)
        if item is None:
            return
        pos = self.items.index(item)
        raw = item.block.text
        pieces: list[Item] = []
        cuts = fix.params["cuts"]  # [[start, end], ...] of each piece in raw text
        for n, (start, end) in enumerate(cuts):
            prev_end = cuts[n - 1][1] if n else 0
            block = Block(
                key=(key[0], key[1] + n),
                text=raw[start:end],
                line=item.block.line,
                last_line=item.block.last_line,  # a piece of wrapped lines: where it was printed is not kept finer
                gap_before=item.block.gap_before if n == 0 else 0,
                kind=item.kind,
                sep_before=raw[prev_end:start] if n else item.block.sep_before,
            )
            pieces.append(Item(block, block.text, item.kind))
        self.items[pos : pos + 1] = pieces
        self.reindex()
        for a, b in pairwise(pieces):
            self.cut_end[a.key] = self.cut_start[b.key] = fix.id
            if glued:
                self.joins.append(Join(a.key, b.key, b.block.sep_before))
