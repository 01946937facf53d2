"""Executors: map the single-file check over worker processes (the Dask one: batch/cluster.py).

`ProcessExecutor` keeps a small pool of worker processes, forked from the command's own process
where fork is safe and cheap (Linux: a worker inherits the loaded engine and starts in a few
milliseconds; `start_method`), spawned elsewhere (each builds its engine once). `scan` and
`check` use it alike. A worker checks one file at a time, each with its own deadline; a worker
whose last file was quick has its next one sent ahead, so it does not wait for this process in
between. A worker past its deadline is killed and replaced; a worker that dies (a library
crash, the memory cap) is replaced too. Either way the file gets a status and a
`resource-limit` finding, the files sent ahead to it go to the others, and the scan goes on.

Every executor yields `(task, result_dict, cacheable)`; results travel as `FileResult.as_dict()`
so the local, Dask and cached paths produce identical results.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import sys
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from profilecheck.core import timing
from profilecheck.core.errors import is_out_of_memory
from profilecheck.core.limits import PROCESS, ProcessLimits, cap_address_space, memory_message
from profilecheck.core.model import Status
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import Profile

MAX_START_FAILURES = 3
TIMINGS = "timings"  # the key of a result's seconds, with --statistics
SINGLE_THREADED = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class EngineSpec:
    """Everything a worker needs to build its Engine once: passed by value."""

    profile: Profile
    settings: Settings
    key: str  # identifies the spec (the cache's config key)
    # "module:callable(profile, settings)" building something with `check_file`; tests use it
    factory: str = ""


def start_method() -> str:
    """fork where it is safe and cheap (Linux): a worker inherits the loaded engine and starts
    in milliseconds; spawn elsewhere (macOS, Windows), where each worker builds its own."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def build_engine(spec: EngineSpec) -> Any:
    if spec.factory:
        import importlib

        module, _, name = spec.factory.partition(":")
        return getattr(importlib.import_module(module), name)(spec.profile, spec.settings)
    from profilecheck.engine.engine import Engine

    return Engine(spec.profile, spec.settings)


@dataclass(frozen=True)
class Task:
    index: int
    path: str
    explicit: bool
    # A reporters.pictures.Request: make the HTML report's pictures of the file (under the
    # same limits) instead of checking it; the result is {"drawn": ...} (batch/pictures.py).
    draw: Any = None
    # `--statistics`: time the check and send the seconds back with the result ("timings",
    # rows of core.timing, taken out again by `timings_of` before anything else reads it)
    timings: bool = False


Outcome = tuple[Task, dict[str, Any], bool]


def limit_result(task: Task, status: Status, message: str) -> dict[str, Any]:
    from profilecheck.engine.engine import file_problem

    return file_problem(task.path, "unknown", status, "resource-limit", message).as_dict()


def check_with(engine: Any, task: Task) -> dict[str, Any]:
    if task.draw is not None:
        from profilecheck.reporters.pictures import draw

        return {"drawn": draw(task.draw)}
    if not task.timings:
        return _checked(engine, task)
    timing.enable()
    timing.take()  # a forked worker starts with its parent's rows
    result = _checked(engine, task)
    result[TIMINGS] = timing.take()
    return result


def timings_of(result: dict[str, Any]) -> dict[str, Any]:
    """`result` without the seconds a worker sent with it, which are added to this process's."""
    if TIMINGS in result:
        timing.merge(result.pop(TIMINGS))
    return result


def _checked(engine: Any, task: Task) -> dict[str, Any]:
    try:
        return engine.check_file(task.path, task.explicit).as_dict()
    except Exception as error:  # the engine should never raise; if it does, one file pays
        from profilecheck.engine.engine import file_problem

        if is_out_of_memory(error):
            return limit_result(task, Status.UNREADABLE, memory_message())

        message = f"the check failed: {type(error).__name__}: {error}"
        return file_problem(
            task.path, "unknown", Status.UNREADABLE, "unreadable-file", message
        ).as_dict()


# --- worker process side ---


def _peak_rss_mb() -> float | None:
    """This worker's own peak: on Linux from /proc (a spawned child's ru_maxrss starts at its
    parent's), elsewhere from getrusage."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _cap_memory(max_memory_mb: int) -> None:
    if max_memory_mb <= 0:
        return
    PROCESS["max_memory_mb"] = max_memory_mb  # messages made in this process name it
    cap_address_space(max_memory_mb)


def _silence_stderr() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def worker_main(conn: Any, spec: EngineSpec, limits: ProcessLimits, engine: Any = None) -> None:
    """A worker's loop; `engine`: one built before a fork, inherited instead of rebuilt."""
    gc.enable()  # whatever the parent did (a scan's parent turns the collector off)
    for name in SINGLE_THREADED:
        os.environ.setdefault(name, "1")
    warnings.simplefilter("ignore")
    if limits.quiet:
        _silence_stderr()
    _cap_memory(limits.max_memory_mb)
    PROCESS["timeout"] = limits.timeout
    engine = engine if engine is not None else build_engine(spec)
    conn.send(("ready", os.getpid(), _peak_rss_mb()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task: Task = message
        started = time.perf_counter()
        result = check_with(engine, task)
        seconds = time.perf_counter() - started
        conn.send(("done", task.index, result, _peak_rss_mb(), seconds))


# --- parent side ---

QUICK_SECONDS = 0.25  # a worker whose last file took less is sent the next one ahead


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    # sent and not yet answered, in order: the first is being checked, the next waits in the pipe
    tasks: deque[Task] = field(default_factory=deque)
    deadline: float = 0.0  # the first task's
    quick: bool = False  # its last file took less than QUICK_SECONDS
    gone: bool = False  # its pipe is broken: it died and is about to be replaced

    @property
    def task(self) -> Task | None:
        return self.tasks[0] if self.tasks else None


class _Queue:
    """The tasks to hand out: those a stopped worker had not started first, then the rest."""

    def __init__(self, tasks: Iterator[Task]) -> None:
        self.tasks, self.returned = tasks, deque()
        self.exhausted = False

    def next(self) -> Task | None:
        if self.returned:
            return self.returned.popleft()
        task = None if self.exhausted else next(self.tasks, None)
        self.exhausted = task is None
        return task

    def give_back(self, tasks: Iterable[Task]) -> None:
        self.returned.extendleft(reversed(list(tasks)))

    @property
    def done(self) -> bool:
        return self.exhausted and not self.returned


@dataclass
class ProcessExecutor:
    """Worker processes, each checking one file at a time under the limits. A worker that
    checks quickly (small files) is sent its next file ahead, so it never waits for this
    process between files; a slow one is not, so that no file waits behind a slow one while
    another worker could take it. The caller orders the tasks (`scan`: the largest first)."""

    spec: EngineSpec
    jobs: int
    limits: ProcessLimits = field(default_factory=ProcessLimits)
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # worker pid -> MB
    restarts: int = 0
    start_method: str = "spawn"  # "fork" (POSIX): workers inherit `engine` and this process
    engine: Any = None  # with fork: built here already, so workers start in milliseconds

    def map(self, tasks: Iterator[Task]) -> Iterator[Outcome]:
        context = self._context()
        workers = [self._start(context) for _ in range(max(1, self.jobs))]
        queue = _Queue(tasks)
        failures = 0
        try:
            while True:
                self._dispatch(workers, queue)
                if queue.done and not any(w.tasks for w in workers):
                    return
                yield from self._collect(workers)
                for index, worker in enumerate(workers):
                    replaced = self._check_worker(worker, queue)
                    if replaced is None:
                        continue
                    outcome, start_failed = replaced
                    if outcome is not None:
                        yield outcome
                    failures = failures + 1 if start_failed else 0
                    if failures >= MAX_START_FAILURES:
                        raise RuntimeError(
                            f"a worker process could not start; is {self.limits.memory_limit} "
                            "too low?"
                        )
                    self.restarts += 1
                    workers[index] = self._start(context)
        finally:
            for worker in workers:
                self._stop(worker)

    def _context(self) -> Any:
        """Fork: `batch.forked`, without multiprocessing's import (`check` in a pre-commit hook)."""
        if self.start_method == "fork":
            from profilecheck.batch import forked

            return forked.ForkContext
        import multiprocessing

        return multiprocessing.get_context(self.start_method)

    def _wait(self) -> Callable[..., list]:
        if self.start_method == "fork":
            from profilecheck.batch.forked import wait
        else:
            from multiprocessing.connection import wait
        return wait

    def _start(self, context: Any) -> _Worker:
        parent, child = context.Pipe()
        inherited = self.engine if self.start_method == "fork" else None
        process = context.Process(
            target=worker_main, args=(child, self.spec, self.limits, inherited), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _dispatch(self, workers: list[_Worker], queue: _Queue) -> None:
        """An idle worker gets a task first; then a quick one gets its next ahead."""
        for ahead in (False, True):
            for worker in workers:
                if not worker.ready or worker.gone or len(worker.tasks) > (1 if ahead else 0):
                    continue
                if ahead and not (worker.quick and worker.tasks):
                    continue
                task = queue.next()
                if task is None:
                    return
                try:
                    worker.conn.send(task)
                except OSError:  # it died meanwhile: replaced by `_check_worker`
                    worker.gone = True
                    queue.give_back([task])
                    continue
                if not worker.tasks:
                    self._started(worker)
                worker.tasks.append(task)

    def _started(self, worker: _Worker) -> None:
        """Its first task starts now: the time limit runs from here."""
        limit = self.limits.timeout
        worker.deadline = time.monotonic() + limit if limit > 0 else math.inf

    def _collect(self, workers: list[_Worker]) -> Iterator[Outcome]:
        wait = self._wait()
        busy = [w.deadline for w in workers if w.task is not None]
        timeout = max(0.0, min(busy) - time.monotonic()) if busy else 1.0
        timeout = None if timeout == math.inf else timeout
        handles = [w.conn for w in workers] + [w.process.sentinel for w in workers]
        ready = set(wait(handles, timeout=timeout))
        for worker in workers:
            while worker.conn in ready and worker.conn.poll():
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    break
                if message[0] == "ready":
                    worker.ready = True
                    self._note_rss(message[1], message[2])
                    continue
                _, index, result, rss, seconds = message
                task = worker.tasks.popleft() if worker.tasks else None
                self._note_rss(worker.process.pid, rss)
                worker.quick = seconds < QUICK_SECONDS
                if worker.tasks:
                    self._started(worker)
                if task is not None and task.index == index:
                    yield task, result, True

    def _check_worker(self, worker: _Worker, queue: _Queue) -> tuple[Outcome | None, bool] | None:
        """None while the worker is fine. Otherwise it has been stopped and must be replaced:
        (the outcome for its task if it had one, whether it died before it was ready). The
        tasks it had not started go back to the queue."""
        task = worker.task
        if worker.process.is_alive():
            if task is None or time.monotonic() < worker.deadline:
                return None
            self._stop(worker)
            queue.give_back(list(worker.tasks)[1:])
            message = f"stopped at {self.limits.time_limit}"
            return (task, limit_result(task, Status.TIMEOUT, message), False), False
        self._stop(worker)
        queue.give_back(list(worker.tasks)[1:])
        if task is None:
            return None, not worker.ready
        code = worker.process.exitcode
        cause = "a library crashed"
        if self.limits.max_memory_mb > 0:
            cause = f"it may have hit {self.limits.memory_limit}, or {cause}"
        message = f"the checker process died on this file (exit code {code}): {cause}"
        return (task, limit_result(task, Status.UNREADABLE, message), False), False

    def _stop(self, worker: _Worker) -> None:
        if worker.process.is_alive() and not worker.tasks:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _note_rss(self, pid: int, rss: float | None) -> None:
        if rss is not None:
            self.peak_rss_mb[pid] = max(rss, self.peak_rss_mb.get(pid, 0.0))
