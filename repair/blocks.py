"""Text -> blocks. Every non-empty source line is a block; the structure stage joins
lines that belong together, so nothing is merged here and every block keeps its line."""

from __future__ import annotations

from .model import BLANK, PARAGRAPH, Block, Document
from .textutil import is_blank


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    gap = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line == "":
            gap += 1
            continue
        if is_blank(line):
            # Kept as a block so the whitespace it holds is reported when dropped. It does not count
            # as room between blocks: a line holding only a no-break space marks a column break.
            blocks.append(Block(key=(number, 0), text=line, line=number, gap_before=gap, kind=BLANK))
            continue
        blocks.append(Block(key=(number, 0), text=line, line=number, gap_before=gap, kind=PARAGRAPH))
        gap = 0
    return blocks


def make_document(text: str, name: str = "document", source_format: str = "text") -> Document:
    return Document(name=name, text=text, blocks=split_blocks(text), source_format=source_format)
