"""`check`'s files, each under a time and a memory limit, by the workers `scan` uses.

The files go through the same `ProcessExecutor` as a scan's (`batch/workers.py`: the same
limits, the same stopping and replacing of a worker, the same `timeout` and `resource-limit`
results naming the limit), with one worker for the whole run. On Linux that worker is forked
from this process after the engine is built, so it starts in a few milliseconds with everything
loaded; where fork is not safe (macOS, Windows) it is spawned and builds its own. A worker that
is stopped is replaced the same way, and the run goes on. With neither limit (`--timeout 0
--max-memory 0`) the files are checked in this process, as before.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from profilecheck.batch.walk import Entry
from profilecheck.batch.workers import (
    EngineSpec,
    ProcessExecutor,
    ProcessLimits,
    Task,
    start_method,
    timings_of,
)
from profilecheck.core import timing
from profilecheck.core.errors import UsageError
from profilecheck.core.results import FileResult


def check_files(engine: Any, entries: Sequence[Entry], limits: ProcessLimits) -> list[FileResult]:
    """The results of `entries`, in their order; what the walk could not use is reported as
    the walk says, the rest checked under `limits`."""
    results: list[FileResult | None] = [None] * len(entries)
    tasks = []
    for index, entry in enumerate(entries):
        if entry.problem:
            results[index] = engine.walk_problem(entry.path, *entry.problem)
        else:
            tasks.append(Task(index, entry.path, entry.explicit, timings=timing.enabled()))
    if not (limits.timeout > 0 or limits.max_memory_mb > 0):
        for task in tasks:
            results[task.index] = engine.check_file(task.path, task.explicit)
    elif tasks:
        spec = EngineSpec(engine.profile, engine.settings, key="check")
        method = start_method()
        executor = ProcessExecutor(spec, jobs=1, limits=limits, start_method=method, engine=engine)
        started = time.perf_counter()
        try:
            for task, result, _cacheable in executor.map(iter(tasks)):
                done = engine.finish(FileResult.from_dict(timings_of(result)))
                now = time.perf_counter()
                done.seconds, started = round(now - started, 4), now  # one at a time
                results[task.index] = done
        except RuntimeError as error:  # no worker could start: the limit is the problem
            raise UsageError(str(error))
    return [result for result in results if result is not None]
