"""`repair fix DIR... -o OUT` over a whole archive: parallel, resumable, one bad file never stops it.

The unit of work is `run_document(task, spec)`: a function of one input file and
the run's settings that writes that document's outputs (each atomically) and
returns what happened. Engines (`repair.engines`) only decide where it runs: in
this process, in a local process pool, or on a Ray cluster. The parent alone
keeps the manifest (`repair.manifest`), so every engine resumes the same way.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex as re

from .errors import RepairError
from .jobs import Options, Outcome, iter_inputs, prepare_file, write_pending
from .decisions import decisions_path
from .manifest import Entry, Manifest, file_hash, is_current, safe_relative
from .rules import RuleSet

WRITTEN, CURRENT, FAILED = "written", "current", "failed"
LOCK_NAME = ".repair.lock"
LOCK_WAIT = 15.0  # seconds: lets the workers of a killed run die before giving up
# Names `write_atomic` gives its temporary files (tempfile adds 8 characters of [a-z0-9_]).
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


@dataclass(frozen=True)
class Task:
    source: str
    doc: str  # output path relative to OUT, without suffix, "/"-separated
    prior: Entry | None = None  # the manifest's entry from an earlier run
    redo: bool = False  # even when the entry shows the document done (its outputs are replaced all the same)


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs besides the task; sent to each worker once."""

    out_dir: str
    rules: RuleSet
    options: Options
    key: str  # manifest.run_key of the rules version and settings
    timeout: float | None = None  # seconds per document, per megabyte for larger ones
    max_bytes: int | None = None


@dataclass
class DocResult:
    doc: str
    source: str
    status: str
    error: str | None = None
    entry: Entry | None = None
    seconds: float = 0.0


class DocumentTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` on the way swallows it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the body after `seconds` of wall-clock time (also inside a long regex match).

    Needs SIGALRM and the main thread; elsewhere the body runs unlimited.
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- one document


def run_document(task: Task, spec: RunSpec) -> DocResult:
    """Repair one input into OUT unless the manifest shows it done. Never raises."""
    started = time.perf_counter()
    try:
        result = _run_document(task, spec)
    except Exception as exc:  # a bug must fail this file only, never the batch
        result = DocResult(task.doc, task.source, FAILED, f"internal error: {type(exc).__name__}: {exc}")
    result.seconds = time.perf_counter() - started
    return result


def _run_document(task: Task, spec: RunSpec) -> DocResult:
    out_dir, source = Path(spec.out_dir), Path(task.source)
    facts = {
        "doc": task.doc,
        "source": task.source,
        "input": file_hash(source),
        "decisions": file_hash(decisions_path(source, spec.options.decisions_dir)) or "",
        "key": spec.key,
    }
    if not task.redo and facts["input"] is not None and is_current(task.prior, facts, out_dir):
        return DocResult(task.doc, task.source, CURRENT, entry=task.prior)
    outcome, error = _prepare(source, Path(task.doc), spec)
    if error is not None:
        _remove_outputs(task.prior, out_dir, keep=set())
        return DocResult(task.doc, task.source, FAILED, error)
    write_pending(outcome)
    outputs = {_name(p, out_dir): file_hash(p) for p in [*outcome.outputs, outcome.report] if p is not None}
    _remove_outputs(task.prior, out_dir, keep=set(outputs))
    entry = {
        **facts,
        "outputs": outputs,
        "articles": len(outcome.outputs),
        "fixes": outcome.fixes,
        "applied": outcome.applied,
        "by_rule": dict(sorted(outcome.by_rule.items())),
    }
    return DocResult(task.doc, task.source, WRITTEN, entry=entry)


def _prepare(source: Path, relative: Path, spec: RunSpec) -> tuple[Outcome | None, str | None]:
    try:
        size = source.stat().st_size
    except OSError:
        size = 0  # reading will report it
    if spec.max_bytes is not None and size > spec.max_bytes:
        return None, f"too large ({size:,} bytes; the limit is {spec.max_bytes / 1e6:g} MB, see --max-size)"
    limit = spec.timeout * max(1.0, size / 1e6) if spec.timeout else None
    try:
        with time_limit(limit):
            outcome = prepare_file(source, relative, Path(spec.out_dir), spec.rules, spec.options)
    except DocumentTimeout:
        return None, f"took longer than {limit:g} s (see --timeout)"
    except MemoryError:
        return None, "out of memory"
    except RecursionError:
        return None, "too deeply nested to process"
    return outcome, outcome.error


def _name(path: Path, out_dir: Path) -> str:
    return path.relative_to(out_dir).as_posix()


def _remove_outputs(prior: Entry | None, out_dir: Path, keep: set[str]) -> None:
    """Delete what an earlier run wrote for this document that this run did not (e.g. fewer articles)."""
    for name in (prior or {}).get("outputs", {}):
        relative = safe_relative(name)
        if name not in keep and relative is not None:
            (out_dir / relative).unlink(missing_ok=True)


# ---------------------------------------------------------------- planning


def check_output_folder(paths: list[Path], out_dir: Path) -> None:
    """Refuse an output folder that overlaps an input: the run must never write into the input tree."""
    if out_dir.exists() and not out_dir.is_dir():
        raise RepairError(f"output {out_dir} exists and is not a folder")
    out = out_dir.resolve()
    for path in paths:
        real = path.resolve()
        if real == out or out in real.parents:
            raise RepairError(f"input {path} is inside the output folder {out_dir}")
        if path.is_dir() and real in out.parents:
            raise RepairError(f"output folder {out_dir} is inside the input folder {path}; choose one outside it")


def plan(paths: list[Path]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(source, doc) pairs to run, and (source, reason) for inputs whose outputs would clash."""
    tasks: list[tuple[str, str]] = []
    clashes: list[tuple[str, str]] = []
    owner: dict[str, str] = {}
    for source, relative in iter_inputs(paths):
        doc = relative.as_posix()
        if doc in owner:
            clashes.append((str(source), f"same output name as {owner[doc]}; rename one of them"))
            continue
        owner[doc] = str(source)
        tasks.append((str(source), doc))
    return tasks, clashes


@contextmanager
def locked(out_dir: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold OUT/.repair.lock so that two runs never write into one folder at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one run at a time is up to the user
        yield
        return
    fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RepairError(f"another repair run is writing to {out_dir}") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


def remove_temporaries(out_dir: Path) -> int:
    """Delete the temporary files of writes a killed run never finished."""
    removed = 0
    for root, _, files in os.walk(out_dir):
        for name in files:
            if _TEMPORARY.match(name):
                Path(root, name).unlink(missing_ok=True)
                removed += 1
    return removed


class Tasks:
    """The run's tasks, each made when an engine takes it: only those in flight hold a manifest entry."""

    def __init__(self, inputs: list[tuple[str, str]], manifest: Manifest, redo: bool = False) -> None:
        self.inputs, self.manifest, self.redo = inputs, manifest, redo

    def __len__(self) -> int:
        return len(self.inputs)

    def __iter__(self) -> Iterator[Task]:
        for source, doc in self.inputs:
            yield Task(source, doc, self.manifest.get(doc), self.redo)


# ---------------------------------------------------------------- progress and summary


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    articles: int = 0
    fixes: int = 0
    applied: int = 0
    by_rule: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)

    def add(self, result: DocResult) -> None:
        self.counts[result.status] += 1
        if result.entry:
            self.articles += result.entry.get("articles", 0)
            self.fixes += result.entry.get("fixes", 0)
            self.applied += result.entry.get("applied", 0)
            self.by_rule.update(result.entry.get("by_rule", {}))

    @property
    def documents(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        seconds = time.perf_counter() - self.started
        c = self.counts
        lines = [
            f"repair: {self.documents} documents: {c[WRITTEN]} repaired, {c[CURRENT]} up to date, {c[FAILED]} failed; "
            f"{self.articles} articles; {self.applied}/{self.fixes} fixes applied; {seconds:.1f} s"
        ]
        if self.by_rule:
            lines.append("repair: fixes by rule: " + ", ".join(f"{r} {n}" for r, n in self.by_rule.most_common()))
        return lines


class Reporter:
    """A rich progress bar on a terminal; plain lines (one per repaired or failed file) otherwise."""

    def __init__(self, total: int, quiet: bool = False, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.total = total
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Reporter:
        if self.stream.isatty() and self.total:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            console = Console(file=self.stream, highlight=False)
            self._progress = Progress(
                TextColumn("repair"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                console=console, transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("repair", total=self.total)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.stop()

    def line(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=self.stream, flush=True)

    def done(self, result: DocResult) -> None:
        if result.status == FAILED:
            self.line(f"repair: {result.source}: {result.error}")
        elif result.status == WRITTEN and not self.quiet and self._progress is None:
            entry = result.entry or {}
            names = ", ".join(Path(n).name for n in entry.get("outputs", {}) if n.endswith(".md"))
            self.line(f"{result.source}: {entry.get('applied', 0)}/{entry.get('fixes', 0)} fixes applied -> {names}")
        if self._progress is not None:
            self._progress.advance(self._task)


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class BatchSettings:
    engine: str = "local"
    jobs: int | None = None  # None: every core (local) or every CPU of the cluster (ray)
    force: bool = False  # redo every document, whatever the manifest says
    quiet: bool = False


def run_batch(paths: list[Path], spec: RunSpec, settings: BatchSettings) -> int:
    """Run the whole batch; print failures, progress and a summary on stderr. Returns the exit code."""
    from .engines import make_engine

    out_dir = Path(spec.out_dir)
    check_output_folder(paths, out_dir)
    inputs, clashes = plan(paths)
    engine = make_engine(settings.engine, settings.jobs)
    summary = Summary()
    with locked(out_dir):
        remove_temporaries(out_dir)
        manifest = Manifest(out_dir)
        tasks = Tasks(inputs, manifest, settings.force)
        try:
            with Reporter(len(tasks) + len(clashes), settings.quiet) as reporter:
                for source, reason in clashes:
                    result = DocResult("", source, FAILED, reason)
                    summary.add(result)
                    reporter.done(result)
                for result in engine.run(tasks, spec):
                    if result.status == FAILED:
                        manifest.forget(result.doc)
                    elif result.entry is not None:
                        manifest.record(result.entry)
                    summary.add(result)
                    reporter.done(result)
        finally:
            manifest.close()
    for line in summary.lines():
        print(line, file=sys.stderr)
    return 1 if summary.counts[FAILED] else 0

