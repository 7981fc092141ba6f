"""Pages of kinds the seeds do not show come out as an editor would publish them.

The pages in `tests/residue/` are made up (甲县, 乙县) in the shape of three common sources: a
county government's news page (breadcrumb, a date line with the font-size and print buttons in it,
share buttons, footer), a post on a social platform (原创 … 发表于… header, prompts to follow the
account, a writer's credit line, byline lines with a reviewer and a page counter, like buttons) and
an e-paper page exported as text (the running head above the article and again at a page break,
where it cuts a paragraph; the page's credits at its foot). The expected Markdown next to each was
written by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.accounting import unaccounted
from repair.pipeline import repair_text

PAGES = Path(__file__).parent / "residue"
STEMS = ["gov-notice", "social-post", "epaper-page"]


@pytest.mark.parametrize("stem", STEMS)
def test_page_comes_out_as_published(stem: str) -> None:
    result = repair_text((PAGES / f"{stem}.txt").read_text(encoding="utf-8"), f"{stem}.txt")
    assert [a.markdown for a in result.articles] == [(PAGES / f"{stem}.md").read_text(encoding="utf-8")]


@pytest.mark.parametrize("stem", STEMS)
def test_page_loses_no_text(stem: str) -> None:
    text = (PAGES / f"{stem}.txt").read_text(encoding="utf-8")
    assert unaccounted(text, repair_text(text, f"{stem}.txt")) == ""


def test_a_second_source_line_is_kept_beside_the_first() -> None:
    text = "甲县新闻\n\n来源：甲县日报\n\n甲县今年新修道路五十公里，方便群众出行。\n\n来源：甲县融媒体中心"
    meta = repair_text(text).articles[0].meta
    assert meta["source"] == ["甲县日报", "甲县融媒体中心"]
