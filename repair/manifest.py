"""What a batch run has finished, kept in the output folder so a later run can skip it.

`OUT/.repair-manifest.jsonl` is a journal: one JSON object per line, the last line
for a document wins. A run appends a line as each document finishes (after its
files were written), and at the end rewrites the file with one line per document
(atomically, temporary name then rename). A run killed at any moment therefore
leaves at worst a torn last line, which loading ignores; the documents it names
are simply redone.

A document is done when its entry matches the input's content hash, the hash of
its decisions file, the run's key (rule-set version, options, program version)
and the source path, and every output it records exists with the recorded hash.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

from .decisions import write_atomic

MANIFEST_NAME = ".repair-manifest.jsonl"
FORMAT = 1
_CHUNK = 1 << 20

Entry = dict[str, Any]
MATCHED_FIELDS = ("source", "input", "decisions", "key")


def bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    """sha256 of the file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def run_key(rules_version: str, settings: dict[str, Any]) -> str:
    """One hash of everything besides the input and its decisions that shapes the outputs."""
    payload = json.dumps({"rules": rules_version, **settings}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def safe_relative(name: str) -> PurePosixPath | None:
    """A manifest's output name as a path inside the output folder; None for anything else."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or ".." in path.parts:
        return None
    return path


def outputs_intact(entry: Entry, out_dir: Path) -> bool:
    outputs = entry.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    for name, digest in outputs.items():
        relative = safe_relative(name)
        if relative is None or file_hash(out_dir / relative) != digest:
            return False
    return True


def is_current(entry: Entry | None, facts: Entry, out_dir: Path) -> bool:
    """True when `entry` was made from the same input, decisions and key, and its outputs are intact."""
    if not entry or any(entry.get(k) != facts.get(k) for k in MATCHED_FIELDS):
        return False
    return outputs_intact(entry, out_dir)


class Manifest:
    """The journal of one output folder. Only the process that holds the folder's lock writes it."""

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / MANIFEST_NAME
        self.lines: dict[str, str] = {}  # document -> its entry as a JSON line (a third of a dict's memory)
        self._journal: TextIO | None = None
        self._changed = False
        self._load()

    def _load(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                self._changed = True  # a line torn by a kill: compact it away at the end
                continue
            if not isinstance(record, dict) or not isinstance(record.get("doc"), str):
                continue
            if record.get("removed"):
                self.lines.pop(record["doc"], None)
            elif isinstance(record.get("outputs"), dict):
                self.lines[record["doc"]] = _line(record)

    def __len__(self) -> int:
        return len(self.lines)

    def get(self, doc: str) -> Entry | None:
        line = self.lines.get(doc)
        return None if line is None else json.loads(line)

    def record(self, entry: Entry) -> None:
        line = _line(entry)
        if self.lines.get(entry["doc"]) != line:
            self.lines[entry["doc"]] = line
            self._append(line)

    def forget(self, doc: str) -> None:
        if self.lines.pop(doc, None) is not None:
            self._append(_line({"doc": doc, "removed": True}))

    def _append(self, line: str) -> None:
        if self._journal is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.path, "a", encoding="utf-8")
            if self._journal.tell() == 0:
                self._journal.write(json.dumps({"manifest": FORMAT}) + "\n")
            elif not _ends_with_newline(self.path):
                self._journal.write("\n")  # keep a torn line from swallowing the next one
        self._journal.write(line + "\n")
        self._journal.flush()
        self._changed = True

    def close(self) -> None:
        """Rewrite the journal as one line per document (only when this run changed something)."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if not self._changed:
            return
        lines = [json.dumps({"manifest": FORMAT})] + [self.lines[doc] for doc in sorted(self.lines)]
        write_atomic(self.path, "\n".join(lines) + "\n")
        self._changed = False


def _line(record: Entry) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
