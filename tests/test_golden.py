"""Seeds 000 and 003 come out as an editor would publish them (goldens written by hand)."""

from __future__ import annotations

import pytest

from repair.accounting import unaccounted
from repair.pipeline import repair_text

from conftest import GOLDEN, SEEDS


@pytest.mark.parametrize("stem", ["000_915660e8f20a7369", "003_db96f15b0dd8ee59"])
def test_golden_markdown(stem: str) -> None:
    result = repair_text((SEEDS / f"{stem}.txt").read_text(encoding="utf-8"), f"{stem}.txt")
    assert [a.markdown for a in result.articles] == [(GOLDEN / f"{stem}.md").read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_no_seed_loses_text(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert unaccounted(text, repair_text(text, path.name)) == ""


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_every_source_line_reaches_output_or_report(path) -> None:
    """Stronger than character counts: each line's text, as edited, is in the output or dropped by a fix."""
    result = repair_text(path.read_text(encoding="utf-8"), path.name)
    markdown = "".join(a.markdown for a in result.articles)
    removed = {k for f in result.applied if f.kind in ("drop", "meta") for k in f.blocks}
    from repair.arrange import replay
    from repair.decisions import policy
    from repair.pipeline import analyze_text, default_rules

    analysis = analyze_text(path.read_text(encoding="utf-8"), path.name)
    view, _ = replay(analysis.doc, analysis.fixes, default_rules(), policy({}))
    for item in view.items:
        if item.key in removed or not item.text.strip():
            continue
        assert item.text in markdown, f"line {item.line} lost: {item.text[:30]}"


def test_nothing_lost_check_detects_a_loss() -> None:
    text = "第一段写完了。\n\n第二段也写完了。"
    result = repair_text(text)
    result.articles[0].markdown = "第一段写完了。\n"
    assert unaccounted(text, result) == "".join(sorted("第二段也写完了。"))
