"""Running heads of a printed page: the paper's name, the date and the page (甲市日报 2024年3月15日
星期五 第3版：要闻) that an e-paper or PDF export prints above the articles, and again at every
page break. They name the edition, not a line of any article: they go to the front matter."""

from __future__ import annotations

from typing import Any

from ..model import DROP, META, PARAGRAPH, Fix
from ..rules import Rule
from ..textutil import ends_sentence, visible_len
from ..view import Item, View
from . import detector
from .classify import iso_date
from .common import compile_all, make_fix


@detector("edition")
def edition(rule: Rule, view: View) -> list[Fix]:
    heads = compile_all(rule.param("patterns", []))
    companions = compile_all(rule.param("companion_patterns", []))
    max_chars = rule.param("max_chars", 60)
    live = [it for it in view.live() if it.kind == PARAGRAPH]
    found: dict[int, tuple[Item, dict[str, Any], str]] = {}
    for n, item in enumerate(live):
        text = item.text.strip()
        if len(text) <= max_chars:
            m = next((m for m in (p.fullmatch(text) for p in heads) if m), None)
            if m:
                found[n] = (item, _fields(m.groupdict()), m.re.pattern)
    # a line that only names a paper is a running head only beside another one
    for n, item in enumerate(live):
        if n in found or len(item.text.strip()) > max_chars or not (n - 1 in found or n + 1 in found):
            continue
        m = next((m for m in (p.fullmatch(item.text.strip()) for p in companions) if m), None)
        if m:
            found[n] = (item, _fields(m.groupdict()), m.re.pattern)
    # a head above or below the text names the edition; one printed again at a page break, with
    # body text before and after it, only interrupts the text (it may even cut a paragraph in two)
    body_chars = rule.param("body_chars", 40)
    body = [n for n, it in enumerate(live) if n not in found and (visible_len(it.text) >= body_chars or ends_sentence(it.text))]
    fixes = []
    for n in sorted(found):
        item, fields, pattern = found[n]
        evidence = {"pattern": pattern}
        if not body or not body[0] < n < body[-1]:
            after = "; ".join(f"{k}: {v}" for k, v in fields.items())
            fixes.append(make_fix(rule, META, [item], before=item.text, after=after, params={"fields": fields}, evidence=evidence))
        else:
            evidence["repeats"] = "a page break's running head"
            fixes.append(make_fix(rule, DROP, [item], before=item.text, after="", evidence=evidence, message=rule.param("repeat_message", rule.message)))
    return fixes


def _fields(groups: dict[str, str | None]) -> dict[str, Any]:
    fields = {k: " ".join(v.split()) for k, v in groups.items() if v}
    if "date" in fields:
        fields["date"] = iso_date(fields["date"]) or fields["date"]
    if "page" in fields:
        fields["page"] = fields["page"].replace(" ", "")
    return fields
