"""Articles -> Markdown with YAML front matter."""

from __future__ import annotations

import json
from typing import Any

import regex as re

from .arrange import Draft
from .model import FIGURE_TITLE, HEADING, ITEM

# a stray item says first what it is and where it was printed
FRONT_MATTER_ORDER = ("item", "printed_in", "title", "kicker", "subtitle", "authors", "source", "editor", "date", "publication", "page", "section")
_MD_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d+[.)]\s|```|---)")


def _scalar(value: Any) -> str:
    text = str(value)
    if re.fullmatch(r"[\p{Han}\w\-.: ]+", text) and not re.match(r"^[\d\-.: ]+$|^[-?:]", text) and ": " not in text:
        return text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def front_matter(fields: dict[str, Any]) -> str:
    keys = [k for k in FRONT_MATTER_ORDER if fields.get(k)] + sorted(k for k in fields if k not in FRONT_MATTER_ORDER and fields[k])
    if not keys:
        return ""
    lines = ["---"]
    for key in keys:
        value = fields[key]
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {_scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def escape_block(text: str) -> str:
    """Body text that would read as Markdown syntax at line start is escaped."""
    return "\\" + text if _MD_START.match(text) else text


def render(draft: Draft) -> str:
    fields: dict[str, Any] = {**draft.header, **draft.meta}
    parts: list[str] = []
    title = draft.header.get("title")
    if title:
        parts.append(f"# {title}")
    for n, item in enumerate(draft.body):
        if item.kind == HEADING:
            parts.append(f"## {item.text}")
        elif item.kind == ITEM and n and draft.body[n - 1].kind == ITEM:
            parts[-1] += "\n" + item.text  # one list, not a list per item
        elif item.kind == ITEM:
            parts.append(item.text)
        else:
            parts.append(escape_block(item.text))
    for item in draft.figures:
        text = f"**{item.text}**" if item.kind == FIGURE_TITLE else item.text
        parts.append(f"> {text}")
    return front_matter(fields) + "\n\n".join(parts) + "\n"
