"""This machine: the documents in this process (-j 1) or in a pool of worker processes."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Collection, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from ..batch import FAILED, DocResult, RunSpec, Task, run_document

WINDOW = 4  # documents queued per worker: enough to keep it busy, few enough to stop fast
DIED = "the worker process died while repairing this file (out of memory?)"

_SPEC: RunSpec | None = None


class LocalEngine:
    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def run(self, tasks: Collection[Task], spec: RunSpec) -> Iterator[DocResult]:
        workers = min(self.jobs, len(tasks))
        if workers <= 1:
            for task in tasks:
                yield run_document(task, spec)
            return
        queue = iter(tasks)
        while True:  # one pool, or a fresh one after a worker died
            pool = _pool(workers, spec)
            inflight: dict[Future, Task] = {}
            broken = False
            try:
                _fill(pool, queue, inflight, workers * WINDOW)
                while inflight:
                    done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for future in done:
                        task = inflight.pop(future)
                        try:
                            yield future.result()
                        except BrokenProcessPool:
                            broken = True
                            yield DocResult(task.doc, task.source, FAILED, DIED)
                    if not broken:
                        _fill(pool, queue, inflight, workers * WINDOW)
            finally:
                pool.shutdown(wait=not broken, cancel_futures=True)
            if not broken:
                return


def _pool(workers: int, spec: RunSpec) -> ProcessPoolExecutor:
    # spawn, not fork: the parent may run a progress thread, and fork with threads can deadlock.
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=_init_worker, initargs=(spec, os.getpid())
    )


def _fill(pool: ProcessPoolExecutor, queue: Iterator[Task], inflight: dict[Future, Task], limit: int) -> None:
    while len(inflight) < limit:
        task = next(queue, None)
        if task is None:
            return
        inflight[pool.submit(_work, task)] = task


def _init_worker(spec: RunSpec, parent: int) -> None:
    global _SPEC
    _SPEC = spec  # rules loaded once per worker, not per file
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent)


def _work(task: Task) -> DocResult:
    assert _SPEC is not None
    return run_document(task, _SPEC)


def _die_with_parent(parent: int) -> None:
    """If the parent is killed (even with -9), end this worker too instead of writing on as an orphan."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
