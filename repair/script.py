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
    return _converter(config).convert(text)
