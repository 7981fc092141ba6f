"""What the structure detectors share: the reading flow of a page, joined groups,
and character-bigram TF-IDF vectors of its blocks and articles."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, pairwise, repeat
from operator import add, getitem, mul
from sys import intern
from typing import Callable, Iterable, Iterator

import regex as re

from ..model import FIGURE_KINDS, PARAGRAPH
from ..view import Item, Key, View

PUNCT_SPACE = re.compile(r"[\p{P}\p{S}\s]+")
# unit cosines kept per page (a few MB): far more than the pairs within any rule's reach
PAIRS_KEPT = 1 << 16


def flow(view: View) -> list[Item]:
    """Live blocks in source order, without figures (they sit outside the reading flow)."""
    return [it for it in view.live() if it.kind not in FIGURE_KINDS]


def groups(view: View) -> dict[Key, list[Key]]:
    """Joined paragraphs: head key -> member keys in reading order."""
    root: dict[Key, Key] = {}
    members: dict[Key, list[Key]] = {}
    for join in view.joins:
        head = root.get(join.head, join.head)
        tail_members = members.pop(join.tail, [join.tail])
        members.setdefault(head, [head]).extend(tail_members)
        for k in tail_members:
            root[k] = head
    return members


def group_text(view: View, keys: list[Key]) -> str:
    return "".join(view.get(k).text for k in keys if view.get(k) is not None)


@dataclass
class Cohesion:
    """Character-bigram TF-IDF vectors of a page's units and its articles' profiles."""

    vectors: dict[Key, Counter[str]]
    squares: "Squares"  # (c·idf)² of each bigram and count c
    idf2: dict[str, float]  # idf squared
    article: dict[Key, int]
    profile: dict[int, Counter[str]]
    members: dict[int, set[Key]] = field(default_factory=dict)
    _norms: dict[int, float] = field(default_factory=dict)
    _self: dict[Key, float] = field(default_factory=dict)  # v·v of each unit
    _sims: dict[tuple[Key, int], float] = field(default_factory=dict)
    _dots: dict[tuple[Key, int], float] = field(default_factory=dict)  # v·P of a unit and an article
    _texted: dict[int, int] = field(default_factory=dict)  # paragraphs with text in each article
    _pairs: dict[tuple[Key, Key], float] = field(default_factory=dict)  # unit cosines

    def similarity(self, key: Key, art: int) -> float:
        """Cosine of a unit with an article's profile, leaving the unit itself out.

        Computed from dot products so the profile is never copied: for P' = P - v,
        v·P' = v·P - v·v and |P'|² = |P|² - 2 v·P + |v|² (all idf-weighted)."""
        found = self._sims.get((key, art))
        if found is None:
            found = self._sims[key, art] = self._similarity(key, art)
        return found

    def _similarity(self, key: Key, art: int) -> float:
        if not self.vectors[key]:
            return 0.0
        return self._cosine(self._dot_with(key, art), self.unit_norm2(key), art, key in self.members.get(art, ()))

    def apart_from(self, keys: list[Key], art: int) -> float:
        """The highest cosine of any of several units of an article with its profile less all of
        them: whether each shares anything with the rest of the article once the others are left
        out too (a bled item of several paragraphs shares its story only with itself).

        For R = Σ of the units and P' = P - R: v·P' = v·P - v·R, |P'|² = |P|² - 2 R·P + |R|²."""
        keys = [key for key in keys if self.vectors[key]]
        if not keys:
            return 0.0
        cross = self._cross(keys)
        with_run = {a: self.unit_norm2(a) + sum(c for pair, c in cross.items() if a in pair) for a in keys}  # v·R
        rp = sum(self._dot_with(key, art) for key in keys)
        rr = sum(self.unit_norm2(key) for key in keys) + 2 * sum(cross.values())
        pp = self.profile_norm2(art) - 2 * rp + rr
        if pp <= 1e-12:
            return 0.0
        return max(max(0.0, (self._dot_with(a, art) - with_run[a]) / math.sqrt(self.unit_norm2(a) * pp)) for a in keys)

    def _cross(self, keys: list[Key]) -> dict[tuple[Key, Key], float]:
        return {(a, b): shared_dot(self.vectors[a], self.vectors[b], self.idf2) for n, a in enumerate(keys) for b in keys[n + 1 :]}

    def run_similarity(self, keys: list[Key], art: int) -> float:
        """The cosine of several units taken as one text (R, the sum of their vectors) with the
        profile of an article none of them is part of."""
        keys = [key for key in keys if self.vectors[key]]
        rr = sum(self.unit_norm2(key) for key in keys) + 2 * sum(self._cross(keys).values())
        pp = self.profile_norm2(art)
        if rr <= 0 or pp <= 1e-12:
            return 0.0
        return max(0.0, sum(self._dot_with(key, art) for key in keys) / math.sqrt(rr * pp))

    def unit_norm2(self, key: Key) -> float:
        """The weighted norm² of a unit's vector."""
        if key not in self._self:
            self._self[key] = norm2(self.vectors[key], self.squares)
        return self._self[key]

    def profile_norm2(self, art: int) -> float:
        """The weighted norm² of an article's profile."""
        if art not in self._norms:
            self._norms[art] = norm2(self.profile[art], self.squares)
        return self._norms[art]

    def unit_cosine(self, a: Key, b: Key) -> float:
        """The cosine of two units' vectors (kept up to a bound: units printed near each other are
        compared again and again, from either side)."""
        pair = (a, b) if a <= b else (b, a)
        found = self._pairs.get(pair)
        if found is None:
            if len(self._pairs) >= PAIRS_KEPT:
                self._pairs.clear()  # (dropping the oldest one by one would make the dict scan its holes)
            a, b = pair
            found = self._pairs[pair] = cosine_of(self.vectors[a], math.sqrt(self.unit_norm2(a)), self.vectors[b], math.sqrt(self.unit_norm2(b)), self.idf2)
        return found

    def _dot_with(self, key: Key, art: int) -> float:
        found = self._dots.get((key, art))
        if found is None:
            found = self._dots[key, art] = _dot(self.vectors[key], self.profile[art], self.idf2)
        return found

    def _cosine(self, vp: float, vv: float, art: int, member: bool) -> float:
        """Cosine of a vector (v·P = vp, |v|² = vv) with the article's profile, less v if it is part of it."""
        pp = self.profile_norm2(art)
        if member:
            vp, pp = vp - vv, pp - 2 * vp + vv
        if vv <= 0 or pp <= 1e-12:
            return 0.0
        return max(0.0, vp / math.sqrt(vv * pp))

    def nearest_other(self, key: Key, articles: list[int], reach: int) -> tuple[int | None, float]:
        """The article, other than the unit's own and at most `reach` away in the sorted
        `articles`, that the unit is most similar to, and that similarity."""
        nearby = _nearby(self.article[key], articles, reach)
        best = max(nearby, key=lambda a: self.similarity(key, a), default=None)
        return best, (self.similarity(key, best) if best is not None else 0.0)

    def nearest_other_run(self, keys: list[Key], articles: list[int], reach: int) -> tuple[int | None, float]:
        """`nearest_other` for several units of one article taken as one text."""
        nearby = _nearby(self.article[keys[0]], articles, reach)
        sims = {a: self.run_similarity(keys, a) for a in nearby}
        best = max(nearby, key=sims.__getitem__, default=None)
        return best, (sims[best] if best is not None else 0.0)

    def first_apart(self, runs: Iterable[list[Key]], art: int, bar: Callable[[list[Key]], float]) -> tuple[list[Key], float]:
        """The first of `runs` (units of `art`) none of whose members shares `bar(run)` or more
        with the article once they are all left out, and that similarity ([], 0.0: none)."""
        for run in runs:
            together = self.apart_from(run, art)
            if together < bar(run):
                return run, together
        return [], 0.0

    def least_linked(self, run: list[Key]) -> float:
        """The lowest cosine of two units printed one after the other in `run`: how surely the
        run tells one story (0.0 for a single unit)."""
        return min((self.unit_cosine(a, b) for a, b in pairwise(run)), default=0.0)

    def alone(self, key: Key) -> bool:
        """The unit is the only paragraph with text in its article: nothing to compare it with."""
        art = self.article[key]
        if art not in self._texted:
            self._texted[art] = sum(1 for k in self.members.get(art, ()) if self.vectors[k])
        own = 1 if self.vectors[key] and key in self.members.get(art, ()) else 0
        return self._texted[art] - own == 0

    def typical(self, keys: list[Key]) -> float:
        sims = sorted(self.similarity(k, self.article[k]) for k in keys)
        return sims[len(sims) // 2] if sims else 0.0


def _nearby(home: int, articles: list[int], reach: int) -> list[int]:
    """The articles other than `home` at most `reach` away from it in the sorted `articles`."""
    return [a for a in articles[bisect_left(articles, home - reach) : bisect_right(articles, home + reach)] if a != home]


# The sums below run in C (map) but add the same terms in the same order as the
# generator expressions they replace, so the floats are the same to the last bit.
# Every bigram of a vector has its idf (the idf is counted over those vectors): the
# weights are read by plain indexing, and pow takes 2.0 (what it makes of 2 anyway).


class Squares:
    """(c·idf)² of each bigram for the counts c = 0, 1, 2 … met so far: a norm adds up terms read
    from these rows instead of multiplying and squaring per entry. A term is computed as
    pow(c * idf, 2.0) like before, so the sums are the same to the last bit. The bigrams of one
    document frequency (one idf) share a row, which grows when a vector counts one of them
    more often than any before."""

    _EVERY_ROW = 32  # counts up to this are added to every row at once; beyond, to the rows that need them

    def __init__(self, weights: dict[int, float], df: Counter[str]) -> None:
        self._weights = weights  # document frequency -> idf
        self._df = df
        self._rows = {d: [pow(c * w, 2.0) for c in range(4)] for d, w in weights.items()}
        self.of = dict(zip(df, map(self._rows.__getitem__, df.values())))

    def widen(self, vector: Counter[str]) -> None:
        """Rows that reach the vector's counts. (Only the rows of a page's most repeated bigrams grow
        past _EVERY_ROW, and only as far as their counts: the rows stay within the page's size.)"""
        top = max(vector.values())
        for d, row in self._rows.items():
            self._extend(row, d, min(top, self._EVERY_ROW))
        if top > self._EVERY_ROW:
            for g in [g for g, count in vector.items() if count > self._EVERY_ROW]:
                self._extend(self.of[g], self._df[g], vector[g])

    def _extend(self, row: list[float], d: int, count: int) -> None:
        weight = self._weights[d]
        row.extend(pow(c * weight, 2.0) for c in range(len(row), count + 1))


def norm2(vector: Counter[str], squares: Squares) -> float:
    """Σ (c·idf)² over the vector's entries."""
    try:
        return sum(map(getitem, map(squares.of.__getitem__, vector), vector.values()))
    except IndexError:  # a count beyond the rows so far
        squares.widen(vector)
        return norm2(vector, squares)


def _dot(v: Counter[str], w: Counter[str], idf2: dict[str, float]) -> float:
    """Σ v·w·idf² over v's entries."""
    return sum(map(mul, map(mul, v.values(), map(w.get, v, repeat(0))), map(idf2.__getitem__, v)))


def shared_dot(a: Counter[str], b: Counter[str], idf2: dict[str, float]) -> float:
    """Σ a·b·idf² over the entries both have (in the order of the set `a.keys() & b.keys()`)."""
    shared = a.keys() & b.keys()
    return sum(map(mul, map(mul, map(a.__getitem__, shared), map(b.__getitem__, shared)), map(idf2.__getitem__, shared)))


def by_article(items: list[Item], article: dict[Key, int]) -> dict[int, list[Item]]:
    """The items of each article, in page order (one pass: a file may hold hundreds of articles)."""
    found: dict[int, list[Item]] = {}
    for it in items:
        found.setdefault(article[it.key], []).append(it)
    return found


def cohesion_of(article: dict[Key, int], units: list[Item], texts: dict[Key, str]) -> Cohesion:
    """The units' vectors and their articles' profiles, by the page's article index."""
    vectors = {it.key: bigram_counts(texts[it.key]) for it in units}
    df = Counter(chain.from_iterable(vectors.values()))  # each unit's bigrams once
    squares, idf2 = idf_weights(df, max(1, len(vectors)))
    paragraphs: dict[int, list[Key]] = {art: [] for art in set(article.values())}
    for it in units:
        if it.kind == PARAGRAPH:
            paragraphs[article[it.key]].append(it.key)
    # a profile counts its paragraphs' bigrams in order: the sum of their vectors, keys in the same order
    profile = {art: Counter(chain.from_iterable(bigram_list(texts[k]) for k in keys)) for art, keys in paragraphs.items()}
    members = {art: set(keys) for art, keys in paragraphs.items() if keys}
    return Cohesion(vectors, squares, idf2, article, profile, members)


def idf_weights(df: Counter[str], total: int) -> tuple[Squares, dict[str, float]]:
    """Smoothed idf of each bigram, from document frequencies (one log per distinct
    frequency): as the squares of its multiples, and its square."""
    by_count = {c: math.log((1 + total) / (1 + c)) + 1 for c in set(df.values())}
    squared = {c: w**2 for c, w in by_count.items()}
    return Squares(by_count, df), dict(zip(df, map(squared.__getitem__, df.values())))


@lru_cache(maxsize=1024)
def bigram_counts(text: str) -> Counter[str]:
    """The text's bigram vector. Shared by every caller that reads the same text: never change it."""
    return Counter(bigram_list(text))


@lru_cache(maxsize=1024)
def bigram_list(text: str) -> tuple[str, ...]:
    """The text's character bigrams in order, punctuation and spaces left out. (Kept for the
    latest texts: the joiner, the cohesion and the article starts all read a page's paragraphs.)"""
    text = PUNCT_SPACE.sub("", text)
    # one string object per distinct bigram: the vectors of a page of thousands of paragraphs
    # would otherwise each hold their own copies (most of the memory on such a page)
    return tuple(map(intern, map(add, text, text[1:])))


def ngram_set(text: str, n: int) -> set[str]:
    """The text's distinct runs of n characters."""
    return {text[i : i + n] for i in range(max(0, len(text) - n + 1))}


def cosine_of(a: Counter[str], na: float, b: Counter[str], nb: float, idf2: dict[str, float]) -> float:
    """The cosine of two vectors whose weighted norms are known."""
    if not a or not b:
        return 0.0
    return shared_dot(a, b, idf2) / (na * nb) if na and nb else 0.0


def windows(seq: list, n: int, longest: int, fits: Callable[[list], bool]) -> Iterator[list]:
    """seq[n:n+2], seq[n:n+3] … up to `longest` long, while each is whole and `fits`."""
    for size in range(2, longest + 1):
        run = seq[n : n + size]
        if len(run) < size or not fits(run):
            return
        yield run
