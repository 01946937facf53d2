"""Batch scanning: walk the roots, take what the cache already knows, check the rest on an
executor, store each batch of new results, and put everything back in walk order.

The result of a scan never depends on the executor, the number of workers, the order in which
workers finish, or how many earlier runs were interrupted: results are keyed on content and
settings, sorted by the walk, and identical whether they came from a worker or from the cache.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from profilecheck import __version__
from profilecheck.cache import Cache, FileRow, bind_path, content_digest, path_neutral, result_key
from profilecheck.engine import Engine, file_problem
from profilecheck.limits import DEFAULT_LIMITS
from profilecheck.model import FileResult, Finding, Location, RunResult, Severity, Status
from profilecheck.walk import Entry, WalkOptions, walk_entries
from profilecheck.workers import DaskExecutor, EngineSpec, Limits, ProcessExecutor, Task

CHUNK = 512  # entries whose cache keys are resolved, and results fetched, together
STORE_EVERY = 64  # results per cache transaction
STORE_SECONDS = 2.0  # ...or this long since the last one, whichever comes first
CHANGED_NOTE = "the file changed while it was checked; the result may be out of date"


@dataclass(frozen=True)
class ScanOptions:
    walk: WalkOptions = field(default_factory=WalkOptions)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    limits: Limits = field(default_factory=Limits)
    executor: str = "local"  # "local" or "dask"
    scheduler: Any = None  # Dask: scheduler address or a distributed.Client
    cache_dir: Path | None = None  # None: no cache
    engine_factory: str = ""  # see workers.EngineSpec.factory


@dataclass
class ScanOutcome:
    run: RunResult
    entries: list[Entry]
    from_cache: int = 0
    checked: int = 0
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    restarts: int = 0


def config_key(engine: Engine) -> str:
    """Everything besides the file's bytes that changes its result."""
    settings = engine.settings
    plugins = sorted(
        f"{ep.name}={ep.dist.version if ep.dist else '?'}"
        for ep in metadata.entry_points(group="profilecheck.rules")
    )
    parts = {
        "tool": __version__,
        "profile": engine.profile.digest(),
        "plugins": plugins,
        "select": settings.select,
        "extend_select": settings.extend_select,
        "ignore": settings.ignore,
        "severity": sorted(settings.severity.items()),
        "lang": engine.lang,
        "limits": repr(DEFAULT_LIMITS),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def scan(
    roots: Sequence[str],
    engine: Engine,
    options: ScanOptions,
    on_result: Callable[[FileResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ScanOutcome:
    entries = list(walk_entries(roots, options.walk))
    if on_total is not None:
        on_total(len(entries))
    cache = Cache(options.cache_dir) if options.cache_dir is not None else None
    try:
        return _Scan(entries, roots, engine, options, cache, on_result).run()
    finally:
        if cache is not None:
            cache.close()


class _Scan:
    def __init__(
        self,
        entries: list[Entry],
        roots: Sequence[str],
        engine: Engine,
        options: ScanOptions,
        cache: Cache | None,
        on_result: Callable[[FileResult], None] | None,
    ) -> None:
        self.entries = entries
        self.engine = engine
        self.options = options
        self.cache = cache
        self.on_result = on_result
        self.key = config_key(engine)
        self.results: list[FileResult | None] = [None] * len(entries)
        self.rows: dict[bytes, FileRow] = cache.file_rows(roots) if cache else {}
        self.resolved: dict[int, tuple[FileRow, str]] = {}  # index -> (row, result key)
        # identical files (same key) found in this run are checked once
        self.waiting: dict[str, list[int]] = {}
        self.known: dict[str, dict[str, Any]] = {}  # key -> path-neutral result, this run
        self.templates: dict[str, FileResult] = {}  # key -> path-neutral FileResult
        self.pending_files: list[tuple[str, FileRow]] = []
        self.pending_results: list[tuple[str, dict[str, Any]]] = []
        self.stored_at = time.monotonic()
        self.outcome = ScanOutcome(run=None, entries=entries)  # type: ignore[arg-type]

    def run(self) -> ScanOutcome:
        for index, entry in enumerate(self.entries):
            if entry.problem is not None:
                self._finish(index, self._problem(entry, *entry.problem))
        tasks = self._tasks()
        first = next(tasks, None)
        if first is not None:
            executor = self._executor()
            for task, result, cacheable in executor.map(itertools.chain([first], tasks)):
                self._checked(task, result, cacheable)
            self.outcome.peak_rss_mb = executor.peak_rss_mb
            self.outcome.restarts = executor.restarts
        self._store(force=True)
        self.outcome.run = self.engine.run_result([r for r in self.results if r is not None])
        return self.outcome

    def _executor(self) -> ProcessExecutor | DaskExecutor:
        spec = EngineSpec(
            self.engine.profile, self.engine.settings, self.key, self.options.engine_factory
        )
        if self.options.executor == "dask":
            return DaskExecutor(spec, self.options.scheduler)
        return ProcessExecutor(spec, self.options.jobs, self.options.limits)

    def _tasks(self) -> Iterator[Task]:
        todo = [i for i, entry in enumerate(self.entries) if entry.problem is None]
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            if self.cache is None:
                yield from (self._task(i) for i in chunk)
                continue
            keys = {i: key for i in chunk if (key := self._resolve(i)) is not None}
            found = self.cache.results(keys.values())
            for index, key in keys.items():
                if key in found or key in self.known:
                    self.outcome.from_cache += key in found
                    self._finish(index, self._from_template(key, found, index))
                elif key in self.waiting:
                    self.waiting[key].append(index)
                else:
                    self.waiting[key] = []
                    yield self._task(index)
            self._store()

    def _from_template(self, key: str, found: dict[str, Any], index: int) -> FileResult:
        """Identical content, identical result: parse it once, then copy it per path."""
        template = self.templates.get(key)
        if template is None:
            stored = found.get(key) or self.known[key]
            template = self.templates[key] = FileResult.from_dict(stored)
        return _rebound(template, self.entries[index].path)

    def _task(self, index: int) -> Task:
        entry = self.entries[index]
        return Task(index, entry.path, entry.explicit)

    def _resolve(self, index: int) -> str | None:
        """The result key of a file: its digest from the stat shortcut, or by reading it."""
        entry = self.entries[index]
        assert entry.stat is not None
        row = self.rows.get(os.fsencode(entry.path))
        if row is None or not row.matches(entry.stat):
            try:
                row = FileRow.of(entry.stat, content_digest(entry.path))
            except OSError as error:
                problem = _read_problem(error)
                self._finish(index, self._problem(entry, *problem))
                return None
            self.pending_files.append((entry.path, row))
        settings = self.engine.settings
        ignores = settings.ignored_for(entry.path) if settings.per_file_ignores else ()
        key = result_key(self.key, row.digest, entry.explicit, ignores)
        self.resolved[index] = (row, key)
        return key

    def _checked(self, task: Task, result: dict[str, Any], cacheable: bool) -> None:
        entry = self.entries[task.index]
        file_result = FileResult.from_dict(result)
        self.outcome.checked += 1
        if not _unchanged(entry):
            file_result.warnings.append(CHANGED_NOTE)
            cacheable = False
        copies = []
        if task.index in self.resolved:
            row, key = self.resolved[task.index]
            copies = self.waiting.pop(key, [])
            self.known[key] = path_neutral(result)
            if cacheable:
                self.pending_files.append((entry.path, row))
                self.pending_results.append((key, path_neutral(result)))
        self._finish(task.index, file_result)
        for index in copies:  # the same bytes elsewhere: same result, its own path
            self._copied(index, path_neutral(result))
        self._store()

    def _copied(self, index: int, neutral: dict[str, Any]) -> None:
        entry = self.entries[index]
        result = FileResult.from_dict(bind_path(neutral, entry.path))
        if not _unchanged(entry):
            result.warnings.append(CHANGED_NOTE)
        else:
            self.pending_files.append((entry.path, self.resolved[index][0]))
        self._finish(index, result)

    def _finish(self, index: int, result: FileResult) -> None:
        note = self.entries[index].note
        if note:
            result.warnings.append(note)
        self.results[index] = result
        if self.on_result is not None:
            self.on_result(result)

    def _store(self, force: bool = False) -> None:
        if self.cache is None:
            return
        due = len(self.pending_results) >= STORE_EVERY or (
            time.monotonic() - self.stored_at >= STORE_SECONDS
        )
        if not (force or due):
            return
        self.cache.store(self.pending_files, self.pending_results)
        self.pending_files, self.pending_results = [], []
        self.stored_at = time.monotonic()

    def _problem(self, entry: Entry, status: str, message: str) -> FileResult:
        if status == Status.SKIPPED:
            return FileResult(entry.path, "unknown", Status.SKIPPED, message=message)
        result = file_problem(entry.path, "unknown", Status(status), "unreadable-file", message)
        return self.engine.finish(result)


def _rebound(template: FileResult, path: str) -> FileResult:
    findings = [_rebound_finding(f, path) if not f.location.path else f for f in template.findings]
    return FileResult(
        path,
        template.format,
        template.status,
        findings,
        template.pages,
        message=template.message,
        warnings=list(template.warnings),
    )


def _rebound_finding(f: Finding, path: str) -> Finding:
    # the constructors directly: dataclasses.replace is the warm re-scan's hot spot
    where = f.location
    location = Location(path, where.page, where.box, where.part)
    return Finding(
        f.code, f.name, f.severity, f.message, location, f.rule, f.suggestion, f.measured,
        f.suppressed,
    )  # fmt: skip


def _unchanged(entry: Entry) -> bool:
    try:
        now = os.stat(entry.path)
    except OSError:
        return False
    before = entry.stat
    return before is not None and (now.st_size, now.st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )


def _read_problem(error: OSError) -> tuple[str, str]:
    if isinstance(error, FileNotFoundError):
        return ("skipped", "the file disappeared during the scan")
    return ("unreadable", f"cannot open the file: {error.strerror or error}")


def folder_summary(run: RunResult, cwd: str = ".") -> list[dict[str, Any]]:
    """Folders worst first: errors, then files that could not be checked, then warnings."""
    from profilecheck.reporters import display_path

    folders: dict[str, dict[str, Any]] = {}
    for result in run.files:
        folder = os.path.dirname(display_path(result.path, cwd)).replace(os.sep, "/") or "."
        row = folders.setdefault(
            folder, {"folder": folder, "files": 0, "error": 0, "warning": 0, "not_checked": 0}
        )
        row["files"] += 1
        if result.status not in (Status.CHECKED, Status.SKIPPED):
            row["not_checked"] += 1
        for finding in result.findings:
            if not finding.suppressed and finding.severity is not Severity.INFO:
                row[finding.severity.value] += 1
    worst = [r for r in folders.values() if r["error"] or r["warning"] or r["not_checked"]]
    return sorted(worst, key=lambda r: (-r["error"], -r["not_checked"], -r["warning"], r["folder"]))
