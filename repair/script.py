"""The one place that talks to OpenCC, so the C++ `opencc` wheel (same import name,
configs named `t2s.json`) can replace opencc-python-reimplemented (`t2s`)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8)
def _converter(config: str):
    import opencc

    try:
        return opencc.OpenCC(config)
    except Exception:  # the C++ binding wants the .json config name
        return opencc.OpenCC(f"{config}.json")


def convert(text: str, config: str = "t2s") -> str:
    """Convert script, e.g. config "t2s" (Traditional -> Simplified) or "s2t"."""
    converter = _converter(config)
    anchors = _anchors(config)
    if anchors is None:
        return converter.convert(text)
    if anchors.isdisjoint(text):
        return text
    # OpenCC converts the runs between separators (whitespace among them) one by one,
    # so a line converts alike alone or inside the text
    return "\n".join(converter.convert(line) if not anchors.isdisjoint(line) else line for line in text.split("\n"))


@lru_cache(maxsize=8)
def _anchors(config: str) -> frozenset[str] | None:
    """One character of every dictionary entry that changes text: text holding none of
    them converts to itself. None when the converter does not expose its dictionaries
    (the C++ binding) as opencc-python-reimplemented does: it then converts everything."""
    converter = _converter(config)
    converter.convert("")  # loads the dictionaries
    try:
        tables = [entries for stage in converter._dict_chain_data for _, _, entries in stage]
    except (AttributeError, TypeError, ValueError):
        return None
    # the converter puts the first of several values
    changes = [key for entries in tables for key, value in entries.items() if key and value.split(" ")[0] != key]
    # a phrase can only match where all its characters occur: pick one that is an entry
    # of its own (瞭 of 一目瞭然), not one common in the other script (一)
    singles = {key for key in changes if len(key) == 1}
    entries = {key for table in tables for key in table if len(key) == 1}
    return frozenset(next((ch for ch in key if ch in singles), None) or next((ch for ch in key if ch in entries), key[0]) for key in changes)
