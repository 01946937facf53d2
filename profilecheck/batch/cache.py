"""The scan cache: an embedded SQLite database of results, keyed on content, not on names.

Two tables. `files` maps a path to the digest of its bytes, with size, mtime and inode as a
shortcut: while they are unchanged the file is not read again, so a warm re-scan only stats.
`results` maps a result key (content digest + profile digest + tool and plug-in versions + the
settings that change results) to the file's result, stored without its path so that copies and
moved files hit too. WAL mode and one transaction per batch: a scan killed at any moment leaves
an intact database holding every batch committed before the kill.

The cache lives in the user's cache folder (platformdirs), on local disk, never next to the
scanned files, which may be on a network share.
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from profilecheck.core.results import FileResult, Finding, Location

SCHEMA_VERSION = 1
DATABASE_NAME = f"scan-v{SCHEMA_VERSION}.sqlite3"
HASH_CHUNK = 1024 * 1024
QUERY_CHUNK = 500  # SQLite's default limit on host parameters is 999 in older builds

# a row of `files`: path, size, mtime_ns, inode, digest
DatabaseRow = tuple[bytes, int, int, int, str]

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    digest TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    result TEXT NOT NULL,
    stored REAL NOT NULL
) WITHOUT ROWID;
"""


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("profilecheck", appauthor=False))


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
    """BLAKE2b of the file's bytes, read in chunks (large files never sit in memory)."""
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=1024)
def settings_key(config_key: str, explicit: bool, ignores: tuple[str, ...]) -> str:
    """A result key is the content digest (fixed length) followed by this digest of everything
    else: hashing only the settings, once per run, keeps hashing out of the per-file path of a
    warm re-scan."""
    text = f"{config_key}\0{int(explicit)}\0{','.join(ignores)}"
    return "." + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


class Cache:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / DATABASE_NAME
        self.recovered = False  # True when a damaged database had to be set aside
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            self._set_aside()
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        db.execute("SELECT count(*) FROM files LIMIT 1").fetchone()
        return db

    def _set_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            damaged = Path(f"{self.path}{suffix}")
            if damaged.exists():
                damaged.replace(damaged.with_name(f"{damaged.name}.damaged-{stamp}"))
        self.recovered = True

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def file_rows(self, roots: Iterable[str]) -> dict[bytes, DatabaseRow]:
        """The stat shortcuts for everything at or below the roots, in one query per root,
        as the database's rows: (path, size, mtime_ns, inode, digest). Plain tuples, as they
        come, because a warm re-scan reads one per file (see `FileRow.of_row`)."""
        rows: dict[bytes, DatabaseRow] = {}
        query = "SELECT path, size, mtime_ns, inode, digest FROM files WHERE path >= ? AND path < ?"
        for root in roots:
            low = os.fsencode(os.path.join(root, ""))
            high = low[:-1] + bytes([low[-1] + 1])
            found = self.db.execute(query, (low, high)).fetchall()
            rows.update(zip(map(operator.itemgetter(0), found), found, strict=True))  # in C
            single = self.db.execute(
                "SELECT path, size, mtime_ns, inode, digest FROM files WHERE path = ?",
                (os.fsencode(root),),
            ).fetchone()
            if single:
                rows[single[0]] = single
        return rows

    def results(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Stored results (path-neutral dicts) for those keys that have one."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), QUERY_CHUNK):
            chunk = wanted[start : start + QUERY_CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, result FROM results WHERE key IN ({marks})"
            for key, text in self.db.execute(query, chunk):
                found[key] = json.loads(text)
        return found

    def store(
        self, files: Sequence[tuple[str, FileRow]], results: Sequence[tuple[str, dict[str, Any]]]
    ) -> None:
        """One transaction: after a kill, either all of a batch is there or none of it."""
        if not files and not results:
            return
        now = time.time()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                [(os.fsencode(path), r.size, r.mtime_ns, r.inode, r.digest) for path, r in files],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                [(key, json.dumps(result, ensure_ascii=True), now) for key, result in results],
            )


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
