"""Pages of kinds the seeds do not show come out as an editor would publish them.

The pages in `tests/residue/` are made up (甲县, 乙县) in the shape of three common sources: a
county government's news page (breadcrumb, a date line with the font-size and print buttons in it,
share buttons, footer), a post on a social platform (原创 … 发表于… header, prompts to follow the
account, a writer's credit line, byline lines with a reviewer and a page counter, like buttons) and
an e-paper page exported as text (the running head above the article and again at a page break,
where it cuts a paragraph; the page's credits at its foot). A second e-paper export holds two
pages: an article that breaks off on the first (（下转第2版）) and goes on among the second page's
articles (（上接第1版）), articles that open with a news dateline and no byline line, a reporter
line behind an ornament (■本报记者). A post on a publishing platform ends with a link back to
the platform, its disclaimer, a QR prompt and a list of other stories. A PDF export prints its
headline letter-spaced. The expected Markdown next to each was written by hand (one
file per article: `STEM-01.md`, `STEM-02.md` … for a page of several).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.accounting import unaccounted
from repair.decisions import REJECT
from repair.pipeline import analyze_text, build, default_rules, repair_text

PAGES = Path(__file__).parent / "residue"
STEMS = ["gov-notice", "social-post", "epaper-page", "epaper-jump", "platform-post", "pdf-spaced"]


def _expected(stem: str) -> list[str]:
    files = sorted(PAGES.glob(f"{stem}-[0-9][0-9].md")) or [PAGES / f"{stem}.md"]
    return [f.read_text(encoding="utf-8") for f in files]


@pytest.mark.parametrize("stem", STEMS)
def test_page_comes_out_as_published(stem: str) -> None:
    result = repair_text((PAGES / f"{stem}.txt").read_text(encoding="utf-8"), f"{stem}.txt")
    assert [a.markdown for a in result.articles] == _expected(stem)


@pytest.mark.parametrize("stem", STEMS)
def test_page_loses_no_text(stem: str) -> None:
    text = (PAGES / f"{stem}.txt").read_text(encoding="utf-8")
    assert unaccounted(text, repair_text(text, f"{stem}.txt")) == ""


def test_a_second_source_line_is_kept_beside_the_first() -> None:
    text = "甲县新闻\n\n来源：甲县日报\n\n甲县今年新修道路五十公里，方便群众出行。\n\n来源：甲县融媒体中心"
    meta = repair_text(text).articles[0].meta
    assert meta["source"] == ["甲县日报", "甲县融媒体中心"]


_HEAD_OF_THREE_LINES = (
    "2024年3月15日 星期五\n\n某市日报\n\n第3版：要闻\n\n"
    "某市新建口袋公园三十个\n\n本报记者 张三\n\n"
    "今年以来，某市在老城区新建口袋公园三十个，新增绿地面积十二万平方米，让市民出门即可见绿。\n\n"
    "走进乙街道的口袋公园，健身器材、休闲座椅一应俱全，附近居民在这里散步、下棋，其乐融融。\n\n"
    "乙县举办农民丰收节\n\n本报记者 李四\n\n"
    "日前，乙县第五届农民丰收节开幕，来自全县的农户带来了大米、茶叶、蜂蜜等特色农产品，吸引了大批游客前来选购。\n\n"
    "丰收节期间，乙县还举办了农产品展销、农耕文化展示等活动，进一步拓宽了农产品销售渠道。"
)


def test_every_article_below_a_running_head_of_three_lines_takes_all_of_it() -> None:
    edition = {"date": "2024-03-15", "publication": "某市日报", "page": "第3版", "section": "要闻"}
    articles = repair_text(_HEAD_OF_THREE_LINES, "page.txt").articles
    assert [a.title for a in articles] == ["某市新建口袋公园三十个", "乙县举办农民丰收节"]
    assert [{k: a.meta.get(k) for k in edition} for a in articles] == [edition, edition]
    assert [a.meta["authors"] for a in articles] == [["张三"], ["李四"]]


def test_a_website_edition_line_adds_the_paper_and_page_but_not_a_second_date() -> None:
    text = (
        "某市新建口袋公园三十个\n\n2020年02月26日05:31  来源：某市网－某市日报\n\n"
        "今年以来，某市在老城区新建口袋公园三十个，新增绿地面积十二万平方米，让市民出门即可见绿。\n\n"
        "《 某市日报 》（ 2020年02月26日   05 版）"
    )
    meta = repair_text(text, "page.txt").articles[0].meta
    assert (meta["date"], meta["publication"], meta["page"]) == ("2020-02-26T05:31:00", "某市日报", "05版")


def _jump_page():
    text = (PAGES / "epaper-jump.txt").read_text(encoding="utf-8")
    return analyze_text(text, "epaper-jump.txt"), default_rules()


def _bodies(result) -> list[list[str]]:
    return [[item.text for item in article.body] for article in result.articles]


def test_rejecting_a_page_jump_edit_keeps_its_marker() -> None:
    analysis, rules = _jump_page()
    edit = next(f for f in analysis.fixes if f.rule == "page-jump" and "下转" in f.before)
    bodies = _bodies(build(analysis, rules, {edit.id: REJECT}))
    assert any("累计协调解决问题（下转第2版）120余个" in p for p in bodies[0])


def test_rejecting_the_continuation_move_leaves_its_text_on_the_second_page() -> None:
    analysis, rules = _jump_page()
    move = next(f for f in analysis.fixes if f.rule == "jump-continuation")
    assert move.evidence["breaks_off"] == "（下转第2版）" and move.evidence["goes_on"] == "（上接第1版）"
    bodies = _bodies(build(analysis, rules, {move.id: REJECT}))
    assert bodies[2][-1].startswith("下一步，乙县将继续聚焦主导产业")
    assert not any(p.startswith("下一步") for p in bodies[0])


def test_a_marker_whose_other_end_is_missing_stays() -> None:
    text = "乙县推动产业升级\n\n今年以来，乙县推动产业升级，全县累计协调解决问题（下转第2版）"
    assert repair_text(text).articles[0].body[-1].text.endswith("（下转第2版）")


def test_two_articles_that_jump_go_on_in_the_order_they_broke_off() -> None:
    """Two articles of the first page go on among the second page's: each continuation goes back
    to its own article, and none runs into the next continuation."""
    text = (PAGES / "epaper-two-jumps.txt").read_text(encoding="utf-8")
    bodies = [" ".join(p for p in body) for body in _bodies(repair_text(text, "epaper-two-jumps.txt"))]
    assert len(bodies) == 3
    first, second, third = bodies
    assert "乙县还设立了产业发展基金" in first and "下一步，乙县将继续聚焦主导产业" in first
    assert "甲市各地要抓住春季造林的有利时机" in second and "甲市林业部门将加强造林技术指导" in second
    assert "乙县" not in second and "甲市" not in first and "上接" not in third
    assert unaccounted(text, repair_text(text, "epaper-two-jumps.txt")) == ""


def test_a_teaser_for_another_page_is_an_item_of_its_own() -> None:
    text = (
        "甲县新修道路五十公里\n\n甲县今年新修道路五十公里，方便群众出行，沿线村民出行时间明显缩短。\n\n"
        "乙镇举办第五届农民丰收节，农户带来了大米、茶叶等特色农产品。（详见第3版）\n\n"
        "甲县还将继续完善农村公路网络，推动城乡交通一体化。"
    )
    analysis, rules = analyze_text(text, "teaser.txt"), default_rules()
    bodies = _bodies(build(analysis, rules))
    assert bodies[0] == ["甲县今年新修道路五十公里，方便群众出行，沿线村民出行时间明显缩短。", "甲县还将继续完善农村公路网络，推动城乡交通一体化。"]
    assert bodies[1] == ["乙镇举办第五届农民丰收节，农户带来了大米、茶叶等特色农产品。（详见第3版）"]
    move = next(f for f in analysis.fixes if f.rule == "page-teaser")
    assert len(_bodies(build(analysis, rules, {move.id: REJECT}))) == 1


def test_a_headline_printed_again_above_the_continuation_goes_with_the_jump() -> None:
    """The second page prints the article's headline again, shortened, above （上接第1版）: the
    pages come out as without it, and the line is in the report as dropped."""
    text = (PAGES / "epaper-jump.txt").read_text(encoding="utf-8").replace("（上接第1版）", "乙县推动产业升级\n\n（上接第1版）")
    result = repair_text(text, "epaper-jump.txt")
    assert [a.markdown for a in result.articles] == _expected("epaper-jump")
    assert unaccounted(text, result) == ""


_PARK_STORY = (
    "今年以来，乙市在老城区新建口袋公园十座，新增绿地面积三万平方米，让市民出门即可见绿。\n\n"
    "走进丙街道的口袋公园，健身器材、休闲座椅一应俱全，附近居民在这里散步、下棋，其乐融融。\n\n"
)


def _one_article(text: str, title: str, fields: dict[str, object], starts: list[str]) -> None:
    """The page comes out as one article: `title`, `fields` in its front matter, body paragraphs
    whose first four characters are `starts`, and no text lost."""
    result = repair_text(text, "page.txt")
    (article,) = result.articles
    assert article.title == title
    assert {k: article.meta.get(k) for k in fields} == fields
    assert [b.text[:4] for b in article.body] == starts
    assert unaccounted(text, result) == ""


def _portal_article(head: str, foot: str, fields: dict[str, object]) -> None:
    """A portal page around the park story comes out as the story under its headline."""
    _one_article(head + _PARK_STORY + foot, "乙市老城区新添十座口袋公园", fields, ["今年以来", "走进丙街"])


def test_a_portal_head_with_a_menu_and_a_trail_of_links_leaves_only_the_headline() -> None:
    head = (
        "首页 要闻 本地 财经 体育 娱乐\n"
        "某某网 > 甲省 > 乙市 > 今日乙市 > 正文\n\n"
        "乙市老城区新添十座口袋公园\n\n"
        "来源:乙市晚报 2019-12-21 08:45   https://www.example.net/\n\n"
    )
    fields = {"source": "乙市晚报", "date": "2019-12-21T08:45:00", "url": "https://www.example.net/", "editor": "李某"}
    _portal_article(head, "责任编辑：李某_AB1234", fields)


def test_a_source_name_under_a_date_line_is_the_source() -> None:
    # a portal prints the source as a link on its own line under the date
    head = (
        "首页\n\n新闻\n\n图片\n\n视频\n\n登录\n\n注册\n\n"
        "乙市老城区新添十座口袋公园\n\n2019年11月25日 18:57\n\n某某日报\n\n缩小字体\n\n放大字体\n\n收藏\n\n微博\n\n"
    )
    fields = {"source": "某某日报", "date": "2019-11-25T18:57:00", "editor": "李某"}
    _portal_article(head, "责任编辑：李某\n\n相关阅读\n\n热门推荐\n\n返回顶部", fields)


def test_a_posts_end_mark_and_the_account_s_list_of_older_posts_leave_the_article() -> None:
    text = (
        "点击上方蓝字 关注我们\n\n甲县：小小蘑菇撑起致富大产业\n\n原创 张三 甲县发布 2024-03-15 18:30 发表于某省\n\n"
        "近年来，甲县立足资源禀赋，大力发展食用菌产业，全县食用菌种植面积达到一万亩，带动三千余户农户增收。\n\n"
        "据了解，甲县还将建设食用菌加工园区，延伸产业链条，提高产品附加值。\n\n"
        "— END —\n\n编辑：李某\n\n审核：赵某\n\n往期推荐\n\n甲县召开全县经济工作会议\n\n甲县举办第三届农民丰收节\n\n"
        "点个“在看”，你最好看\n\n阅读原文"
    )
    fields = {"authors": ["张三"], "source": "甲县发布", "editor": "李某", "reviewer": "赵某", "date": "2024-03-15T18:30:00"}
    _one_article(text, "甲县：小小蘑菇撑起致富大产业", fields, ["近年来，", "据了解，"])


def test_an_article_of_one_paragraph_keeps_it() -> None:
    # a brief of one paragraph has no other paragraph to share words with: that is no sign it
    # belongs to another article of the page
    text = (
        "甲县新建乡村公路一百公里\n\n"
        "本报讯（记者 王某）今年以来，甲县投入资金两亿元，新建和改造乡村公路一百公里，打通了一批断头路，群众出行更加便捷。\n\n"
        "据介绍，甲县还将实施农村公路养护工程，建立县、乡、村三级养护体系，确保道路安全畅通。\n\n"
        "乙镇举办首届草莓采摘节\n\n"
        "本报讯 2月18日，乙镇首届草莓采摘节开幕，吸引了周边县市的游客前来采摘。\n\n"
        "乙镇草莓种植面积达到三千亩，年产值超过一亿元，成为当地群众增收致富的主导产业。\n\n"
        "丙村推行垃圾分类 村容村貌焕然一新\n\n"
        "本报讯（通讯员 李某）走进丙村，道路干净整洁，房前屋后绿意盎然。去年以来，丙村推行垃圾分类，村容村貌焕然一新。"
    )
    articles = repair_text(text, "page.txt").articles
    assert [(a.title[:2], [b.text[:6] for b in a.body]) for a in articles] == [
        ("甲县", ["本报讯（记者", "据介绍，甲县"]),
        ("乙镇", ["本报讯 2月", "乙镇草莓种植"]),
        ("丙村", ["本报讯（通讯"]),
    ]


def test_rejecting_the_join_across_pages_leaves_the_whole_continuation_where_printed() -> None:
    analysis, rules = _jump_page()
    join = next(f for f in analysis.fixes if f.kind == "join" and "120余个" in f.before)
    move = next(f for f in analysis.fixes if f.rule == "jump-continuation")
    assert move.requires == (join.id,)  # the join carries the continuation's first paragraph
    bodies = _bodies(build(analysis, rules, {join.id: REJECT}))
    assert [p[:6] for p in bodies[2][-2:]] == ["120余个，", "下一步，乙县"]
    assert not any(p.startswith(("120余个", "下一步")) for p in bodies[0])
