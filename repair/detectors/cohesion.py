"""Blocks printed inside the wrong article: cohesion with the page's articles."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container
from itertools import chain, pairwise
from typing import Any, Callable, NamedTuple, TypeGuard


from ..model import CAPTION, CREDIT, FIGURE_KINDS, MOVE, PARAGRAPH, SUGGEST, TITLE, Fix, IdNumbering
from ..rules import Rule
from ..textutil import ends_sentence, visible_len
from ..view import Item, Key, View
from . import detector
from .common import make_fix
from .page import Cohesion, by_article, cohesion_of, cosine_of, group_text, groups, norm2, windows


class _Moved(NamedTuple):
    """Where a block goes ("article" and its index, or "fragment" and the stray item's id), and
    the id of the fix that moves it (what a figure going with it requires)."""

    kind: str
    target: Any
    fix: str


@detector("cohesion")
def cohesion(rule: Rule, view: View) -> list[Fix]:
    members = groups(view)
    tails = {k for ks in members.values() for k in ks[1:]}
    article = view.article_index()
    page = view.live()
    live = [it for it in page if it.key not in tails]
    blocks_of = by_article(page, article)
    units = [it for it in live if it.kind in (PARAGRAPH, *FIGURE_KINDS)]
    texts = {it.key: group_text(view, members.get(it.key, [it.key])) for it in units}
    stats = cohesion_of(article, units, texts)
    articles = sorted(set(article[it.key] for it in live))
    # a bled block comes from an article printed near it: on a file of hundreds of articles,
    # comparing each block with every article would cost blocks × articles
    reach = rule.param("article_reach", len(articles))
    paras = [it for it in units if it.kind == PARAGRAPH]
    n_para = {it.key: n for n, it in enumerate(paras)}
    sim_to = stats.similarity

    gaps = _gaps(view, members, rule.param("gap_max_paragraphs", 4))
    reading = [it for it in page if it.kind not in FIGURE_KINDS]
    # (on a page of several articles, a paragraph printed right after a cut head that is not the
    # head's rest is judged with a gap's lower bars for going to another article)
    after_cut = _after_open_heads(reading, tails, article, rule.param("after_open_head_chars")) if len(articles) > 1 else {}
    gap = {key: join for join, inside in gaps for key in inside}  # each block inside a gap: the id of the join across it
    typical = stats.typical([it.key for it in paras if it.key not in gap])
    doubted_runs = _doubted_runs(rule, stats, gaps, article, typical)
    fixes: list[Fix] = []
    # numbered as made: the fixes that go with others name them by the ids the analysis keeps
    unique = IdNumbering()
    moved_to: dict[Key, _Moved] = {}
    first_of: dict[str, str] = {}  # each gap's stray item: the id of its first move doubted only with the others
    # the first paragraphs of a one-article page may open on a wider subject than the rest, but a
    # photo item's text is no part of it (the first paragraph always is: it may set a scene of its
    # own, with its own photo)
    under = {a.key: b for a, b in pairwise(live)}  # the item printed right under each
    printed_after = {a.key: b for a, b in pairwise(page)}  # ... and so, counting a joined paragraph's pieces
    lead = (
        {it.key for n, it in enumerate(paras[: rule.param("alien_after", 2)]) if not (n and _photo_text(stats, it, under.get(it.key)))}
        if len(articles) == 1
        else set()
    )
    previous = {b.key: a.key for a, b in pairwise(reading)}
    firsts = set({article[it.key]: it.key for it in reversed(paras)}.values())  # each article's first paragraph
    least = rule.param("min_similarity", 0.03)
    # how much closer to another article, and how close, a block printed anywhere must be to go there
    anywhere = (rule.param("ratio", 2.0), max(rule.param("min_relative", 0.5) * typical, least))

    kept_by_neighbours = rule.param("gap_neighbour_similarity", 1.0)
    neighbours: dict[Key, float] = {}

    def neighbour_of(key: Key) -> float:
        if key not in neighbours:
            neighbours[key] = _neighbour_similarity(stats, paras, n_para[key], gap, article)
        return neighbours[key]

    # never one of a bled item printed apart (only looked for on a one-article page): what the main
    # loop keeps whatever it shares (an article's only paragraph, one printed twice in its article,
    # one inside a split paragraph's gap that talks about what is printed around the gap)
    held = (
        {it.key for it in paras if stats.alone(it.key) or article.get(view.copies.get(it.key)) == article[it.key]}
        | {key for key in gap if key in n_para and neighbour_of(key) >= kept_by_neighbours}
        if len(articles) == 1
        else set()
    )

    def stray_anywhere(it: Item) -> tuple[list[Item], float]:
        """On a one-article page, past its lead: the paragraphs from `it` on that share almost no
        vocabulary with the article, and how much at most ([] when `it` shares enough)."""
        if len(articles) != 1 or it.key in lead:
            return [], 0.0
        return _alien_run(rule, stats, paras, n_para[it.key], typical, article[it.key], lambda key: key in moved_to or key in held)

    def set_apart(run: list[Item], together: float, evidence: dict[str, Any], cue: str = "") -> None:
        """Move a bled item found on a one-article page to an output of its own, its members as one
        (`cue`: why a lone paragraph was found, if not for sharing almost nothing alone)."""
        in_a_row = _in_a_row(run, n_para)
        if len(run) == 1:
            cue = cue or "shares almost no vocabulary with the page's only article"
        elif in_a_row:
            cue = f"one of {len(run)} paragraphs in a row (from line {run[0].line}) that share almost no vocabulary with the rest of the page's only article"
        else:
            lines = ", ".join(str(m.line) for m in run)
            cue = f"one of {len(run)} paragraphs printed apart (lines {lines}) that share their story with each other and almost no vocabulary with the rest of the page's only article"
        # the run was judged as a whole: kept with its article, its first paragraph keeps the rest there too
        first: tuple[str, ...] = ()
        fragment = ""
        for member in run:
            if in_a_row or not fragment:  # paragraphs of one item printed apart make one item
                fragment = _fragment_id(member, previous, moved_to)
            member_evidence = {**evidence, "similarity_own": round(sim_to(member.key, article[member.key]), 3)}
            if len(run) > 1:
                member_evidence["similarity_run"] = round(together, 3)
            fix = unique(move_to_fragment(rule, member, fragment, {**member_evidence, "cue": cue}, requires=first))
            first = first or (fix.id,)
            first_of.setdefault(fragment, fix.id)
            fixes.append(fix)
            moved_to[member.key] = _Moved("fragment", fragment, fix.id)

    run_nearest: dict[Key, tuple[int | None, float]] = {}  # each doubted run's closest other article, by its first key
    for it in units:
        if it.kind != PARAGRAPH or it.key in moved_to:  # a run moves its later members with it
            continue
        if stats.alone(it.key):
            continue  # an article's only paragraph: nothing of its own article to compare it with
        home = article[it.key]
        own = sim_to(it.key, home)
        best, other = stats.nearest_other(it.key, articles, reach)
        evidence = {"similarity_own": round(own, 3), "typical_own": round(typical, 3), "similarity_other": round(other, 3)}
        in_gap = it.key in gap
        if it.key in after_cut and not in_gap:
            evidence["after_open_head"] = after_cut[it.key]
        # a block between the halves of a split paragraph that shares little with its article
        doubted_alone = own < rule.param("gap_own_factor", 0.5) * typical * _weight_of_evidence(rule, it)
        doubted = in_gap and (doubted_alone or it.key in doubted_runs)
        # inside a gap the bars are lower; once doubted, being closer to another article is enough
        bars = (
            (rule.param("gap_other_ratio", 1.0) if doubted else rule.param("gap_ratio", 2.0), max(rule.param("gap_min_relative", 0.5) * typical, least))
            if in_gap or it.key in after_cut
            else anywhere
        )
        if it.key in doubted_runs and best is not None and other >= own and not _closer(own, other, *bars):
            # a bled lead of several paragraphs: the one that opens on a scene of its own shares
            # too little with any article alone to go there, the item taken whole does (closer to
            # the same one: another item printed in the same gap is no part of it)
            run = doubted_runs[it.key]
            if run.keys[0] not in run_nearest:
                run_nearest[run.keys[0]] = stats.nearest_other_run(run.keys, articles, reach)
            run_best, run_other = run_nearest[run.keys[0]]
            if run_best == best and _closer(run.together, run_other, *bars):
                own, other = run.together, run_other
                evidence["similarity_run_other"] = round(run_other, 3)
        if best is not None and _closer(own, other, *bars):
            # closer to that article only by the gap's lower bars: it goes there only if the paragraph is joined across it
            requires = (gap[it.key],) if in_gap and gap[it.key] and not _closer(own, other, *anywhere) else ()
            fix = unique(_move_to_article(rule, it, blocks_of.get(best, []), best, {**evidence, "similarity_target": round(other, 3)}, requires))
            fixes.append(fix)
            moved_to[it.key] = _Moved("article", best, fix.id)
        elif article.get(view.copies.get(it.key)) == home:
            continue  # printed twice in its article (a lead repeated): the article's own text, no stray item
        elif doubted:
            neighbour = neighbour_of(it.key)
            if neighbour >= kept_by_neighbours:
                continue
            run, together = stray_anywhere(it)
            if not _in_a_row(run, n_para):
                set_apart(run, together, evidence)  # one of an item printed apart: judged with the others, wherever printed
                continue
            fragment = _fragment_id(it, previous, moved_to)
            evidence["similarity_neighbours"] = round(neighbour, 3)
            cue = "printed inside a split paragraph"
            if it.key in doubted_runs:
                evidence["similarity_run"] = round(doubted_runs[it.key].together, 3)
                cue += ", with other paragraphs: none shares much with the article once they are all left out"
            # doubted for where it was printed, it stays there unless the paragraph is joined across
            # it (on a one-article page, unless it shares too little to stay anywhere); doubted
            # only with the others printed there, it goes where the item's first one goes
            requires = tuple(filter(None, (None if run else gap[it.key], first_of.get(fragment) if not doubted_alone else None)))
            # on a page of several articles, what is printed inside a split paragraph and close to
            # none of them is as likely the article's own paragraph printed out of order as an item
            # from off the page, unless it comes with others or with its photo's caption
            captioned = it.key in printed_after and printed_after[it.key].kind in FIGURE_KINDS
            lone = len(articles) > 1 and it.key not in doubted_runs and not captioned
            if lone:
                cue += "; on a page of several articles, alone and without a caption: the article's own paragraph printed out of order as likely"
            fix = unique(move_to_fragment(rule, it, fragment, {**evidence, "cue": cue}, requires=requires, safety=rule.param("lone_stray_safety") if lone else None))
            if not doubted_alone:
                first_of.setdefault(fragment, fix.id)
            fixes.append(fix)
            moved_to[it.key] = _Moved("fragment", fragment, fix.id)
        else:
            run, together = stray_anywhere(it)
            if run:
                set_apart(run, together, evidence)
            elif it.key not in firsts and _photo_item(rule, stats, it, under.get(it.key), typical, articles, reach):
                caption = under[it.key]
                evidence["similarity_caption"] = round(sim_to(caption.key, home), 3)
                if len(articles) > 1:
                    evidence["similarity_caption_other"] = round(stats.nearest_other(caption.key, articles, reach)[1], 3)
                where = "the page's only article" if len(articles) == 1 else "any article on the page"
                set_apart([it], own, evidence, cue=f"a photo item: it and the caption under it (line {caption.line}) share almost no vocabulary with {where}")
    fixes += _figures_follow(rule, page, blocks_of, stats, moved_to, articles, unique)
    return fixes


def _in_a_row(run: list[Item], n_para: dict[Key, int]) -> bool:
    """The paragraphs are printed one right after the other."""
    return [n_para[it.key] for it in run] == list(range(n_para[run[0].key], n_para[run[0].key] + len(run))) if run else True


def _worded_caption(stats: Cohesion, it: Item | None) -> TypeGuard[Item]:
    """`it` is a caption with words to compare (the item under a paragraph may be none)."""
    return it is not None and it.kind == CAPTION and bool(stats.vectors.get(it.key))


def _photo_text(stats: Cohesion, it: Item, below: Item | None) -> bool:
    """A paragraph with a caption right under it that shares more with it than with the article:
    the text of a photo item printed in the article, however near its start."""
    if not _worded_caption(stats, below):
        return False
    return stats.unit_cosine(it.key, below.key) > stats.similarity(below.key, stats.article[below.key])


def _photo_item(rule: Rule, stats: Cohesion, it: Item, below: Item | None, typical: float, articles: list[int], reach: int) -> bool:
    """A finished paragraph with a caption right under it, the two sharing almost no vocabulary
    with any article of the page: a photo item printed in one from elsewhere, text and caption (a
    caption of an article's own photo names what the article talks about). Shorter than a bled
    paragraph must be to be judged alone: the caption is a second witness."""
    if not _worded_caption(stats, below) or not ends_sentence(it.text) or visible_len(it.text) < rule.param("photo_item_min_chars", 15):
        return False
    home = stats.article[it.key]
    text_bar = rule.param("photo_item_own_factor", 0.0) * typical
    caption_bar = rule.param("photo_item_caption_factor", 0.0) * typical
    if stats.similarity(it.key, home) >= text_bar or stats.similarity(below.key, home) >= caption_bar:
        return False
    return len(articles) == 1 or (stats.nearest_other(it.key, articles, reach)[1] < text_bar and stats.nearest_other(below.key, articles, reach)[1] < caption_bar)


def _closer(own: float, other: float, ratio: float, floor: float) -> bool:
    """Whether a block's similarity to another article (`other`) is at least `floor` and `ratio`
    times its similarity to its own."""
    return other >= floor and other >= ratio * own


def _neighbour_similarity(stats: Cohesion, paras: list[Item], n: int, gap: Container[Key], article: dict[Key, int]) -> float:
    """How close a block between the halves of a split paragraph is to the paragraphs printed
    around the gap (the head, joined to its tail, and the paragraph after the tail). The
    article's own next paragraph, printed before the tail, keeps talking about what its
    neighbours talk about; an item from elsewhere shares next to nothing with them."""
    home = article[paras[n].key]
    before = next((paras[k] for k in range(n - 1, -1, -1) if paras[k].key not in gap), None)
    after = next((paras[k] for k in range(n + 1, len(paras)) if paras[k].key not in gap), None)
    around = [p for p in (before, after) if p is not None and article[p.key] == home]
    return max((stats.unit_cosine(paras[n].key, p.key) for p in around), default=0.0)


def _alien_run(rule: Rule, stats: Cohesion, paras: list[Item], n: int, typical: float, home: int, held: Callable[[Key], bool]) -> tuple[list[Item], float]:
    """A bled item of one paragraph or more starting at paras[n] (after the lead), and the
    highest similarity of any of them with the rest of the article: long, finished paragraphs
    that share their story only with each other, so alone each may look at home; with the others
    left out, none shares anything. Its paragraphs are printed in a row, or apart (a photo item's
    text in one place, the lead in another): then they are the ones closest to each other, none
    of them `held` (taken already, or judged by another test)."""
    least = rule.param("alien_min_chars", 50)

    def whole(run: list[Item]) -> bool:  # as much text as that many long paragraphs, each a finished one
        return all(ends_sentence(it.text) for it in run) and sum(visible_len(it.text) for it in run) >= len(run) * least

    # (a run never takes a paragraph already moved, by a group found further up, or held)
    runs = (run for run in chain([paras[n : n + 1]], windows(paras, n, rule.param("alien_run", 1), lambda run: ends_sentence(run[-1].text) and not held(run[-1].key))) if whole(run))
    lone = rule.param("alien_own_factor", 0.0) * typical
    # paragraphs that share much with each other tell a story of their own: a run of them may
    # share a little more with the article and still be a bled item
    story = max(lone, rule.param("alien_story_factor", 0.0) * typical)
    linked = rule.param("alien_story_similarity", math.inf) * typical

    def bar(run: list[Key]) -> float:
        return story if len(run) > 1 and stats.least_linked(run) >= linked else lone

    found, together = stats.first_apart(([it.key for it in run] for run in runs), home, bar)
    if found:
        return paras[n : n + len(found)], together
    if not whole(paras[n : n + 1]) or held(paras[n].key):
        return [], 0.0
    # (printed on one page: within reach of each other, which keeps a file of thousands of paragraphs
    # linear; never the article's first paragraph, on this one-article page the first of all: it
    # may open on a subject of its own)
    reach = rule.param("alien_group_reach", 0)
    nearby = paras[max(0, n - reach) : n + reach + 1]
    others = [it for it in nearby if not held(it.key) and it is not paras[0] and it is not paras[n] and whole([it])]
    group, together = _closest_group(stats, paras[n], others, rule.param("alien_group", 1), linked, lambda keys: stats.apart_from(keys, home), story)
    return sorted(group, key=nearby.index), together


def _closest_group(stats: Cohesion, start: Item, others: list[Item], most: int, linked: float, apart: Callable[[list[Key]], float], bar: float) -> tuple[list[Item], float]:
    """`start` and the paragraphs of `others` closest to it (each at least `linked` to one
    already taken), up to `most`, as soon as they share less than `bar` with the rest of the
    article (`apart`) together, and that similarity ([], 0.0 if never)."""
    group = [start]
    link = {it.key: stats.unit_cosine(start.key, it.key) for it in others}
    pool = list(others)
    while len(group) < most and pool:
        best = max(pool, key=lambda it: link[it.key])
        if link[best.key] < linked:
            break
        pool.remove(best)
        group.append(best)
        together = apart([it.key for it in group])
        if together < bar:
            return group, together
        for it in pool:
            link[it.key] = max(link[it.key], stats.unit_cosine(best.key, it.key))
    return [], 0.0


def _weight_of_evidence(rule: Rule, item: Item) -> float:
    """A short block has few bigrams, so its low similarity says less: the bar drops with length."""
    return min(1.0, visible_len(item.text) / rule.param("gap_full_chars", 60))


def _fragment_id(item: Item, previous: dict[Key, Key], moved_to: dict[Key, _Moved]) -> str:
    """Adjacent stray blocks form one item: reuse the id of the previous unit if it is stray too."""
    before = moved_to.get(previous.get(item.key))
    return before.target if before is not None and before.kind == "fragment" else f"L{item.line}"


def _gaps(view: View, members: dict[Key, list[Key]], most: int) -> list[tuple[str, list[Key]]]:
    """The blocks printed between the halves of a paragraph split across a forward gap of at most
    `most` paragraphs, gap by gap, each with the id of the join across it ("" for pieces glued
    back): a bled lead or photo item is a block or two; a longer gap is the article's own text
    skipped by a join, and doubting all of it would cost a whole section."""
    order = {it.key: n for n, it in enumerate(view.items)}
    join_of = {j.tail: j for j in view.joins}
    gaps: list[tuple[str, list[Key]]] = []
    for head, keys in members.items():
        for a, b in pairwise([head, *keys[1:]]):
            join = join_of.get(b)
            # other pages' text is printed between the halves of a paragraph continued from a jump
            if order[b] > order[a] + 1 and not (join is not None and join.jump):
                inside = [it for it in view.items[order[a] + 1 : order[b]] if it.live]
                if sum(it.kind == PARAGRAPH for it in inside) <= most:
                    gaps.append((join.fix if join is not None else "", [it.key for it in inside]))
    return gaps


def _after_open_heads(reading: list[Item], tails: set[Key], article: dict[Key, int], least_chars: int | None) -> dict[Key, int]:
    """The paragraphs of `reading` (the page's text in print order) printed right after a piece of
    a paragraph of their article cut at a column break (open, `least_chars` or more) whose rest is
    not printed there (not found, or found elsewhere), each with the piece's line: where another
    article's lead is printed, as in a split paragraph's gap."""
    if least_chars is None:
        return {}
    return {
        b.key: a.line
        for a, b in pairwise(reading)
        if a.kind == PARAGRAPH == b.kind
        and b.key not in tails  # (so not the piece's rest)
        and article.get(a.key) == article.get(b.key)
        and not ends_sentence(a.text) and visible_len(a.text) >= least_chars
    }


class _Run(NamedTuple):
    """Paragraphs printed together inside a gap, doubted together: the highest similarity of any
    of them with the rest of their article, all left out, and the paragraphs."""

    together: float
    keys: list[Key]


def _doubted_runs(rule: Rule, stats: Cohesion, gaps: list[tuple[str, list[Key]]], article: dict[Key, int], typical: float) -> dict[Key, _Run]:
    """The paragraphs of gaps holding two or more of one article none of which shares much with it
    once they are all left out (a bled item of several paragraphs, each at home only with the
    others), each with its run."""
    doubted: dict[Key, _Run] = {}
    for _, inside in gaps:
        run = [key for key in inside if key in stats.members.get(article[key], ()) and stats.vectors[key]]
        if len(run) < 2 or len({article[key] for key in run}) > 1:
            continue
        together = stats.apart_from(run, article[run[0]])
        if together < rule.param("gap_own_factor", 0.5) * typical:
            doubted.update(dict.fromkeys(run, _Run(together, run)))
    return doubted


def _move_to_article(rule: Rule, item: Item, blocks: list[Item], index: int, evidence, requires: tuple[str, ...] = ()) -> Fix:
    """Move the item to the start of the article whose live blocks are `blocks`."""
    start = blocks[0].key if blocks else None
    first_body = next((it.key for it in blocks if it.kind == PARAGRAPH), None)
    title = next((it.text for it in blocks if it.kind == TITLE), None)
    return make_fix(
        rule,
        MOVE,
        [item],
        after=f"→ start of the article “{title or f'#{index + 1}'}”",
        params={"to": list(start) if start else None, "before": list(first_body) if first_body else None},
        evidence={**evidence, "to_article": title or index + 1},
        message=f"{rule.message}: belongs to “{(title or '')[:20]}”",
        salt="article",
        requires=requires,
    )


def move_to_fragment(
    rule: Rule,
    item: Item,
    fragment: str,
    evidence,
    reason: str = "no article on the page shares its vocabulary",
    requires: tuple[str, ...] = (),
    safety: str | None = None,
) -> Fix:
    return make_fix(
        rule,
        MOVE,
        [item],
        after=f"→ a separate item ({reason})",
        params={"fragment": fragment},
        evidence=evidence,
        message=rule.param("suggested_fragment_message" if safety == SUGGEST else "fragment_message", rule.message),
        salt="fragment",
        requires=requires,
        safety=safety,
    )


def _fragment_profiles(stats: Cohesion, moved_to: dict[Key, _Moved]) -> dict[str, tuple[Counter[str], float]]:
    """Each stray item's profile (the sum of its units' vectors) and its weighted norm."""
    profiles: dict[str, Counter[str]] = {}
    for other, moved in moved_to.items():
        if moved.kind == "fragment":
            profiles.setdefault(moved.target, Counter()).update(stats.vectors[other])
    return {frag: (prof, math.sqrt(norm2(prof, stats.squares))) for frag, prof in profiles.items()}


def _figures_follow(rule, page, blocks_of, stats: Cohesion, moved_to: dict[Key, _Moved], articles: list[int], unique: IdNumbering) -> list[Fix]:
    """Captions and credits go with the item they describe: a moved neighbour, or the
    unit elsewhere on the page that shares their names (a credit printed far away), or another
    article on the page that a caption restates (a page prints its photos apart from the texts);
    a credit under a caption that moved goes with it. A figure that goes with a moved block
    requires that block's move: rejected, it stays where it was printed too."""
    fixes: list[Fix] = []
    vectors = stats.vectors
    fragments: dict[str, tuple[Counter[str], float]] | None = None  # the stray items' profiles and norms, made when first needed
    figures_moved: dict[Key, _Moved] = {}
    for n, it in enumerate(page):
        if it.kind not in FIGURE_KINDS:
            continue
        neighbour = next(
            (o for o in (page[n - 1] if n else None, page[n + 1] if n + 1 < len(page) else None) if o is not None and o.key in moved_to),
            None,
        )
        if neighbour is None and it.kind == CREDIT and n and page[n - 1].key in figures_moved:
            neighbour = page[n - 1]
        evidence: dict[str, Any]
        requires: tuple[str, ...] = ()
        if neighbour is not None:
            followed = moved_to.get(neighbour.key) or figures_moved[neighbour.key]
            kind, target = followed.kind, followed.target
            evidence = {"follows": neighbour.line}
            requires = (followed.fix,)
        else:
            if fragments is None:
                fragments = _fragment_profiles(stats, moved_to)
            v = vectors[it.key]
            norm = math.sqrt(stats.unit_norm2(it.key))
            art = stats.article[it.key]
            home = cosine_of(v, norm, stats.profile[art], math.sqrt(stats.profile_norm2(art)), stats.idf2)
            ratio = rule.param("ratio", 3.0)
            scored = [(cosine_of(v, norm, prof, prof_norm, stats.idf2), frag) for frag, (prof, prof_norm) in fragments.items()]
            best_sim, best_frag = max(scored, default=(0.0, None))
            if best_frag is not None and best_sim >= rule.param("figure_similarity", 0.15) and best_sim >= ratio * home:
                kind, target = "fragment", best_frag
                evidence = {"follows": "shared names"}
                # an item of one block exists only if that block moves (one of several: if any moves)
                members = [moved.fix for moved in moved_to.values() if moved.kind == "fragment" and moved.target == best_frag]
                requires = tuple(members) if len(members) == 1 else ()
            else:
                other_sim, other = max(((stats.similarity(it.key, a), a) for a in articles if a != art and stats.members.get(a)), default=(0.0, None))
                if other is None or other_sim < rule.param("figure_article_similarity", math.inf) or other_sim < ratio * home:
                    continue
                if sum(1 for g in v if g in stats.profile[other]) < rule.param("figure_article_bigrams", 1):
                    continue  # a generic caption (图为活动现场) shares a word or two with any article
                kind, target = "article", other
                evidence = {"similarity_own": round(home, 3), "similarity_target": round(other_sim, 3)}
        if kind == "fragment":
            fix = unique(move_to_fragment(rule, it, target, evidence, requires=requires))
        else:
            fix = unique(_move_to_article(rule, it, blocks_of.get(target, []), target, evidence, requires))
        figures_moved[it.key] = _Moved(kind, target, fix.id)
        fixes.append(fix)
    return fixes
