"""The layout seeds come out as the page printed them (issue: reading order).

Expectations are an editor's reading of each page, written by hand."""

from __future__ import annotations

import pytest

from repair.accounting import unaccounted
from repair.pipeline import repair_text

from conftest import seed


def _run(prefix: str):
    path = seed(prefix)
    text = path.read_text(encoding="utf-8")
    result = repair_text(text, path.name)
    assert unaccounted(text, result) == ""
    return result


def _body(article) -> list[str]:
    return [item.text for item in article.body]


def _one(paragraphs: list[str], needle: str) -> str:
    hits = [p for p in paragraphs if needle in p]
    assert len(hits) == 1, f"{needle!r} in {len(hits)} paragraphs"
    return hits[0]


@pytest.fixture(scope="module")
def page002():
    return _run("002")


def test_002_page_splits_into_two_articles_and_a_photo_item(page002) -> None:
    titles = [a.title for a in page002.articles]
    assert titles[0] == "鄂尔多斯高新区打造党群工作“金”名片"
    assert titles[1] == "青岛高新区再造流程优化营商环境"
    assert len(page002.articles) == 3 and titles[2] is None
    item = page002.articles[2]
    # printed inside the first article, and its output says so
    assert (item.meta.get("item"), item.meta.get("printed_in")) == ("stray", titles[0])
    assert _body(item) == [
        "连日来，宜春丰城高新区各重点企业开足马力、抢抓生产，自动化生产线持续运转，车间内灯火通明。工人们在智能设备上操作，为区域经济发展注入强劲动能。"
    ]
    assert [f.text for f in item.figures] == [
        "图为在江西华伍制动器股份有限公司的总装车间，工人在流水线上有条不紊地作业。",
        "宜春丰城高新区供图",
    ]


def test_002_interrupted_paragraph_is_whole_and_nothing_foreign_remains(page002) -> None:
    body = _body(page002.articles[0])
    _one(body, "通过党建联盟活动解决职工社保办理、企业用工短缺、订单按期交付等痛点难点问题，让党旗在生产第一线高高飘扬。")
    for foreign in ("青岛", "郑明宇", "宜春", "图为"):
        assert not any(foreign in p for p in body), foreign
    for seam in ("双向选择等方式聘用到岗", "各类招聘会90场次", "统战联络员和统战干事，到打造统战之家"):
        _one(body, seam)


def test_002_lead_of_the_second_article_returns_to_its_start(page002) -> None:
    body = _body(page002.articles[1])
    assert body[0].startswith("1月8日，在青岛高新区行政审批服务大厅")
    assert body[1].startswith("可在几天前，他还在为这事发愁。")
    assert body[2].startswith("郑明宇的“心结”")
    joined = _one(body, "据了解，为解决企业的“急")
    assert joined.endswith("“高新”温度的加持下顷刻间画上句号。")
    assert body.index(joined) == body.index(_one(body, "过去，排队、提交")) + 1
    _one(body, "办事效率直接提升50%；而在装修申报领域")


@pytest.fixture(scope="module")
def doc001():
    return _run("001")


def test_001_numbered_points_read_in_order(doc001) -> None:
    (article,) = doc001.articles
    body = _body(article)
    principles = _one(body, "一是坚持党建区域化原则")
    positions = [principles.index(f"{n}是坚持党建") for n in "一二三四"]
    assert positions == sorted(positions)
    assert "市、旗两织建基层党建系统" in principles
    merged = _one(body, "一是以党建促项目推进")
    positions = [merged.index(f"{n}是以党建促") for n in "一二三四五"]
    assert positions == sorted(positions)
    # the tails no longer stand after the intro
    assert body[0].startswith("鄂托克经济开发区位于鄂托克旗棋盘井镇")
    assert body[1].startswith("## ") is False and "突出6个引领" in body[1]


def test_001_captions_leave_the_flow(doc001) -> None:
    (article,) = doc001.articles
    assert article.title == "党建引领强发展"
    figures = [f.text for f in article.figures]
    assert len([f for f in figures if f.endswith("。")]) == 9
    assert "凝聚合力谱新篇" in figures
    assert not any(p.endswith("仪式。") or p.endswith("进社区。") for p in _body(article))
    headings = [i.text for i in article.body if i.kind == "heading"]
    assert headings == [
        "突出6个引领，提升党建工作科学化水平",
        "坚持问题导向，统筹谋划开发区党建工作",
        "强化四项原则，着力完善党建工作机制",
        "坚持融合促进，打造开发区红色引擎",
    ]


@pytest.fixture(scope="module")
def doc004():
    return _run("004")


def test_004_repeated_lead_kept_once_complete(doc004) -> None:
    (article,) = doc004.articles
    body = _body(article)
    lead = _one(body, "深入落实“链上党建”工作要求，立足产业布局与发展实际")
    assert lead.startswith("高质量发展，组织是“主心骨”")
    assert body[0].startswith("盛夏时节")


def test_004_column_splits_are_whole(doc004) -> None:
    (article,) = doc004.articles
    body = _body(article)
    for seam in (
        "如何让企业扎堆变为产业抱团，让物理集聚",
        "党员先锋引领作用，深化",
        "持续壮大优质科企业梯队，目前已累计",
        "专精特新企业梯队持续扩容提质",
        "常态化下沉企业一线、走访职工群众，通过座谈恳谈",
    ):
        _one(body, seam)
    assert body[-1].endswith("用高质量党建培育新质生产力。")
    assert [f.text for f in article.figures] == ["鄂尔多斯高新区供图"]
    assert article.meta["authors"] == ["叶伟", "刘宇光"]
