"""Halves of one paragraph: which open block continues in which other block."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import regex as re

from ..lexicon import frequency, last_word, seam_word, segment, tag
from ..model import JOIN, PARAGRAPH, Fix
from ..rules import Rule
from ..textutil import ends_sentence, unbalanced, visible_len
from ..view import Item, Key, View
from . import detector
from .classify import SENTENCE_START_LISTS, headline_like, plain_in_marked
from .jumps import jump_pairs
from .common import compiled, make_fix, starts_like, starts_like_any
from .page import Cohesion, by_article, cohesion_of, flow, windows


_ENUM_PATTERNS = tuple(
    (re.compile(pattern), family)
    for pattern, family in (
        (r"([一二三四五六七八九十]+)是", "shi"),
        (r"第([一二三四五六七八九十]+)[，,、是]", "di"),
        (r"[（(]([一二三四五六七八九十]+)[）)]", "paren"),
        (r"(?:^|[。；;])\s*([一二三四五六七八九十]+)、", "dun"),
    )
)
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_ORDINAL_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}
_ORDINAL_PATTERN = re.compile("|".join(_ORDINAL_WORDS))


_FIRST_CLAUSE = re.compile(r"([^，,。；;：:！？!?\s]*)[，,。；;：:！？!?]")
_DIGIT = re.compile(r"\d")
_HAN_ONLY = re.compile(r"\p{Han}+$")
_COMMAS = "，,"
_WORD_CLAUSE = re.compile(r"([\p{Han}]{2,4})[，,]")
_COMMA_BREAK = re.compile(r"[，,、；;：:]")
_SPACE = re.compile(r"\s")
_LATIN_END = re.compile(r"[A-Za-z0-9+]$")
_LATIN_START = re.compile(r"[A-Za-z]")
_LETTER_END = re.compile(r"[A-Za-z]$")
_DIGIT_END = re.compile(r"[0-9０-９]$")
_CLAUSE_MARK = r"[，,、；;：:。！？!?]"
_CLAUSE_BREAK = re.compile(_CLAUSE_MARK)
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+#%-]*")
# characters of a run that can echo across a seam: Han, Latin letters and digits (full-width too)
_ECHO_RUN = re.compile(r"[\p{Han}A-Za-z0-9Ａ-Ｚａ-ｚ０-９]+")
# cues that a pair was cut mid-sentence, beyond the head's open end: with any, a first paragraph is no deck
_CUT_EVIDENCE = frozenset({"seam_word", "seam_echo", "mid_word", "tail_particle", "tail_punct", "short_first_clause", "number_unit", "counted_noun", "date_object", "quote_closed", "head_sentence"})
# tail cues that say a block opens a sentence: void when a seam word takes the tail's first word
_SENTENCE_START_CUES = ("opener", "start_word", "word_clause")


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_DIGITS.get(text[1], 0)
    return _CN_DIGITS.get(text[-1], 0) + (10 if len(text) > 1 else 0)


def enumerations(text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for pattern, family in _ENUM_PATTERNS:
        nums = [_cn_number(m.group(1)) for m in pattern.finditer(text)]
        if nums:
            found[family] = nums
    words = [v for w, v in _ORDINAL_WORDS.items() if w in text]
    if words:
        found["order"] = words
    return found


_QUOTES = (("“", "”"), ("「", "」"), ("《", "》"), ("（", "）"))


def _closes(quote: tuple[str, str], tail: str) -> bool:
    """For a head's unclosed quote or bracket: does the tail close it before opening another?"""
    opening, closing = quote
    first_close, first_open = tail.find(closing), tail.find(opening)
    return first_close >= 0 and (first_open < 0 or first_close < first_open)


def _fragment_clause(rule: Rule, text: str) -> bool:
    """The first clause is one character, or a few that make no word (尽治，), or only a quantity
    (120亿元，): the end of a cut sentence."""
    m = _FIRST_CLAUSE.match(text)
    if m is None or not m.group(1):
        return False
    clause = m.group(1)
    if compiled(rule.param("quantity_clause", r"(?!)")).fullmatch(clause):
        return True  # a quantity with nothing else in its clause (120亿元，): the end of 实现产值|120亿元
    if _DIGIT.search(clause):
        return False
    if len(clause) == 1:
        return True
    if m.group(0)[-1] in _COMMAS and _one_word_of(clause, rule.param("fragment_tags", [])):
        return True  # 严重，: an adjective set off by a comma ends a cut sentence (openers aside: 幸好，)
    if m.group(0)[-1] in rule.param("full_stops", "") and _HAN_ONLY.match(clause):
        return len(clause) <= rule.param("short_sentence_chars", 0)
    return len(clause) <= rule.param("short_clause_chars", 3) and frequency(clause) < rule.param("word_min_freq", 50)


def _one_word_of(clause: str, tags: list[str]) -> bool:
    """The clause is one dictionary word of one of these parts of speech."""
    return tag(clause) in tags and _HAN_ONLY.match(clause) is not None and len(segment(clause)) == 1


def _word_clause(rule: Rule, text: str) -> bool:
    """The block opens with a connective, adverb or time word set off by a comma (当然，于是，目前，)."""
    m = _WORD_CLAUSE.match(text)
    return m is not None and tag(m.group(1)) in rule.param("opener_tags", [])


def _starts_with_enum(text: str, family: str) -> bool:
    pattern = next(p for p, f in _ENUM_PATTERNS if f == family) if family != "order" else _ORDINAL_PATTERN
    return pattern.match(text) is not None


@dataclass
class Candidate:
    head: Item
    tail: Item
    score: float
    cues: dict[str, float]
    direction: str
    distance: int


def _bracketed(rule: Rule, text: str) -> bool:
    """A line wholly in brackets (a dateline, a note): a unit of its own."""
    return compiled(rule.param("bracketed_line", r"(?!)")).match(text) is not None


def is_open(rule: Rule, item: Item) -> bool:
    """No sentence end, or an unclosed quote or bracket; a line wholly in brackets is complete."""
    text = item.text
    return item.kind == PARAGRAPH and not _bracketed(rule, text) and (not ends_sentence(text) or unbalanced(text))


def _clause_length(clause: str) -> int:
    """Characters of a clause, a Latin word or a number counting as one."""
    return visible_len(_LATIN_WORD.sub("词", clause))


def _tail_side(word: str, head: str, tail: str) -> str:
    """The part of a seam word printed at the start of the tail ("" if the word is not across the seam)."""
    return next((word[i:] for i in range(1, len(word)) if head.endswith(word[:i]) and tail.startswith(word[i:])), "")


def _splits_first_word(part: str, first_word: str) -> bool:
    """The seam word's part in the tail takes only part of the tail's own first word."""
    return bool(part) and first_word.startswith(part) and len(part) < len(first_word)


_HEAD_END_CUES = ("open_end", "dangling_end", "soft_end", "unbalanced")
_HEAD_SHAPE_CUES = ("long_head", "runs_on", "head_sentence", "short_head")
_TAIL_SHAPE_CUES = ("opener", "quote_start", "short_tail", "short_first_clause", "word_clause", "start_word", "mid_word", "tail_headline", "tail_open")


def _present(weights: dict[str, float], features: dict[str, Any], names: tuple[str, ...]) -> dict[str, float]:
    """The weighted cues among `names` that the features turn on, in the order of `names`."""
    return {name: weights[name] for name in names if features[name] and name in weights}


def _open_quote(head: str) -> tuple[str, str] | None:
    """The first quote or bracket pair the head opens more often than it closes."""
    for opening, closing in _QUOTES:
        if head.count(opening) > head.count(closing):
            return opening, closing
    return None


def _echo_piece(piece: str, length: int) -> str:
    """The piece, if it is `length` characters that can echo (Han, Latin letters, digits); else ""."""
    return piece if len(piece) == length and _ECHO_RUN.fullmatch(piece) else ""


def _leading_run(text: str) -> int:
    """How many characters that can echo the text opens with."""
    run = _ECHO_RUN.match(text)
    return run.end() if run else 0


def _leading_piece(text: str, run: int, length: int) -> str:
    """The text's first `length` characters if they can echo (it opens with a `run` of such); else ""."""
    return text[:length] if run >= length else ""


def _tail_enums(tf: dict[str, Any]) -> dict[str, list[int]]:
    """The tail's enumerations, found the first time a head with one asks (most heads have none)."""
    if "enums" not in tf:
        tf["enums"] = enumerations(tf["text"])
    return tf["enums"]


def _takes_first_word(word: str, part: str, first_word: str) -> bool:
    """The seam word (whose part in the tail is `part`) takes the tail's whole first word
    (采|访时表示 -> 采访), and is the more common of the two: the tail does not open with a word
    of its own, so what its start looks like says nothing. (占|有分析人士…: 有 is far more
    common than 占有, and opens the tail.)"""
    return bool(first_word) and bool(part) and part.startswith(first_word) and frequency(word) > frequency(first_word)


def _particle_start(compact: str, particles: str) -> bool:
    """The text opens with a particle standing as a word of its own (的, 了 …)."""
    # the segmentation only when the first character could be one: most tails open otherwise
    return bool(compact) and compact[0] in particles and len(segment(compact[:6])[0]) == 1


def _head_features(rule: Rule, head: Item, echo_n: int, plain: bool = False) -> dict[str, Any]:
    """`plain`: a line left plain in an article that marks its headings (## …): no heading."""
    h = head.text.rstrip()
    sentence = starts_like(rule, "head_openers", h)
    last_clause = _COMMA_BREAK.split(h)[-1]
    weights = rule.param("weights", {})
    long_head = visible_len(h) > rule.param("long_head_chars", 40)
    dangling = bool(h) and h[-1] in rule.param("dangling_end", "")
    # short and shaped like a heading (a clause that only opens sentences, 去年，…, makes it text)
    short = (
        not sentence
        and not starts_like_any(rule, SENTENCE_START_LISTS, h)
        and visible_len(h) <= rule.param("short_head_chars", 30)
        and headline_like(rule, head)
        and visible_len(last_clause) >= rule.param("heading_clause_chars", 4)
    )
    features = {
        "text": h,
        "latin_end": bool(_LATIN_END.search(h)),
        "digit_end": bool(_DIGIT_END.search(h)),
        "count_end": bool(compiled(rule.param("count_end", r"(?!)")).search(h)),
        "counter_end": bool(compiled(rule.param("counter_end", r"(?!)")).search(h)),
        # (in a sentence: a heading ends so too, 温暖常在, and a short line of one clause may be one)
        "time_preposition_end": (long_head or bool(_COMMA_BREAK.search(h))) and last_word(h) in rule.param("time_prepositions", []),
        "open_end": not ends_sentence(h),
        "dangling_end": dangling,
        "soft_end": bool(compiled(rule.param("soft_end", r"[，,、：:；;—]$")).search(h)),
        "unbalanced": unbalanced(h),
        "long_head": long_head,
        # shorter, but a finished sentence with more after it: body text as surely
        "runs_on": not long_head and bool(compiled(rule.param("runs_on", r"(?!)")).search(h)),
        "head_sentence": sentence,
        "short_head": short and not plain,
        # ... which, in an article that marks its headings, is the head of a cut paragraph
        "unmarked_line": short and plain,
        "enums": enumerations(h),
        "end_clause": _clause_length(_CLAUSE_BREAK.split(h)[-1]),
        # a Han character before which a Latin or numeric token starts no echo (高通|5G)
        "name_end": bool(compiled(rule.param("token_seam_head", r"(?!)")).search(h)),
        "open_quote": _open_quote(h),
        # the head's side of each run of echo_n characters across a seam ("" when one cannot echo)
        # (not from a lone function character: 的|丁春 recurs wherever 的 precedes a name)
        "echo_ends": tuple("" if k == 1 and dangling else _echo_piece(h[-k:], k) for k in range(1, echo_n)),
        # and of the one run, a character longer, that counts where two words meet at the seam
        "boundary_end": _echo_piece(h[-((echo_n + 1) // 2) :], (echo_n + 1) // 2),
    }
    features["end_cues"] = _present(weights, features, _HEAD_END_CUES)
    features["shape_cues"] = _present(weights, features, _HEAD_SHAPE_CUES)
    return features


def _unit_start(rule: Rule, word: str) -> bool:
    """The word is a number's unit: one unit character or a numeral or measure word starting with
    one (万元, 个月), not a word such as 家长 or 人民."""
    return bool(word) and word[0] in rule.param("number_units", "") and (
        len(word) == 1 or tag(word) in rule.param("unit_tags", [])
    )


def _approx_start(rule: Rule, words: list[str]) -> bool:
    """The text whose first words these are opens with an approximation and a unit, the rest of
    a count: one numeral or measure word (多平方米, 多名, 余亩), or the approximation alone before
    a unit (余|人), not a word that only starts so (多元化, 多米诺)."""
    if not words or words[0][0] not in rule.param("approximators", ""):
        return False
    if len(words[0]) > 1:
        return tag(words[0]) in rule.param("unit_tags", [])
    return len(words) > 1 and _unit_start(rule, words[1])


def _tail_features(rule: Rule, tail: Item, echo_n: int, plain: bool = False) -> dict[str, Any]:
    """`plain`: as for _head_features."""
    t = tail.text.lstrip()
    punct = bool(compiled(rule.param("continuation_start")).match(t))
    compact = _SPACE.sub("", t[:64])
    # (no cut sentence ends in a line wholly in brackets either: it is printed apart)
    opener = starts_like_any(rule, ("openers", "clause_openers"), t) or _bracketed(rule, t)
    words = segment(compact[:8])
    first_word = words[:1]
    first_tag = tag(first_word[0]) if first_word else ""
    headline = headline_like(rule, tail)
    run = _leading_run(t)
    finished, length = ends_sentence(t), visible_len(t)
    weights = rule.param("weights", {})
    features = {
        "text": t,
        "latin_start": bool(_LATIN_START.match(t)),
        "unit_start": _unit_start(rule, first_word[0] if first_word else ""),
        "approx_start": _approx_start(rule, words),
        "first_word": first_word[0] if first_word else "",
        "own_word": bool(first_word) and len(first_word[0]) > 1,
        "tail_punct": punct,
        "tail_particle": not punct and _particle_start(compact, rule.param("non_initial", "")),
        "opener": opener,
        # a speech quote opens paragraphs; a short quoted term (“高新”温度…) rarely does
        "quote_start": bool(compiled(r"[“「『][^”」』]{%d,}" % rule.param("term_quote_chars", 6)).match(t)),
        "short_tail": length < rule.param("short_tail_chars", 25) and finished and not headline,
        "short_first_clause": not opener and _fragment_clause(rule, t),
        "word_clause": not opener and _word_clause(rule, t),
        "start_word": not opener and first_tag in rule.param("start_tags", []),
        "mid_word": first_tag in rule.param("mid_tags", []),
        "noun_start": first_tag in rule.param("noun_tags", []),
        "enum_opener": starts_like(rule, "enum_openers", t),
        "date_start": starts_like(rule, "date_starts", t),
        "tail_headline": headline and not punct and not plain,
        "tail_open": not finished and length <= rule.param("open_tail_chars", 0),
        "start_clause": 0 if punct else _clause_length(_CLAUSE_BREAK.split(t, maxsplit=1)[0]),
        # the tail's side of each run across a seam, matching the head's echo_ends
        "echo_starts": tuple(_leading_piece(t, run, echo_n - k) for k in range(1, echo_n)),
        "token_start": bool(compiled(rule.param("token_seam_tail", r"(?!)")).match(t)),
        "boundary_start": _leading_piece(t, run, (echo_n + 2) // 2),
    }
    features["punct_cue"] = _present(weights, features, ("tail_punct",))
    features["particle_cue"] = _present(weights, features, ("tail_particle",))
    features["shape_cues"] = _present(weights, features, _TAIL_SHAPE_CUES)
    return features


@dataclass(frozen=True)
class _Scoring:
    """The rule's weights and limits that every pair needs, read once per page."""

    weights: dict[str, float]
    seam_min_freq: int
    seam_max: float
    own_word_min_share: float
    long_clause_chars: int
    distance_cap: int

    @classmethod
    def of(cls, rule: Rule) -> "_Scoring":
        return cls(
            weights=rule.param("weights", {}),
            seam_min_freq=rule.param("seam_min_freq", 3),
            seam_max=rule.param("seam_max", 4.5),
            own_word_min_share=rule.param("own_word_min_share", 0.0),
            long_clause_chars=rule.param("long_clause_chars", 36),
            distance_cap=min(rule.param("max_distance", 30), rule.param("distance_cap", 30)),
        )


def _cues(s: _Scoring, hf: dict[str, Any], tf: dict[str, Any], distance: int, forward: bool, same_article: bool) -> dict[str, float]:
    """The weighted cues of one (head, tail) pair that its two blocks' features decide.
    The order of the cues is their order in the evidence, and the order the score adds them."""
    w = s.weights
    t = tf["text"]
    cues = dict(hf["end_cues"])
    if hf["open_quote"] is not None:
        closes = _closes(hf["open_quote"], t)
        _cue(cues, w, "quote_closed" if closes else "quote_unclosed")
    cues.update(hf["shape_cues"])
    if tf["tail_punct"]:
        cues.update(tf["punct_cue"])
    else:
        cues.update(tf["particle_cue"])
        if "seam_word" in w:
            cues["seam_word"] = 0.0  # holds its place; _weigh_seam_word looks the word up
    cues.update(tf["shape_cues"])
    he = hf["enums"]
    te = _tail_enums(tf) if he else {}
    if he and te:
        for family in set(he) & set(te):
            if min(te[family]) == max(he[family]) + 1:
                # the next item at the very start of a block opens a new paragraph of the list
                _cue(cues, w, "enum_item" if _starts_with_enum(t, family) else "enum_next")
            elif min(te[family]) <= max(he[family]):
                _cue(cues, w, "enum_break")
    # a list that starts afresh opens a paragraph, unless it continues the head's list
    if tf["enum_opener"] and "enum_next" not in cues:
        _cue(cues, w, "opener")
    # a date after a preposition that takes a time (于|1970年) is its object, not an opener
    if hf["time_preposition_end"] and tf["date_start"]:
        cues.pop("opener", None)
        _cue(cues, w, "date_object")
    # a number cut from its unit (2020年1|月1日) is one cut phrase
    number_unit = hf["digit_end"] and tf["unit_start"] or hf["count_end"] and tf["approx_start"]
    if number_unit:
        _cue(cues, w, "number_unit")
    # a count and its measure word cut from the noun they count (573家|企业)
    if hf["counter_end"] and tf["noun_start"]:
        _cue(cues, w, "counted_noun")
    # a clause this long across the seam is two texts, not one cut sentence (a heading over a paragraph)
    if not hf["dangling_end"] and not number_unit and hf["end_clause"] + tf["start_clause"] >= s.long_clause_chars:
        _cue(cues, w, "long_clause")
    # a break between two Latin words (Intel Core | Ultra) fell at a space inside a name
    if hf["latin_end"] and tf["latin_start"]:
        _cue(cues, w, "latin_seam")
    if distance == 0 and forward:
        _cue(cues, w, "adjacent")
    if distance and "distance" in w:
        cues["distance"] = w["distance"] * min(distance, s.distance_cap)
    if not forward:
        _cue(cues, w, "backward")
    if not same_article:
        _cue(cues, w, "cross_article")
    # (what is printed right after a cut paragraph's head is most likely the rest)
    if hf["unmarked_line"] and distance == 0 and forward:
        _cue(cues, w, "unmarked_line")
    return cues


def _weigh_seam_word(s: _Scoring, cues: dict[str, float], hf: dict[str, Any], tf: dict[str, Any]) -> None:
    """The seam_word cue's weight, or no such cue when no dictionary word spans the seam."""
    word = seam_word(hf["text"], tf["text"], min_freq=s.seam_min_freq)
    part = _tail_side(word, hf["text"], tf["text"]) if word else ""
    if word and _splits_first_word(part, tf["first_word"]) and frequency(tf["first_word"]) >= s.own_word_min_share * frequency(word):
        word = None  # 入院来|说起: the tail's own first word (说起) stands; 来说 is a coincidence
    if word:
        # common words across the seam are stronger evidence than rare ones
        cues["seam_word"] = min(s.weights["seam_word"] + 0.5 * math.log10(frequency(word)), s.seam_max)
        if hf["long_head"]:
            # (the long clause of a long head is a sentence of an official text, not a heading)
            cues.pop("long_clause", None)
        if _takes_first_word(word, part, tf["first_word"]):
            for name in _SENTENCE_START_CUES:
                # (an opener from a list starting afresh is not about the first word)
                if name in cues and not (name == "opener" and tf["enum_opener"] and "enum_next" not in cues):
                    del cues[name]
    else:
        del cues["seam_word"]


def _cue(cues: dict[str, float], weights: dict[str, float], name: str) -> None:
    if name in weights:
        cues[name] = weights[name]


@detector("join")
def join(rule: Rule, view: View) -> list[Fix]:
    threshold = rule.param("threshold", 3.0)
    orphan = rule.param("orphan_threshold", threshold)
    keep = min(threshold, orphan)
    candidates = [_candidate(*pair) for pair in candidate_cues(rule, view, threshold, keep)]
    chosen = _match([c for c in candidates if c.score >= threshold], threshold)
    chosen = _delayed_tails(rule, candidates, chosen, threshold)
    chosen += _orphans(rule, candidates, chosen)
    return [_join_fix(rule, c, _splits_read(view, c)) for c in sorted(chosen, key=lambda c: c.head.key)]


def _splits_read(view: View, c: Candidate) -> tuple[str, ...]:
    """The split fixes whose cuts the join reads: its head ends, or its tail starts, where a split
    cut a block (a credit split off a cut paragraph). Rejected, the block is whole again, and its
    end or start no seam."""
    ids = (view.cut_end.get(c.head.key), view.cut_start.get(c.tail.key))
    return tuple(dict.fromkeys(i for i in ids if i))


def _candidate(head: Item, tail: Item, cues: dict[str, float], score: float, between: int, forward: bool) -> Candidate:
    return Candidate(head, tail, score, cues, "forward" if forward else "backward", between)


def candidate_cues(rule: Rule, view: View, threshold: float, orphan_floor: float):
    """Every (open head, tail) pair within the window that scores `threshold` or more, or
    `orphan_floor` or more where it may be an orphan's join: (head, tail, weighted cues, score,
    blocks between, forward)."""
    cut = _orphan_end(rule)
    items = flow(view)
    article = view.article_index()
    position = {it.key: n for n, it in enumerate(items)}
    body = [it for it in items if it.kind == PARAGRAPH]
    window = rule.param("max_distance", 30)
    scoring = _Scoring.of(rule)
    weights = scoring.weights
    # a paragraph that breaks off with a page-jump marker (下转第2版) continues in one that goes on
    # with one (上接第1版), wherever it is printed, however its sentence ended
    jumps = set(jump_pairs(rule, view)[0])
    open_keys = {it.key for it in body if is_open(rule, it)}
    pairs = [
        (head, tail)
        for head in body
        if head.key in open_keys
        for tail in items[max(0, position[head.key] - window - 1) : position[head.key] + window + 2]
        if tail is not head and tail.kind == PARAGRAPH
    ]
    if jumps:
        near = {(h.key, t.key) for h, t in pairs}
        in_body = {it.key: it for it in body}
        pairs += [(in_body[h], in_body[t]) for h, t in sorted(jumps - near) if h in in_body and t in in_body]
    body_of = by_article(body, article)
    # extraction puts the bottoms of columns right after the article's first paragraph, however
    # far down the page their heads are printed: those blocks are candidates beyond the window too
    slot_of = {a: its[1 : 1 + rule.param("lead_slot_blocks", 3)] for a, its in body_of.items()}
    pairs += [
        (head, tail)
        for head in body
        if head.key in open_keys
        for tail in slot_of.get(article[head.key], ())
        if position[tail.key] < position[head.key] - window - 1 and (head.key, tail.key) not in jumps
    ]
    if not pairs:
        return  # a page with no open block (most clean pages) needs no vocabulary statistics
    stats = cohesion_of(article, body, {it.key: it.text for it in body})
    # (an article's only block has nothing of its own article to be compared with)
    compared = [it.key for it in body if not stats.alone(it.key)]
    length = {it.key: visible_len(it.text) for it in body}
    typical = {a: stats.typical([it.key for it in body_of.get(a, [])]) for a in set(article.values())}
    # a block closer to another article than to its own says so in fewer characters than one that
    # shares nothing with any (two articles weighed against each other, not one against nothing)
    elsewhere = _elsewhere(rule, stats, [k for k in compared if length[k] >= rule.param("elsewhere_min_chars", 40)], article, typical)
    # complete blocks that share no vocabulary with their article, or belong to another article of
    # the page, are skipped by the reading flow (an open block still runs on: it is part of the
    # flow, however unusual its words)
    judged = [k for k in compared if length[k] >= rule.param("stray_min_chars", 40) and k not in open_keys]
    stray = _stray(rule, stats, judged, position, article, typical) | {k for k in elsewhere if k not in open_keys}
    # an open block of another article's vocabulary (a bled lead cut at a column break) continues
    # in that article, not in the one it is printed inside
    home = {**article, **{k: a for k, a in elsewhere.items() if k in open_keys}}
    lead_slot = {it.key for its in slot_of.values() for it in its}
    # an article's first paragraph without a full stop is often a deck (a summary lead printed
    # without one), not a paragraph cut at a column break: the paragraph after it needs more
    firsts = {its[0].key for its in body_of.values()}
    after_first = {a.key: b.key for a, b in pairwise(body) if a.key in firsts}
    lead_slot_distance = rule.param("lead_slot_distance_factor", 1.0)
    echo_n = rule.param("echo_chars", 3)
    end_n = rule.param("end_echo_chars", 6)
    clause_ends = _clause_ends([it.text for it in items], end_n)
    delayed_margin, delayed_reach = _delayed_tail_settings(rule)
    delayed_floor = None if delayed_margin is None else threshold - delayed_margin
    # short lines that an article marking its headings (## …) left plain: no headings
    plain = plain_in_marked(rule, view, items, article)
    head_features: dict[Key, dict[str, Any]] = {}
    tail_features: dict[Key, dict[str, Any]] = {}
    for head, tail in pairs:
        if head.key not in head_features:
            head_features[head.key] = _head_features(rule, head, echo_n, head.key in plain)
            head_features[head.key]["closed_elsewhere"] = _end_printed_closed(head.text, clause_ends, end_n)
            head_features[head.key]["may_orphan"] = _unmistakably_open(cut, head_features[head.key]["end_cues"], head)
        if tail.key not in tail_features:
            tail_features[tail.key] = _tail_features(rule, tail, echo_n, tail.key in plain)
    introduces = _list_intros(rule, items, position, head_features, tail_features)
    # an article's own text, not the whole page: on a big page any three characters recur somewhere
    texts_of = {a: "\n".join(it.text for it in its) for a, its in by_article(items, article).items()}
    followers: dict[tuple[str, str, int], set[str]] = {}  # an article's heads often end alike (的, 和)
    for key, hf in head_features.items():
        _read_echo_followers(hf, texts_of[article[key]], echo_n, followers)
    # paragraphs before each flow position that the reading flow does not skip
    counted = [0]
    for it in items:
        counted.append(counted[-1] + (it.kind == PARAGRAPH and it.key not in stray))
    for head, tail in pairs:
        hf, tf = head_features[head.key], tail_features[tail.key]
        p, q = position[head.key], position[tail.key]
        forward = q > p
        lo, hi = (p, q) if forward else (q, p)
        between = counted[hi] - counted[lo + 1]
        cues = _cues(scoring, hf, tf, between, forward, home[head.key] == home[tail.key])
        if home[head.key] != article[head.key] or home[tail.key] != article[tail.key]:
            cues["vocabulary_article"] = 0.0  # no weight: tells the editor why cross_article is judged so
        if tail.key in stray and "stray_tail" in weights:
            cues["stray_tail"] = weights["stray_tail"]
        if not forward and tail.key in lead_slot and "lead_slot" in weights:
            cues["lead_slot"] = weights["lead_slot"]
            if "distance" in cues:
                # extraction put the tail there, so the blocks it skips say less about it
                cues["distance"] *= lead_slot_distance
        if head.key in introduces and "list_intro" in weights:
            cues["list_intro"] = weights["list_intro"]
        if hf["closed_elsewhere"] and "end_echo" in weights:
            cues["end_echo"] = weights["end_echo"]
        if "seam_echo" in weights and "tail_punct" not in cues and _echoes(hf, tf):
            cues["seam_echo"] = weights["seam_echo"]
        if (head.key, tail.key) in jumps and "page_jump" in weights:
            # the markers say where the text goes on: where the tail is printed, and what between, says nothing
            for name in ("distance", "cross_article", "stray_tail", "vocabulary_article"):
                cues.pop(name, None)
            cues["page_jump"] = weights["page_jump"]
        floor = orphan_floor if forward and hf["may_orphan"] else threshold
        if delayed_floor is not None and forward and 0 < between <= delayed_reach and "short_tail" in cues:
            floor = min(floor, delayed_floor)
        if "seam_word" in cues:
            # the dictionary look-up is the costly cue: only for a pair it could lift to the floor
            # (the margin covers rounding, the weight never exceeds seam_max, and the word may
            # void the tail's sentence-opener cues)
            voided = (*_SENTENCE_START_CUES, "long_clause") if hf["long_head"] else _SENTENCE_START_CUES
            voidable = sum([min(0.0, cues[name]) for name in voided if name in cues])
            if sum(cues.values()) + max(0.0, scoring.seam_max) - voidable < floor - 1e-9:
                continue
            _weigh_seam_word(scoring, cues, hf, tf)
        # (after the seam word: only where nothing but being next speaks for the join)
        if "lead_deck" in weights and after_first.get(head.key) == tail.key and cues.keys().isdisjoint(_CUT_EVIDENCE):
            cues["lead_deck"] = weights["lead_deck"]
        score = sum(cues.values())
        if score >= floor:
            yield head, tail, cues, score, between, forward


def _stray(rule: Rule, stats: Cohesion, judged: list[Key], position: dict[Key, int], article: dict[Key, int], typical: dict[int, float]) -> set[Key]:
    """The judged blocks that share almost no vocabulary with their article, alone or as a run of
    consecutive blocks telling their own story (each at home only with the others)."""
    factor = rule.param("stray_factor", 0.5)
    stray = {k for k in judged if stats.similarity(k, article[k]) < factor * typical[article[k]]}
    longest = rule.param("stray_run", 1)

    def in_a_row(run: list[Key]) -> bool:  # consecutive in the flow, all of one article
        return position[run[-1]] == position[run[0]] + len(run) - 1 and len({article[k] for k in run}) == 1

    for n, first in enumerate(judged):
        bar = factor * typical[article[first]]
        run, _ = stats.first_apart(windows(judged, n, longest, in_a_row), article[first], lambda run: bar)
        stray.update(run)
    return stray


def _elsewhere(rule: Rule, stats: Cohesion, keys: list[Key], article: dict[Key, int], typical: dict[int, float]) -> dict[Key, int]:
    """On a page, the blocks much closer to another nearby article than to their own, and at
    least as close as a stray block's bar: that article's bled text (a lead printed inside
    another article), and that article."""
    arts = sorted(typical)
    if len(arts) < 2:
        return {}
    factor = rule.param("stray_factor", 0.5)
    reach = rule.param("article_reach", len(arts))
    ratio = rule.param("elsewhere_ratio", 2.0)
    found = {}
    for k in keys:
        own = stats.similarity(k, article[k])
        if own >= typical[article[k]]:
            continue  # as close to its article as its article's paragraphs typically are
        best, other = stats.nearest_other(k, arts, reach)
        if best is not None and other >= ratio * own and other >= factor * typical[article[k]]:
            found[k] = best
    return found


def _echoes(hf: dict[str, Any], tf: dict[str, Any]) -> bool:
    """Whether a run across the seam recurs elsewhere in the head's article (seam_echo): the
    characters of a name or a term (青|柳 where 青柳县 recurs) that a cut split, which no
    dictionary needs to know. Where the tail opens with a word of its own, two words meet at the
    seam and a run of n recurs by chance (组装|汽车 puts 装汽车 in any text that says 改装汽车):
    then only the phrase with a character more counts, split as evenly as it can be.
    (A run is the head's end piece and the tail's start piece: it is printed in the article
    where the start piece is among what the article prints after the end piece.)"""
    if hf["name_end"] and tf["token_start"]:
        return False  # a Latin or numeric token is a unit of its own (高通|5G): it follows the name anywhere
    if tf["own_word"]:
        start = tf["boundary_start"]
        return bool(start) and start in hf["boundary_followers"]
    return any(start and start in followers for start, followers in zip(tf["echo_starts"], hf["echo_followers"]))


def _read_echo_followers(hf: dict[str, Any], text: str, echo_n: int, found: dict[tuple[str, str, int], set[str]]) -> None:
    """For each of the head's end pieces (Han, Latin letters, digits: 柳X7; "" when the end cannot
    echo), the pieces the article's text prints right after it, as long as the tail's start
    pieces that complete a run (`found`: those already read, never changed)."""

    def follow(piece: str, length: int) -> set[str]:
        if (text, piece, length) not in found:
            found[text, piece, length] = _followers(text, piece, length)
        return found[text, piece, length]

    hf["echo_followers"] = tuple(follow(end, echo_n - len(end)) for end in hf["echo_ends"])
    hf["boundary_followers"] = follow(hf["boundary_end"], (echo_n + 2) // 2)


def _followers(text: str, piece: str, length: int) -> set[str]:
    """The `length` characters printed right after each place the piece is printed in the text."""
    found: set[str] = set()
    at = text.find(piece) if piece else -1
    while at >= 0:
        end = at + len(piece)
        found.add(text[end : end + length])
        at = text.find(piece, at + 1)
    return found


def _clause_ends(texts: list[str], n: int) -> set[str]:
    """Runs of n Han characters printed right before a clause mark. The search looks for the
    marks and then behind them (3x faster than trying a run at every character)."""
    return set(compiled(r"(?<=(\p{Han}{%d}))%s" % (n, _CLAUSE_MARK)).findall("\n".join(texts)))


def _end_printed_closed(head: str, clause_ends: set[str], n: int) -> bool:
    """The head's last words are printed elsewhere on the page where a clause ends right after
    them: the head ends where its sentence ended (a deck repeating the body), it was not cut.
    (Another block that ends in the same words proves nothing: it may be a second copy of the cut.)"""
    end = head.rstrip()[-n:]
    return len(end) == n and end in clause_ends


def _list_intros(rule: Rule, items: list[Item], position: dict[Key, int], heads: dict[Key, Any], tails: dict[Key, Any]) -> set[Key]:
    """Heads ending in a colon or a dash right above a block that opens a list item or a labelled
    line (…分别是—— | 生命科学奖：…): they introduce what follows, they were not cut."""
    intro = compiled(rule.param("list_intro_end", r"(?:[：:]|——|—)$"))
    found: set[Key] = set()
    for key, hf in heads.items():
        n = position[key] + 1
        following = items[n] if n < len(items) else None
        tf = tails.get(following.key) if following is not None else None
        if tf is not None and intro.search(hf["text"]) and (tf["opener"] or tf["enum_opener"]):
            found.add(key)
    return found


def _orphans(rule: Rule, candidates: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """A head that is unmistakably open (an unclosed quote, a trailing comma) continues somewhere:
    with no strong candidate it takes its best forward one, at low confidence."""
    heads = {c.head.key for c in chosen}
    tails = {c.tail.key for c in chosen}
    cut = _orphan_end(rule)
    extra: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.head.key in heads or c.tail.key in tails or c.tail.key in heads or c.direction != "forward":
            continue
        if not _unmistakably_open(cut, c.cues, c.head) or "opener" in c.cues:
            continue
        heads.add(c.head.key)
        tails.add(c.tail.key)
        c.cues["orphan"] = 0.0
        extra.append(c)
    return extra


def _delayed_tail_settings(rule: Rule) -> tuple[float | None, int]:
    """How much less a closing block may score than the paragraph it takes the head from
    (None: no such swap), and how many blocks on it may stand."""
    return rule.param("delayed_tail_margin"), rule.param("delayed_tail_blocks", 2)


def _delayed_tails(rule: Rule, candidates: list[Candidate], chosen: list[Candidate], threshold: float) -> list[Candidate]:
    """A head joined to the complete paragraph right after it, while a short closing block a
    little further on has no head: the column's tail was printed after the next paragraph."""
    margin, reach = _delayed_tail_settings(rule)
    if margin is None:
        return chosen
    heads = {c.head.key for c in chosen}
    tails = {c.tail.key for c in chosen}
    by_head: dict[Key, list[Candidate]] = {}
    for c in candidates:
        by_head.setdefault(c.head.key, []).append(c)

    def closing_block(c: Candidate) -> bool:
        return (
            c.direction == "forward"
            and 0 < c.distance <= reach
            and "short_tail" in c.cues
            and not any(name in c.cues for name in _SENTENCE_START_CUES)
            and c.tail.key not in tails
            and c.tail.key not in heads
        )

    result = []
    for c in chosen:
        better = None
        if c.direction == "forward" and c.distance == 0 and ends_sentence(c.tail.text):
            bar = max(c.score, threshold) - margin
            better = max((o for o in by_head[c.head.key] if closing_block(o) and o.score >= bar), key=lambda o: o.score, default=None)
        if better is None:
            result.append(c)
            continue
        better.cues["delayed_tail"] = 0.0
        tails.discard(c.tail.key)
        tails.add(better.tail.key)
        result.append(better)
    return result


def _orphan_end(rule: Rule):
    # a colon or a dash may introduce a list or a quote printed as blocks of their own
    return compiled(rule.param("orphan_end", r"[，,、；;]$"))


def _unmistakably_open(cut, cues: dict[str, float], head: Item) -> bool:
    """An unclosed quote or a cut end (a trailing comma): the head continues somewhere, so
    its best forward candidate may join it below the threshold."""
    return "unbalanced" in cues or cut.search(head.text.rstrip()) is not None


def _match(candidates: list[Candidate], threshold: float) -> list[Candidate]:
    """Greedy best-first matching: a head takes one tail, a tail one head, no cycles."""
    chosen: list[Candidate] = []
    has_tail: set[Key] = set()
    has_head: set[Key] = set()
    parent: dict[Key, Key] = {}
    for c in sorted(candidates, key=lambda c: (-c.score, c.distance, c.head.key)):
        h, t = c.head.key, c.tail.key
        if h in has_tail or t in has_head or _root(parent, h) == _root(parent, t):
            continue
        has_tail.add(h)
        has_head.add(t)
        parent[_root(parent, t)] = _root(parent, h)
        chosen.append(c)
    return _reassign(chosen, candidates, threshold)


def _reassign(chosen: list[Candidate], candidates: list[Candidate], threshold: float) -> list[Candidate]:
    """Where greedy matching gave a tail to one head and so left another head with no tail,
    while a good tail of the first head stayed free, swap if the two joins together clear the
    threshold by more than the one does: each join must carry its own evidence, so two
    middling joins do not outweigh one strong one."""
    by_tail: dict[Key, list[Candidate]] = {}
    by_head: dict[Key, list[Candidate]] = {}
    for c in candidates:
        by_tail.setdefault(c.tail.key, []).append(c)
        by_head.setdefault(c.head.key, []).append(c)
    improved = True
    while improved:  # each swap adds a join, so this ends within as many rounds as there are heads
        improved = False
        heads = {c.head.key for c in chosen}
        tails = {c.tail.key for c in chosen}
        for taken in chosen:
            rivals = [c for c in by_tail[taken.tail.key] if c.head.key not in heads]
            others = [c for c in by_head[taken.head.key] if c.tail.key not in tails]
            swaps = sorted(((r, o) for r in rivals for o in others), key=lambda pair: -(pair[0].score + pair[1].score))
            for rival, other in swaps:
                if rival.score + other.score - threshold <= taken.score:
                    break
                trial = [c for c in chosen if c is not taken] + [rival, other]
                if _acyclic(trial):
                    chosen, improved = trial, True
                    break
            if improved:
                break
    return chosen


def _acyclic(joins: list[Candidate]) -> bool:
    parent: dict[Key, Key] = {}
    for c in joins:
        h, t = _root(parent, c.head.key), _root(parent, c.tail.key)
        if h == t:
            return False
        parent[t] = h
    return True


def _root(parent: dict[Key, Key], k: Key) -> Key:
    """The first block of the chain of joins that k is in (union-find without ranks)."""
    while parent.get(k, k) != k:
        k = parent[k]
    return k


def _join_fix(rule: Rule, c: Candidate, requires: tuple[str, ...]) -> Fix:
    h, t = c.head.text, c.tail.text
    # Intel Core | Ultra: a space between two words; 5 | G, 1 | 000 and 中 | 文 join without one
    latin = bool(_LETTER_END.search(h) and _LATIN_START.match(t))
    params: dict[str, Any] = {"sep": " " if latin else ""}
    if "page_jump" in c.cues:
        params["jump"] = True  # the paragraph stands where it broke off; its tail was printed on another page
    elif c.direction == "forward" and c.distance > 0 and "delayed_tail" not in c.cues:
        # the half printed early was displaced (a lead printed ahead of the paragraph before it):
        # the paragraph stands where its tail is. A delayed tail is itself the displaced half.
        params["at"] = "tail"
    where = "adjacent" if c.distance == 0 and c.direction == "forward" else f"{c.distance} block{'' if c.distance == 1 else 's'} {'later' if c.direction == 'forward' else 'earlier'}"
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
        requires=requires,
    )
