"""Editors' decisions on fixes, keyed by the fixes' stable ids.

Stored as JSON next to the input (`<input>.decisions.json`) or, with a decisions
folder, as `<folder>/<input name>.decisions.json`. Writes are atomic (temporary
file + rename) so a crash or kill never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Fix

ACCEPT = "accept"
REJECT = "reject"
VALUES = (ACCEPT, REJECT)
SUFFIX = ".decisions.json"


def policy(decisions: dict[str, str], only_safe: bool = False, fixes: Sequence[Fix] = ()) -> Callable[[Fix], bool]:
    """Whether a fix applies: the editor's decision, else the default (every fix but the
    suggestions, or the safe ones). A fix that requires others of `fixes` applies by default only
    where they all do. A detector makes a fix only after those it requires, so the requirements
    never go round. (The decisions are read as they change; the fixes are indexed when a fix
    requires one not indexed yet, from where the index stopped: `fixes` may still grow, as while the
    analysis makes them.)"""
    by_id: dict[str, Fix] = {}

    def accept(fix: Fix) -> bool:
        decision = decisions.get(fix.id)
        if decision == ACCEPT:
            return True
        if decision == REJECT:
            return False
        if fix.requires:
            if not by_id.keys() >= set(fix.requires):
                by_id.update((f.id, f) for f in fixes[len(by_id) :])
            if not all(accept(by_id[r]) for r in fix.requires if r in by_id):
                return False
        return fix.safe or (fix.by_default and not only_safe)

    return accept


def decisions_path(input_path: Path, folder: Path | None = None) -> Path:
    input_path = Path(input_path)
    if folder is not None:
        return Path(folder) / (input_path.name + SUFFIX)
    return input_path.with_name(input_path.name + SUFFIX)


def load_decisions(path: Path) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}
    raw = data.get("decisions", data) if isinstance(data, dict) else {}
    return {k: v for k, v in raw.items() if v in VALUES}


def save_decisions(path: Path, decisions: dict[str, str], meta: dict | None = None) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"version": 1, **(meta or {}), "decisions": dict(sorted(decisions.items()))}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give; mkstemp's 0600 would hide outputs from other users


def write_atomic(path: Path, text: str) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
