"""Detectors that rewrite text inside a block."""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from operator import ne
from typing import Any

import regex as re

from ..model import EDIT, DROP, BLANK, Fix
from ..rules import Rule
from ..script import convert
from ..textutil import HAN, han_count
from ..view import View
from . import detector, transform, transformer
from .common import compiled, make_fix


def _edit_fixes(rule: Rule, view: View, params: dict[str, Any] | None = None) -> list[Fix]:
    fixes = []
    params = params or {}
    for item in view.live():
        after = transform(rule, item.text, params)
        if after != item.text:
            fixes.append(make_fix(rule, EDIT, [item], before=item.text, after=after, params=params))
    return fixes


# -- substitute: a list of regex replacements --------------------------------
@transformer("substitute")
def _substitute(rule: Rule, text: str, params: dict[str, Any]) -> str:
    for sub in rule.param("replace", []):
        text = compiled(sub["pattern"]).sub(sub.get("with", ""), text)
    return text


@detector("substitute")
def substitute(rule: Rule, view: View) -> list[Fix]:
    return _edit_fixes(rule, view)


# -- blank lines -------------------------------------------------------------
@detector("drop-blank")
def drop_blank(rule: Rule, view: View) -> list[Fix]:
    return [
        make_fix(rule, DROP, [it], after="", evidence={"codepoints": [f"U+{ord(c):04X}" for c in it.text]})
        for it in view.items
        if it.kind == BLANK and not it.dropped
    ]


# -- half-width punctuation touching Chinese ---------------------------------
def _context(rule: Rule):
    return compiled(rule.param("cjk_class", r"[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}、。，：；！？]"))


@lru_cache(maxsize=64)
def _pair_pattern(opening: str, closing: str):
    body = "[^" + re.escape(opening + closing) + r"\n]{0,200}"
    return re.compile(re.escape(opening) + "(" + body + ")" + re.escape(closing))


@lru_cache(maxsize=64)
def _marks_pattern(marks: str):
    return re.compile("[" + re.escape(marks) + "]")


@transformer("punctuation-width")
def _punctuation(rule: Rule, text: str, params: dict[str, Any]) -> str:
    marks: dict[str, str] = rule.param("marks", {})
    pairs = rule.param("pairs", [])
    if not any(mark in text for mark in marks) and not any(p in text for pair in pairs for p in pair[:2]):
        return text  # nothing here could change
    cjk = _context(rule)
    han = HAN
    protect = [m.span() for m in compiled(rule.param("protect", r"(?!)")).finditer(text)]

    def protected(i: int) -> bool:
        return any(a <= i < b for a, b in protect)

    chars = list(text)
    converted: list[int] = []
    paired = set()
    for pair in pairs:
        opening, closing = pair[0], pair[1]
        # a pair of one mark ("…") names its full-width opening and closing (“…”), and the pair
        # it takes inside a full-width one (“…‘…’…”)
        full = tuple(pair[2:4]) if len(pair) >= 4 else (marks.get(opening, opening), marks.get(closing, closing))
        depth = None  # made when a pair of one mark is first met: most texts hold none
        if opening == closing and opening in text and not _pairs_of_one_mark(text, opening):
            continue
        for m in _pair_pattern(opening, closing).finditer(text):
            a, b = m.start(), m.end() - 1
            paired.update((a, b))
            if protected(a):
                continue
            left, right = text[a - 1 : a], text[b + 1 : b + 2]
            if han.search(m.group(1)) or (left and cjk.match(left)) or (right and han.match(right)):
                if len(pair) >= 6 and depth is None:
                    depth = _depth(text, *full)
                chars[a], chars[b] = tuple(pair[4:6]) if depth is not None and depth(a) > 0 else full
                converted += [a, b]
    singles = "".join(k for k in marks if len(k) == 1)
    for m in _marks_pattern(singles).finditer(text) if singles else ():
        i = m.start()
        if i in paired or protected(i):
            continue
        left, right = _neighbours(text, i)
        if left.isdigit() and right.isdigit():
            continue  # 1,000 and 09:27:19
        if (left and cjk.match(left)) or (right and han.match(right)):
            chars[i] = marks[m.group()]
            converted.append(i)
    # spaces around a mark that became full-width carry no meaning
    for i in converted:
        j = i - 1
        while j >= 0 and chars[j] == " ":
            chars[j] = ""
            j -= 1
        j = i + 1
        while j < len(chars) and chars[j] == " ":
            chars[j] = ""
            j += 1
    return "".join(chars)


def _pairs_of_one_mark(text: str, mark: str) -> bool:
    """Whether the marks can be paired from the left: an even number of them, none right after a
    digit (6.1" is an inch mark; one quote too many would shift every pair after it)."""
    return text.count(mark) % 2 == 0 and not compiled(r"\d" + re.escape(mark)).search(text)


def _depth(text: str, opening: str, closing: str):
    """How many `opening` marks are still open at a position of the text."""
    opens = [i for i, c in enumerate(text) if c == opening]
    closes = [i for i, c in enumerate(text) if c == closing]
    return lambda i: bisect_left(opens, i) - bisect_left(closes, i)


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The nearest characters left and right of text[i] that are not spaces ("" at an end).

    Scans instead of slicing: slicing per mark is quadratic on a megabyte-long line.
    """
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    k = i + 1
    while k < len(text) and text[k] == " ":
        k += 1
    return text[j] if j >= 0 else "", text[k : k + 1]


@detector("punctuation-width")
def punctuation_width(rule: Rule, view: View) -> list[Fix]:
    return _edit_fixes(rule, view)


# -- converter pinyin after characters ---------------------------------------
def _pinyin_re(rule: Rule):
    return compiled(rule.param("pattern"))


@transformer("converter-pinyin")
def _strip_pinyin(rule: Rule, text: str, params: dict[str, Any]) -> str:
    return _pinyin_re(rule).sub("", text)


def traditional_share(text: str, config: str = "t2s") -> float:
    han = han_count(text)
    if not han:
        return 0.0
    converted = convert(text, config)
    if converted == text:
        return 0.0
    return sum(map(ne, text, converted)) / han


@detector("converter-pinyin")
def converter_pinyin(rule: Rule, view: View) -> list[Fix]:
    items = view.live()
    whole = "\n".join(it.text for it in items)
    hits = len(_pinyin_re(rule).findall(whole))
    if hits < rule.param("min_count", 3):
        return []
    share = traditional_share(whole)
    # Converter residue comes with converted script; a gloss in simplified text is content.
    if share < rule.param("min_traditional_share", 0.02) and hits < rule.param("min_count_without_traditional", 30):
        return []
    fixes = _edit_fixes(rule, view)
    for fix in fixes:
        fix.evidence.update({"annotations_in_document": hits, "traditional_share": round(share, 3)})
    return fixes


# -- script conversion -------------------------------------------------------
@transformer("script-convert")
def _convert(rule: Rule, text: str, params: dict[str, Any]) -> str:
    return convert(text, params.get("config", "t2s"))


@detector("script-convert")
def script_convert(rule: Rule, view: View) -> list[Fix]:
    target = rule.param("target", "simplified")
    if target == "keep":
        return []
    config = rule.param("configs", {}).get(target, "t2s")
    probe = {"simplified": "s2t", "traditional": "t2s"}.get(target, "s2t")
    whole = "\n".join(it.text for it in view.live())
    # share of characters in the *other* script
    share = traditional_share(whole, probe if target == "traditional" else "t2s")
    if share < rule.param("min_share", 0.03):
        return []
    fixes = _edit_fixes(rule, view, {"config": config})
    for fix in fixes:
        fix.evidence["other_script_share"] = round(share, 3)
    return fixes


# -- letter-spaced lines -----------------------------------------------------
def _letter_spaced(rule: Rule, text: str) -> bool:
    """Most Han characters of the line stand apart, one space after each (乙 县 打 造 …): a
    headline set with letter spacing, or a line of text a PDF export spaced out."""
    spaced = len(compiled(rule.param("spaced", r"\p{Han}[ \u3000](?=\S)")).findall(text))
    if not spaced:
        return False  # most lines: no Han count needed
    han = han_count(text)
    return han >= rule.param("min_han", 4) and spaced >= rule.param("min_share", 0.8) * (han - 1)


@transformer("letter-spacing")
def _close_up(rule: Rule, text: str, params: dict[str, Any]) -> str:
    if not _letter_spaced(rule, text):
        return text
    return compiled(rule.param("gap")).sub("", text)


@detector("letter-spacing")
def letter_spacing(rule: Rule, view: View) -> list[Fix]:
    return _edit_fixes(rule, view)
