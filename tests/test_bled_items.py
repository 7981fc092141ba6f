"""A bled item's paragraphs printed apart end up together, in one output of their own."""

from __future__ import annotations

from repair.pipeline import repair_text
from repair.rules import default_rules_dir, load_rule


def _example(rule_id: str, target: str, needs: str) -> str:
    """The input of the rule's embedded example on `target` that runs the rule `needs` first."""
    rule = load_rule(default_rules_dir() / f"{rule_id}.toml")
    return next(t.input for t in rule.tests if t.target == target and needs in t.with_rules)


def test_an_item_printed_in_the_lead_and_inside_a_split_paragraph_is_one_output() -> None:
    text = _example("foreign-block", "乙县苹果种植面积", "split-paragraph")
    result = repair_text(text, "page")
    bodies = ["\n".join(item.text for item in article.body) for article in result.articles]
    item = [body for body in bodies if "乙县苹果种植面积" in body]
    assert len(item) == 1
    assert "乙县苹果今年产量" in item[0] and "甲地" not in item[0]
    bridge = [body for body in bodies if "甲地大桥由甲地交通集团承建，甲地大桥历时三年建成，通车后甲地市民，只需十分钟即可过江" in body]
    assert len(bridge) == 1 and "乙县" not in bridge[0]


def test_a_stray_item_says_what_it_is_and_where_it_was_printed() -> None:
    # a printed page's running head, one article, and a photo item from elsewhere inside it
    text = (
        "2024年3月15日 星期五\n\n某市日报\n\n第3版：要闻\n\n"
        "# 甲地大桥建成通车\n\n▶ 张三\n\n"
        "甲地跨江大桥今天上午正式建成通车，这座大桥全长三公里，双向六车道，设计时速八十公里。\n\n"
        "通车后甲地市民只需十分钟即可过江，甲地大桥大大缓解了甲地的交通压力。\n\n"
        "乙省果农今年喜获丰收，苹果远销海内外。\n\n图为乙省果农在果园里采摘苹果。\n\n"
        "甲地大桥由甲地交通集团承建，甲地大桥历时三年建成，甲地市民纷纷前来参观甲地大桥。\n\n"
        "甲地交通集团表示，甲地大桥通车后将带动甲地沿江经济发展，甲地大桥还将举办观光活动。"
    )
    article, item = repair_text(text, "page.txt").articles
    assert article.title == "甲地大桥建成通车" and "item" not in article.meta
    assert [p.text for p in item.body] == ["乙省果农今年喜获丰收，苹果远销海内外。"]
    assert item.title is None
    edition = {"date": "2024-03-15", "publication": "某市日报", "page": "第3版", "section": "要闻"}
    assert item.meta == {"item": "stray", "printed_in": "甲地大桥建成通车", **edition}
    assert item.markdown.startswith("---\nitem: stray\nprinted_in: 甲地大桥建成通车\n")
