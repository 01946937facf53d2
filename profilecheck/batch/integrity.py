"""What the scan cache trusts: row checksums, and damage in the database file.

Each `files` row carries a checksum of its path and digest, and each `results` row a checksum of
its text, which names the key it was stored under: a row damaged on disk, or altered, fails
them and is not used (its file is checked again). Damage to the database file itself is told
apart from a database that is merely busy or read-only: damage moves the file aside.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from profilecheck.core.files import open_regular
from profilecheck.core.model import Part, Severity, Status
from profilecheck.core.results import FileResult, Finding

SQLITE_MAGIC = b"SQLite format 3\x00"
DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
DAMAGE_WORDS = ("malformed", "not a database", "could not decode", "corrupt")


def row_check(path: bytes, digest: str) -> int:
    """A `files` row's checksum: a row whose digest (or path) was altered does not match, so
    it cannot lend another file's digest, and so its results, to this path."""
    return zlib.crc32(digest.encode(), zlib.crc32(path))


def payload(key: str, result: dict[str, Any]) -> tuple[bytes, int]:
    """A result row's text (which names its own key) and its checksum."""
    data = json.dumps({"key": key, "result": result}, ensure_ascii=True).encode("ascii")
    return data, zlib.crc32(data)


class StoredResult(FileResult):
    """A result read back from the cache, with the row it was read from (`row`: what
    `FileResult.as_dict` gave when it was stored, path-neutral), to be written out as it is.
    Made by `of_row`, its finding objects are built from the row when first read: counts and
    verdicts read `judged` (name, severity, suppressed of each), the JSON report the row."""

    __slots__ = ("_judged", "_pending", "row")

    @classmethod
    def of_row(cls, row: dict[str, Any]) -> StoredResult:
        result = object.__new__(cls)
        result.path = row["path"]
        result.format = row["format"]
        result.status = Status(row["status"])
        result.pages = row.get("pages", 0)
        result.seconds = 0.0
        result.message = row.get("message", "")
        result.warnings = list(row.get("warnings", []))
        result.row = row
        result._pending = row.get("findings", [])
        result._judged = None
        return result

    @property  # type: ignore[override]
    def findings(self) -> list[Finding]:
        pending = getattr(self, "_pending", None)
        if pending is not None:
            self._pending = None
            _FINDINGS_SLOT.__set__(self, [Finding.from_dict(f) for f in pending])
        return _FINDINGS_SLOT.__get__(self)

    @findings.setter
    def findings(self, value: list[Finding]) -> None:
        self._pending = self._judged = None
        _FINDINGS_SLOT.__set__(self, value)

    @property
    def judged(self) -> list[Any]:
        """While the findings are not built: (name, severity, suppressed) of each, one list
        (its identity is what `RunResult` tallies by)."""
        pending = getattr(self, "_pending", None)
        if pending is None:
            return self.findings
        if self._judged is None:
            self._judged = [
                Judged(f["name"], SEVERITIES[f["severity"]], f.get("suppressed")) for f in pending
            ]
        return self._judged


_FINDINGS_SLOT = FileResult.__dict__["findings"]
SEVERITIES = {s.value: s for s in Severity}
PARTS = frozenset(p.value for p in Part)


class Judged(NamedTuple):
    """What counts and verdicts read of a finding (see `FileResult.judged`)."""

    name: str
    severity: Severity
    suppressed: str | None


def sound_result(key: str, data: Any, check: Any) -> StoredResult | None:
    """The stored result if the row holds up: its checksum, the key it names, its content
    (whatever `FileResult.from_dict` would refuse is refused here, without building it)."""
    try:
        if not isinstance(data, bytes) or zlib.crc32(data) != check:
            return None
        payload = json.loads(data)
        if payload["key"] != key:
            return None
        row = payload["result"]
        result = StoredResult.of_row(row)
        if result.path or not all(_sound_finding(f) for f in result._pending):
            return None
        return result
    except Exception:  # JSONDecodeError, KeyError, ValueError, TypeError: damaged
        return None


def _sound_finding(f: dict[str, Any]) -> bool:
    location = f["location"]
    box = location.get("box_pt")
    measured = f.get("measured", {})
    return (
        isinstance(f["code"], str)
        and isinstance(f["name"], str)
        and isinstance(f["message"], str)
        and f["severity"] in SEVERITIES
        and isinstance(location["path"], str)
        and isinstance(location.get("page"), int | None)
        and (not box or (len(box) == 4 and all(isinstance(v, int | float) for v in box)))
        and (not location.get("part") or location["part"] in PARTS)
        and isinstance(measured, dict)
        and isinstance(f.get("rule", ""), str)
        and isinstance(f.get("suggestion"), str | None)
        and isinstance(f.get("suppressed"), str | None)
    )


def is_damage(error: Exception) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in DAMAGE_CODES:
        return True
    return isinstance(error, sqlite3.DatabaseError) and any(
        word in str(error).lower() for word in DAMAGE_WORDS
    )


def file_problem(path: Path) -> str | None:
    """What is wrong with the database file before SQLite opens it: a header that is not
    SQLite's, or a file shorter than its header says (truncated). SQLite would go on with
    such a file, silently or with errors later. With a write-ahead log beside it (another
    scan at work, or one killed), truncation is left to SQLite's own checks."""
    try:
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(100)
    except FileNotFoundError:
        return None
    except OSError as error:  # a FIFO or a device where the database should be
        return str(error)
    if size == 0:
        return None  # a new, empty database
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return "its header is not an SQLite header"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged"
    if _size(Path(f"{path}-wal")):  # pages may be in the log, or being copied back
        return None
    expected = pages * page_size
    if size % page_size or (head[24:28] == head[92:96] and size < expected):
        return f"it is truncated: {size:,} bytes of {max(expected, size):,}"
    return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def stderr_warning(line: str) -> None:
    print(f"profilecheck: warning: {line}", file=sys.stderr, flush=True)
