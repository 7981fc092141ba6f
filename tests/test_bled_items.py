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
