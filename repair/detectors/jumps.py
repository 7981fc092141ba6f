"""Articles continued on another page: （下转第2版） where the text breaks off, （上接第1版）
where it goes on. An export of both pages prints the continuation among the other page's
articles; the markers say which text goes where. And teasers for articles printed on other
pages (（详见第3版））."""

from __future__ import annotations

from typing import Any

from ..model import BLANK, DROP, EDIT, FIGURE_KINDS, HEADER_KINDS, MOVE, PARAGRAPH, Fix
from ..rules import Rule
from ..view import Item, Key, View
from . import detector, transformer
from .classify import headline_shaped
from .cohesion import move_to_fragment
from .common import compiled, make_fix
from .page import bigram_list


def jump_out_at_end(rule: Rule, text: str):
    """The marker a text breaks off with (下转第2版), or None."""
    if "转" not in text and "轉" not in text:
        return None  # most texts: no search from every position of a long line
    return compiled(r"(?:%s)\s*$" % rule.param("jump_out", "(?!)")).search(text)


def jump_in_at_start(rule: Rule, text: str):
    """The marker a text goes on with (上接第1版), or None."""
    return compiled(r"^\s*(?:%s)\s*" % rule.param("jump_in", "(?!)")).match(text)


def _read(rule: Rule, text: str):
    """A text's markers (the one it breaks off with, the one it goes on with) and the text
    between them."""
    into = jump_in_at_start(rule, text)
    rest = text[into.end() :] if into else text
    out = jump_out_at_end(rule, rest)
    return out, into, rest[: out.start()].rstrip() if out else rest


def jump_ends(rule: Rule, view: View) -> tuple[dict[Key, str], dict[Key, str]]:
    """The live blocks that break off at a page jump and those that go on from one, each with its
    marker: printed at the block's end or start, or on a line of its own right after or before it."""
    heads: dict[Key, str] = {}
    tails: dict[Key, str] = {}
    printed = [it for it in view.items if it.kind != BLANK]
    for n, it in enumerate(printed):
        out, into, rest = _read(rule, it.block.text)
        if not out and not into:
            continue
        if rest.strip():  # the marker is part of a line of text
            if out and it.live:
                heads[it.key] = out.group(0).strip()
            if into and it.live:
                tails[it.key] = into.group(0).strip()
            continue
        marker = it.block.text.strip()
        if out:
            head = next((o for o in reversed(printed[:n]) if o.live), None)
            if head is not None:
                heads.setdefault(head.key, marker)
        else:
            tail = next((o for o in printed[n + 1 :] if o.live), None)
            if tail is not None:
                tails.setdefault(tail.key, marker)
    return heads, tails


def jump_pairs(rule: Rule, view: View) -> tuple[list[tuple[Key, Key]], dict[Key, str], dict[Key, str]]:
    """Which text breaking off goes on where, in page order: each continuation takes the first
    text that broke off before it and is not taken yet (two articles that jump from one page go
    on in the order they were printed); with the ends' markers."""
    if not _breaks_off(rule, (it.block.text for it in view.items)):
        return [], {}, {}  # no text breaks off (most pages): no marker to read
    breaks_off, goes_on = jump_ends(rule, view)
    free = sorted(breaks_off)
    pairs = []
    for tail in sorted(goes_on):
        head = next((h for h in free if h < tail), free[0] if free else None)
        if head is None:
            break
        free.remove(head)
        pairs.append((head, tail))
    return pairs, breaks_off, goes_on


def _breaks_off(rule: Rule, texts) -> bool:
    """Whether any of the texts breaks off at a page jump: a page without one has no jump to read."""
    return any(jump_out_at_end(rule, text) for text in texts)


@transformer("page-jump")
def _strip_markers(rule: Rule, text: str, params: dict[str, Any]) -> str:
    return _read(rule, text)[2]


@detector("page-jump")
def page_jump(rule: Rule, view: View) -> list[Fix]:
    live = [it for it in view.live() if it.kind not in FIGURE_KINDS]
    if not _breaks_off(rule, (it.text for it in live)):
        return []  # no text breaks off (most pages): a marker going on has its other end elsewhere
    read = [(it, *_read(rule, it.text)) for it in live]
    marked = [(it, out, into, after) for it, out, into, after in read if out or into]
    outs, ins = sum(bool(out) for _, out, _, _ in marked), sum(bool(into) for _, _, into, _ in marked)
    if not outs or not ins:
        return []  # the other end of the jump is elsewhere: the marker tells the reader so
    fixes = []
    for it, out, into, after in marked:
        markers = [m.group(0).strip() for m in (into, out) if m]
        evidence = {"markers": markers, "texts_breaking_off": outs, "texts_going_on": ins}
        if after.strip():
            fixes.append(make_fix(rule, EDIT, [it], before=it.text, after=after, evidence=evidence))
        else:
            fixes.append(make_fix(rule, DROP, [it], before=it.text, after="", evidence=evidence, message=rule.param("drop_message", rule.message)))
    return fixes


@detector("jump-headline")
def jump_headline(rule: Rule, view: View) -> list[Fix]:
    """A continuation printed under its article's headline again (乙县推动产业升级, then
    （上接第1版）…): a short line right above the continuation, or above its marker's own line,
    whose words are mostly those of a headline printed above the text that broke off."""
    pairs = jump_pairs(rule, view)[0]
    if not pairs:
        return []
    least = rule.param("min_shared", 0.6)
    printed = [it for it in view.items if it.kind != BLANK]
    index = {it.key: n for n, it in enumerate(printed)}

    def headline_line(it: Item) -> bool:  # plain, or already taken as a title
        return it.live and it.kind in (PARAGRAPH, *HEADER_KINDS) and headline_shaped(rule, it.text)

    fixes = []
    for head_key, tail_key in pairs:
        above = next((it for it in reversed(printed[: index[tail_key]]) if not _marker_only(rule, it.block.text)), None)
        if above is None or above.key == head_key or not headline_line(above):
            continue
        grams = set(bigram_list(above.text))
        shared, title = max(((len(grams & set(bigram_list(it.text))), it) for it in printed[: index[head_key]] if headline_line(it)),
                            key=lambda pair: pair[0], default=(0, None))
        if title is None or len(grams) < 2 or shared < least * len(grams):
            continue
        fixes.append(make_fix(rule, DROP, [above], before=above.text, after="",
                              evidence={"repeats_line": title.line, "headline": title.text.strip(), "shared": round(shared / len(grams), 2),
                                        "continuation_line": view.get(tail_key).line}))
    return fixes


def _marker_only(rule: Rule, text: str) -> bool:
    out, into, rest = _read(rule, text)
    return bool(out or into) and not rest.strip()


@detector("jump-continuation")
def jump_continuation(rule: Rule, view: View) -> list[Fix]:
    """Each continuation (its marker in the printed text) goes back behind the paragraph that
    broke off, with the blocks after it up to the next article's headline."""
    pairs, breaks_off, goes_on = jump_pairs(rule, view)
    if not pairs:
        return []
    live = view.live()
    position = {it.key: n for n, it in enumerate(live)}
    article = view.article_index()
    join_of = {j.tail: j for j in view.joins}
    fixes = []
    for head_key, tail_key in pairs:
        head, tail = view.get(head_key), view.get(tail_key)
        join = join_of.get(tail_key)
        if head_key not in position or tail_key not in position or (join is not None and join.head != head_key):
            continue  # gone, or the joiner read the tail as another paragraph's
        joined = join is not None
        if article[head_key] == article[tail_key] and _next_in_flow(live, position[head_key]) is tail:
            continue  # printed right after the paragraph it continues
        run = _continuation(live, position[tail_key], article, breaks_off, goes_on)
        if joined:
            run = run[1:]
        if not run:
            continue
        fixes.append(
            make_fix(
                rule,
                MOVE,
                run,
                after=f"→ after line {head.line} (“…{head.text.strip()[-12:]}”)",
                params={"to": list(head_key), "after": list(head_key)},
                evidence={
                    "breaks_off": breaks_off[head_key],
                    "goes_on": goes_on[tail_key],
                    "head_line": head.line,
                    "joined": joined,
                    "blocks": len(run),
                },
                # the join carries the continuation's first block: rejected, the rest stays too
                requires=(join.fix,) if join is not None and join.fix else (),
            )
        )
    return fixes


def _continuation(live: list[Item], start: int, article: dict[Key, int], breaks_off: dict[Key, str], goes_on: dict[Key, str]) -> list[Item]:
    """The blocks from a continuation's first one to the end of the article it is printed in,
    to the next continuation, or to a block that breaks off again."""
    run: list[Item] = []
    for it in live[start:]:
        if article[it.key] != article[live[start].key] or (run and (it.kind in HEADER_KINDS or it.key in goes_on)):
            break
        run.append(it)
        if it.key in breaks_off:
            break
    return run


def _next_in_flow(live: list[Item], n: int) -> Item | None:
    """The next block of the reading flow (figures stand outside it)."""
    return next((it for it in live[n + 1 :] if it.kind not in FIGURE_KINDS), None)



@detector("page-teaser")
def page_teaser(rule: Rule, view: View) -> list[Fix]:
    """A paragraph ending in a pointer to another page (（详见第3版）) is a teaser for an article
    printed there, not part of the article it is printed in: it becomes an item of its own, with
    the teasers printed right before or after it."""
    pointer = compiled(r"(?:%s)\s*$" % rule.param("pointer", "(?!)"))
    moved = {m.key for m in view.moves}
    flow = [it for it in view.live() if it.kind not in FIGURE_KINDS]
    fixes: list[Fix] = []
    fragment, last = "", -2
    for n, it in enumerate(flow):
        m = pointer.search(it.text) if it.kind == PARAGRAPH and it.key not in moved else None
        if m is None:
            continue
        if n != last + 1:
            fragment = f"teaser-L{it.line}"
        last = n
        fixes.append(move_to_fragment(rule, it, fragment, {"pointer": m.group(0).strip()}, "a teaser for an article on another page"))
    return fixes
