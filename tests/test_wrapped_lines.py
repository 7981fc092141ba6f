"""Hard-wrapped text (OCR, PDF text exports): paragraphs printed as lines cut at one width
come back as the paragraphs they were."""

from __future__ import annotations

import pytest
import regex as re

from repair.damage import corpus_articles, wrap_line
from repair.decisions import REJECT
from repair.pipeline import analyze_text, build, default_rules, repair_text
from repair.textutil import ends_sentence

from conftest import CORPUS, SEEDS, WRAPPED_PARAGRAPHS, wrapped_text

ARTICLES = corpus_articles(CORPUS / "clean", "all") if (CORPUS / "clean").is_dir() else []
needs_corpus = pytest.mark.skipif(not ARTICLES, reason="clean corpus not found next to the repo")


def _print(article, width: int | None, indent: bool) -> str:
    """The article as a text export prints it: each line wrapped at `width` display columns
    (None: one line per paragraph), paragraphs indented or kept apart by empty lines."""
    lines: list[str] = []
    for text in [*article.header, *article.paragraphs]:
        text = ("\u3000\u3000" if indent else "") + text
        lines += wrap_line(text, width) if width else [text]
        if not indent:
            lines.append("")
    return "\n".join(lines) + "\n"


# a line break where a space stood next to a Han character cannot tell the space was there
# (typesetters often set the gap without one); spaces between Latin words: the rule's examples
_SPACE = re.compile(r"\s")


def _bodies(text: str, name: str) -> list[list[str]]:
    return [[_SPACE.sub("", item.text) for item in article.body] for article in repair_text(text, name).articles]


def test_wrap_line_cuts_at_the_width_and_never_opens_a_line_with_a_closing_mark() -> None:
    assert wrap_line("一二三四五六七八", 10) == ["一二三四五", "六七八"]
    assert wrap_line("一二三四五，六七八。", 10) == ["一二三四五，", "六七八。"]
    assert wrap_line("2020年一二三四", 10) == ["2020年一二", "三四"]
    assert wrap_line("华为在2019 IFA展上", 12) == ["华为在2019", "IFA展上"]


@needs_corpus
@pytest.mark.parametrize(("width", "indent"), [(36, True), (48, False)])
def test_wrapped_articles_come_out_as_they_do_printed_one_paragraph_a_line(width: int, indent: bool) -> None:
    for article in ARTICLES:
        plain = _bodies(_print(article, None, indent), article.name)
        assert _bodies(_print(article, width, indent), article.name) == plain, article.name


def _print_ragged(article, seed: int) -> str:
    """The article as a PDF export in a proportional font prints it: the headline lines flush, each
    paragraph opening with an indent, every line cut at a width that varies from line to line (a
    line holds more or fewer characters as their widths vary)."""
    import random

    rng = random.Random(seed)
    lines: list[str] = list(article.header)
    for text in article.paragraphs:
        rest = "\u3000\u3000" + text
        while rest:
            line = wrap_line(rest, rng.randrange(56, 76))[0]
            lines.append(line)
            rest = rest[len(line) :].lstrip(" ")  # the space at a cut is dropped
    return "\n".join(lines) + "\n"


@needs_corpus
def test_indented_articles_cut_at_varying_widths_come_out_as_they_do_printed_one_paragraph_a_line() -> None:
    for n, article in enumerate(ARTICLES):
        plain = _bodies(_print(article, None, True), article.name)
        assert _bodies(_print_ragged(article, n), article.name) == plain, article.name


_INDENTED_PAGE = (
    "　　甲县打造特色农业产业集群\n"
    "本报记者 王某\n"
    "　　近年来，甲县立足资源禀赋，大力发展特色农业，形成了以食用菌、中药材、茶叶为主的三大\n"
    "产业集群，全县特色农业产值突破五十亿元。\n"
    "　　会议提出三点要求：\n"
    "一要提高认识。\n"
    "　　在乙镇的中药材种植基地，连片的药田一眼望不到边。基地负责人介绍，今年基地种植的黄芪、\n"
    "党参长势良好，预计亩产值可达八千元，比去年增加了两成，带动周边农户户均增收五千元以上。\n"
    "图为乙镇的中药材种植基地。\n"
    "王某 摄\n"
    "　　据了解，甲县还将建设农产品加工园区，延伸产业链条，推动特色农业向精深加工转型，让更\n"
    "多农民在家门口实现就业增收，到2025年全县特色农业产值将达到八十亿元，农民收入翻一番。\n"
    "编辑：李某\n"
    "审核：赵某\n"
)


def test_in_an_indented_export_a_byline_a_caption_and_a_short_lead_in_stand_alone() -> None:
    (article,) = repair_text(_INDENTED_PAGE, "indented.txt").articles
    assert article.title == "甲县打造特色农业产业集群"
    assert {k: article.meta.get(k) for k in ("authors", "editor", "reviewer")} == {"authors": ["王某"], "editor": "李某", "reviewer": "赵某"}
    assert [f.text for f in article.figures] == ["图为乙镇的中药材种植基地。", "王某 摄"]
    assert [b.text[:4] for b in article.body] == ["近年来，", "会议提出", "一要提高", "在乙镇的", "据了解，"]
    assert article.body[3].text.endswith("五千元以上。") and article.body[4].text.endswith("翻一番。")


def _with_page_numbers(text: str, every: int, mark: str) -> str:
    """The export with the printed page's number on a line of its own after every `every` lines,
    where the page ended: often inside a paragraph, even inside a sentence. (With empty lines round
    the number, in an export that keeps its paragraphs apart with empty lines, a page that ends at
    the end of a sentence cannot tell whether its paragraph ended there too: the page then ends a
    line later.)"""
    lines = text.splitlines()
    out: list[str] = []
    due = False
    for n, line in enumerate(lines, 1):
        out.append(line)
        due = due or n % every == 0
        if due and not (mark.startswith("\n") and ends_sentence(line)):
            out.append(mark.format(n // every + 1))
            due = False
    return "\n".join(out) + "\n"


@needs_corpus
@pytest.mark.parametrize(("width", "indent", "mark"), [(36, True, "— {} —"), (48, False, "\n- {} -\n"), (40, True, "第 {} 页")])
def test_page_numbers_between_the_lines_leave_no_trace(width: int, indent: bool, mark: str) -> None:
    for article in ARTICLES:
        plain = _bodies(_print(article, None, indent), article.name)
        numbered = _with_page_numbers(_print(article, width, indent), 17, mark)
        assert _bodies(numbered, article.name) == plain, article.name


@needs_corpus
def test_rejecting_a_page_number_drop_keeps_the_number_and_every_line() -> None:
    from repair.accounting import unaccounted

    article = next(a for a in ARTICLES if len(a.paragraphs) >= 6)
    text = _with_page_numbers(_print(article, 36, True), 17, "— {} —")
    drop = next(f for f in analyze_text(text, "numbered").fixes if f.rule == "page-number")
    result = repair_text(text, "numbered", decisions={drop.id: REJECT})
    assert drop.before in "".join(a.markdown for a in result.articles)
    assert unaccounted(text, result) == ""


@needs_corpus
def test_rejecting_the_merge_leaves_the_lines_as_printed() -> None:
    article = next(a for a in ARTICLES if len(a.paragraphs) >= 6)
    text = _print(article, 40, True)
    analysis = analyze_text(text, "wrapped")
    merges = [f for f in analysis.fixes if f.rule == "wrapped-lines"]
    assert merges and all(f.kind == "merge" and f.evidence["wrap_width"] in range(37, 41) for f in merges)
    first = merges[0]
    rules = default_rules()
    accepted = [i for a in build(analysis, rules).articles for i in a.body]
    rejected = [i for a in build(analysis, rules, {first.id: REJECT}).articles for i in a.body]
    merged = next(i for i in accepted if first.lines[0] in i.lines)
    # the merged paragraph remembers every line it came from
    assert merged.lines == tuple(range(first.lines[0], first.lines[1] + 1))
    assert not any(len(i.lines) > 1 and first.lines[0] in i.lines for i in rejected)
    assert len(rejected) > len(accepted)


def test_real_documents_are_not_taken_for_wrapped_text() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        analysis = analyze_text(path.read_text(encoding="utf-8"), path.name)
        assert not [f for f in analysis.fixes if f.rule == "wrapped-lines"], path.name


def test_rejecting_a_merge_lets_later_rules_fix_every_line_as_printed() -> None:
    from opencc import OpenCC

    s2t, t2s = OpenCC("s2t"), OpenCC("t2s")
    text = wrapped_text(s2t.convert)
    first = next(f for f in analyze_text(text, "trad").fixes if f.rule == "wrapped-lines")
    result = repair_text(text, "trad", decisions={first.id: REJECT})
    assert first.id in result.decisions and first not in result.applied
    # later rules saw the lines as printed: every one of them is converted to Simplified, not only
    # the first (a fix made for the merged paragraph would reach its first line alone)
    markdown = "".join(article.markdown for article in result.articles)
    assert t2s.convert(markdown) == markdown
    assert WRAPPED_PARAGRAPHS[0][:10] in markdown


def test_an_analysis_holding_back_rejected_merges_builds_what_a_replay_builds() -> None:
    from dataclasses import replace

    text = wrapped_text()
    merges = [f.id for f in analyze_text(text, "w").fixes if f.rule == "wrapped-lines"]
    decisions = {merges[0]: REJECT}
    analysis = analyze_text(text, "w", decisions=decisions)
    assert analysis.held_back == {merges[0]}
    rules = default_rules()
    kept = build(analysis, rules, decisions)  # arranges the analysis's own view
    replayed = build(replace(analysis, view=None), rules, decisions)
    assert [a.markdown for a in kept.articles] == [a.markdown for a in replayed.articles]
    assert kept.applied == replayed.applied and merges[0] not in {f.id for f in kept.applied}
