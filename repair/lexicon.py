"""Word frequencies from the dictionary shipped inside the jieba wheel.

Used to score seams: when the most probable segmentation of the text around a
seam puts a word across it (产业抱|团 -> 抱团), the two blocks are halves of one
sentence. We read jieba's dict.txt ourselves and run the same max-probability
route jieba uses, on a window of a few characters, which needs no jieba state.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

_CACHE_FORMAT = 2  # bump when what _parse returns changes


def _dict_path() -> str:
    # the package's folder without importing it: `import jieba` alone takes 0.15 s
    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return os.path.join(spec.submodule_search_locations[0], "dict.txt")


@dataclass(frozen=True)
class _Lexicon:
    freq: dict[str, int]
    tags: dict[str, str]  # part-of-speech tags of words up to four characters (ICTCLAS-style)
    log_total: float
    longest: int
    pairs: bytes  # the bitmap of character pairs printed side by side in a word (see _pair_bit)
    weights: dict[str, float] = field(default_factory=dict)  # log probability of the words met so far


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    path = _dict_path()
    cache = _cache_file(path)
    cached = _read_cache(cache)
    if cached is not None:
        try:
            return _built(*cached)
        except Exception:  # well-formed but wrong contents: parse again, as with no cache
            pass
    return _built(*_write_cache(cache, _parse(path)))


def _built(freq: dict[str, int], tags: dict[str, str], longest: int, pairs: bytes) -> _Lexicon:
    if not freq or not all(isinstance(w, str) and isinstance(f, int) for w, f in freq.items()):
        raise ValueError("not a word-frequency table")
    if len(pairs) != _PAIR_BYTES:
        raise ValueError("not a bitmap of character pairs")
    return _Lexicon(freq, tags, math.log(sum(freq.values())), longest, pairs)


# Most seams join two characters that no word holds side by side. A bitmap of the pairs that
# words (of frequency 1 or more) hold answers that without the dictionary's look-ups, which are
# slow for their number (a dictionary this big is mostly out of the processor's cache). 2^23
# bits (1 MB) take the 300 000 pairs with about 3% of other pairs passing as held: those only
# go on to the look-ups. The bit of a pair is a fixed function of its characters (not hash(),
# which changes per process), as the bitmap is cached on disk with the dictionary.
_PAIR_BITS = 23
_PAIR_BYTES = 1 << (_PAIR_BITS - 3)


def _pair_bit(a: str, b: str) -> int:
    return ((ord(a) << 16 | ord(b)) * 2654435761 & 0xFFFFFFFF) >> (32 - _PAIR_BITS)


def _pair_map(freq: dict[str, int]) -> bytes:
    bits = bytearray(_PAIR_BYTES)
    for word, f in freq.items():
        if f > 0:
            for a, b in zip(word, word[1:]):
                bit = _pair_bit(a, b)
                bits[bit >> 3] |= 1 << (bit & 7)
    return bytes(bits)


def _may_hold(pairs: bytes, a: str, b: str) -> bool:
    """Whether a word of frequency 1 or more may print a right before b (never False if one does)."""
    bit = _pair_bit(a, b)
    return bool(pairs[bit >> 3] >> (bit & 7) & 1)


def _parse(path: str) -> tuple[dict[str, int], dict[str, str], int, bytes]:
    """One pass over dict.txt (`word frequency tag` per line), and the bitmap of its words' pairs."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    longest = 1
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0]
            freq[word] = int(parts[1])
            longest = max(longest, len(word))
            if len(parts) == 3 and len(word) <= 4:
                tags[word] = parts[2]
    return freq, tags, min(longest, 8), _pair_map(freq)


# The parsed dictionary is kept in the user's cache folder: reading it back takes a third of
# the time of parsing dict.txt, which every process (each worker of -j N) would do. marshal,
# not pickle: the file holds plain data and loading it can run no code. Any failure falls
# back to parsing.


_CACHE_KEEP = 3  # cache files kept in the folder, the current one and the newest others


def _cache_file(dict_path: str) -> Path | None:
    try:
        stat = os.stat(dict_path)
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder, or a relative XDG_CACHE_HOME (which XDG says to ignore)
        return None
    # the parser's own code is in the key, so changing how dict.txt is read never keeps old data
    code = b"".join(f.__code__.co_code + repr(f.__code__.co_consts).encode() for f in (_parse, _pair_map, _pair_bit))
    parser = hashlib.sha1(code).hexdigest()[:12]
    key = f"{_CACHE_FORMAT}|{parser}|{marshal.version}|{sys.version_info[:2]}|{dict_path}|{stat.st_size}|{stat.st_mtime_ns}"
    return Path(base) / "repair" / f"lexicon-{hashlib.sha1(key.encode()).hexdigest()[:16]}.marshal"


def _read_cache(cache: Path | None) -> tuple[dict[str, int], dict[str, str], int, bytes] | None:
    if cache is None:
        return None
    try:
        freq, tags, longest, pairs = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(freq, dict) and isinstance(tags, dict) and isinstance(longest, int) and isinstance(pairs, bytes)):
        return None
    return freq, tags, longest, pairs


def _write_cache(cache: Path | None, parsed: tuple[dict[str, int], dict[str, str], int, bytes]):
    if cache is None:
        return parsed
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=f".{cache.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(parsed, handle)
            os.replace(tmp, cache)  # whole or not at all, whatever other processes do
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(cache, _CACHE_KEEP)
    except OSError:
        pass
    return parsed


def _prune(cache: Path, keep: int) -> None:
    """Each upgrade (or dictionary) writes a cache of its own: keep the newest few, so that two
    installs in use side by side do not take turns re-parsing, and delete the rest."""
    olds = sorted(cache.parent.glob("lexicon-*.marshal"), key=_written, reverse=True)
    for old in olds[keep:]:
        if old != cache:
            old.unlink(missing_ok=True)


def _written(path: Path) -> float:
    """When the file was last written; 0 if another process has just deleted it."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def frequency(word: str) -> int:
    return _lexicon().freq.get(word, 0)


def tag(word: str) -> str:
    return _lexicon().tags.get(word, "")


@lru_cache(maxsize=65536)
def _segment(text: str) -> tuple[str, ...]:
    return tuple(_route(text))


def segment(text: str) -> list[str]:
    return list(_segment(text))


def last_word(text: str) -> str:
    """The text's last word, as the dictionary segments its end."""
    words = _segment(text[-6:])
    return words[-1] if words else ""


def _route(text: str) -> list[str]:
    """Max-probability segmentation (jieba's DAG route, without HMM)."""
    lexicon = _lexicon()
    freq, log_total, longest, weights = lexicon.freq, lexicon.log_total, lexicon.longest, lexicon.weights
    n = len(text)
    score = [0.0] * (n + 1)  # best log probability of text[i:]
    step = [0] * (n + 1)  # where the first word of that route ends
    for i in range(n - 1, -1, -1):
        top, end = 0.0, 0
        for j in range(i + 1, min(n, i + longest) + 1):
            word = text[i:j]
            f = freq.get(word, 0)
            if not f and j != i + 1:
                continue
            weight = weights.get(word)
            if weight is None:
                weight = weights[word] = math.log(f or 1) - log_total
            p = weight + score[j]
            if end == 0 or p >= top:  # ties go to the longer word, as max() over (p, j) does
                top, end = p, j
        score[i], step[i] = top, end
    words, i = [], 0
    while i < n:
        j = step[i]
        words.append(text[i:j])
        i = j
    return words


def seam_word(left: str, right: str, window: int = 4, min_freq: int = 3) -> str | None:
    """The dictionary word that spans the seam between `left` and `right`, if any."""
    return _seam_word(left[-window:], right[:window], min_freq)


@lru_cache(maxsize=65536)
def _seam_word(a: str, b: str, min_freq: int) -> str | None:
    if not a or not b or not _spans(a, b, min_freq):
        return None
    pos = 0
    for word in segment(a + b):
        start, end = pos, pos + len(word)
        if start < len(a) < end:
            return word if frequency(word) >= min_freq else _common_part(word, len(a) - start, min_freq)
        pos = end
    return None


def _common_part(word: str, seam: int, min_freq: int) -> str | None:
    """The most frequent word inside a rare compound that still spans the seam (不断完|善:
    the route takes 不断完善, too rare to count, but 完善 inside it is common)."""
    parts = [
        word[i:j]
        for i in range(seam)
        for j in range(seam + 1, len(word) + 1)
        if (i, j) != (0, len(word)) and frequency(word[i:j]) >= max(1, min_freq)
    ]
    return max(parts, key=frequency, default=None)


def _spans(a: str, b: str, min_freq: int) -> bool:
    """Whether some dictionary word of `min_freq` or more crosses the seam: only such a
    word can be the answer, and most seams have none, so the route is rarely needed."""
    lexicon = _lexicon()
    if min_freq > 0 and not _may_hold(lexicon.pairs, a[-1], b[0]):
        return False  # a word across the seam holds the characters on either side of it
    freq, longest, text, seam = lexicon.freq, lexicon.longest, a + b, len(a)
    for i in range(max(0, seam - longest + 1), seam):
        for j in range(seam + 1, min(len(text), i + longest) + 1):
            if freq.get(text[i:j], 0) >= min_freq:
                return True
    return False
