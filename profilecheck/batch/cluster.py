"""`scan --executor dask`: the single-file check on a Dask distributed cluster.

The files must be reachable under the same paths from the workers (a share mounted alike). Time
and memory limits are the cluster's own (worker memory limits, nanny restarts): a file whose
task kills workers ends as `resource-limit`. Results travel as `FileResult.as_dict()`, as from
the local workers (`batch/workers.py`), so either executor gives identical results.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from profilecheck.batch.workers import (
    EngineSpec,
    Outcome,
    Task,
    build_engine,
    check_with,
    limit_result,
)
from profilecheck.core.model import Status

DASK_IN_FLIGHT = 2000  # futures submitted ahead of results

_DASK_ENGINES: dict[str, Any] = {}


def dask_check(spec: EngineSpec, task: Task) -> dict[str, Any]:
    """Runs on a Dask worker: builds the Engine once per worker process and spec."""
    engine = _DASK_ENGINES.get(spec.key + spec.factory)
    if engine is None:
        engine = _DASK_ENGINES[spec.key + spec.factory] = build_engine(spec)
    return check_with(engine, task)


@dataclass
class DaskExecutor:
    """Runs the checks on a Dask distributed cluster (see the module's docstring)."""

    spec: EngineSpec
    scheduler: str | Any  # an address, or a distributed.Client
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    restarts: int = 0

    def map(self, tasks: Iterator[Task]) -> Iterator[Outcome]:
        from distributed import Client, as_completed

        owned = not isinstance(self.scheduler, Client)
        client = Client(self.scheduler) if owned else self.scheduler
        try:
            spec = client.scatter(self.spec, broadcast=True)
            futures: dict[Any, Task] = {}
            pending = as_completed()
            for task in tasks:
                self._submit(client, spec, task, futures, pending)
                if len(futures) >= DASK_IN_FLIGHT:
                    yield self._outcome(next(pending), futures)
            for future in pending:
                yield self._outcome(future, futures)
        finally:
            if owned:
                client.close()

    @staticmethod
    def _submit(client: Any, spec: Any, task: Task, futures: dict, pending: Any) -> None:
        future = client.submit(dask_check, spec, task, pure=False)
        futures[future] = task
        pending.add(future)

    @staticmethod
    def _outcome(future: Any, futures: dict[Any, Task]) -> Outcome:
        task = futures.pop(future)
        try:
            return task, future.result(), True
        except Exception as error:  # KilledWorker and friends: the file cost the workers
            message = f"the cluster could not check this file: {type(error).__name__}: {error}"
            return task, limit_result(task, Status.UNREADABLE, message), False
