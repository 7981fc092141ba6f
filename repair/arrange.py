"""Apply decisions: replay accepted fixes, then lay out articles (order, joins, moves)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .model import (
    BODY_KINDS,
    BYLINE,
    FIGURE_KINDS,
    HEADER_KINDS,
    PARAGRAPH,
    BodyItem,
    Document,
    Fix,
)
from .rules import RuleSet
from .view import Item, Key, View


@dataclass
class Draft:
    """An article before rendering."""

    header: dict[str, str] = field(default_factory=dict)  # kicker/title/subtitle -> text
    meta: dict[str, Any] = field(default_factory=dict)
    body: list[BodyItem] = field(default_factory=list)
    figures: list[BodyItem] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def replay(doc: Document, fixes: list[Fix], rules: RuleSet, accept: Callable[[Fix], bool]) -> tuple[View, list[Fix]]:
    view = View.of(doc)
    applied = []
    for fix in fixes:
        ok = accept(fix)
        view.apply(fix, rules, accepted=ok)
        if ok:
            applied.append(fix)
    return view, applied


def arrange(view: View) -> list[Draft]:
    items = [it for it in view.items if not it.dropped]
    if not items:
        return [Draft()]
    sequences = _split_articles(view, items)
    editions = _editions(view, sequences, items[0].key)
    heads = {key for key, _ in view.editions}
    printed_in = _apply_moves(view, sequences)
    for fragment, source in printed_in:  # a stray item was printed on its host's page
        editions[id(fragment)] = editions.get(id(source), {})
    groups, seps = _apply_joins(view, sequences)
    by_key = {it.key: it for it in items}
    drafts: dict[int, Draft] = {}
    for seq in sequences:
        draft = drafts[id(seq)] = Draft()
        for key in seq:
            members = [by_key[k] for k in groups.get(key, [key]) if k in by_key]
            _place(draft, members, seps, heads)
        for key, value in editions.get(id(seq), {}).items():
            draft.meta.setdefault(key, value)
    for fragment, source in printed_in:
        if fragment:  # (emptied by a later move, it makes no output)
            _mark_stray(drafts[id(fragment)], drafts.get(id(source)))
    return [d for d in drafts.values() if d.lines] or [Draft()]


def _mark_stray(draft: Draft, host: Draft | None) -> None:
    """A stray item says what it is and inside which article it was printed (its title)."""
    draft.meta["item"] = "stray"
    if host is not None and host.header.get("title"):
        draft.meta["printed_in"] = host.header["title"]


def _split_articles(view: View, items: list[Item]) -> list[list[Key]]:
    article = view.article_index()
    sequences: list[list[Key]] = [[] for _ in range(len(view.article_bounds()) + 1)]
    for it in items:
        sequences[article[it.key]].append(it.key)
    return sequences


def _apply_moves(view: View, sequences: list[list[Key]]) -> list[tuple[list[Key], list[Key]]]:
    """Move blocks between sequences and into stray items' own. Returns each stray item's
    sequence with the sequence its first block was printed in."""
    fragments: dict[str, list[Key]] = {}
    printed_in: list[tuple[list[Key], list[Key]]] = []
    for move in view.moves:
        source = _holder(sequences, move.key)
        if source is None:
            continue
        if move.fragment is not None:
            if move.fragment not in fragments:
                fragments[move.fragment] = []
                sequences.append(fragments[move.fragment])
                printed_in.append((fragments[move.fragment], source))
            source.remove(move.key)
            fragments[move.fragment].append(move.key)
            continue
        target = _holder(sequences, move.to) if move.to is not None else source
        if target is None:
            continue
        if move.before is not None and move.before in target and move.before != move.key:
            source.remove(move.key)
            target.insert(target.index(move.before), move.key)
        elif move.after is not None and move.after in target and move.after != move.key:
            source.remove(move.key)
            target.insert(target.index(move.after) + 1, move.key)
        # an anchor that is gone (its own fix rejected) leaves the block where it was
    sequences[:] = [s for s in sequences if s]
    return printed_in


def _holder(sequences: list[list[Key]], key: Key | None) -> list[Key] | None:
    return next((s for s in sequences if key in s), None)


def _apply_joins(view: View, sequences: list[list[Key]]) -> tuple[dict[Key, list[Key]], dict[Key, str]]:
    """Joined tails leave their place and follow their head.

    Returns head -> members in reading order, and each joined tail's separator."""
    root: dict[Key, Key] = {}
    groups: dict[Key, list[Key]] = {}
    seps: dict[Key, str] = {}
    for join in view.joins:
        head = root.get(join.head, join.head)
        if join.tail == head or root.get(join.tail, join.tail) == head:
            continue
        holder = _holder(sequences, head)
        tail_seq = _holder(sequences, join.tail)
        if holder is None or tail_seq is None:
            continue
        if join.at_tail:  # the head moves to where its tail stands
            holder.remove(head)
            tail_seq.insert(tail_seq.index(join.tail), head)
        tail_seq.remove(join.tail)
        members = groups.pop(join.tail, [join.tail])
        groups.setdefault(head, [head]).extend(members)
        for m in members:
            root[m] = head
        seps[join.tail] = join.sep
    return groups, seps


def _place(draft: Draft, members: list[Item], seps: dict[Key, str], heads: set[Key]) -> None:
    """`heads`: the running heads moved to front matter; their fields reach each article through
    `_editions`, after its own lines."""
    head = members[0]
    text = head.text
    for it in members[1:]:
        text += seps.get(it.key, "") + it.text
    lines = tuple(sorted({line for it in members for line in it.block.lines}))
    draft.lines.extend(lines)
    kind = head.kind
    if kind == BYLINE:
        if head.key not in heads:
            _merge_meta(draft.meta, head.meta or {})
    elif kind in HEADER_KINDS:
        if kind in draft.header:  # a second title in one article stays visible as a heading
            draft.body.append(BodyItem("heading", text, lines))
        else:
            draft.header[kind] = text
    elif kind in FIGURE_KINDS:
        draft.figures.append(BodyItem(kind, text, lines))
    elif kind in BODY_KINDS:
        draft.body.append(BodyItem(kind, text, lines))
    else:  # blank or boilerplate kept by an editor: it stays visible
        draft.body.append(BodyItem(PARAGRAPH, text, lines))


def _editions(view: View, sequences: list[list[Key]], first: Key) -> dict[int, dict[str, Any]]:
    """The fields of the running heads of each article's edition (the paper, the date, the page):
    those printed above its start, over one line or several, a later head naming a new page; and
    where those say nothing, a head printed under its text (a website's edition line). An article
    takes the fields its own lines do not give. By the article's own start, before blocks move in
    from elsewhere on the page."""
    heads = sorted(view.editions, key=lambda head: head[0])
    starts = [first, *view.article_bounds()]  # one per sequence
    found = {}
    for seq, start, end in zip(sequences, starts, [*starts[1:], None]):
        above: dict[str, Any] = {}
        below: dict[str, Any] = {}
        for key, named in heads:
            if key <= start:
                above.update(named)
            elif end is None or key < end:
                below = {**named, **below}
        if above or below:
            found[id(seq)] = {**below, **above}
    return found


def _merge_meta(meta: dict[str, Any], fields: dict[str, Any]) -> None:
    """A second byline line adds its values; one that names another value for a field already
    set (two sources) makes the field a list of both, so neither is lost."""
    for key, value in fields.items():
        if key not in meta:
            meta[key] = value
            continue
        have = meta[key] if isinstance(meta[key], list) else [meta[key]]
        more = [v for v in (value if isinstance(value, list) else [value]) if v not in have]
        if more:
            meta[key] = have + more
