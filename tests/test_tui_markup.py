"""What the views draw: every fix marked where it acts, rejected ones gone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.text import Text

from repair.analyze import Analysis
from repair.blocks import make_document
from repair.decisions import REJECT
from repair.model import ARTICLE, JOIN, MOVE, Fix, stable_id
from tui import markup
from tui.state import ReviewDoc, ReviewSession

TEXT = "标题\n\n第一段开头，\n\n插入的图片说明。\n\n接着第一段的结尾。\n\n第二篇标题\n\n第二篇正文。"


def fix(kind: str, blocks, params=None, evidence=None, before="", after="") -> Fix:
    lines = sorted(b[0] for b in blocks)
    return Fix(
        id=stable_id(kind, *map(str, blocks)),
        rule=f"test-{kind}",
        kind=kind,
        blocks=tuple(blocks),
        lines=(lines[0], lines[-1]),
        before=before,
        after=after,
        safety="review",
        confidence=0.8,
        message=f"a {kind}",
        params=params or {},
        evidence=evidence or {},
    )


JOIN_EVIDENCE = {"seam": "开头，|接着", "head_line": 3, "tail_line": 7, "cues": {"open_end": 2.0, "backward": -1.0}, "score": 1.0}
JOIN_FIX = replace(fix(JOIN, [(3, 0), (7, 0)], {"sep": ""}, JOIN_EVIDENCE), why="Column breaks cut paragraphs.")
MOVE_FIX = fix(MOVE, [(5, 0)], {"after": [11, 0]}, {"why": "caption"}, before="插入的图片说明。")
ARTICLE_FIX = fix(ARTICLE, [(9, 0)])


def structural_session(tmp_path: Path, rules) -> ReviewSession:
    session = ReviewSession([], rules, output=tmp_path / "out")
    doc = make_document(TEXT, "s.txt")
    fixes = [JOIN_FIX, MOVE_FIX, ARTICLE_FIX]
    review = ReviewDoc(tmp_path / "s.txt", Path("s"), tmp_path / "s.txt.decisions.json", text=TEXT)
    review.analysis = Analysis(doc=doc, fixes=fixes, view=None)
    review.fixes = sorted(fixes, key=lambda f: f.lines)
    session.docs.append(review)
    return session


def page_text(session: ReviewSession) -> str:
    rows = markup.page_rows(session.doc, session.preview(), session.fix, False)
    return "\n".join((r.gutter + r.body).plain for r in rows)


def test_structural_fixes_are_drawn_where_they_act(tmp_path, rules):
    session = structural_session(tmp_path, rules)
    page = page_text(session)
    lines = page.split("\n")
    assert any(line.startswith("   3") and "⋈ L7 joins here" in line for line in lines)
    assert any(line.startswith("   7") and "+L3 接着第一段的结尾。" in line for line in lines)
    assert any("插入的图片说明。" in line and "after L11" in line for line in lines)
    assert lines.index("       ⇢ L5 lands here") == next(i for i, l in enumerate(lines) if l.startswith("  11")) + 1
    assert lines.index("─── article 2 starts ───") == next(i for i, l in enumerate(lines) if l.startswith("   9")) - 1


def test_rejected_structural_fixes_disappear_and_source_order_returns(tmp_path, rules):
    session = structural_session(tmp_path, rules)
    joined = session.result()
    assert len(joined.articles) == 2
    assert "第一段开头，接着第一段的结尾。" in joined.articles[0].markdown
    for _ in session.doc.fixes:
        session.decide(REJECT, advance=True)
    page = page_text(session)
    assert "joins here" not in page and "lands here" not in page and "article 2" not in page
    assert "3✗+ " in page and "5✗> " in page and "7✗+ " in page and "9✗= " in page
    restored = session.result()
    assert len(restored.articles) == 1
    markdown = restored.articles[0].markdown
    assert markdown.index("第一段开头，") < markdown.index("插入的图片说明。") < markdown.index("接着第一段的结尾。")


def test_a_fix_waiting_for_a_rejected_one_is_not_drawn(tmp_path, rules):
    """A move that requires the join (a block printed inside a split paragraph) does not apply
    once the join is rejected: the page must not show it landing anywhere."""
    session = structural_session(tmp_path, rules)
    waiting = replace(MOVE_FIX, requires=(JOIN_FIX.id,))
    session.doc.fixes = [waiting if f is MOVE_FIX else f for f in session.doc.fixes]
    session.doc.analysis = replace(session.doc.analysis, fixes=session.doc.fixes)
    assert "L5 lands here" in page_text(session)
    session.select(session.doc.fixes.index(JOIN_FIX))
    session.decide(REJECT)
    page = page_text(session)
    assert "joins here" not in page and "lands here" not in page and "after L11" not in page
    assert "article 2 starts" in page


def test_details_explain_join_and_move(tmp_path, rules):
    session = structural_session(tmp_path, rules)
    view = session.preview()
    join = "\n".join(r.body.plain for r in markup.details_rows(session.doc, JOIN_FIX, view, False))
    assert "joins: L3 …第一段开头， ⋈ L7 接着第一段的结尾。…" in join
    assert "seam:" not in join  # the join row shows it, in context
    move = "\n".join(r.body.plain for r in markup.details_rows(session.doc, MOVE_FIX, view, False))
    assert "from: L5 插入的图片说明。" in move and "to: after L11" in move and "why: caption" in move
    assert "undecided (applied by default)" in move


def test_details_give_the_verdict_before_the_rules_why(tmp_path, rules):
    session = structural_session(tmp_path, rules)
    rows = [r.body.plain for r in markup.details_rows(session.doc, JOIN_FIX, session.preview(), False)]
    assert rows[3] == "score: 1.0 = open_end +2, backward -1"
    assert rows.index("why: Column breaks cut paragraphs.") == 4
    assert not any(r.startswith(("cues:", "head_line:", "tail_line:")) for r in rows)


def test_edit_is_shown_as_removed_and_inserted_text():
    text = markup.diff_text("近年来,高新区", "近年来，高新区")
    assert text.plain == "近年来,，高新区"
    styles = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styles == {",": markup.REMOVED, "，": markup.INSERTED}


def test_shorten_counts_wide_characters():
    assert markup.shorten("鄂尔多斯高新区", 8) == "鄂尔多…"
    assert Text(markup.shorten("鄂尔多斯高新区", 8)).cell_len <= 8
    assert markup.shorten("short", 8) == "short"


def test_markdown_rows_follow_the_selected_fix(tmp_path, rules):
    session = structural_session(tmp_path, rules)
    session.select(2)  # the article start at L9
    rows = markup.markdown_rows(session.result(), session.fix)
    assert [r.body.plain for r in rows if r.body.plain.startswith("───")] == ["─── s-01.md ───", "─── s-02.md ───"]
    assert any(r.selected and "第二篇标题" in r.body.plain for r in rows)
