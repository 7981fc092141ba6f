"""Structure detectors: the reorderer. From text alone they find which blocks are
halves of one paragraph (joins), where a page's articles start, which blocks are
duplicates, and which blocks were printed inside the wrong article (moves).

Each finding is its own fix with evidence, so rejecting one restores the source
arrangement for its blocks only.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex as re

from ..lexicon import frequency, seam_word, segment, tag
from ..model import (
    ARTICLE,
    BYLINE,
    DROP,
    FIGURE_KINDS,
    JOIN,
    KICKER,
    SUBTITLE,
    MOVE,
    PARAGRAPH,
    RELABEL,
    TITLE,
    Fix,
)
from ..rules import Rule
from ..textutil import ends_sentence, unbalanced, visible_len
from ..view import Item, Key, View
from . import detector
from .classify import headline_like, zone_kinds
from .common import compiled, make_fix


# -- shared views of the page ---------------------------------------------------
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
    idf: dict[str, float]
    article: dict[Key, int]
    profile: dict[int, Counter[str]]
    members: dict[int, set[Key]] = field(default_factory=dict)
    _norms: dict[int, float] = field(default_factory=dict)

    def similarity(self, key: Key, art: int) -> float:
        """Cosine of a unit with an article's profile, leaving the unit itself out.

        Computed from dot products so the profile is never copied: for P' = P - v,
        v·P' = v·P - v·v and |P'|² = |P|² - 2 v·P + |v|² (all idf-weighted)."""
        v, profile, idf = self.vectors[key], self.profile[art], self.idf
        if not v:
            return 0.0
        if art not in self._norms:
            self._norms[art] = sum((c * idf.get(g, 0.0)) ** 2 for g, c in profile.items())
        vp = sum(c * profile.get(g, 0) * idf.get(g, 0.0) ** 2 for g, c in v.items())
        vv = sum((c * idf.get(g, 0.0)) ** 2 for g, c in v.items())
        pp = self._norms[art]
        if key in self.members.get(art, ()):
            vp, pp = vp - vv, pp - 2 * vp + vv
        if vv <= 0 or pp <= 1e-12:
            return 0.0
        return max(0.0, vp / math.sqrt(vv * pp))

    def typical(self, keys: list[Key]) -> float:
        sims = sorted(self.similarity(k, self.article[k]) for k in keys)
        return sims[len(sims) // 2] if sims else 0.0


def cohesion_of(view: View, units: list[Item], texts: dict[Key, str]) -> Cohesion:
    article = view.article_index()
    vectors = {it.key: _bigrams(texts[it.key]) for it in units}
    df: Counter[str] = Counter()
    for vec in vectors.values():
        df.update(vec.keys())
    total = max(1, len(vectors))
    idf = {g: math.log((1 + total) / (1 + c)) + 1 for g, c in df.items()}
    profile: dict[int, Counter[str]] = {}
    members: dict[int, set[Key]] = {}
    for it in units:
        profile.setdefault(article[it.key], Counter())
        if it.kind == PARAGRAPH:
            profile[article[it.key]].update(vectors[it.key])
            members.setdefault(article[it.key], set()).add(it.key)
    for art in set(article.values()):
        profile.setdefault(art, Counter())
    return Cohesion(vectors, idf, article, profile, members)


# -- article starts --------------------------------------------------------------
@detector("article-start")
def article_start(rule: Rule, view: View) -> list[Fix]:
    """A headline after body text starts a new article: a `#` title, or headline-like lines
    right above a byline. The lines of its headline zone become kicker/title/subtitle."""
    live = [it for it in view.live() if it.kind not in FIGURE_KINDS]
    fixes: list[Fix] = []
    seen_body = False
    taken: set[Key] = set()
    max_lines = rule.param("max_lines", 3)
    shifts = _topic_shifts(rule, live)
    for n, item in enumerate(live):
        after_text = n > 0 and live[n - 1].kind == PARAGRAPH and live[n - 1].key not in taken
        anchor = _anchor(rule, live, n) or (item.key in shifts and after_text)
        if item.kind == PARAGRAPH and item.key not in taken and not (seen_body and anchor):
            seen_body = True
            continue
        if not seen_body or item.key in taken or not anchor:
            continue
        first = n
        while first > 0 and n - first + 1 < max_lines and _zone_line(rule, live[first - 1]) and live[first - 1].key not in taken:
            first -= 1
        last = n
        while last + 1 < len(live) and last - first + 1 < max_lines and _continues_zone(rule, live, last + 1):
            last += 1
        zone = live[first : last + 1]
        taken.update(it.key for it in zone)
        for it, kind in zip(zone, zone_kinds(rule, zone)):
            if it.kind != kind:
                fixes.append(
                    make_fix(
                        rule,
                        RELABEL,
                        [it],
                        after=it.text,
                        params={"kind": kind},
                        evidence={"zone_lines": len(zone), "from": it.kind, "to": kind},
                        message=f"{rule.param('title_message')} ({it.kind} → {kind})",
                        salt="title",
                    )
                )
        if item.kind == TITLE:
            cue = "a second headline on the page"
        elif item.key in shifts:
            cue = f"a headline where the vocabulary changes completely (window similarity {shifts[item.key]:.3f} of the page's typical)"
        else:
            cue = "a headline followed by a byline"
        fixes.append(_start(rule, zone[0], cue))
    return fixes


def _topic_shifts(rule: Rule, live: list[Item]) -> dict[Key, float]:
    """Headline-like lines where the text before and after share almost no vocabulary,
    relative to how much neighbouring windows share elsewhere in the document (TextTiling)."""
    paras = [n for n, it in enumerate(live) if it.kind == PARAGRAPH]
    window = rule.param("shift_window", 4)
    if len(paras) < 2 * window:
        return {}
    vectors = {n: _bigrams(live[n].text) for n in paras}
    df: Counter[str] = Counter()
    for vec in vectors.values():
        df.update(vec.keys())
    idf = {g: math.log((1 + len(paras)) / (1 + c)) + 1 for g, c in df.items()}

    def merged(indices: list[int]) -> Counter[str]:
        total: Counter[str] = Counter()
        for n in indices:
            total.update(vectors[n])
        return total

    def around(i: int, skip: int) -> float:
        return _cosine(merged(paras[max(0, i - window) : i]), merged(paras[i + skip : i + skip + window]), idf)

    base = sorted(around(i, 0) for i in range(2, len(paras) - 1))
    typical = base[len(base) // 2]
    if typical <= 0:
        return {}
    found: dict[Key, float] = {}
    for i, n in enumerate(paras):
        if i < rule.param("shift_min_before", 2) or i > len(paras) - 3 or not headline_like(rule, live[n]):
            continue
        ratio = around(i, 1) / typical
        if ratio < rule.param("shift_ratio", 0.035):
            found[live[n].key] = ratio
    return found


def _continues_zone(rule: Rule, live: list[Item], n: int) -> bool:
    """A further title line, or a headline-like subtitle that the byline follows."""
    item = live[n]
    if item.kind == TITLE:
        return True
    following = live[n + 1] if n + 1 < len(live) else None
    return item.kind == PARAGRAPH and headline_like(rule, item) and following is not None and following.kind == BYLINE


def _zone_line(rule: Rule, item: Item) -> bool:
    return item.kind in (TITLE, KICKER, SUBTITLE) or (item.kind == PARAGRAPH and headline_like(rule, item))


def _anchor(rule: Rule, live: list[Item], n: int) -> bool:
    item = live[n]
    nxt = live[n + 1] if n + 1 < len(live) else None
    if item.kind == TITLE:
        return n == 0 or live[n - 1].kind not in (TITLE, KICKER)
    return item.kind == PARAGRAPH and nxt is not None and nxt.kind == BYLINE and headline_like(rule, item)


def _start(rule: Rule, item: Item, why: str) -> Fix:
    return make_fix(
        rule,
        ARTICLE,
        [item],
        after=f"new article: {item.text}",
        evidence={"cue": why},
        message=f"{rule.message}: {item.text[:30]}",
    )


# -- joins: halves of one paragraph ------------------------------------------------
_ENUM_PATTERNS = (
    (r"([一二三四五六七八九十]+)是", "shi"),
    (r"第([一二三四五六七八九十]+)[，,、是]", "di"),
    (r"[（(]([一二三四五六七八九十]+)[）)]", "paren"),
    (r"(?:^|[。；;])\s*([一二三四五六七八九十]+)、", "dun"),
)
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_ORDINAL_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_DIGITS.get(text[1], 0)
    return _CN_DIGITS.get(text[-1], 0) + (10 if len(text) > 1 else 0)


def enumerations(text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for pattern, family in _ENUM_PATTERNS:
        nums = [_cn_number(m.group(1)) for m in re.finditer(pattern, text)]
        if nums:
            found[family] = nums
    words = [v for w, v in _ORDINAL_WORDS.items() if w in text]
    if words:
        found["order"] = words
    return found


_QUOTES = (("“", "”"), ("「", "」"), ("《", "》"), ("（", "）"))


def _closes_open_quote(head: str, tail: str) -> bool | None:
    """For a head with an unclosed quote or bracket: does the tail close it before opening another?"""
    for opening, closing in _QUOTES:
        if head.count(opening) > head.count(closing):
            first_close, first_open = tail.find(closing), tail.find(opening)
            return first_close >= 0 and (first_open < 0 or first_close < first_open)
    return None


def _fragment_clause(rule: Rule, text: str) -> bool:
    """The first clause is one character, or a few that make no word (尽治，): the end of a cut sentence."""
    m = re.match(r"([^，,。；;：:！？!?\s]*)[，,。；;：:！？!?]", text)
    if m is None or not m.group(1):
        return False
    clause = m.group(1)
    if re.search(r"\d", clause):
        return False
    if len(clause) == 1:
        return True
    return len(clause) <= rule.param("short_clause_chars", 3) and frequency(clause) < rule.param("word_min_freq", 50)


def _word_clause(rule: Rule, text: str) -> bool:
    """The block opens with a connective, adverb or time word set off by a comma (当然，于是，目前，)."""
    m = re.match(r"([\p{Han}]{2,4})[，,]", text)
    return m is not None and tag(m.group(1)) in rule.param("opener_tags", [])


def _starts_with_enum(text: str, family: str) -> bool:
    pattern = next(p for p, f in _ENUM_PATTERNS if f == family) if family != "order" else "|".join(_ORDINAL_WORDS)
    m = re.search(pattern, text)
    return m is not None and m.start() == 0


@dataclass
class Candidate:
    head: Item
    tail: Item
    score: float
    cues: dict[str, float]
    direction: str
    distance: int


def is_open(item: Item) -> bool:
    return item.kind == PARAGRAPH and (not ends_sentence(item.text) or unbalanced(item.text))


def _head_features(rule: Rule, head: Item) -> dict[str, Any]:
    h = head.text.rstrip()
    sentence = any(compiled(p).match(h) for p in rule.param("head_openers", []))
    last_clause = re.split(r"[，,、；;：:]", h)[-1]
    return {
        "text": h,
        "open_end": not ends_sentence(h),
        "dangling_end": bool(h) and h[-1] in rule.param("dangling_end", ""),
        "soft_end": bool(compiled(rule.param("soft_end", r"[，,、：:；;—]$")).search(h)),
        "unbalanced": unbalanced(h),
        "long_head": visible_len(h) > rule.param("long_head_chars", 40),
        "head_sentence": sentence,
        "short_head": not sentence
        and visible_len(h) <= rule.param("short_head_chars", 30)
        and headline_like(rule, head)
        and visible_len(last_clause) >= rule.param("heading_clause_chars", 4),
        "enums": enumerations(h),
    }


def _tail_features(rule: Rule, tail: Item) -> dict[str, Any]:
    t = tail.text.lstrip()
    punct = bool(compiled(rule.param("continuation_start")).match(t))
    first = segment(re.sub(r"\s", "", t)[:6])[:1]
    opener = any(compiled(p).match(t) for p in rule.param("openers", []))
    first_word = segment(re.sub(r"\s", "", t)[:8])[:1]
    first_tag = tag(first_word[0]) if first_word else ""
    return {
        "text": t,
        "tail_punct": punct,
        "tail_particle": not punct and bool(first) and len(first[0]) == 1 and first[0] in rule.param("non_initial", ""),
        "opener": opener,
        # a speech quote opens paragraphs; a short quoted term (“高新”温度…) rarely does
        "quote_start": bool(re.match(r"[“「『][^”」』]{%d,}" % rule.param("term_quote_chars", 6), t)),
        "short_tail": visible_len(t) < rule.param("short_tail_chars", 25) and ends_sentence(t) and not headline_like(rule, tail),
        "short_first_clause": not opener and _fragment_clause(rule, t),
        "word_clause": not opener and _word_clause(rule, t),
        "start_word": not opener and first_tag in rule.param("start_tags", []),
        "mid_word": first_tag in rule.param("mid_tags", []),
        "enum_opener": any(compiled(p).match(t) for p in rule.param("enum_openers", [])),
        "tail_headline": headline_like(rule, tail) and not punct,
        "enums": enumerations(t),
    }


def _score(
    rule: Rule,
    head: Item,
    tail: Item,
    distance: int,
    forward: bool,
    same_article: bool,
    hf: dict[str, Any] | None = None,
    tf: dict[str, Any] | None = None,
) -> tuple[float, dict[str, float]]:
    w: dict[str, float] = rule.param("weights", {})
    hf = hf or _head_features(rule, head)
    tf = tf or _tail_features(rule, tail)
    cues: dict[str, float] = {}
    h, t = hf["text"], tf["text"]

    def cue(name: str, on: bool = True) -> None:
        if on and name in w:
            cues[name] = w[name]

    for name in ("open_end", "dangling_end", "soft_end", "unbalanced"):
        cue(name, hf[name])
    closes = _closes_open_quote(h, t)
    if closes is not None:
        cue("quote_closed" if closes else "quote_unclosed")
    for name in ("long_head", "head_sentence", "short_head"):
        cue(name, hf[name])
    if tf["tail_punct"]:
        cue("tail_punct")
    else:
        cue("tail_particle", tf["tail_particle"])
        word = seam_word(h, t, min_freq=rule.param("seam_min_freq", 3))
        if word and "seam_word" in w:
            # common words across the seam are stronger evidence than rare ones
            cues["seam_word"] = min(w["seam_word"] + 0.5 * math.log10(frequency(word)), rule.param("seam_max", 4.5))
    for name in ("opener", "quote_start", "short_tail", "short_first_clause", "word_clause", "start_word", "mid_word", "tail_headline"):
        cue(name, tf[name])
    he, te = hf["enums"], tf["enums"]
    for family in set(he) & set(te):
        if min(te[family]) == max(he[family]) + 1:
            # the next item at the very start of a block opens a new paragraph of the list
            cue("enum_item" if _starts_with_enum(t, family) else "enum_next")
        elif min(te[family]) <= max(he[family]):
            cue("enum_break")
    # a list that starts afresh opens a paragraph, unless it continues the head's list
    cue("opener", tf["enum_opener"] and "enum_next" not in cues)
    cue("adjacent", distance == 0 and forward)
    if distance and "distance" in w:
        cues["distance"] = w["distance"] * min(distance, rule.param("max_distance", 30))
    cue("backward", not forward)
    cue("cross_article", not same_article)
    return sum(cues.values()), cues


@detector("join")
def join(rule: Rule, view: View) -> list[Fix]:
    threshold = rule.param("threshold", 3.0)
    orphan = rule.param("orphan_threshold", threshold)
    candidates = [
        c for c in (_candidate(*pair) for pair in candidate_cues(rule, view)) if c.score >= min(threshold, orphan)
    ]
    chosen = _match([c for c in candidates if c.score >= threshold])
    chosen += _orphans(rule, candidates, chosen)
    return [_join_fix(rule, c) for c in sorted(chosen, key=lambda c: c.head.key)]


def _candidate(head: Item, tail: Item, cues: dict[str, float], between: int, forward: bool) -> Candidate:
    return Candidate(head, tail, sum(cues.values()), cues, "forward" if forward else "backward", between)


def candidate_cues(rule: Rule, view: View):
    """Every (open head, tail) pair within the window: (head, tail, weighted cues, blocks between, forward)."""
    items = flow(view)
    article = view.article_index()
    position = {it.key: n for n, it in enumerate(items)}
    body = [it for it in items if it.kind == PARAGRAPH]
    window = rule.param("max_distance", 30)
    weights = rule.param("weights", {})
    stats = cohesion_of(view, body, {it.key: it.text for it in body})
    # long blocks that share no vocabulary with their article are skipped by the reading flow
    judged = [it.key for it in body if visible_len(it.text) >= rule.param("stray_min_chars", 40)]
    typical = {a: stats.typical([it.key for it in body if article[it.key] == a]) for a in set(article.values())}
    stray = {k for k in judged if stats.similarity(k, article[k]) < rule.param("stray_factor", 0.5) * typical[article[k]]}
    lead_slot = _lead_slot(rule, body, article)
    tail_features: dict[Key, dict[str, Any]] = {}
    # paragraphs before each flow position that the reading flow does not skip
    counted = [0]
    for it in items:
        counted.append(counted[-1] + (it.kind == PARAGRAPH and it.key not in stray))
    for head in body:
        if not is_open(head):
            continue
        hf = _head_features(rule, head)
        p = position[head.key]
        for tail in items[max(0, p - window - 1) : p + window + 2]:
            if tail is head or tail.kind != PARAGRAPH:
                continue
            forward = position[tail.key] > p
            lo, hi = sorted((p, position[tail.key]))
            between = counted[hi] - counted[lo + 1]
            if tail.key not in tail_features:
                tail_features[tail.key] = _tail_features(rule, tail)
            tf = tail_features[tail.key]
            _, cues = _score(rule, head, tail, between, forward, article[head.key] == article[tail.key], hf, tf)
            if tail.key in stray and "stray_tail" in weights:
                cues["stray_tail"] = weights["stray_tail"]
            if not forward and tail.key in lead_slot and "lead_slot" in weights:
                cues["lead_slot"] = weights["lead_slot"]
            yield head, tail, cues, between, forward


def _lead_slot(rule: Rule, body: list[Item], article: dict[Key, int]) -> set[Key]:
    """Blocks printed right after an article's first paragraph: where extraction puts the
    bottoms of columns whose heads come later (the tails of 一是…四是 in an e-paper page)."""
    slot: set[Key] = set()
    per_article: dict[int, list[Item]] = {}
    for it in body:
        per_article.setdefault(article[it.key], []).append(it)
    for items in per_article.values():
        for it in items[1 : 1 + rule.param("lead_slot_blocks", 3)]:
            slot.add(it.key)
    return slot


def _orphans(rule: Rule, candidates: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """A head that is unmistakably open (an unclosed quote, a trailing comma) continues somewhere:
    with no strong candidate it takes its best forward one, at low confidence."""
    heads = {c.head.key for c in chosen}
    tails = {c.tail.key for c in chosen}
    extra: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.head.key in heads or c.tail.key in tails or c.tail.key in heads or c.direction != "forward":
            continue
        if not ("unbalanced" in c.cues or "soft_end" in c.cues) or "opener" in c.cues:
            continue
        heads.add(c.head.key)
        tails.add(c.tail.key)
        c.cues["orphan"] = 0.0
        extra.append(c)
    return extra


def _match(candidates: list[Candidate]) -> list[Candidate]:
    """Greedy best-first matching: a head takes one tail, a tail one head, no cycles."""
    chosen: list[Candidate] = []
    has_tail: set[Key] = set()
    has_head: set[Key] = set()
    parent: dict[Key, Key] = {}

    def find(k: Key) -> Key:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    for c in sorted(candidates, key=lambda c: (-c.score, c.distance, c.head.key)):
        h, t = c.head.key, c.tail.key
        if h in has_tail or t in has_head or find(h) == find(t):
            continue
        has_tail.add(h)
        has_head.add(t)
        parent[find(t)] = find(h)
        chosen.append(c)
    return chosen


def _join_fix(rule: Rule, c: Candidate) -> Fix:
    h, t = c.head.text, c.tail.text
    latin = bool(re.search(r"[A-Za-z0-9]$", h) and re.match(r"[A-Za-z]", t))
    params: dict[str, Any] = {"sep": " " if latin else ""}
    if c.direction == "forward" and c.distance > 0:
        params["at"] = "tail"  # the half printed early was displaced; the paragraph stands where its tail is
    where = "adjacent" if c.distance == 0 and c.direction == "forward" else f"{c.distance} blocks {'later' if c.direction == 'forward' else 'earlier'}"
    return make_fix(
        rule,
        JOIN,
        [c.head, c.tail],
        before=f"{h}\n{t}",
        after=h + params["sep"] + t,
        params=params,
        evidence={
            "seam": f"{h[-12:]}|{t[:12]}",
            "head_line": c.head.line,
            "tail_line": c.tail.line,
            "direction": c.direction,
            "distance": c.distance,
            "cues": {k: round(v, 2) for k, v in c.cues.items()},
            "score": round(c.score, 2),
        },
        message=f"{rule.message} (continuation {where})",
        confidence=min(0.99, 0.5 + 0.06 * c.score),
    )


# -- near-duplicate paragraphs -----------------------------------------------------
_STRIP = re.compile(r"[\p{P}\p{S}\s]+")


def _grams(text: str, n: int) -> set[str]:
    text = _STRIP.sub("", text)
    return {text[i : i + n] for i in range(max(0, len(text) - n + 1))}


@detector("near-duplicate")
def near_duplicate(rule: Rule, view: View) -> list[Fix]:
    n = rule.param("ngram", 3)
    min_chars = rule.param("min_chars", 30)
    threshold = rule.param("containment", 0.85)
    members = groups(view)
    tails = {k for ks in members.values() for k in ks[1:]}
    paras = [it for it in flow(view) if it.kind == PARAGRAPH and it.key not in tails]
    texts = {it.key: group_text(view, members.get(it.key, [it.key])) for it in paras}
    grams = {k: _grams(t, n) for k, t in texts.items() if visible_len(t) >= min_chars}
    postings: dict[str, list[Key]] = {}
    for key, gs in grams.items():
        for g in gs:
            postings.setdefault(g, []).append(key)
    fixes: list[Fix] = []
    dropped: set[Key] = set()
    for key in sorted(grams, key=lambda k: len(grams[k])):
        shared: Counter[Key] = Counter()
        for g in grams[key]:
            plist = postings[g]
            if len(plist) <= rule.param("max_posting", 50):
                shared.update(k for k in plist if k != key)
        if not shared:
            continue
        other, count = shared.most_common(1)[0]
        containment = count / max(1, len(grams[key]))
        bigger = len(grams[other]) > len(grams[key]) or (len(grams[other]) == len(grams[key]) and other < key)
        if containment < threshold or not bigger or other in dropped:
            continue
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
                evidence={
                    "duplicate_of_line": view.get(other).line,
                    "kept": texts[other][:60],
                    "containment": round(containment, 3),
                },
                message=f"{rule.message} (kept the complete copy at line {view.get(other).line})",
            )
        )
    return fixes


# -- foreign blocks: cohesion with the page's articles ---------------------------------
def _bigrams(text: str) -> Counter[str]:
    text = _STRIP.sub("", text)
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(a[g] * b[g] * idf.get(g, 0.0) ** 2 for g in a.keys() & b.keys())
    na = math.sqrt(sum((c * idf.get(g, 0.0)) ** 2 for g, c in a.items()))
    nb = math.sqrt(sum((c * idf.get(g, 0.0)) ** 2 for g, c in b.items()))
    return dot / (na * nb) if na and nb else 0.0


@detector("cohesion")
def cohesion(rule: Rule, view: View) -> list[Fix]:
    members = groups(view)
    tails = {k for ks in members.values() for k in ks[1:]}
    article = view.article_index()
    live = [it for it in view.live() if it.key not in tails]
    units = [it for it in live if it.kind in (PARAGRAPH, *FIGURE_KINDS)]
    texts = {it.key: group_text(view, members.get(it.key, [it.key])) for it in units}
    stats = cohesion_of(view, units, texts)
    vectors, idf, profile = stats.vectors, stats.idf, stats.profile
    articles = sorted(set(article[it.key] for it in live))
    paras = [it for it in units if it.kind == PARAGRAPH]
    sim_to = stats.similarity

    gap = _gap_keys(view, members)
    typical = stats.typical([it.key for it in paras if it.key not in gap])
    fixes: list[Fix] = []
    moved_to: dict[Key, tuple[str, Any]] = {}
    for it in units:
        if it.kind != PARAGRAPH:
            continue
        home = article[it.key]
        own = sim_to(it.key, home)
        best = max((a for a in articles if a != home), key=lambda a: sim_to(it.key, a), default=None)
        other = sim_to(it.key, best) if best is not None else 0.0
        evidence = {"similarity_own": round(own, 3), "typical_own": round(typical, 3), "similarity_other": round(other, 3)}
        in_gap = it.key in gap
        ratio = rule.param("gap_ratio" if in_gap else "ratio", 2.0)
        floor = rule.param("gap_min_relative" if in_gap else "min_relative", 0.5) * typical
        if best is not None and other >= max(floor, rule.param("min_similarity", 0.03)) and other >= ratio * own:
            target = _article_head(view, article, best)
            fixes.append(_move_to_article(rule, it, view, article, best, target, {**evidence, "similarity_target": round(other, 3)}))
            moved_to[it.key] = ("article", best)
        elif in_gap and own < rule.param("gap_own_factor", 0.5) * typical:
            fragment = _fragment_id(view, it, moved_to)
            fixes.append(_move_to_fragment(rule, it, fragment, {**evidence, "cue": "printed inside a split paragraph"}))
            moved_to[it.key] = ("fragment", fragment)
    fixes += _figures_follow(rule, view, vectors, idf, article, moved_to, profile)
    return fixes


def _fragment_id(view: View, item: Item, moved_to: dict[Key, tuple[str, Any]]) -> str:
    """Adjacent stray blocks form one item: reuse the id of the previous unit if it is stray too."""
    live = [it for it in view.live() if it.kind not in FIGURE_KINDS]
    n = next(i for i, it in enumerate(live) if it.key == item.key)
    if n and moved_to.get(live[n - 1].key, ("", ""))[0] == "fragment":
        return moved_to[live[n - 1].key][1]
    return f"L{item.line}"


def _gap_keys(view: View, members: dict[Key, list[Key]]) -> set[Key]:
    """Blocks printed between the halves of a paragraph split across a forward gap."""
    order = {it.key: n for n, it in enumerate(view.items)}
    gap: set[Key] = set()
    for head, keys in members.items():
        chain = [head, *keys[1:]]
        for a, b in zip(chain, chain[1:]):
            if order[b] > order[a] + 1:
                gap.update(it.key for it in view.items[order[a] + 1 : order[b]] if it.live)
    return gap


def _article_head(view: View, article: dict[Key, int], index: int) -> tuple[Key | None, Key | None]:
    """(start key, first body key) of an article."""
    keys = [it for it in view.live() if article[it.key] == index]
    start = keys[0].key if keys else None
    first_body = next((it.key for it in keys if it.kind == PARAGRAPH), None)
    return start, first_body


def _move_to_article(rule: Rule, item: Item, view: View, article, index: int, target, evidence) -> Fix:
    start, first_body = target
    title = next((it.text for it in view.live() if article[it.key] == index and it.kind == TITLE), None)
    return make_fix(
        rule,
        MOVE,
        [item],
        after=f"→ start of the article “{title or f'#{index + 1}'}”",
        params={"to": list(start) if start else None, "before": list(first_body) if first_body else None},
        evidence={**evidence, "to_article": title or index + 1},
        message=f"{rule.message}: belongs to “{(title or '')[:20]}”",
        salt="article",
    )


def _move_to_fragment(rule: Rule, item: Item, fragment: str, evidence) -> Fix:
    return make_fix(
        rule,
        MOVE,
        [item],
        after="→ a separate item (no article on the page shares its vocabulary)",
        params={"fragment": fragment},
        evidence=evidence,
        message=rule.param("fragment_message", rule.message),
        salt="fragment",
    )


def _figures_follow(rule, view, vectors, idf, article, moved_to, profile) -> list[Fix]:
    """Captions and credits go with the item they describe: a moved neighbour, or the
    unit elsewhere on the page that shares their names (a credit printed far away)."""
    fixes: list[Fix] = []
    order = [it for it in view.live()]
    for n, it in enumerate(order):
        if it.kind not in FIGURE_KINDS:
            continue
        neighbour = next(
            (o for o in (order[n - 1] if n else None, order[n + 1] if n + 1 < len(order) else None) if o is not None and o.key in moved_to),
            None,
        )
        if neighbour is not None:
            kind, target = moved_to[neighbour.key]
        else:
            profiles: dict[str, Counter[str]] = {}
            for other, (kind_o, target_o) in moved_to.items():
                if kind_o == "fragment":
                    profiles.setdefault(target_o, Counter()).update(vectors[other])
            scored = [(_cosine(vectors[it.key], prof, idf), frag) for frag, prof in profiles.items()]
            best_sim, best_frag = max(scored, default=(0.0, None))
            home = _cosine(vectors[it.key], profile[article[it.key]], idf)
            if best_frag is None or best_sim < rule.param("figure_similarity", 0.15) or best_sim < rule.param("ratio", 3.0) * home:
                continue
            kind, target = "fragment", best_frag
        if kind == "fragment":
            fixes.append(_move_to_fragment(rule, it, target, {"follows": neighbour.line if neighbour else "shared names"}))
        else:
            head = _article_head(view, article, target)
            fixes.append(_move_to_article(rule, it, view, article, target, head, {"follows": neighbour.line if neighbour else None}))
    return fixes
