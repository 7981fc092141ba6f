"""Shortcuts taken for speed give what the long way gives."""

import difflib
import json
import random

from repair import lexicon
from repair.report import removed_by_edit, report_json
from repair.script import _converter, convert


def _diff_removed(before: str, after: str) -> str:
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    return "".join(before[i1:i2] for op, i1, i2, _, _ in matcher.get_opcodes() if op in ("delete", "replace"))


def test_removed_by_edit_is_the_character_diff():
    rng = random.Random(7)
    for _ in range(5000):
        alphabet = rng.choice(["ab", "abc", "ab,，", "文字,，:：", "abcdefgh"])
        before = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        after = list(before)
        for _ in range(rng.randrange(0, 4)):
            if after:
                after[rng.randrange(len(after))] = rng.choice(alphabet + "，：XY")
        if rng.random() < 0.2 and after:
            del after[rng.randrange(len(after))]
        after = "".join(after)
        assert removed_by_edit(before, after) == _diff_removed(before, after), (before, after)


def test_report_json_is_the_standard_encoding():
    report = {
        "input": "甲县/第1版.txt",
        "fixes": [
            {"id": "ab12", "confidence": 0.93, "score": 12.714876140001204, "cues": {"open_end": 2.0, "distance": -0.45},
             "blocks": [[0, 3], [1, 2]], "applied": True, "removed": "\u00a0\t“引号”\x07\\", "lines": (4, 9)},
            {"id": "cd34", "params": {}, "evidence": [], "after": None, "line": 2**70},  # beyond orjson's integers
        ],
        7: "a key that is a number",
    }
    for value in (report, {"fixes": []}, {"unaccounted": ""}):
        assert report_json(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    report["fixes"].pop()
    assert report_json(report) == json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    # a tiny float is spelled otherwise, and reads back the same
    tiny = {"similarity": 1e-05, "weights": [3.2e-05, -1e-07, 0.0]}
    assert json.loads(report_json(tiny)) == tiny


def test_convert_is_the_converters_conversion():
    texts = [
        "",
        "简体中文的新闻，没有繁体字。",
        "這是一段繁體中文，一目瞭然。\n第二行：简体。\n\n  第四行 覆蓋 沈船  ",
        "反覆思量\n藉此機會\n著名的瞭望台",
        "mixed 文字 and 數字 123,\n\n\n",
    ]
    for config in ("t2s", "s2t", "tw2s"):
        for text in texts:
            assert convert(text, config) == _converter(config).convert(text), (config, text)


def _plain_seam_word(a: str, b: str, min_freq: int) -> str | None:
    if not a or not b:
        return None
    pos = 0
    for word in lexicon.segment(a + b):
        start, end = pos, pos + len(word)
        if start < len(a) < end:
            if lexicon.frequency(word) >= min_freq:
                return word
            # a rare compound across the seam: its most frequent part that still spans it
            parts = [word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1)
                     if start + i < len(a) < start + j and (i, j) != (0, len(word))]
            common = [w for w in parts if lexicon.frequency(w) >= min_freq]
            return max(common, key=lexicon.frequency) if common else None
        pos = end
    return None


def test_seam_word_is_the_segmentation_across_the_seam():
    text = "产业抱团发展，推动经济高质量发展。我们要坚持以人民为中心的发展思想，不断增强人民群众获得感。故意隐瞒事实。"
    rng = random.Random(3)
    for _ in range(2000):
        cut = rng.randrange(len(text) + 1)
        a, b = text[max(0, cut - rng.randrange(6)) : cut], text[cut : cut + rng.randrange(6)]
        for min_freq in (0, 3, 1000):
            assert lexicon._seam_word.__wrapped__(a, b, min_freq) == _plain_seam_word(a, b, min_freq), (a, b)
