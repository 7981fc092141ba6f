"""List items (Markdown `- ` / `1. ` lines, HTML <ul>/<ol>) come out as Markdown lists."""

from __future__ import annotations

from repair.accounting import unaccounted
from repair.html_input import html_to_text
from repair.pipeline import repair_text

PAGE = """# 城市更新工作会议召开

会议提出了下一阶段的三项要求。

- 加强组织领导
- 完善工作机制
- 强化督促检查

会议强调，各部门要抓好落实，确保各项任务按期完成。

1. 第一项任务
2. 第二项任务

最后一段写完了。
"""

# nothing to mend: the page comes out as printed, under its front matter
PUBLISHED = "---\ntitle: 城市更新工作会议召开\n---\n\n" + PAGE


def test_markdown_lists_are_published_as_lists() -> None:
    result = repair_text(PAGE, "list")
    assert [a.markdown for a in result.articles] == [PUBLISHED]
    assert not unaccounted(PAGE, result)


def test_list_items_are_neither_headings_nor_headlines_nor_joined() -> None:
    result = repair_text(PAGE, "list")
    by_line = {}
    for fix in result.fixes:
        by_line.setdefault(fix.lines[0], []).append(fix.rule)
    for line in (5, 6, 7, 11, 12):
        assert by_line.get(line) == ["markdown-list"], (line, by_line.get(line))


def test_html_lists_become_markdown_lists() -> None:
    html = (
        "<article><h1>城市更新工作会议召开</h1><p>会议提出了下一阶段的三项要求。</p>"
        "<ul><li>加强组织领导</li><li>完善工作机制</li><li>强化督促检查</li></ul>"
        "<p>会议强调，各部门要抓好落实，确保各项任务按期完成。</p>"
        "<ol><li>第一项任务</li><li>第二项任务</li></ol><p>最后一段写完了。</p></article>"
    )
    text = html_to_text(html)
    assert [a.markdown for a in repair_text(text, "list").articles] == [PUBLISHED]


def test_a_dash_or_number_opening_a_sentence_is_text() -> None:
    text = "# 天气\n\n-10℃的低温持续了三天。\n\n3.5万名游客在假期到访。\n"
    result = repair_text(text, "t")
    assert not [f for f in result.fixes if f.rule == "markdown-list"]
    assert result.articles[0].body[0].kind == result.articles[0].body[1].kind == "paragraph"


def test_a_markdown_table_is_published_whole() -> None:
    """Its rows stay together, the line under the header is no separator residue, and no row is
    taken for a heading or a caption."""
    table = "| 项目 | 数量 |\n|---|---|\n| 道路 | 50公里 |\n| 桥梁 | 10座 |"
    page = f"# 甲县公布道路建设情况\n\n甲县今年新修道路五十公里，具体情况如下。\n\n{table}\n\n甲县还将继续完善农村公路网络。\n"
    result = repair_text(page, "table")
    assert [a.markdown for a in result.articles] == ["---\ntitle: 甲县公布道路建设情况\n---\n\n" + page]
    assert not unaccounted(page, result)
