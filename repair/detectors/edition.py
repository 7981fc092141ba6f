"""Running heads of a printed page: the paper's name, the date and the page (甲市日报 2024年3月15日
星期五 第3版：要闻) that an e-paper or PDF export prints above the articles, and again at every
page break. They name the edition, not a line of any article: they go to the front matter."""

from __future__ import annotations

from typing import Any

from ..model import DROP, PARAGRAPH, Fix
from ..rules import Rule
from ..textutil import ends_sentence, visible_len
from ..view import View
from . import detector
from .classify import iso_date
from .common import compile_all, make_fix, meta_fix


@detector("edition")
def edition(rule: Rule, view: View) -> list[Fix]:
    heads = compile_all(rule.param("patterns", []))
    companions = compile_all(rule.param("companion_patterns", []))
    max_chars = rule.param("max_chars", 60)
    live = [it for it in view.live() if it.kind == PARAGRAPH]
    texts = [it.text.strip() for it in live]
    found: dict[int, Any] = {}  # the match of each running head, by its place in `live`
    for n, text in enumerate(texts):
        if len(text) <= max_chars and (m := _full_match(heads, text)):
            found[n] = m
    if not found:
        return []  # most documents: no running head, so no companion line either
    # a line that only names a paper is a running head only beside another one
    for n, text in enumerate(texts):
        if n not in found and len(text) <= max_chars and (n - 1 in found or n + 1 in found) and (m := _full_match(companions, text)):
            found[n] = m
    # a head above or below the text names the edition; one printed again at a page break, with
    # body text before and after it, only interrupts the text (it may even cut a paragraph in two)
    body_chars = rule.param("body_chars", 40)
    body = [n for n, it in enumerate(live) if n not in found and (visible_len(it.text) >= body_chars or ends_sentence(it.text))]
    fixes = []
    for n in sorted(found):
        item, evidence, fields = live[n], {"pattern": found[n].re.pattern}, _fields(found[n].groupdict())
        # (`edition`: every article printed below a head, up to the next one, was printed in that edition)
        if not body or not body[0] < n < body[-1]:
            fixes.append(meta_fix(rule, item, fields, evidence, edition=True))
        else:
            evidence["repeats"] = "a page break's running head"
            message = rule.param("repeat_message", rule.message)
            fixes.append(make_fix(rule, DROP, [item], before=item.text, after="", evidence=evidence, message=message, params={"fields": fields, "edition": True}))
    return fixes


def _full_match(patterns: list, text: str):
    return next((m for m in (p.fullmatch(text) for p in patterns) if m), None)


def _fields(groups: dict[str, str | None]) -> dict[str, Any]:
    fields = {k: " ".join(v.split()) for k, v in groups.items() if v}
    if "date" in fields:
        fields["date"] = iso_date(fields["date"]) or fields["date"]
    if "page" in fields:
        fields["page"] = fields["page"].replace(" ", "")
    return fields
