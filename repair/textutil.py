"""Character classes shared by detectors. Thresholds and word lists live in rule files.

The measures the detectors take of a line are kept for the latest texts: each rule asks
again about the same lines."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex as re

HAN = re.compile(r"\p{Han}")
_NOT_HAN = re.compile(r"\P{Han}+")
SPACE_ONLY = re.compile(r"^[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]*$")
SENTENCE_END = "。！？!?…；;：:."
CLOSERS = "”’」』）)》】〕"


@lru_cache(maxsize=4096)
def han_count(text: str) -> int:
    return len(_NOT_HAN.sub("", text))  # what is left is one Han character per match


def is_blank(text: str) -> bool:
    return bool(SPACE_ONLY.match(text))


_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


@lru_cache(maxsize=4096)
def ends_sentence(text: str) -> bool:
    """True when the text ends with sentence-final punctuation (allowing closing quotes,
    and a bracketed note after the sentence, as in `…破败。（图③：…提供）`)."""
    t = text.rstrip()
    note = _TRAILING_NOTE.search(t)
    if note and note.start() > 0 and ends_sentence(t[: note.start()]):
        return True
    while t and t[-1] in CLOSERS:
        t = t[:-1]
    if t[-1:] == "." and t[-2:-1].isdigit():
        return False  # a number cut at its decimal point (56.|4), not an English sentence's end
    return bool(t) and t[-1] in SENTENCE_END


_PAIRS = ("“”", "‘’", "（）", "()", "《》", "「」", "『』", "【】")


@lru_cache(maxsize=4096)
def unbalanced(text: str) -> bool:
    """A quote or bracket opened and not closed: the text runs on."""
    return any(text.count(a) > text.count(b) for a, b in _PAIRS)


def closes_unopened(text: str) -> bool:
    """A quote or bracket closed that the text never opened: it is the end of something.
    (A lone ’ is more often an apostrophe, as in Xi’an, than a closing quote.)"""
    return any(text.count(b) > text.count(a) for a, b in _PAIRS if a != "‘")


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns the text takes in Chinese print: a Han or full-width character takes two, and so
    do the marks a Chinese font sets full-width (“ ” ‘ ’ — … ·, East Asian width "ambiguous")."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text.rstrip())


@lru_cache(maxsize=4096)
def visible_len(text: str) -> int:
    """Characters other than spaces (asked about twenty times a line)."""
    return len(_SPACES.sub("", text))
