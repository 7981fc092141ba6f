"""Where `repair.batch.run_document` runs: `local` (this machine, a process pool) or `ray` (a cluster).

An engine takes the run's tasks and yields one `DocResult` per task as documents
finish, in any order. It never touches the manifest: the parent records results.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Protocol

from ..errors import RepairError

if TYPE_CHECKING:
    from ..batch import DocResult, RunSpec, Task

ENGINES = ("local", "ray")


class Engine(Protocol):
    def run(self, tasks: Collection[Task], spec: RunSpec) -> Iterator[DocResult]: ...


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def make_engine(name: str, jobs: int | None = None) -> Engine:
    if name == "local":
        from .local import LocalEngine

        return LocalEngine(jobs or cpu_count())
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine(jobs)
    raise RepairError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
