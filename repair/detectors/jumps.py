"""Articles continued on another page: （下转第2版） where the text breaks off, （上接第1版）
where it goes on. An export of both pages prints the continuation among the other page's
articles; the markers say which text goes where."""

from __future__ import annotations

from typing import Any

from ..model import DROP, EDIT, FIGURE_KINDS, HEADER_KINDS, MOVE, Fix
from ..rules import Rule
from ..view import Item, View
from . import detector, transformer
from .common import compiled, make_fix


def jump_out_at_end(rule: Rule, text: str):
    """The marker a text breaks off with (下转第2版), or None."""
    if "转" not in text and "轉" not in text:
        return None  # most texts: no search from every position of a long line
    return compiled(r"(?:%s)\s*$" % rule.param("jump_out", "(?!)")).search(text)


def jump_in_at_start(rule: Rule, text: str):
    """The marker a text goes on with (上接第1版), or None."""
    return compiled(r"^\s*(?:%s)\s*" % rule.param("jump_in", "(?!)")).match(text)


@transformer("page-jump")
def _strip_markers(rule: Rule, text: str, params: dict[str, Any]) -> str:
    if m := jump_in_at_start(rule, text):
        text = text[m.end() :]
    if m := jump_out_at_end(rule, text):
        text = text[: m.start()].rstrip()
    return text


@detector("page-jump")
def page_jump(rule: Rule, view: View) -> list[Fix]:
    live = [it for it in view.live() if it.kind not in FIGURE_KINDS]
    outs = [it for it in live if jump_out_at_end(rule, it.text)]
    ins = [it for it in live if jump_in_at_start(rule, it.text)]
    if not outs or not ins:
        return []  # the other end of the jump is elsewhere: the marker tells the reader so
    fixes = []
    for it in sorted({it.key: it for it in outs + ins}.values(), key=lambda it: it.key):
        after = _strip_markers(rule, it.text, {})
        markers = [m.group(0).strip() for m in (jump_in_at_start(rule, it.text), jump_out_at_end(rule, it.text)) if m]
        evidence = {"markers": markers, "texts_breaking_off": len(outs), "texts_going_on": len(ins)}
        if after.strip():
            fixes.append(make_fix(rule, EDIT, [it], before=it.text, after=after, evidence=evidence))
        else:
            fixes.append(make_fix(rule, DROP, [it], before=it.text, after="", evidence=evidence, message=rule.param("drop_message", rule.message)))
    return fixes


@detector("jump-continuation")
def jump_continuation(rule: Rule, view: View) -> list[Fix]:
    """Each continuation (its marker in the printed text) goes back behind the paragraph that
    broke off, with the blocks after it up to the next article's headline."""
    live = view.live()
    position = {it.key: n for n, it in enumerate(live)}
    heads = [it for it in live if jump_out_at_end(rule, it.block.text)]
    tails = [it for it in live if jump_in_at_start(rule, it.block.text)]
    if not heads or not tails:
        return []
    article = view.article_index()
    joined_to = {j.tail: j.head for j in view.joins}
    free = {it.key for it in heads}
    fixes = []
    for tail in tails:
        head_key = joined_to.get(tail.key)
        if head_key is None or head_key not in free:
            # the nearest paragraph before it that broke off, else the nearest after it
            before = [h for h in heads if h.key in free and position[h.key] < position[tail.key]]
            after = [h for h in heads if h.key in free and position[h.key] > position[tail.key]]
            pick = before[-1] if before else (after[0] if after else None)
            if pick is None:
                continue
            head_key, joined = pick.key, False
        else:
            joined = True
        free.discard(head_key)
        head = view.get(head_key)
        if article[head.key] == article[tail.key] and _next_paragraph(live, position[head.key]) is tail:
            continue  # printed right after the paragraph it continues
        run = _continuation(rule, live, position[tail.key], article)
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
                params={"to": list(head.key), "after": list(head.key)},
                evidence={
                    "breaks_off": jump_out_at_end(rule, head.block.text).group(0).strip(),
                    "goes_on": jump_in_at_start(rule, tail.block.text).group(0).strip(),
                    "head_line": head.line,
                    "joined": joined,
                    "blocks": len(run),
                },
            )
        )
    return fixes


def _continuation(rule: Rule, live: list[Item], start: int, article: dict) -> list[Item]:
    """The blocks from a continuation's first one to the end of the article it is printed in,
    or to a block that breaks off again."""
    run: list[Item] = []
    for it in live[start:]:
        if article[it.key] != article[live[start].key] or (run and it.kind in HEADER_KINDS):
            break
        run.append(it)
        if jump_out_at_end(rule, it.block.text):
            break
    return run


def _next_paragraph(live: list[Item], n: int) -> Item | None:
    return next((it for it in live[n + 1 :] if it.kind not in FIGURE_KINDS), None)

