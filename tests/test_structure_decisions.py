"""Rejecting a structural fix restores the source arrangement for its blocks only."""

from __future__ import annotations

from repair.decisions import ACCEPT, REJECT
from repair.pipeline import analyze_text, build, default_rules

from conftest import seed


def _page(prefix: str):
    text = seed(prefix).read_text(encoding="utf-8")
    return analyze_text(text, seed(prefix).name)


def _paragraphs(result) -> list[list[str]]:
    return [[item.text for item in article.body] for article in result.articles]


def _fix(analysis, kind: str, needle: str):
    return next(f for f in analysis.fixes if f.kind == kind and needle in f.before)


def _bridge_page(*printed_inside: str) -> str:
    """A one-article page about a bridge with `printed_inside` after its third paragraph."""
    return "\n\n".join(
        [
            "# 甲地大桥建成通车",
            "▶ 张三",
            "甲地跨江大桥今天上午正式建成通车，这座大桥全长三公里，双向六车道，设计时速八十公里。",
            "通车后甲地市民只需十分钟即可过江，甲地大桥大大缓解了甲地的交通压力。",
            "甲地大桥由甲地交通集团承建，甲地大桥历时三年建成，甲地市民纷纷前来参观甲地大桥。",
            *printed_inside,
            "甲地交通集团表示，甲地大桥通车后将带动甲地沿江经济发展，甲地大桥还将举办观光活动。",
            "甲地大桥的夜景灯光工程也已完工，每到夜晚，甲地大桥流光溢彩，吸引甲地市民前来散步。",
        ]
    )


# an article about apples, printed after the bridge
_APPLE_ARTICLE = (
    "# 乙县苹果喜获丰收",
    "▶ 李四",
    "乙县苹果种植面积达到十万亩，乙县苹果远销海内外，乙县果业协会表示将继续扩大种植。",
    "乙县苹果今年产量创下新高，乙县果农收入明显增加，乙县苹果品牌越来越响。",
)


def _split_bridge_page(*printed_inside: str, tail: str = "，只需十分钟即可过江，甲地大桥大大缓解了甲地的交通压力。", then: tuple[str, ...] = ()) -> str:
    """A page about a bridge whose first paragraph is split, with `printed_inside` between its
    halves, and `then` printed after the article."""
    return "\n\n".join(
        [
            "# 甲地大桥建成通车",
            "▶ 张三",
            "甲地跨江大桥今天上午正式建成通车，这座大桥全长三公里，双向六车道，设计时速八十公里，通车后甲地市民",
            *printed_inside,
            tail,
            "甲地大桥由甲地交通集团承建，甲地大桥历时三年建成，甲地市民纷纷前来参观甲地大桥。",
            "甲地交通集团表示，甲地大桥通车后将带动甲地沿江经济发展，甲地大桥还将举办观光活动。",
            *then,
        ]
    )


def test_rejecting_a_join_leaves_both_halves_where_they_were() -> None:
    analysis = _page("002")
    rules = default_rules()
    join = _fix(analysis, "join", "双向选择")
    accepted = _paragraphs(build(analysis, rules))
    rejected = _paragraphs(build(analysis, rules, {join.id: REJECT}))
    assert any("双向选择等方式聘用到岗" in p for p in accepted[0])
    head = next(i for i, p in enumerate(rejected[0]) if p.endswith("双向选择"))
    assert rejected[0][head + 1].startswith("等方式聘用到岗")
    # everything else is unchanged
    assert [p for p in rejected[0] if "双向选择" not in p and "等方式" not in p] == [
        p for p in accepted[0] if "双向选择" not in p
    ]


def test_rejecting_the_split_of_a_credit_off_a_cut_paragraph_leaves_the_paragraph_as_printed() -> None:
    # the credit glued to the cut head is split off, so the head reads as open and is joined to
    # its tail: with the split rejected, the head ends in the credit and is no open head
    text = _split_bridge_page().replace("通车后甲地市民", "通车后甲地市民 甲地交通集团供图", 1)
    analysis = analyze_text(text, "page.md")
    rules = default_rules()
    split = next(f for f in analysis.fixes if f.rule == "trailing-credit")
    join = _fix(analysis, "join", "通车后甲地市民")
    assert join.requires == (split.id,)
    accepted = _paragraphs(build(analysis, rules))[0]
    assert accepted[0].endswith("通车后甲地市民，只需十分钟即可过江，甲地大桥大大缓解了甲地的交通压力。")

    body = _paragraphs(build(analysis, rules, {split.id: REJECT}))[0]
    assert body[0].endswith("通车后甲地市民 甲地交通集团供图")
    assert body[1] == "，只需十分钟即可过江，甲地大桥大大缓解了甲地的交通压力。"
    # accepted by the editor, the join applies on its own: the credit stays in the paragraph
    forced = _paragraphs(build(analysis, rules, {split.id: REJECT, join.id: ACCEPT}))[0]
    assert "甲地交通集团供图" in forced[0]


def test_rejecting_a_move_keeps_the_block_in_its_source_article() -> None:
    analysis = _page("002")
    rules = default_rules()
    move = next(f for f in analysis.fixes if f.kind == "move" and "1月8日" in f.before)
    assert move.evidence["to_article"] == "青岛高新区再造流程优化营商环境"
    rejected = _paragraphs(build(analysis, rules, {move.id: REJECT}))
    assert any(p.startswith("1月8日，在青岛高新区") for p in rejected[0])
    assert not any(p.startswith("1月8日") for p in rejected[1])
    assert rejected[1][0].startswith("可在几天前")


def test_rejecting_a_backward_join_keeps_the_tail_after_the_intro() -> None:
    analysis = _page("001")
    rules = default_rules()
    join = _fix(analysis, "join", "市、旗两")
    assert join.evidence["direction"] == "backward" and "enum_next" in join.evidence["cues"]
    body = _paragraphs(build(analysis, rules, {join.id: REJECT}))[0]
    assert body[1].startswith("织建基层党建系统")
    assert any(p.endswith("市、旗两") for p in body)


def test_rejecting_an_article_start_keeps_one_article() -> None:
    analysis = _page("002")
    rules = default_rules()
    start = next(f for f in analysis.fixes if f.kind == "article")
    result = build(analysis, rules, {start.id: REJECT})
    titles = [a.title for a in result.articles]
    assert "青岛高新区再造流程优化营商环境" not in titles[1:]


def test_rejecting_a_stray_items_move_keeps_its_caption_and_credit_where_printed() -> None:
    analysis = _page("002")
    rules = default_rules()
    item = next(f for f in analysis.fixes if f.kind == "move" and f.before.startswith("连日来"))
    following = [f for f in analysis.fixes if f.kind == "move" and item.id in f.requires]
    assert {f.before[:2] for f in following} == {"图为", "宜春"}  # its caption, and its credit printed last
    moved = build(analysis, rules)
    assert [fig.text[:2] for fig in moved.articles[-1].figures] == ["图为", "宜春"]

    kept = build(analysis, rules, {item.id: REJECT})
    assert len(kept.articles) == len(moved.articles) - 1  # no item of a caption and a credit alone
    first, last = kept.articles[0], kept.articles[-1]
    assert any(p.text.startswith("连日来") for p in first.body)
    assert [fig.text[:2] for fig in first.figures] == ["图为"]
    assert [fig.text[:2] for fig in last.figures] == ["宜春"]
    assert not {f.id for f in following} & {f.id for f in kept.applied}

    # an editor who accepts the caption's move on its own still gets it
    caption = next(f for f in following if f.before.startswith("图为"))
    alone = build(analysis, rules, {item.id: REJECT, caption.id: ACCEPT})
    assert [fig.text[:2] for fig in alone.articles[-1].figures] == ["图为"]


def test_rejecting_a_duplicate_drop_keeps_both_copies() -> None:
    analysis = _page("004")
    rules = default_rules()
    drop = next(f for f in analysis.fixes if f.rule == "duplicate-paragraph")
    assert drop.evidence["containment"] >= 0.85
    body = _paragraphs(build(analysis, rules, {drop.id: REJECT}))[0]
    assert sum("立足产业布局与发展实际" in p for p in body) == 2


def test_every_structural_fix_carries_evidence() -> None:
    for prefix in ("001", "002", "004"):
        for fix in _page(prefix).fixes:
            if fix.kind in ("join", "move", "article") or fix.rule == "duplicate-paragraph":
                assert fix.evidence, fix
                assert fix.message and fix.why


def test_a_block_is_moved_by_one_fix_only() -> None:
    # two stray paragraphs in a row on a one-article page: the first is judged with the one after
    # it, the second on its own too; a block moved twice could not be kept by rejecting one move
    text = _bridge_page(
        "乙省果农今年喜获丰收，乙省苹果产量创下新高，交通运往海内外多个国家和地区，乙省果农收入明显增加。",
        "丙市博物馆新近展出一批珍贵青铜器文物，这些文物年代久远，造型精美，吸引众多游客驻足观赏，丙市博物馆馆长介绍说这批青铜器出土于十年前。",
    )
    moves = [fix for fix in analyze_text(text, "page.md").fixes if fix.kind == "move"]
    assert any("丙市" in fix.before for fix in moves)
    moved = [block for fix in moves for block in fix.blocks]
    assert len(moved) == len(set(moved))


def test_a_delayed_tail_joins_its_head_where_the_head_stands() -> None:
    # the short closing block was printed after the next paragraph: the tail is the displaced
    # half, so the joined paragraph reads before that paragraph, not after it
    text = "\n\n".join(
        [
            "第一段写完了。",
            "记者从市发展改革委了解到，该项目总投资约十二亿元，占地面积三百余亩，建成后每年可为当地提供",
            "园区内道路、供水、供电等配套设施已基本完成，周边还将新建一所学校和一座公园。",
            "就业岗位两千余个。",
        ]
    )
    result = build(analyze_text(text, "page.txt"), default_rules())
    body = [item.text for article in result.articles for item in article.body]
    assert body[1].startswith("记者从市发展改革委") and body[1].endswith("就业岗位两千余个。")
    assert body[2].startswith("园区内道路")


def test_a_bled_lead_joins_its_own_article_and_the_evidence_says_why() -> None:
    # the lead of the second article, cut at a column break, is printed inside the first: it is
    # joined to its continuation in its own article, without the cross-article penalty, and the
    # join says that the head was counted in the article its vocabulary belongs to
    text = "\n\n".join(
        [
            "# 甲地大桥建成通车",
            "▶ 张三",
            "甲地跨江大桥今天上午正式建成通车，这座大桥全长三公里，双向六车道，设计时速八十公里。",
            "甲地大桥由甲地交通集团承建，大桥历时三年建成，通车当天，不少甲地市民专程赶来参观大桥，一位老人感慨地说",
            "乙县苹果种植面积达到十万亩，乙县苹果远销海内外多个国家和地区，乙县果业协会表示，今年乙县还将继续推广",
            "，自己等这座桥等了几十年。",
            "甲地交通集团表示，甲地大桥通车后将带动甲地沿江经济发展，甲地大桥还将举办观光活动。",
            "# 乙县苹果喜获丰收",
            "▶ 李四",
            "的新品种苹果，帮助乙县果农增收致富。",
            "乙县苹果今年产量创下新高，乙县果农收入明显增加，乙县苹果品牌越来越响，乙县苹果节也将开幕。",
            "乙县果业协会组织果农参加培训，学习苹果种植新技术，乙县苹果的品质逐年提升。",
        ]
    )
    joins = [fix for fix in analyze_text(text, "page.md").fixes if fix.rule == "split-paragraph"]
    lead = next(fix for fix in joins if fix.before.startswith("乙县苹果种植面积"))
    assert "的新品种苹果" in lead.after
    assert "vocabulary_article" in lead.evidence["cues"] and "cross_article" not in lead.evidence["cues"]
    host = next(fix for fix in joins if "一位老人" in fix.before)
    assert "vocabulary_article" not in host.evidence["cues"]
    result = build(analyze_text(text, "page.md"), default_rules())
    assert [a.title for a in result.articles] == ["甲地大桥建成通车", "乙县苹果喜获丰收"]
    assert any(item.text.startswith("乙县苹果种植面积") for item in result.articles[1].body)


def test_ids_a_detector_numbered_are_the_ids_the_analysis_keeps() -> None:
    from dataclasses import replace

    from repair.model import IdNumbering

    fix = _page("002").fixes[0]
    repeated = [replace(fix, id="x"), replace(fix, id="x"), replace(fix, id="y"), replace(fix, id="x")]
    by_detector = IdNumbering()
    numbered = [by_detector(f) for f in repeated]
    assert len({f.id for f in numbered}) == 4 and numbered[0].id == "x" and numbered[2].id == "y"
    by_analysis = IdNumbering()
    assert [by_analysis(f).id for f in numbered] == [f.id for f in numbered]  # a fix requiring one keeps finding it


def test_rejecting_the_first_of_a_stray_run_keeps_the_whole_run() -> None:
    # two paragraphs in a row that tell a story of their own on a one-article page are judged
    # together: kept with the article, the first keeps the second there too (by default)
    text = _bridge_page(
        "乙县苹果种植面积达到十万亩，乙县苹果远销海内外多个国家和地区，乙县果业协会表示明年将继续扩大乙县苹果的种植面积。",
        "乙县苹果今年产量创下新高，乙县果农收入明显增加，乙县苹果品牌越来越响，乙县苹果节也将在下个月隆重开幕。",
    )
    analysis = analyze_text(text, "page.md")
    rules = default_rules()
    first, second = [f for f in analysis.fixes if f.kind == "move"]
    assert first.before.startswith("乙县苹果种植") and second.before.startswith("乙县苹果今年")
    assert second.requires == (first.id,) and first.requires == ()
    assert [len(a.body) for a in build(analysis, rules).articles] == [5, 2]

    kept = build(analysis, rules, {first.id: REJECT})
    assert len(kept.articles) == 1
    assert [p.text[:6] for p in kept.articles[0].body][3:5] == ["乙县苹果种植", "乙县苹果今年"]

    # rejecting the second alone leaves the first set apart on its own
    split = build(analysis, rules, {second.id: REJECT})
    assert [[p.text[:6] for p in a.body] for a in split.articles][1] == ["乙县苹果种植"]


def test_rejecting_the_first_of_a_run_in_a_gap_keeps_the_run() -> None:
    # two paragraphs printed inside a split paragraph, each doubted only with the other
    text = _split_bridge_page(
        "乙地果园迎来丰收，乙地果农忙着采摘苹果，今年乙地苹果产量创下新高，乙地苹果远销海内外多个国家和地区，交通十分便利。",
        "乙地果农收入明显增加，乙地果业协会表示将继续扩大乙地苹果种植面积，乙地苹果节下月开幕，乙地果农都很高兴。",
    )
    analysis = analyze_text(text, "page.md")
    rules = default_rules()
    join = _fix(analysis, "join", "通车后甲地市民")
    first, second = [f for f in analysis.fixes if f.rule == "foreign-block"]
    assert "with other paragraphs" in first.evidence["cue"]
    assert first.requires == (join.id,) and second.requires == (join.id, first.id)
    assert [[p.text[:4] for p in a.body] for a in build(analysis, rules).articles][1] == ["乙地果园", "乙地果农"]
    kept = build(analysis, rules, {first.id: REJECT})
    assert len(kept.articles) == 1 and [p.text[:4] for p in kept.articles[0].body][1:3] == ["乙地果园", "乙地果农"]


def test_rejecting_the_join_across_a_gap_keeps_what_was_printed_in_it() -> None:
    # a block is doubted for being printed inside a split paragraph: with the paragraph left
    # split, it stays where it was printed, between the two halves
    text = _split_bridge_page(
        "乙地果园迎来丰收，乙地果农忙着采摘苹果，今年乙地苹果产量创下新高，乙地苹果远销海内外多个国家和地区，果农收入明显增加。",
        tail="只需十分钟即可过江，甲地大桥大大缓解了甲地的交通压力。",
    )
    analysis = analyze_text(text, "page.md")
    rules = default_rules()
    join = _fix(analysis, "join", "通车后甲地市民")
    move = next(f for f in analysis.fixes if f.rule == "foreign-block")
    assert move.before.startswith("乙地果园") and move.requires == (join.id,)
    assert [[p.text[:4] for p in a.body] for a in build(analysis, rules).articles][1] == ["乙地果园"]

    kept = build(analysis, rules, {join.id: REJECT})
    assert len(kept.articles) == 1
    assert [p.text[:4] for p in kept.articles[0].body][:3] == ["甲地跨江", "乙地果园", "只需十分"]
    # accepted by the editor, the move applies on its own
    assert len(build(analysis, rules, {join.id: REJECT, move.id: ACCEPT}).articles) == 2


def test_a_block_sent_to_another_article_only_for_its_gap_stays_when_the_join_is_rejected() -> None:
    # closer to the other article, but not by as much as a block printed elsewhere must be:
    # it goes there only because it was printed inside a split paragraph
    text = _split_bridge_page(
        "乙县果园迎来丰收，甲地市民纷纷前来参观采摘苹果，今年苹果产量创下新高，远销海内外多个国家和地区，甲地果农收入明显增加。",
        then=_APPLE_ARTICLE,
    )
    analysis = analyze_text(text, "page.md")
    rules = default_rules()
    join = _fix(analysis, "join", "通车后甲地市民")
    move = next(f for f in analysis.fixes if f.rule == "foreign-block")
    assert move.before.startswith("乙县果园") and move.requires == (join.id,)
    assert 1 < move.evidence["similarity_target"] / move.evidence["similarity_own"] < 3
    assert [p.text[:4] for p in build(analysis, rules).articles[1].body][0] == "乙县果园"

    kept = build(analysis, rules, {join.id: REJECT})
    assert [p.text[:4] for p in kept.articles[0].body][:3] == ["甲地跨江", "乙县果园", "，只需十"]
    assert [p.text[:4] for p in kept.articles[1].body] == ["乙县苹果", "乙县苹果"]


def test_a_block_that_would_move_from_anywhere_does_not_require_the_join() -> None:
    # on a one-article page, a long paragraph that shares nothing with the article is set
    # apart wherever it is printed: rejecting the join across it leaves it set apart
    text = _bridge_page(
        "甲地大桥的引桥工程同步完工，通车后甲地市民",
        "乙地果园迎来丰收，乙地果农忙着采摘苹果，今年乙地苹果产量创下新高，乙地苹果远销海内外多个国家和地区，果农收入明显增加。",
        "，都说大桥修得好。",
    )
    analysis = analyze_text(text, "page.md")
    rules = default_rules()
    join = _fix(analysis, "join", "通车后甲地市民")
    move = next(f for f in analysis.fixes if f.rule == "foreign-block")
    assert move.before.startswith("乙地果园") and move.requires == ()
    assert len(build(analysis, rules, {join.id: REJECT}).articles) == 2

    # and so does one another article claims as strongly as a block printed anywhere
    text = _split_bridge_page(
        "乙县苹果迎来丰收，乙县果农收入明显增加，乙县苹果远销海内外，乙县果业协会表示将继续扩大乙县苹果种植。",
        then=_APPLE_ARTICLE,
    )
    analysis = analyze_text(text, "page.md")
    join = _fix(analysis, "join", "通车后甲地市民")
    move = next(f for f in analysis.fixes if f.rule == "foreign-block")
    assert move.before.startswith("乙县苹果迎来") and move.requires == ()
    assert move.evidence["similarity_target"] >= 3 * move.evidence["similarity_own"]
    kept = build(analysis, rules, {join.id: REJECT})
    assert [p.text[:6] for p in kept.articles[1].body][0] == "乙县苹果迎来"


# a paragraph about neither article, printed inside a split paragraph of a page of two
_WEATHER = "丙市气象台发布寒潮蓝色预警，预计未来三天丙市气温将下降八到十摄氏度，请市民注意防寒保暖，出行注意交通安全。"


def test_a_lone_stray_on_a_page_of_several_articles_is_only_suggested() -> None:
    text = _split_bridge_page(_WEATHER, then=_APPLE_ARTICLE)
    analysis = analyze_text(text, "page.md")
    rules = default_rules()
    move = next(f for f in analysis.fixes if f.rule == "foreign-block")
    assert move.before == _WEATHER and move.safety == "suggest" and "page of several articles" in move.evidence["cue"]
    assert "suggested" in move.message
    # not applied unseen: the paragraph stays where it was printed, in the bridge article
    default = build(analysis, rules)
    assert len(default.articles) == 2 and move not in default.applied
    assert _WEATHER in [p.text for p in default.articles[0].body]
    # accepted, it becomes an item of its own
    accepted = build(analysis, rules, {move.id: ACCEPT})
    assert len(accepted.articles) == 3 and [[p.text for p in a.body] for a in accepted.articles][2] == [_WEATHER]


def test_a_stray_with_its_caption_on_a_page_of_several_articles_is_set_apart() -> None:
    text = _split_bridge_page(_WEATHER, "图为丙市街头的行人。", then=_APPLE_ARTICLE)
    analysis = analyze_text(text, "page.md")
    move = next(f for f in analysis.fixes if f.rule == "foreign-block" and f.before == _WEATHER)
    assert move.safety == "review"
    result = build(analysis, default_rules())
    assert len(result.articles) == 3 and _WEATHER not in [p.text for p in result.articles[0].body]
