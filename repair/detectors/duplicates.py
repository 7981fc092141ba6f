"""Near-duplicate paragraphs: a lead printed twice keeps its complete copy."""

from __future__ import annotations

from collections import Counter
from itertools import chain


from ..model import DROP, PARAGRAPH, Fix
from ..rules import Rule
from ..textutil import ends_sentence, visible_len
from ..view import Key, View
from . import detector
from .common import compiled, make_fix
from .page import PUNCT_SPACE, flow, group_text, groups, ngram_set


def _grams(text: str, n: int) -> set[str]:
    return ngram_set(PUNCT_SPACE.sub("", text), n)


def _postings(grams: dict[Key, set[str]], wanted: set[str]) -> dict[str, list[Key]]:
    """The paragraphs holding each wanted n-gram, in page order."""
    common: dict[str, list[Key]] = {}
    for key, gs in grams.items():
        for g in gs & wanted:
            common.setdefault(g, []).append(key)
    return common


@detector("near-duplicate")
def near_duplicate(rule: Rule, view: View) -> list[Fix]:
    n = rule.param("ngram", 3)
    min_chars = rule.param("min_chars", 30)
    threshold = rule.param("containment", 0.9)
    members = groups(view)
    tails = {k for ks in members.values() for k in ks[1:]}
    paras = [it for it in flow(view) if it.kind == PARAGRAPH and it.key not in tails]
    place = {it.key: n for n, it in enumerate(paras)}
    texts = {it.key: group_text(view, members.get(it.key, [it.key])) for it in paras}
    max_apart = rule.param("max_apart", len(paras))
    pull_quote = compiled(rule.param("pull_quote", r"(?!)"))
    keep_decks = rule.param("keep_decks", False)
    grams = {k: _grams(t, n) for k, t in texts.items() if visible_len(t) >= min_chars}
    # n-grams of one paragraph only share nothing; those in too many are not evidence
    max_posting = rule.param("max_posting", 50)
    spread = Counter(chain.from_iterable(grams.values()))
    telling = {g for g, count in spread.items() if 1 < count <= max_posting}
    # too little of most paragraphs is anywhere else to be contained in one other paragraph
    contained: dict[Key, set[str]] = {}  # such paragraphs, with their n-grams found elsewhere
    for key, gs in grams.items():
        if pull_quote.match(texts[key].strip()):
            continue  # a pull quote is printed on purpose: never the copy to drop
        elsewhere = gs & telling
        if len(elsewhere) / max(1, len(gs)) >= threshold:
            contained[key] = elsewhere
    # postings only of the n-grams the look-ups below can ask for
    common = _postings(grams, set().union(*contained.values()))
    fixes: list[Fix] = []
    dropped: set[Key] = set()
    for key in sorted(grams, key=lambda k: len(grams[k])):
        if key not in contained:
            continue
        shared: Counter[Key] = Counter()
        for g in grams[key]:
            plist = common.get(g)
            if plist is not None:
                shared.update(plist)  # counted in C; the paragraph itself is in every list
        del shared[key]
        if not shared:
            continue
        other, count = shared.most_common(1)[0]
        containment = count / max(1, len(grams[key]))
        # of two equal copies the later one stands where the article prints it; the first is the teaser
        bigger = len(grams[other]) > len(grams[key]) or (len(grams[other]) == len(grams[key]) and other > key)
        if containment < threshold or not bigger or other in dropped:
            continue
        if abs(place[other] - place[key]) > max_apart:
            continue  # far apart: the article restates itself, it was not printed twice
        if keep_decks and place[key] < place[other] and not ends_sentence(texts[key]):
            continue  # a deck: an unended summary line above the lead it sums up
        dropped.add(key)
        keys = members.get(key, [key])
        dup_items = [view.get(k) for k in keys]
        fixes.append(
            make_fix(
                rule,
                DROP,
                dup_items,
                before=texts[key],
                after="",
                params={"copy_of": list(other)},
                evidence={
                    "duplicate_of_line": view.get(other).line,
                    "kept": texts[other][:60],
                    "containment": round(containment, 3),
                    "paragraphs_apart": abs(place[other] - place[key]),
                },
                message=f"{rule.message} (kept the complete copy at line {view.get(other).line})",
            )
        )
    return fixes
