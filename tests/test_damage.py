"""Tests of the damage generator and of the evaluation harness (repair.damage, repair.evaluate)."""

from __future__ import annotations

import importlib.util
import random

import pytest

from repair import damage as D
from repair import evaluate as E

CORPUS = E.DEFAULT_CORPUS.resolve()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"clean corpus not at {CORPUS}")

P0 = "近年来，这座城市坚持创新驱动发展，产业结构持续优化，经济总量稳步增长。"
P1 = "开发区管委会负责人介绍说。今年以来，园区新签约项目二十多个，总投资超过一百亿元，带动就业岗位三千多个。"
P2 = "与此同时，园区不断优化营商环境，推行审批事项一次办结，企业满意度明显提升，市场主体数量持续增加。"
P3 = "下一步，园区将继续聚焦主导产业，加快培育新兴产业集群，推动经济高质量发展迈出更大步伐。"
Q0 = "连日来，另一座城市的工厂开足马力抢抓生产，自动化生产线持续运转，车间内灯火通明。"
Q1 = "工人们在智能设备上有条不紊地操作，为区域经济发展注入强劲动能，订单排到了年底。"

CLEAN_TEXT = f"""SOURCE: test

园区经济观察

产业集群加速成长（新视点）

{P0}

图①：工人在车间内作业。

{P1}

\u00a0

产业聚链共生

{P2}

{P3}

本报记者 王明摄
"""


def article(paras: list[str], header: list[str] | None = None, name: str = "x") -> D.CleanArticle:
    return D.CleanArticle(name=name, header=header if header is not None else ["园区经济观察"],
                          paragraphs=paras, captions=[])


def blocks_of(*arts: D.CleanArticle) -> list[D.Block]:
    out: list[D.Block] = []
    for i, a in enumerate(arts):
        out += D.article_blocks(a, i)
    return out


def body_texts(blocks: list[D.Block]) -> list[str]:
    return [b.text for b in blocks if b.role not in ("title", "byline")]


def present(unit: str, text: str) -> bool:
    """`unit` is in `text` whole, or as two halves (in any order)."""
    return unit in text or any(unit[:i] in text and unit[i:] in text for i in range(1, len(unit)))


# ---------------------------------------------------------------------------
# Clean articles
# ---------------------------------------------------------------------------


def test_parse_clean_header_paragraphs_captions():
    a = D.parse_clean("t", CLEAN_TEXT)
    assert a.header == ["园区经济观察", "产业集群加速成长（新视点）"]
    assert a.paragraphs == [P0, P1, "产业聚链共生", P2, P3]  # the no-break-space line is dropped
    assert a.captions == ["图①：工人在车间内作业。", "本报记者 王明摄"]


def test_addressee_line_opens_the_body_not_the_header():
    a = D.parse_clean("t", "SOURCE: x\n\n关于做好春季农业生产工作的通知\n\n各区县农业农村局：\n\n现将有关事项通知如下。")
    assert a.header == ["关于做好春季农业生产工作的通知"]
    assert a.paragraphs == ["各区县农业农村局：", "现将有关事项通知如下。"]
    blocks = D.article_blocks(a, 0, byline="记者 某某")
    assert [b.role for b in blocks] == ["title", "byline", "para", "para"]


def test_load_clean_reads_file(tmp_path):
    p = tmp_path / "007_test.txt"
    p.write_text(CLEAN_TEXT, encoding="utf-8")
    a = D.load_clean(p)
    assert a.name == "007_test" and len(a.paragraphs) == 5
    assert D.file_number(p.name) == 7


def test_caption_detection_is_line_based():
    assert D.is_caption("图为工人在流水线上作业。")
    assert D.is_caption("园区管委会供图")
    assert D.is_caption("版式设计：张三")
    assert D.is_caption("资料图片")
    assert D.is_caption("李某某摄（人民视觉）")  # the agency in brackets after the photographer
    assert D.is_caption("（本报记者 王某 摄）")
    assert not D.is_caption("让样机从图纸变为现实的是钳工夏某（见上图，本报记者某某摄）。")


# ---------------------------------------------------------------------------
# Operations, each on a tiny hand-made page
# ---------------------------------------------------------------------------


def test_split_paragraph_cuts_between_letters():
    blocks = blocks_of(article([P1]))
    rec = D.split_paragraph(blocks, random.Random(1))
    assert rec and rec.op == "split"
    head, tail = blocks[1], blocks[2]
    assert (head.role, tail.role) == ("head", "tail") and head.pid == tail.pid == 0
    assert head.text + tail.text == P1
    assert head.text[-1].isalnum() and tail.text[0].isalnum()
    assert tail.sep == "\n\n"


def test_split_never_cuts_headings_or_short_blocks():
    blocks = blocks_of(article(["产业聚链共生", "很短的一句话。"]))
    assert D.split_paragraph(blocks, random.Random(1)) is None


def test_split_across_nbsp_line():
    blocks = blocks_of(article([P1]))
    assert D.split_across_nbsp(blocks, random.Random(2)).op == "split_nbsp"
    text = D.render(blocks)
    assert "\n\n\u00a0\n" + blocks[2].text in text


def test_bleed_leads_moves_other_articles_leads_into_the_gap():
    a, b = article([P0, P1, P2]), article([Q0, Q1, P3], header=["另一篇报道"])
    blocks = blocks_of(a, b)
    D.split_paragraph(blocks, random.Random(3), art=0)
    rec = D.bleed_leads(blocks, random.Random(3), src_art=1, count=1)
    assert rec and rec.op == "bleed_leads"
    h = next(i for i, x in enumerate(blocks) if x.role == "head")
    assert blocks[h + 1].text == Q0 and blocks[h + 1].art == 1
    assert blocks[h + 2].role == "tail"
    assert [x.text for x in blocks if x.art == 1 and x.role == "para"] == [Q0, Q1, P3]


def test_bleed_foreign_and_photo_item():
    blocks = blocks_of(article([P0, P1, P2]))
    D.split_paragraph(blocks, random.Random(4))
    rec = D.bleed_photo_item(blocks, random.Random(4), Q0, "图为工人在操作。", "某某供图")
    assert rec and rec.op == "bleed_photo_item"
    h = next(i for i, x in enumerate(blocks) if x.role == "head")
    assert [x.text for x in blocks[h + 1:h + 3]] == [Q0, "图为工人在操作。"]
    assert blocks[h + 3].role == "tail"
    assert blocks[-1].text == "某某供图" and blocks[-1].role == "foreign"


def test_move_tail_before_head_goes_after_first_paragraph():
    blocks = blocks_of(article([P0, P1, P2, P3]))
    target = next(i for i, x in enumerate(blocks) if x.pid == 3)
    b = blocks[target]
    blocks[target:target + 1] = [D.Block(b.text[:10], "head", 0, 3), D.Block(b.text[10:], "tail", 0, 3)]
    rec = D.move_tail_before_head(blocks, random.Random(5))
    assert rec and rec.op == "move_tail"
    assert body_texts(blocks) == [P0, P3[10:], P1, P2, P3[:10]]


def test_move_tail_keeps_order_of_moved_tails():
    blocks = blocks_of(article([P0, P1, P2, P3, Q0]))
    for pid in (2, 4):
        i = next(k for k, x in enumerate(blocks) if x.pid == pid and x.role == "para")
        t = blocks[i].text
        blocks[i:i + 1] = [D.Block(t[:10], "head", 0, pid), D.Block(t[10:], "tail", 0, pid)]
    rng = random.Random(0)
    D.move_tail_before_head(blocks, rng)
    D.move_tail_before_head(blocks, rng)
    body = body_texts(blocks)
    assert body[:3] == [P0, P2[10:], Q0[10:]]


def test_delay_tail_prints_next_paragraph_between_halves():
    blocks = blocks_of(article([P0, P1, P2]))
    i = 2  # P1
    blocks[i:i + 1] = [D.Block(P1[:12], "head", 0, 1), D.Block(P1[12:], "tail", 0, 1)]
    assert D.delay_tail(blocks, random.Random(6)).op == "delay_tail"
    assert body_texts(blocks) == [P0, P1[:12], P2, P1[12:]]


def test_scatter_captions_with_extra_blank_lines():
    blocks = blocks_of(article([P0, P1, P2]))
    caps = ["图为工人在操作。", "某某供图"]
    rec = D.scatter_captions(blocks, random.Random(7), caps, art=0)
    assert rec and rec.op == "scatter_captions"
    placed = [x for x in blocks if x.role == "caption"]
    assert sorted(x.text for x in placed) == sorted(caps)
    assert all(x.sep in ("\n\n", "\n\n\n\n") for x in placed)
    assert [x.text for x in blocks if x.role == "para"] == [P0, P1, P2]


def test_glue_credit_to_last_paragraph():
    blocks = blocks_of(article([P0, P1, P2]))
    assert D.glue_credit(blocks, random.Random(8), "某某供图", art=0).op == "glue_credit"
    last = blocks[-1].text
    assert last.startswith(P2) and last.endswith("某某供图") and last[len(P2)] in " \u3000"


def test_repeat_lead_inside_later_paragraph():
    blocks = blocks_of(article([P0, P1, P2]))
    rec = D.repeat_lead(blocks, random.Random(9), art=0)
    assert rec and rec.op == "repeat_lead"
    dup = blocks[1]
    assert dup.role == "dup" and dup.art == 0
    first_sentence = "开发区管委会负责人介绍说。"
    assert dup.text == P1[len(first_sentence):] and P1.endswith(dup.text)


def test_repeat_lead_verbatim():
    blocks = blocks_of(article([P0, P1, P2]))
    D.repeat_lead(blocks, random.Random(9), art=0, verbatim=True)
    assert blocks[1].role == "dup" and blocks[1].text in (P1, P2)


def test_web_residue():
    blocks = blocks_of(article([P0, P1]))
    rng = random.Random(10)
    D.add_web_byline(blocks, rng, 0, D.fake_web_byline(rng))
    D.add_footer(blocks, rng, D.fake_footer(rng))
    text = D.render(blocks)
    byline = next(line for line in text.split("\n") if line.startswith("作者"))
    assert all(k in byline for k in ("来源", "编辑", "发布时间"))
    assert "\n|\n" in text
    assert "Copyright" in text and "ICP备" in text and "友情链接" in text
    assert [x.text for x in blocks if x.role == "para"] == [P0, P1]
    assert text.index(byline) < text.index(P0) < text.index("Copyright")


def test_halfwidth_punct():
    blocks = blocks_of(article([P0 + "（注）", P1]))
    assert D.halfwidth_punct(blocks, random.Random(11), share=1.0).op == "halfwidth"
    text = D.render(blocks)
    assert not any(c in text for c in "，：；！？（）")
    assert "," in text and "(注)" in text
    assert E.normalize(text) == E.normalize(D.render(blocks_of(article([P0 + "（注）", P1]))))


# ---------------------------------------------------------------------------
# Documents and sets
# ---------------------------------------------------------------------------


def test_make_document_page_structure():
    a = article([P0, P1, P2, P3], header=["园区经济观察"], name="001_a")
    b = article([Q0, Q1, P3 + "另有补充。"], header=["另一篇报道"], name="002_b")
    doc = D.make_document([a, b], random.Random(12))
    assert [t.title for t in doc.truth] == ["园区经济观察", "另一篇报道"]
    assert doc.truth[0].paragraphs == [P0, P1, P2, P3]
    assert all(t.byline for t in doc.truth)
    assert doc.text.count("▶ ") == 2
    assert doc.text.index("园区经济观察") < doc.text.index("另一篇报道")


def test_make_document_keeps_all_truth_text():
    a = D.parse_clean("t", CLEAN_TEXT)
    donor = article([Q0, Q1, P3], name="d")
    for seed in range(30):
        doc = D.make_document([a], random.Random(seed), donors=[donor])
        text = E.normalize(doc.text)
        for t in doc.truth:
            for unit in t.header + t.paragraphs + t.captions:
                assert present(E.normalize(unit), text), (seed, unit)


def test_a_page_may_get_a_photo_item_from_off_the_page_and_nothing_else_changes():
    a = article([P0, P1, P2, P3], header=["园区经济观察"], name="001_a")
    b = article([Q0, Q1, P3 + "另有补充。"], header=["另一篇报道"], name="002_b")
    donor = article([Q0 + "（甲）", Q1 + "（乙）", P2 + "（丙）", "丁市举办读书节，市民踊跃参加。"], name="003_d")
    with_item = []
    for k in range(30):
        doc = D.make_document([a, b], random.Random(k), donors=[donor], name=f"page-{k}")
        plain = D.make_document([a, b], random.Random(k), name=f"page-{k}")
        ops = [o for o in doc.ops if o.op == "bleed_photo_item"]
        if not ops:
            assert doc.text == plain.text
            continue
        with_item.append(k)
        # the item's text (the donor's last paragraph), a 图为 caption, and the credit last in the file
        assert "丁市举办读书节" in doc.text and "丁市举办读书节" not in plain.text
        assert "图为" in doc.text.split("丁市举办读书节", 1)[1]
        assert doc.text.rstrip().endswith("供图")
        assert doc.truth == plain.truth
        # the rest of the damage is what the page gets without a donor
        assert [o for o in doc.ops if o.op != "bleed_photo_item"] == plain.ops
    assert 3 <= len(with_item) <= 20


@needs_corpus
def test_make_set_is_deterministic():
    a = D.make_set(CORPUS, 6, 3, "dev")
    b = D.make_set(CORPUS, 6, 3, "dev")
    c = D.make_set(CORPUS, 6, 4, "dev")
    assert [d.text for d in a] == [d.text for d in b]
    assert [d.truth for d in a] == [d.truth for d in b]
    assert [d.text for d in a] != [d.text for d in c]


@needs_corpus
def test_make_set_no_truth_text_lost():
    for split in ("dev", "holdout"):
        for doc in D.make_set(CORPUS, 25, 11, split):
            text = E.normalize(doc.text)
            for t in doc.truth:
                for unit in t.header + t.paragraphs + t.captions:
                    assert present(E.normalize(unit), text), (doc.name, unit[:30])


@needs_corpus
def test_splits_are_disjoint_and_simplified():
    dev = {t.name for d in D.make_set(CORPUS, 30, 1, "dev") for t in d.truth}
    hold = {t.name for d in D.make_set(CORPUS, 30, 1, "holdout") for t in d.truth}
    assert dev and hold and not dev & hold
    assert all(D.file_number(n) % 2 == 1 for n in dev)
    assert all(D.file_number(n) % 2 == 0 for n in hold)
    trad = [a.name for a in D.corpus_articles(CORPUS, "all", simplified_only=False) if D.is_traditional(a)]
    assert trad and not (dev | hold) & set(trad)


@needs_corpus
def test_make_set_exercises_every_operation():
    ops = {o.op for split in ("dev", "holdout") for d in D.make_set(CORPUS, 40, 7, split) for o in d.ops}
    assert ops >= {"split", "split_nbsp", "bleed_leads", "bleed_foreign", "bleed_photo_item", "move_tail",
                   "delay_tail", "scatter_captions", "glue_credit", "repeat_lead", "web_byline", "footer",
                   "halfwidth"}


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def test_normalize_folds_width_and_space():
    assert E.normalize("你好, 世界!(注)") == E.normalize("你好，\u00a0世界！（注）\u200b")
    assert E.normalize("“引号”\u3000x") == E.normalize('"引号" x')


def test_kendall_counts():
    assert E.kendall_counts([0, 1, 2]) == (3, 0)
    assert E.kendall_counts([2, 1, 0]) == (0, 3)


def _doc_one() -> D.DamagedDoc:
    truth = [D.TruthArticle("标题", [P0, P1, P2], ["某某供图"], header=["标题"], byline="记者 某某")]
    return D.DamagedDoc(text="dummy", truth=truth, name="one")


def _result(body: list[str], figures: list[str] = (), title: str = "标题") -> E.SimpleResult:
    items = [E.SimpleItem("paragraph", t) for t in body]
    return E.SimpleResult([E.SimpleArticle(title, items, [E.SimpleItem("caption", f) for f in figures])])


def test_scoring_duplicates_order_and_loss():
    doc = _doc_one()
    perfect = E.score_document(doc, _result([P0, P1, P2], ["某某供图"]))
    assert (perfect.recovered, perfect.foreign, perfect.lost_chars, perfect.captions_kept) == (3, 0, 0, 1)
    reversed_ = E.score_document(doc, _result([P2, P1, P0]))
    assert (reversed_.concordant, reversed_.discordant) == (0, 3)
    dup = E.score_document(doc, _result([P1[13:], P0, P1, P2, "记者 某某"]))
    assert dup.recovered == 3 and dup.foreign == 1  # the repeated copy is foreign, the byline is not
    assert dup.foreign_origins == ["copy"]
    halves = E.score_document(doc, _result([P0, P1[:20], P1[20:], P2], ["某某供图"]))
    # unjoined halves are misshapen, not foreign: their text belongs to the article
    assert halves.recovered == 2 and (halves.foreign, halves.misshapen) == (0, 2) and halves.lost_chars == 0
    caption_in_body = E.score_document(doc, _result([P0, "某某供图", P1, P2]))
    assert (caption_in_body.foreign, caption_in_body.misshapen) == (1, 1)
    assert caption_in_body.foreign_origins == ["caption"]
    bled = E.score_document(doc, _result([P0, P1[:20] + "另一篇文章的导语混进了这一段正文里面", P2]))
    assert (bled.foreign, bled.misshapen) == (1, 1)
    assert bled.foreign_origins == ["off the page"]
    dropped = E.score_document(doc, _result([P0, P2]))
    assert dropped.lost_chars == len(E.normalize(P1)) + len(E.normalize("某某供图"))


def test_foreign_items_name_where_their_text_comes_from():
    truth = [D.TruthArticle("标题", [P0, P1], [], header=["标题"]), D.TruthArticle("另一篇报道", [Q0, Q1], [], header=["另一篇报道"])]
    doc = D.DamagedDoc(text="dummy", truth=truth, name="page")
    result = E.SimpleResult([
        E.SimpleArticle("标题", [E.SimpleItem("paragraph", t) for t in (P0, Q0, P1)], []),
        E.SimpleArticle("另一篇报道", [E.SimpleItem("paragraph", Q1)], []),
    ])
    sc = E.score_document(doc, result)
    assert sc.foreign_origins == ["page article"]
    assert E.summarize([sc])["foreign_page_article"] == 1
    result.articles.append(E.SimpleArticle("", [E.SimpleItem("paragraph", Q0[:20])], []))
    assert E.score_document(doc, result).foreign_origins == ["page article", "set apart"]


@needs_corpus
def test_oracle_scores_perfectly_and_identity_visibly_worse():
    docs = D.make_set(CORPUS, 12, 5, "dev")
    best = E.evaluate(docs, E.oracle_repair(docs))["metrics"]
    assert best["paragraphs_recovered"] == 1.0
    assert best["order_tau"] == 1.0
    assert best["foreign_share"] == 0.0
    assert best["captions_kept"] == 1.0 and best["lost_chars"] == 0
    assert best["articles_found"] == best["articles_expected"]
    base = E.evaluate(docs, E.identity_repair)["metrics"]
    assert base["paragraphs_recovered"] < 0.85
    assert base["foreign_share"] > 0.15
    assert base["captions_kept"] < 0.5
    assert base["lost_chars"] == 0  # doing nothing loses nothing


def test_crashing_repair_is_measured_not_raised():
    def boom(text: str, name: str):
        raise RuntimeError("no")

    out = E.evaluate([_doc_one()], boom)
    assert out["metrics"]["errors"] == 1 and out["metrics"]["paragraphs_recovered"] == 0.0


def test_cli_missing_corpus_exits_2(tmp_path, capsys):
    assert E.main(["--corpus", str(tmp_path / "nope"), "--baseline", "identity"]) == 2
    assert "corpus" in capsys.readouterr().err


@needs_corpus
def test_cli_json_baseline(capsys):
    import json

    assert E.main(["-n", "3", "--json", "--baseline", "oracle"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"dev", "holdout"} and data["dev"]["metrics"]["paragraphs_recovered"] == 1.0


@needs_corpus
def test_evaluate_runs():
    if importlib.util.find_spec("repair.pipeline") is None:
        pytest.skip("repair.pipeline not written yet")
    pytest.importorskip("repair.pipeline")
    docs = D.make_set(CORPUS, 4, 7, "dev")
    m = E.evaluate(docs, E.pipeline_repair())["metrics"]
    for key in ("paragraphs_recovered", "foreign_share", "captions_kept", "lost_share"):
        assert isinstance(m[key], float) and 0.0 <= m[key] <= 1.0, key
    assert -1.0 <= m["order_tau"] <= 1.0  # Kendall τ
    assert m["documents"] == 4 and m["errors"] == 0
