"""The parsed dictionary is cached on disk; a bad cache file is never an error."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from repair import lexicon


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon._lexicon.cache_clear()
    yield tmp_path
    lexicon._lexicon.cache_clear()


def _cache_path() -> Path:
    path = lexicon._cache_file(lexicon._dict_path())
    assert path is not None
    return path


def test_the_first_use_writes_the_cache_and_the_next_reads_it(cache_home: Path) -> None:
    common = lexicon.frequency("完善")
    assert common > 1000
    path = _cache_path()
    assert path.is_relative_to(cache_home) and path.stat().st_size > 1_000_000
    lexicon._lexicon.cache_clear()
    assert lexicon.frequency("完善") == common


@pytest.mark.parametrize(
    "content",
    [
        b"",  # empty
        b"\x00" * 64,  # zero-filled
        marshal.dumps(({"完善": 1}, {}, 3))[:-3],  # truncated
        marshal.dumps(({}, {}, 3)),  # right shape, no words
        marshal.dumps(({"完善": "x"}, {}, 3)),  # right shape, wrong contents
        marshal.dumps([1, 2, 3]),  # wrong shape
        marshal.dumps(({"完善": 1}, {}, 3, b"\xff")),  # a bitmap of pairs of the wrong size
    ],
)
def test_a_bad_cache_file_falls_back_to_the_dictionary(cache_home: Path, content: bytes) -> None:
    path = _cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert lexicon.frequency("完善") > 1000
    assert lexicon.seam_word("正在不断完", "善各项措施", min_freq=5) == "完善"


def test_no_absolute_cache_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert lexicon._cache_file(lexicon._dict_path()) is None
    lexicon._lexicon.cache_clear()
    try:
        assert lexicon.frequency("完善") > 1000
    finally:
        lexicon._lexicon.cache_clear()
    assert not (tmp_path / "relative").exists()


def test_the_bitmap_of_pairs_holds_every_pair_of_every_word() -> None:
    table = lexicon._lexicon()
    for word in ("完善", "抱团", "不断完善", "中华人民共和国"):
        assert all(lexicon._may_hold(table.pairs, a, b) for a, b in zip(word, word[1:])), word


def test_caches_of_other_versions_are_pruned_to_the_newest_few(cache_home: Path) -> None:
    import os

    folder = cache_home / "repair"
    folder.mkdir()
    olds = [folder / f"lexicon-old{n}.marshal" for n in range(5)]
    for n, old in enumerate(olds):
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))  # old0 oldest, old4 newest
    other = folder / "notes.txt"
    other.write_text("not ours")
    lexicon.frequency("完善")
    kept = sorted(p.name for p in folder.glob("lexicon-*.marshal"))
    assert kept == sorted([_cache_path().name, "lexicon-old4.marshal", "lexicon-old3.marshal"])
    assert other.exists()
