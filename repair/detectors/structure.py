"""Structure detectors: joins, moves, article boundaries, duplicates (the reorderer)."""

from __future__ import annotations
