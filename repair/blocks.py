"""Text -> blocks. Every non-empty source line is a block; the structure stage joins
lines that belong together, so nothing is merged here and every block keeps its line."""

from __future__ import annotations

from .model import BLANK, PARAGRAPH, Block, Document
from .textutil import is_blank


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    gap = spaces = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line == "":
            gap += 1
            continue
        if is_blank(line):
            # Kept as a block so the whitespace it holds is reported when dropped.
            blocks.append(Block(key=(number, 0), text=line, line=number, gap_before=gap, spaces_before=spaces, kind=BLANK))
            gap += 1
            spaces += 1
            continue
        blocks.append(Block(key=(number, 0), text=line, line=number, gap_before=gap, spaces_before=spaces, kind=PARAGRAPH))
        gap = spaces = 0
    return blocks


def make_document(text: str, name: str = "document") -> Document:
    return Document(name=name, text=text, blocks=split_blocks(text))
