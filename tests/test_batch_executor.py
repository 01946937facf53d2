"""The scan's worker pool (batch/workers.py ProcessExecutor): every task answered exactly once,
whatever the order of finishing, with a quick worker's next file sent ahead of time and given
back to the queue when that worker is stopped; the largest files handed out first."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from profilecheck.batch.scan import ScanOptions, scan
from profilecheck.batch.workers import (
    QUICK_SECONDS,
    EngineSpec,
    ProcessExecutor,
    ProcessLimits,
    Task,
    start_method,
)
from profilecheck.core.model import Status
from profilecheck.core.results import FileResult
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile


class NameEngine:
    """Checks nothing: a file named *hang* hangs, *crash* kills its worker, *slow* takes a
    while; each result records the worker's pid in its message."""

    def check_file(self, path: str, explicit: bool = True) -> FileResult:
        name = os.path.basename(path)
        if "hang" in name:
            time.sleep(600)
        if "crash" in name:
            os._exit(9)
        if "slow" in name:
            time.sleep(QUICK_SECONDS * 2)
        return FileResult(path, "pdf", Status.CHECKED, message=str(os.getpid()))


def name_engine(profile: object, settings: object) -> NameEngine:
    return NameEngine()


SPEC = EngineSpec(None, None, "test", f"{__name__}:name_engine")  # type: ignore[arg-type]


def _run(names: list[str], jobs: int, timeout: float = 0) -> tuple[dict, ProcessExecutor]:
    executor = ProcessExecutor(SPEC, jobs, ProcessLimits(timeout=timeout, max_memory_mb=0),
                               start_method=start_method())  # fmt: skip
    tasks = iter([Task(i, name, True) for i, name in enumerate(names)])
    answered: dict[int, list] = {}
    for task, result, _cacheable in executor.map(tasks):
        answered.setdefault(task.index, []).append((task.path, result))
    return answered, executor


def test_quick_files_are_sent_ahead_and_every_task_is_answered_once():
    names = [f"quick{i:03d}.pdf" for i in range(60)]
    answered, _ = _run(names, jobs=2)
    assert sorted(answered) == list(range(60))
    assert all(len(results) == 1 for results in answered.values())
    assert all(results[0][1]["path"] == names[i] for i, results in answered.items())


def test_files_queued_behind_a_stopped_file_go_to_another_worker():
    """A quick worker holds the next file while it checks one; when that one hangs past the
    time limit or crashes the worker, the file held behind it is checked all the same."""
    names = [f"quick{i:02d}.pdf" for i in range(6)]
    names[3], names[6 - 1] = "hang.pdf", "crash.pdf"
    names += [f"after{i:02d}.pdf" for i in range(6)]
    answered, executor = _run(names, jobs=1, timeout=2)
    assert sorted(answered) == list(range(len(names)))
    assert all(len(results) == 1 for results in answered.values())
    statuses = {answered[i][0][0]: answered[i][0][1]["status"] for i in answered}
    assert statuses.pop("hang.pdf") == "timeout"
    assert statuses.pop("crash.pdf") == "unreadable"
    assert set(statuses.values()) == {"checked"}
    assert executor.restarts == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux only")
def test_a_scan_forks_workers_that_inherit_the_engine_and_hands_out_large_files_first(
    tmp_path, monkeypatch
):
    """On Linux a scan's workers are forked after the engine is built (no import, no profile
    loaded again); the largest files go out first, the results come back in walk order."""
    root = tmp_path / "share"
    root.mkdir()
    for name, size in (("a.pdf", 10), ("b.pdf", 3000), ("c.pdf", 200), ("d.pdf", 40_000)):
        (root / name).write_bytes(b"%PDF-1.4\n" + b"x" * size)
    order: list[str] = []

    class Recording(Engine):
        def check_file(self, path, explicit=True):  # runs in the forked worker
            return FileResult(path, "pdf", Status.CHECKED, message=f"{os.getpid()}")

    engine = Recording(load_profile("ale"), Settings())
    outcome = scan(
        [str(root)], engine, ScanOptions(jobs=1), on_result=lambda r: order.append(r.path)
    )
    assert [Path(p).name for p in order] == ["d.pdf", "b.pdf", "c.pdf", "a.pdf"]
    assert [Path(r.path).name for r in outcome.run.files] == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]
    assert outcome.checked == 4 and {r.message for r in outcome.run.files} != {str(os.getpid())}
