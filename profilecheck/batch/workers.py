"""Executors: map the single-file check over worker processes, or over a Dask cluster.

`ProcessExecutor` keeps a small pool of spawned processes (spawn works everywhere, Windows too),
one task in flight per worker so each has its own deadline. A worker past its deadline is killed
and replaced; a worker that dies (a library crash, the memory cap) is replaced too. Either way
the file gets a status and a `resource-limit` finding, and the scan goes on. `check` uses the
same executor with one worker forked from the command's own process where fork is safe and
cheap (Linux: the worker inherits the loaded engine, a few milliseconds), spawned elsewhere.

Every executor yields `(task, result_dict, cacheable)`; results travel as `FileResult.as_dict()`
so the local, Dask and cached paths produce identical results.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from profilecheck.core import timing
from profilecheck.core.errors import is_out_of_memory
from profilecheck.core.limits import PROCESS, cap_address_space, memory_message
from profilecheck.core.model import Status
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import Profile

MAX_START_FAILURES = 3
TIMINGS = "timings"  # the key of a result's seconds, with --statistics
DASK_IN_FLIGHT = 2000  # futures submitted ahead of results
SINGLE_THREADED = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class EngineSpec:
    """Everything a worker needs to build its Engine once: passed by value."""

    profile: Profile
    settings: Settings
    key: str  # identifies the spec (the cache's config key)
    # "module:callable(profile, settings)" building something with `check_file`; tests use it
    factory: str = ""


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


@dataclass(frozen=True)
class ProcessLimits:
    """Time and memory per worker process (what a document may hold is core.limits.Limits)."""

    timeout: float = 60.0  # seconds per file; 0 for none
    max_memory_mb: int = 1500  # address space per worker; 0 for none
    quiet: bool = True  # silence the libraries' stderr chatter in workers

    @property
    def time_limit(self) -> str:
        return f"the time limit of {self.timeout:g} s per file (--timeout)"

    @property
    def memory_limit(self) -> str:
        return f"the memory limit of {self.max_memory_mb:,} MB per file (--max-memory)"


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
        result = check_with(engine, task)
        conn.send(("done", task.index, result, _peak_rss_mb()))


# --- parent side ---


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    task: Task | None = None
    deadline: float = 0.0


@dataclass
class ProcessExecutor:
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
        failures = 0
        try:
            exhausted = False
            while True:
                exhausted = self._dispatch(workers, tasks, exhausted)
                if exhausted and not any(w.task for w in workers):
                    return
                yield from self._collect(workers)
                for index, worker in enumerate(workers):
                    replaced = self._check_worker(worker)
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

    def _dispatch(self, workers: list[_Worker], tasks: Iterator[Task], exhausted: bool) -> bool:
        for worker in workers:
            if exhausted or not worker.ready or worker.task is not None:
                continue
            task = next(tasks, None)
            if task is None:
                return True
            worker.task = task
            limit = self.limits.timeout
            worker.deadline = time.monotonic() + limit if limit > 0 else math.inf
            worker.conn.send(task)
        return exhausted

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
                _, index, result, rss = message
                task, worker.task = worker.task, None
                self._note_rss(worker.process.pid, rss)
                if task is not None and task.index == index:
                    yield task, result, True

    def _check_worker(self, worker: _Worker) -> tuple[Outcome | None, bool] | None:
        """None while the worker is fine. Otherwise it has been stopped and must be replaced:
        (the outcome for its task if it had one, whether it died before it was ready)."""
        task = worker.task
        if worker.process.is_alive():
            if task is None or time.monotonic() < worker.deadline:
                return None
            self._stop(worker)
            message = f"stopped at {self.limits.time_limit}"
            return (task, limit_result(task, Status.TIMEOUT, message), False), False
        self._stop(worker)
        if task is None:
            return None, not worker.ready
        code = worker.process.exitcode
        cause = "a library crashed"
        if self.limits.max_memory_mb > 0:
            cause = f"it may have hit {self.limits.memory_limit}, or {cause}"
        message = f"the checker process died on this file (exit code {code}): {cause}"
        return (task, limit_result(task, Status.UNREADABLE, message), False), False

    def _stop(self, worker: _Worker) -> None:
        if worker.process.is_alive() and worker.task is None:
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


# --- Dask ---

_DASK_ENGINES: dict[str, Any] = {}


def dask_check(spec: EngineSpec, task: Task) -> dict[str, Any]:
    """Runs on a Dask worker: builds the Engine once per worker process and spec."""
    engine = _DASK_ENGINES.get(spec.key + spec.factory)
    if engine is None:
        engine = _DASK_ENGINES[spec.key + spec.factory] = build_engine(spec)
    return check_with(engine, task)


@dataclass
class DaskExecutor:
    """Runs the checks on a Dask distributed cluster. The files must be reachable under the
    same paths from the workers (a share mounted alike). Time and memory limits are the
    cluster's own (worker memory limits, nanny restarts): a file whose task kills workers
    ends as `resource-limit`."""

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
