"""Checks of uploads: at most N at once, the rest waiting in the order they came.

Each check is `batch.bounded.check_files`, the same as `profilecheck check`: every file in a
worker process under the per-file time and memory limits, one bad file costing only its own
result. The page's pictures are made by `batch.pictures.add_pictures`, also in workers under
the limits. Both run in a thread so the server keeps answering (the queue position, other
requests) while a check runs. When the check ends the uploads are deleted; the results name
the files by the names the client gave (sanitised), never by where they were stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import anyio.to_thread

from profilecheck.core.results import FileResult, RunResult
from profilecheck.web.uploads import Received

log = logging.getLogger("profilecheck.web")

KEEP_JOBS = 20  # finished checks kept for their pages and downloads
KEEP_SECONDS = 3600.0


@dataclass
class Job:
    id: str
    received: Received
    pictures: bool  # the page shows pictures; the API does not need them
    lang: str
    state: str = "queued"  # queued, running, done, failed
    run: RunResult | None = None
    created: float = field(default_factory=time.monotonic)
    done: asyncio.Event = field(default_factory=asyncio.Event)


# (engine, job) -> the run: `check_run` below; tests put in one they can hold back
Runner = Callable[[Any, Job], RunResult]


def check_run(engine: Any, job: Job, limits: Any) -> RunResult:
    """Check the job's files under `limits`, make the page's pictures, name files by the
    client's names. Runs in a thread; the work itself in worker processes."""
    from profilecheck.batch.bounded import check_files
    from profilecheck.batch.walk import walk_entries

    files = job.received.files
    results = check_files(engine, list(walk_entries([f.path for f in files])), limits)
    run = engine.run_result(results)
    if job.pictures:
        add_pictures(run, engine, limits)
    return relabel(run, {f.path: f.name for f in files})


def add_pictures(run: RunResult, engine: Any, limits: Any) -> None:
    """`batch.pictures.add_pictures` for one upload: the same requests, tasks and executor,
    with its worker forked like `check`'s (milliseconds) rather than spawned (seconds)."""
    from profilecheck.batch.bounded import start_method
    from profilecheck.batch.pictures import NO_ENGINE
    from profilecheck.batch.workers import EngineSpec, ProcessExecutor, Task
    from profilecheck.reporters.html import requests

    wanted = requests(run)
    run.pictures = {}
    spec = EngineSpec(engine.profile, engine.settings, "pictures", NO_ENGINE)
    executor = ProcessExecutor(spec, 1, limits, start_method=start_method())
    tasks = (Task(index, r.path, True, draw=r) for index, r in enumerate(wanted))
    for task, result, _cacheable in executor.map(tasks) if wanted else ():
        drawn = result.get("drawn")  # else a time or memory limit stopped the worker
        if isinstance(drawn, dict):
            run.pictures[task.path] = drawn


def relabel(run: RunResult, names: dict[str, str]) -> RunResult:
    """`run` with each stored path replaced by the file's display name: the results' paths, and
    wherever a message, suggestion or measured value quotes the path (whole or cut short)."""

    def renamed(result: FileResult) -> FileResult:
        stored = result.path
        name = names.get(stored, stored)
        if name == stored:
            return result

        def text(value: Any) -> Any:
            return unstored(value, stored, name) if isinstance(value, str) else value

        findings = [
            replace(
                f,
                message=text(f.message),
                suggestion=text(f.suggestion),
                measured={key: text(value) for key, value in f.measured.items()},
                location=replace(f.location, path=name)
                if f.location.path == stored
                else f.location,
            )
            for f in result.findings
        ]
        warnings = [text(w) for w in result.warnings]
        message = text(result.message)
        return replace(result, path=name, findings=findings, message=message, warnings=warnings)

    run.files = [renamed(result) for result in run.files]
    # Never None: a reporter would then draw the pictures itself, opening the display names
    # as paths (relative to the server's folder). Without pictures, the report has none.
    pictures = run.pictures or {}
    run.pictures = {names.get(path, path): drawn for path, drawn in pictures.items()}
    return run


SHORTEST_CUT = 12  # a start of a stored path shorter than this is not taken for one


def unstored(text: str, stored: str, name: str) -> str:
    """`text` with `stored` written as `name`; a message that cuts a long path short (the
    palette quotes 40 characters) shows as much of `name` as it showed of the path."""
    if stored in text:
        text = text.replace(stored, name)
    for length in range(len(stored) - 1, SHORTEST_CUT - 1, -1):
        if stored[:length] in text:
            return text.replace(stored[:length], name[:length])
    return text


class JobQueue:
    """First come, first served, `slots` checks at a time."""

    def __init__(
        self, engines: dict[str, Any], runner: Runner, slots: int, keep: Path | None = None
    ):
        self.engines = engines
        self.runner = runner
        self.slots = max(1, slots)
        self.keep = keep
        self.running = 0
        self.waiting: deque[Job] = deque()
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.tasks: set[asyncio.Task] = set()

    def submit(self, received: Received, lang: str, pictures: bool) -> Job:
        job = Job(secrets.token_urlsafe(18), received, pictures, lang)
        self._forget_old()
        self.jobs[job.id] = job
        self.waiting.append(job)
        log.info("job %s: %d file(s) queued", job.id[:8], len(received.files))
        self._start_ready()
        return job

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        """On shutdown, the uploads of checks that did not end are deleted too."""
        try:
            yield
        finally:
            for job in list(self.jobs.values()):
                if not job.done.is_set():
                    job.received.remove()

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def position(self, job: Job) -> int:
        """1 for the next to start; 0 once it runs or has ended."""
        try:
            return self.waiting.index(job) + 1
        except ValueError:
            return 0

    def discard(self, job: Job) -> None:
        """Forget a finished job whose result was handed over (the API keeps nothing)."""
        self.jobs.pop(job.id, None)

    def _start_ready(self) -> None:
        while self.running < self.slots and self.waiting:
            job = self.waiting.popleft()
            self.running += 1
            task = asyncio.get_running_loop().create_task(self._run(job))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _run(self, job: Job) -> None:
        job.state = "running"
        started = time.monotonic()
        engine = self.engines.get(job.lang) or next(iter(self.engines.values()))
        try:
            job.run = await anyio.to_thread.run_sync(self.runner, engine, job)
        except Exception as error:  # logged by type only: messages may quote a document
            log.error("job %s: the check failed (%s)", job.id[:8], type(error).__name__)
        finally:
            job.received.remove()
            self.running -= 1
            self._start_ready()
        if job.run is not None and self.keep is not None:
            await anyio.to_thread.run_sync(self._keep, job)
        job.state = "done" if job.run is not None else "failed"
        seconds = time.monotonic() - started
        log.info("job %s: %s in %.1f s", job.id[:8], job.state, seconds)
        job.done.set()

    def _keep(self, job: Job) -> None:
        from profilecheck.reporters import Options, render

        assert job.run is not None and self.keep is not None
        folder = self.keep / f"{time.strftime('%Y%m%d-%H%M%S')}-{job.id[:8]}"
        try:
            folder.mkdir(parents=True, mode=0o700)
            for name, ext in (("json", "json"), ("html", "html")):
                text = render(name, job.run, Options())
                (folder / f"report.{ext}").write_text(text, encoding="utf-8")
        except OSError as error:
            log.error("job %s: cannot keep the reports: %s", job.id[:8], error.strerror)

    def _forget_old(self) -> None:
        now = time.monotonic()
        finished = [j for j in self.jobs.values() if j.done.is_set()]
        for job in finished:
            if now - job.created > KEEP_SECONDS:
                self.jobs.pop(job.id, None)
        finished = [j for j in self.jobs.values() if j.done.is_set()]
        for job in finished[: max(0, len(finished) - KEEP_JOBS + 1)]:
            self.jobs.pop(job.id, None)


def status_of(queue: JobQueue, job: Job) -> dict[str, Any]:
    """What the page's script polls: the state and the place in line."""
    return {"job": job.id, "state": job.state, "position": queue.position(job)}


def warm(engines: list[Any]) -> None:
    """Check a small PDF and a small picture made here, once, before serving: the first check
    in a process loads what the rules load lazily (seconds); the workers are forked from this
    process, so every check after starts with it loaded. Our own files, so no limits needed;
    a failure only means the first real check is slower."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="profilecheck-warm-") as folder:
        try:
            import pymupdf
            from PIL import Image

            document = pymupdf.open()
            page = document.new_page()
            page.insert_text((72, 72), "profilecheck 0303-70 30 00")
            page.draw_rect(pymupdf.Rect(100, 100, 200, 200), fill=(0, 0.4, 0.2))
            document.save(f"{folder}/warm.pdf")
            Image.new("RGB", (400, 300), (255, 255, 255)).save(f"{folder}/warm.png")
            for engine in engines:
                for name in ("warm.pdf", "warm.png"):
                    engine.check_file(f"{folder}/{name}")
        except Exception as error:
            log.warning(
                "warming up failed (%s); the first check will be slower", type(error).__name__
            )
