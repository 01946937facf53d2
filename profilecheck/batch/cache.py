"""The scan cache: an embedded SQLite database of results, keyed on content, not on names.

Two tables. `files` maps a path to the digest of its bytes, with size, mtime and inode as a
shortcut: while they are unchanged the file is not read again, so a warm re-scan only stats.
`results` maps a result key (content digest + profile digest + tool and plug-in versions + the
settings that change results) to the file's result, stored without its path so that copies and
moved files hit too. WAL mode and one transaction per batch: a scan killed at any moment leaves
an intact database holding every batch committed before the kill.

The cache lives in the user's cache folder (platformdirs), on local disk, never next to the
scanned files, which may be on a network share.

Nothing read back is trusted. Each row carries a checksum of what it says (a `files` row of its
path and digest, a `results` row of its text, which also names the key it was stored under), so a
damaged or altered row is re-checked instead of serving another file's findings. A damaged
database file (a garbage header, truncated, "database disk image is malformed", text that is not
UTF-8) is moved aside, renamed with a timestamp, with a warning line on stderr, and the scan goes
on with a new one; a cache that cannot be used at all (locked, read-only) is left alone, with a
warning, and the scan goes on without it. Either way the scan is complete and correct.
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from profilecheck.batch.integrity import (
    file_problem,
    is_damage,
    payload,
    row_check,
    sound_result,
    stderr_warning,
)
from profilecheck.core.files import open_regular
from profilecheck.core.results import FileResult, Finding, Location

SCHEMA_VERSION = 2  # 2: rows carry checksums
DATABASE_NAME = f"scan-v{SCHEMA_VERSION}.sqlite3"
HASH_CHUNK = 1024 * 1024
QUERY_CHUNK = 500  # SQLite's default limit on host parameters is 999 in older builds

# a row of `files`: path, size, mtime_ns, inode, digest, check (`row_check` of path and digest)
DatabaseRow = tuple[bytes, int, int, int, str, int]

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    digest TEXT NOT NULL,
    "check" INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    result BLOB NOT NULL,
    stored REAL NOT NULL,
    "check" INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    key TEXT PRIMARY KEY,
    result BLOB NOT NULL,
    "check" INTEGER NOT NULL
) WITHOUT ROWID;
"""
# typed as the code expects whatever damage did to the stored types (SQLite keeps any type)
FILE_COLUMNS = (
    "CAST(path AS BLOB), CAST(size AS INTEGER), CAST(mtime_ns AS INTEGER), "
    "CAST(inode AS INTEGER), IFNULL(CAST(digest AS TEXT), ''), CAST(\"check\" AS INTEGER)"
)


class FileRow(NamedTuple):  # a tuple, not a dataclass: one per file on a warm re-scan
    size: int
    mtime_ns: int
    inode: int
    digest: str

    @classmethod
    def of(cls, status: os.stat_result, digest: str) -> FileRow:
        return cls(status.st_size, status.st_mtime_ns, status.st_ino, digest)

    @classmethod
    def of_row(cls, row: DatabaseRow) -> FileRow:
        return cls(row[1], row[2], row[3], row[4])

    def matches(self, status: os.stat_result) -> bool:
        return (
            self.size == status.st_size
            and self.mtime_ns == status.st_mtime_ns
            and self.inode == status.st_ino
        )


def content_digest(path: str) -> str:
    """BLAKE2b of the file's bytes, read in chunks (large files never sit in memory). Only a
    regular file is read (`NotRegularFile` otherwise: a FIFO or a device swapped in after the
    walk never blocks or streams forever), and no more than its size when opened: a file that
    grows meanwhile is seen as changed by the scan, not hashed without end."""
    digest = hashlib.blake2b(digest_size=20)
    with open_regular(path) as handle:
        left = os.fstat(handle.fileno()).st_size
        while left > 0 and (chunk := handle.read(min(HASH_CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=1024)
def settings_key(config_key: str, explicit: bool, ignores: tuple[str, ...]) -> str:
    """A result key is the content digest (fixed length) followed by this digest of everything
    else: hashing only the settings, once per run, keeps hashing out of the per-file path of a
    warm re-scan."""
    text = f"{config_key}\0{int(explicit)}\0{','.join(ignores)}"
    return "." + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


class Cache:
    """The database, or nothing when it cannot be used (`db` None): every method then acts as
    an empty cache that stores nothing. `warn` receives each warning line (default: stderr)."""

    def __init__(self, folder: Path, warn: Callable[[str], None] | None = None) -> None:
        self.path = folder / DATABASE_NAME
        self.warn = warn or stderr_warning
        self.recovered = False  # True when a damaged database had to be set aside
        self.damaged_rows = 0  # rows that failed validation, re-checked instead
        self.db: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            problem = file_problem(self.path)
        except OSError as error:
            self._unusable(error)
            return
        if problem and not self._set_aside(problem):
            return
        try:
            self.db = self._open()
        except (sqlite3.Error, OSError) as error:
            self._failed(error)

    def _open(self) -> sqlite3.Connection:
        # used by one thread at a time: `scan` reads the rows in a thread beside its walk
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            db.execute("SELECT count(*) FROM files LIMIT 1").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _failed(self, error: Exception) -> None:
        """A database error: damage sets the file aside and starts a new one; anything else
        (locked, read-only, disk full) leaves it alone and goes on without a cache."""
        self._close_db()
        if not is_damage(error):
            self._unusable(error)
            return
        if self._set_aside(f"{error}"):
            try:
                self.db = self._open()
            except (sqlite3.Error, OSError) as again:
                self._unusable(again)

    def _set_aside(self, reason: str) -> bool:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        if self.path.with_name(f"{self.path.name}.damaged-{stamp}").exists():
            stamp += f"-{os.getpid()}-{time.monotonic_ns()}"  # twice in a second
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            for suffix in ("", "-wal", "-shm"):
                damaged = Path(f"{self.path}{suffix}")
                if damaged.exists():
                    damaged.replace(damaged.with_name(f"{damaged.name}.damaged-{stamp}"))
        except OSError as error:
            self._unusable(error)
            return False
        self.recovered = True
        self.warn(
            f"the scan cache {self.path} is damaged ({reason}); moved aside to {aside.name}, "
            "a new cache is started and this scan checks again what the cache held"
        )
        return True

    def _unusable(self, error: Exception) -> None:
        self._close_db()
        self.warn(f"the scan cache {self.path} cannot be used ({error}); scanning without it")

    def _close_db(self) -> None:
        db, self.db = self.db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def close(self) -> None:
        # rows found damaged before the whole file was set aside need no line of their own:
        # that warning already says every file the cache held is checked again
        if self.damaged_rows and not self.recovered:
            self.warn(
                f"{self.damaged_rows} damaged row(s) of the scan cache {self.path} were not "
                "trusted; those files were checked again"
            )
            self.damaged_rows = 0
        self._close_db()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def file_rows(self, roots: Iterable[str]) -> dict[bytes, DatabaseRow]:
        """The stat shortcuts for everything at or below the roots, in one query per root,
        as the database's rows: (path, size, mtime_ns, inode, digest, check). Plain tuples, as
        they come, because a warm re-scan reads one per file (see `FileRow.of_row`); the
        reader verifies `check` (`row_check`) before trusting the digest."""
        rows: dict[bytes, DatabaseRow] = {}
        if self.db is None:
            return rows
        query = f"SELECT {FILE_COLUMNS} FROM files WHERE path >= ? AND path < ?"
        try:
            for root in roots:
                low = os.fsencode(os.path.join(root, ""))
                high = low[:-1] + bytes([low[-1] + 1])
                found = self.db.execute(query, (low, high)).fetchall()
                rows.update(zip(map(operator.itemgetter(0), found), found, strict=True))  # in C
                single = self.db.execute(
                    f"SELECT {FILE_COLUMNS} FROM files WHERE path = ?", (os.fsencode(root),)
                ).fetchone()
                if single:
                    rows[single[0]] = single
        except sqlite3.Error as error:
            self._failed(error)
            return {}
        return rows

    def results(self, keys: Iterable[str]) -> dict[str, FileResult]:
        """Stored results (path-neutral) for those keys that have a sound one: a row whose
        checksum, key or content does not hold up is counted in `damaged_rows` and left out,
        so its file is checked again (and the row replaced)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, FileResult] = {}
        if self.db is None:
            return found
        try:
            for start in range(0, len(wanted), QUERY_CHUNK):
                chunk = wanted[start : start + QUERY_CHUNK]
                marks = ",".join("?" * len(chunk))
                query = (
                    'SELECT key, CAST(result AS BLOB), CAST("check" AS INTEGER) FROM results '
                    f"WHERE key IN ({marks})"
                )
                for key, data, check in self.db.execute(query, chunk):
                    result = sound_result(key, data, check)
                    if result is None:
                        self.damaged_rows += 1
                    else:
                        found[key] = result
        except sqlite3.Error as error:
            self._failed(error)
            return {}
        return found

    def store(
        self, files: Sequence[tuple[str, FileRow]], results: Sequence[tuple[str, dict[str, Any]]]
    ) -> None:
        """One transaction: after a kill, either all of a batch is there or none of it. A
        database found damaged here is set aside and the batch goes to the new one."""
        if not files and not results:
            return
        now = time.time()
        paths = [(os.fsencode(path), row) for path, row in files]
        file_rows = [
            (p, r.size, r.mtime_ns, r.inode, r.digest, row_check(p, r.digest)) for p, r in paths
        ]
        result_rows = [(key, *payload(key, result), now) for key, result in results]
        for _attempt in range(2):
            if self.db is None:
                return
            try:
                with self.db:
                    self.db.execute("BEGIN IMMEDIATE")
                    self.db.executemany(
                        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", file_rows
                    )
                    self.db.executemany(
                        'INSERT OR REPLACE INTO results (key, result, "check", stored) '
                        "VALUES (?, ?, ?, ?)",
                        result_rows,
                    )
                return
            except sqlite3.Error as error:
                self._failed(error)


def path_neutral(result: dict[str, Any]) -> dict[str, Any]:
    """A result dict with its paths blanked, so copies and moved files can share it."""
    path = result["path"]
    findings = [
        {**f, "location": {**f["location"], "path": ""}} if f["location"]["path"] == path else f
        for f in result.get("findings", [])
    ]
    return {**result, "path": "", "findings": findings}


def bind_path(result: dict[str, Any], path: str) -> dict[str, Any]:
    findings = [
        {**f, "location": {**f["location"], "path": path}} if not f["location"]["path"] else f
        for f in result.get("findings", [])
    ]
    return {**result, "path": path, "findings": findings}


_FINDINGS_SLOT = FileResult.__dict__["findings"]


class CachedFileResult(FileResult):
    """A cached result bound to a path, with its findings built on first access: a warm
    re-scan should cost about a stat per file, not thousands of finding objects that only a
    reporter reads. It behaves as a FileResult (`findings` reads and writes as usual)."""

    __slots__ = ("_template",)

    @classmethod
    def of(cls, template: FileResult, path: str) -> CachedFileResult:
        """`template` is a path-neutral result (see `path_neutral`), shared and not changed."""
        result = object.__new__(cls)
        result._template = template
        result.path = path
        result.format = template.format
        result.status = template.status
        result.pages = template.pages
        result.seconds = 0.0
        result.message = template.message
        result.warnings = list(template.warnings)
        return result

    @property  # type: ignore[override]
    def findings(self) -> list[Finding]:
        template = self._template
        if template is not None:
            self._template = None
            _FINDINGS_SLOT.__set__(self, rebound_findings(template.findings, self.path))
        return _FINDINGS_SLOT.__get__(self)

    @findings.setter
    def findings(self, value: list[Finding]) -> None:
        self._template = None
        _FINDINGS_SLOT.__set__(self, value)

    @property
    def judged(self) -> list[Finding]:
        template = self._template
        return template.judged if template is not None else self.findings

    def shared_form(self) -> dict[str, Any] | None:
        """The cache's row, shared by every file of this content, while this result is still
        what the row says (findings untouched, no notes of its own)."""
        template = self._template
        row = getattr(template, "row", None)
        if row is None or self.warnings != template.warnings:
            return None
        if (self.format, self.status, self.pages, self.message) != (
            template.format, template.status, template.pages, template.message,
        ):  # fmt: skip
            return None
        return row

    def as_dict(self) -> dict[str, Any]:
        """From the cache's row as it stands while the findings were not touched (no finding
        objects built for a result that is only written out); as any result's otherwise."""
        template = self._template
        row = getattr(template, "row", None)
        if row is None or (self.format, self.status, self.pages, self.message) != (
            template.format, template.status, template.pages, template.message,
        ):  # fmt: skip
            return FileResult.as_dict(self)
        out = bind_path(row, self.path)
        if self.warnings:
            out["warnings"] = self.warnings
        return out


def rebound_findings(findings: list[Finding], path: str) -> list[Finding]:
    """Path-neutral findings (location path "") bound to `path`; others kept as they are."""
    return [_rebound(f, path) if not f.location.path else f for f in findings]


def _rebound(f: Finding, path: str) -> Finding:
    # the constructors directly: dataclasses.replace is several times slower
    where = f.location
    location = Location(path, where.page, where.box, where.part)
    return Finding(
        f.code, f.name, f.severity, f.message, location, f.rule, f.suggestion, f.measured,
        f.suppressed,
    )  # fmt: skip
