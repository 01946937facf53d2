"""The HTML report's pictures for a scan, made in worker processes under the scan's limits.

A picture of a page costs what checking it costs (decoding a large image, rendering a heavy
page), so it is made where `--timeout` and `--max-memory` apply, never in the parent: the
report plans which pages it shows (`reporters.html.requests`, from the findings alone), the
same executor as the scan runs `reporters.pictures.draw` on each file (workers that build no
engine), and the results go to the reporter in `RunResult.pictures`. A file whose pictures
time out or exhaust a worker's memory is shown without them; the report goes on. Word and
PowerPoint files are rendered by LibreOffice here too (`readers.convert.render`), its run killed
at 80 % of the worker's time limit, so a hanging LibreOffice leaves a note, not a lost worker.
"""

from __future__ import annotations

from typing import Any

from profilecheck.batch.scan import ScanOptions
from profilecheck.batch.workers import EngineSpec, ProcessExecutor, Task
from profilecheck.core.results import RunResult

NO_ENGINE = f"{__name__}:no_engine"


def no_engine(profile: Any, settings: Any) -> None:
    """Picture workers check nothing, so they skip building an engine."""
    return None


def add_pictures(run: RunResult, engine: Any, options: ScanOptions) -> None:
    """Make the pictures of `run`'s HTML report in workers; sets `run.pictures`."""
    from profilecheck.reporters.html import requests

    wanted = requests(run)
    run.pictures = {}
    if not wanted:
        return
    spec = EngineSpec(engine.profile, engine.settings, "pictures", NO_ENGINE)
    executor: Any
    if options.executor == "dask":
        from profilecheck.batch.cluster import DaskExecutor

        executor = DaskExecutor(spec, options.scheduler)
    else:
        executor = ProcessExecutor(spec, min(options.jobs, len(wanted)), options.limits)
    tasks = (Task(index, r.path, True, draw=r) for index, r in enumerate(wanted))
    for task, result, _cacheable in executor.map(tasks):
        drawn = result.get("drawn")  # else a time or memory limit stopped the worker
        if isinstance(drawn, dict):
            run.pictures[task.path] = drawn
