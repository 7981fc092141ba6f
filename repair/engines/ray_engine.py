"""A Ray cluster: `repair fix --engine ray`. Needs the `ray` extra (`pip install 'repair[ray]'`).

Connects to the cluster named by RAY_ADDRESS, or starts a local Ray when it is
unset. The manifest's pending entries are cut into shards; each of N actors (one
per CPU, or -j N) loads the rules once and runs `run_document` on whole shards,
so the outputs, the manifest and the resume guarantees are those of the local
engine. Every node must see the inputs and the output folder at the same paths
(a shared filesystem), and have the same version of repair installed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterator
from itertools import islice
from typing import Any

from ..batch import FAILED, DocResult, RunSpec, Task, run_document
from ..errors import RepairError

SHARDS_PER_WORKER = 8  # smaller shards balance better; larger ones cost fewer round trips
MAX_SHARD = 64
DIED = "the Ray worker died while repairing this file: {}"


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RepairError("--engine ray needs Ray: pip install 'repair[ray]'") from None
    return ray


class ShardWorker:
    """One per CPU slot; holds the rules for its whole life."""

    def __init__(self, spec: RunSpec, cwd: str) -> None:
        if os.path.isdir(cwd):
            os.chdir(cwd)  # relative input paths, and the reports that name them, as on the driver
        self.spec = spec

    def run(self, shard: list[Task]) -> list[DocResult]:
        return [run_document(task, self.spec) for task in shard]


class RayEngine:
    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs

    def run(self, tasks: Collection[Task], spec: RunSpec) -> Iterator[DocResult]:
        if not tasks:
            return
        ray = _import_ray()
        started_here = not ray.is_initialized()
        if started_here:
            address = os.environ.get("RAY_ADDRESS") or None  # None: a local Ray started for this run
            try:
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False, include_dashboard=False)
            except Exception as exc:  # Ray raises many kinds here; the user needs one line
                raise RepairError(f"cannot {'reach Ray at ' + address if address else 'start a local Ray'}: {exc}") from None
        try:
            yield from self._run(ray, tasks, spec)
        finally:
            if started_here:
                ray.shutdown()

    def _run(self, ray: Any, tasks: Collection[Task], spec: RunSpec) -> Iterator[DocResult]:
        workers = self.jobs or max(1, int(ray.cluster_resources().get("CPU", 1)))
        size = max(1, min(MAX_SHARD, len(tasks) // (workers * SHARDS_PER_WORKER)))
        workers = min(workers, -(-len(tasks) // size))
        pending = iter(tasks)
        queue = iter(lambda: list(islice(pending, size)), [])  # shards, cut as they are sent
        actor_class = ray.remote(num_cpus=1)(ShardWorker)
        spec_ref, cwd = ray.put(spec), os.getcwd()
        idle = [actor_class.remote(spec_ref, cwd) for _ in range(workers)]
        running: dict[Any, tuple[Any, list[Task]]] = {}
        try:
            while True:
                while idle and (shard := next(queue, None)) is not None:
                    actor = idle.pop()
                    running[actor.run.remote(shard)] = (actor, shard)
                if not running:
                    return
                [ref], _ = ray.wait(list(running), num_returns=1)
                actor, shard = running.pop(ref)
                try:
                    results = ray.get(ref)
                except ray.exceptions.RayError as exc:  # the actor died (out of memory, node lost, ...)
                    reason = DIED.format(type(exc).__name__)
                    results = [DocResult(t.doc, t.source, FAILED, reason) for t in shard]
                    ray.kill(actor)
                    actor = actor_class.remote(spec_ref, cwd)
                idle.append(actor)
                yield from results
        finally:
            for actor, _ in running.values():
                ray.kill(actor)
            for actor in idle:
                ray.kill(actor)
