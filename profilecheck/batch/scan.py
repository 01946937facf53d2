"""Batch scanning: walk the roots, take what the cache already knows, check the rest on an
executor, store each batch of new results, and put everything back in walk order.

The result of a scan never depends on the executor, the number of workers, the order in which
workers finish, or how many earlier runs were interrupted: results are keyed on content and
settings, sorted by the walk, and identical whether they came from a worker or from the cache.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profilecheck.batch import provenance
from profilecheck.batch.cache import (
    Cache,
    CachedFileResult,
    DatabaseRow,
    FileRow,
    bind_path,
    content_digest,
    path_neutral,
    settings_key,
)
from profilecheck.batch.integrity import StoredResult, row_check
from profilecheck.batch.provenance import config_key
from profilecheck.batch.walk import Entry, WalkOptions, walk_entries
from profilecheck.core import collector, timing
from profilecheck.core.files import NotRegularFile
from profilecheck.core.limits import ProcessLimits
from profilecheck.core.model import Severity, Status
from profilecheck.core.results import FileResult, RunResult
from profilecheck.engine.engine import Engine

if TYPE_CHECKING:  # the workers are imported only when a file is to be checked
    from profilecheck.batch.workers import Task

CHUNK = 512  # entries whose cache keys are resolved, and results fetched, together
STORE_EVERY = 64  # results per cache transaction
STORE_SECONDS = 2.0  # ...or this long since the last one, whichever comes first
CHANGED_NOTE = "the file changed while it was checked; the result may be out of date"


@dataclass(frozen=True)
class ScanOptions:
    walk: WalkOptions = field(default_factory=WalkOptions)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    limits: ProcessLimits = field(default_factory=ProcessLimits)
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


def scan(
    roots: Sequence[str],
    engine: Engine,
    options: ScanOptions,
    on_result: Callable[[FileResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ScanOutcome:
    cache = Cache(options.cache_dir) if options.cache_dir is not None else None
    # the key's probes (Tesseract's version and languages, the code's digest) and the cache's
    # rows wait for other programs and the disk: they run beside the walk, in threads that end
    # before any worker is forked
    key = provenance.Beside(config_key, engine)
    rows = provenance.Beside(cache.file_rows, roots) if cache is not None else None
    try:
        with collector.paused():  # up to the first file to check: all of a warm re-scan
            entries = list(walk_entries(roots, options.walk))
            if on_total is not None:
                on_total(len(entries))
            scanner = _Scan(entries, engine, options, cache, on_result, key.result(), rows)
            tasks = scanner.start()
        return scanner.run(tasks)
    finally:
        if rows is not None:
            rows.thread.join()  # done with the database before it is closed
        if cache is not None:
            cache.close()


class _Scan:
    def __init__(
        self,
        entries: list[Entry],
        engine: Engine,
        options: ScanOptions,
        cache: Cache | None,
        on_result: Callable[[FileResult], None] | None,
        key: str,
        rows: provenance.Beside | None,  # the cache's file_rows(roots), read beside the walk
    ) -> None:
        self.entries = entries
        self.engine = engine
        self.options = options
        self.cache = cache
        self.on_result = on_result
        self.key = key  # config_key(engine)
        self.results: list[FileResult | None] = [None] * len(entries)
        self.rows: dict[bytes, DatabaseRow] = rows.result() if rows is not None else {}
        self.resolved: dict[int, tuple[FileRow, str]] = {}  # index -> (row, result key)
        # identical files (same key) found in this run are checked once
        self.waiting: dict[str, list[int]] = {}
        # key -> (path-neutral FileResult, whether it came from the cache): parsed once a run
        self.templates: dict[str, tuple[FileResult, bool]] = {}
        self.pending_files: list[tuple[str, FileRow]] = []
        self.pending_results: list[tuple[str, dict[str, Any]]] = []
        self.stored_at = time.monotonic()
        self.outcome = ScanOutcome(run=None, entries=entries)  # type: ignore[arg-type]

    def start(self) -> Iterator[Task] | None:
        """Finish what needs no checking; the files to check, or None when there are none."""
        todo = []
        for index, entry in enumerate(self.entries):
            if entry.problem is None:
                todo.append(index)
            else:
                self._finish(index, self.engine.walk_problem(entry.path, *entry.problem))
        # the largest files first, so that no large one is left for the end while the other
        # workers have run out of files; results go back in walk order all the same
        entries = self.entries
        todo.sort(key=lambda index: -entries[index].stat.st_size)  # type: ignore[union-attr]
        tasks = self._tasks(todo)
        first = next(tasks, None)
        return None if first is None else itertools.chain([first], tasks)

    def run(self, tasks: Iterator[Task] | None) -> ScanOutcome:
        if tasks is not None:
            executor = self._executor()
            for task, result, cacheable in executor.map(tasks):
                self._checked(task, result, cacheable)
            self.outcome.peak_rss_mb = executor.peak_rss_mb
            self.outcome.restarts = executor.restarts
        self._store(force=True)
        # every file from the cache: the report needs the checks the rules run, not the rules
        known = provenance.known_checks(self.cache, self.key, use=not self.engine.built)
        files = [r for r in self.results if r is not None]
        self.outcome.run = self.engine.run_result(files, known)
        if known is None:  # built now: kept for the next scan
            provenance.keep_checks(self.cache, self.engine, self.key)
        return self.outcome

    def _executor(self) -> Any:
        self.engine.build()  # before any fork; the profile's problems are reported now
        from profilecheck.batch.workers import EngineSpec, ProcessExecutor, start_method

        factory = self.options.engine_factory
        spec = EngineSpec(self.engine.profile, self.engine.settings, self.key, factory)
        if self.options.executor == "dask":
            from profilecheck.batch.cluster import DaskExecutor

            return DaskExecutor(spec, self.options.scheduler)
        method = start_method()  # fork: each worker inherits the engine, ready in milliseconds
        engine = None if factory else self.engine
        return ProcessExecutor(spec, self.options.jobs, self.options.limits, start_method=method,
                               engine=engine)  # fmt: skip

    def _tasks(self, todo: list[int]) -> Iterator[Task]:
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            if self.cache is None:
                yield from (self._task(i) for i in chunk)
                continue
            with collector.paused():
                unknown = self._from_cache(chunk)
            for index, key, row in unknown:
                template = self.templates.get(key)
                if template is not None:  # checked meanwhile, while this chunk waited
                    self._bind(index, template)
                    continue
                self.resolved[index] = (
                    row if isinstance(row, FileRow) else FileRow.of_row(row),
                    key,
                )
                if key in self.waiting:
                    self.waiting[key].append(index)
                else:
                    self.waiting[key] = []
                    yield self._task(index)
            self._store()

    def _from_cache(self, chunk: list[int]) -> list[tuple[int, str, tuple]]:
        """Finish the files whose result is known; returns the others as (index, result key,
        FileRow or database row). The warm re-scan's hot loop: per file a look-up and three
        compares for the stat shortcut, a look-up for the result, `_bind` inlined."""
        settings, templates = self.engine.settings, self.templates
        per_file_ignores = bool(settings.per_file_ignores)
        plain = {e: settings_key(self.key, e, ()) for e in (False, True)}
        rows, entries, results, on_result = self.rows, self.entries, self.results, self.on_result
        encoding, errors = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
        bind, unknown, hits, damaged = CachedFileResult.of, [], 0, 0
        for index in chunk:
            entry = entries[index]
            status = entry.stat
            assert status is not None
            row = rows.get(entry.path.encode(encoding, errors))  # os.fsencode, inlined
            unchanged = (
                row is not None
                and row[1] == status.st_size
                and row[2] == status.st_mtime_ns
                and row[3] == status.st_ino
            )
            if unchanged and row[5] == row_check(row[0], row[4]):
                digest = row[4]  # the row holds up: its digest is this path's
            else:
                damaged += unchanged  # a row that fails its check is not trusted: hashed again
                if (row := self._read(index)) is None:
                    continue
                digest = row.digest
            if per_file_ignores:
                ignores = tuple(settings.ignored_for(entry.path))
                key = digest + settings_key(self.key, entry.explicit, ignores)
            else:
                key = digest + plain[entry.explicit]
            template = templates.get(key)
            if template is None:
                unknown.append((index, key, row))
                continue
            hits += template[1]
            result = results[index] = bind(template[0], entry.path)
            if entry.note:
                result.warnings.append(entry.note)
            if on_result is not None:
                on_result(result)
        self.outcome.from_cache += hits
        if damaged and self.cache is not None:  # a row that fails its check: hashed again
            self.cache.damaged_rows += damaged
        return self._stored(unknown) if unknown else unknown

    def _stored(self, unknown: list[tuple[int, str, tuple]]) -> list[tuple[int, str, tuple]]:
        """Finish the files whose results the cache holds; returns the others."""
        assert self.cache is not None
        for key, stored in self.cache.results(k for _, k, _ in unknown).items():
            # identical content, identical result: read once, then bound to each path
            self.templates[key] = (stored, True)
        others = []
        for index, key, row in unknown:
            template = self.templates.get(key)
            if template is None:
                others.append((index, key, row))
            else:
                self.outcome.from_cache += template[1]
                self._bind(index, template)
        return others

    def _bind(self, index: int, template: tuple[FileResult, bool]) -> None:
        self._finish(index, CachedFileResult.of(template[0], self.entries[index].path))

    def _task(self, index: int) -> Task:
        from profilecheck.batch.workers import Task

        entry = self.entries[index]
        return Task(index, entry.path, entry.explicit, timings=timing.enabled())

    def _read(self, index: int) -> FileRow | None:
        entry = self.entries[index]
        assert entry.stat is not None
        try:
            row = FileRow.of(entry.stat, content_digest(entry.path))
        except OSError as error:
            problem = _read_problem(error, entry.explicit)
            self._finish(index, self.engine.walk_problem(entry.path, *problem))
            return None
        self.pending_files.append((entry.path, row))
        return row

    def _checked(self, task: Task, result: dict[str, Any], cacheable: bool) -> None:
        from profilecheck.batch.workers import timings_of

        entry = self.entries[task.index]
        file_result = FileResult.from_dict(timings_of(result))
        # stored as the report writes it (boxes in mm from the rounded points), so that a
        # cached result can be written from its row as it stands (CachedFileResult.as_dict)
        result = file_result.as_dict()
        if "warnings" in result:  # notes added to this file's result stay out of the row
            result["warnings"] = list(result["warnings"])
        self.outcome.checked += 1
        if not _unchanged(entry):
            file_result.warnings.append(CHANGED_NOTE)
            cacheable = False
        copies = []
        if task.index in self.resolved:
            row, key = self.resolved[task.index]
            copies = self.waiting.pop(key, [])
            neutral = path_neutral(result)
            self.templates[key] = (StoredResult.of_row(neutral), False)  # built if read
            if cacheable:
                self.pending_files.append((entry.path, row))
                self.pending_results.append((key, neutral))
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


def _read_problem(error: OSError, explicit: bool) -> tuple[str, str]:
    if isinstance(error, NotRegularFile):  # swapped for a FIFO or a device after the walk
        return ("unsupported" if explicit else "skipped", error.message)
    if isinstance(error, FileNotFoundError):
        return ("skipped", "the file disappeared during the scan")
    return ("unreadable", f"cannot open the file: {error.strerror or error}")


def folder_summary(run: RunResult, cwd: str = ".") -> list[dict[str, Any]]:
    """Folders worst first: errors, then files that could not be checked, then warnings."""
    from profilecheck.reporters import display_path

    folders: dict[str, dict[str, Any]] = {}
    shown: dict[str, dict[str, Any]] = {}  # a folder as found -> its row: shown once per folder
    counted: dict[int, tuple[list, int, int]] = {}  # per findings list (shared by cached results)
    dirname = os.path.dirname if os.altsep else None
    for result in run.files:
        found = dirname(result.path) if dirname else result.path.rpartition(os.sep)[0]
        if not found or found[-1] == os.sep:  # at the top ("/a"): as dirname has it
            found = os.path.dirname(result.path)
        row = shown.get(found)
        if row is None:
            folder = display_path(found, cwd).replace(os.sep, "/") or "."
            row = shown[found] = folders.setdefault(
                folder, {"folder": folder, "files": 0, "error": 0, "warning": 0, "not_checked": 0}
            )
        row["files"] += 1
        if result.status not in (Status.CHECKED, Status.SKIPPED):
            row["not_checked"] += 1
        judged = result.judged
        counts = counted.get(id(judged))
        if counts is None:
            active = [f.severity for f in judged if not f.suppressed]
            counts = counted[id(judged)] = (
                judged,
                active.count(Severity.ERROR),
                active.count(Severity.WARNING),
            )
        row["error"] += counts[1]
        row["warning"] += counts[2]
    worst = [r for r in folders.values() if r["error"] or r["warning"] or r["not_checked"]]
    return sorted(worst, key=lambda r: (-r["error"], -r["not_checked"], -r["warning"], r["folder"]))
