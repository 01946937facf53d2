"""The cache key's slow probes, kept with the stamps of everything they read.

Asking Tesseract its version and languages starts two programs, and finding the versions of the
libraries and plug-ins reads every installed package's metadata: tens of milliseconds of each
warm re-scan, for answers that only change when files change. So the answers are kept in the
cache folder (`MEMO_NAME`) with the stamps (path, size, modification time, inode) of what they
depend on, and reused while every stamp is the same:

- the `tesseract` program found on PATH and its libraries (libtesseract, Leptonica), and
  TESSDATA_PREFIX;
- the language files in the folder Tesseract named, which must be exactly the languages it
  listed (otherwise nothing is kept: the probes run every time);
- Python itself and each folder on `sys.path`, whose modification time changes when a package
  is installed, upgraded or removed (its metadata folder is added or removed there).

The memo keeps the answers of the last few environments (`MEMO_ENTRIES`: another folder on
`sys.path`, another Python or Tesseract sharing the cache folder), each with its own stamps. A
memo that cannot be read or fails its checksum is ignored and replaced, and an entry whose
stamps are not those of now is never used.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

MEMO_NAME = "probes-v1.json"
MEMO_ENTRIES = 8
TRAINEDDATA = ".traineddata"
LIBRARY_NAMES = ("libtesseract*", "liblept*")
LIBRARY_FOLDERS = (
    "/usr/lib", "/usr/lib64", "/usr/local/lib", "/lib", "/lib64", "/opt/homebrew/lib",
    "/usr/lib/*-linux-gnu", "/lib/*-linux-gnu",
)  # fmt: skip


def remembered(folder: Path | None, probe: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `probe()` answers (a dict with "tessdata": the language folder Tesseract named, or
    None): from the memo in `folder` while its stamps are those of now, else asked now and
    kept there. Without a folder (no cache), always asked."""
    if folder is None:
        return probe()
    memo = folder / MEMO_NAME
    entries = _read(memo)
    now_by_folder: dict[str | None, dict[str, Any]] = {}
    for entry in entries:
        tessdata = entry["answer"].get("tessdata")
        if tessdata not in now_by_folder:
            now_by_folder[tessdata] = stamps(tessdata)
        if entry["stamps"] == now_by_folder[tessdata]:
            return entry["answer"]
    before = {**(now_by_folder.get(None) or stamps(None)), "tessdata": None}
    answer = probe()
    now = stamps(answer.get("tessdata"))
    if _consistent(answer, now) and {**now, "tessdata": None} == before:
        others = [e for e in entries if {**e["stamps"], "tessdata": None} != before]
        _write(memo, [{"stamps": now, "answer": answer}, *others][:MEMO_ENTRIES])
    return answer


def stamps(tessdata: str | None) -> dict[str, Any]:
    """Path, size, modification time and inode of what the probes' answers depend on."""
    from profilecheck.analyses import ocr

    program = ocr.tesseract_path()
    return {
        "python": [sys.version, sys.executable, sys.prefix],
        "paths": [_stamp(path) for path in sys.path],
        "tesseract": None if program is None else [_stamp(program), *_libraries(program)],
        "tessdata_prefix": os.environ.get("TESSDATA_PREFIX"),
        "tessdata": None if tessdata is None else _languages(tessdata),
    }


def tessdata_folder(listing: str) -> str | None:
    """The folder in the first line of `tesseract --list-langs`:
    List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):"""
    first = listing.partition("\n")[0]
    start, end = first.find('"'), first.rfind('"')
    return first[start + 1 : end] if 0 <= start < end else None


def _stamp(path: str) -> list[Any]:
    try:
        real = os.path.realpath(path or ".")
        status = os.stat(real)
    except (OSError, ValueError):
        return [path, None]
    return [path, real, status.st_size, status.st_mtime_ns, status.st_ino]


def _libraries(program: str) -> list[list[Any]]:
    """Stamps of Tesseract's and Leptonica's shared libraries where they are usually found
    (beside the program's own prefix first)."""
    prefix = os.path.dirname(os.path.dirname(os.path.realpath(program)))
    found: list[str] = []
    for folder in (os.path.join(prefix, "lib"), *LIBRARY_FOLDERS):
        pattern = folder if "*" in folder else glob.escape(folder)
        for name in LIBRARY_NAMES:
            found += glob.glob(os.path.join(pattern, name))
    return [_stamp(path) for path in sorted(set(found))]


def _languages(folder: str) -> dict[str, Any]:
    """Each language file below `folder` by its language name ("swe", "script/Latin")."""
    found: dict[str, Any] = {"": _stamp(folder)}
    for parent, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            if name.endswith(TRAINEDDATA):
                path = os.path.join(parent, name)
                language = os.path.relpath(path, folder)[: -len(TRAINEDDATA)]
                found[language.replace(os.sep, "/")] = _stamp(path)[2:]
    return found


def _consistent(answer: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether the stamps cover the answer: the language files found are the languages
    Tesseract listed (or there is no Tesseract at all)."""
    if now["tesseract"] is None:
        return answer.get("ocr", {}).get("tesseract") == "absent"
    listed = answer.get("ocr", {}).get("languages")
    files = now["tessdata"]
    return files is not None and listed is not None and sorted(set(files) - {""}) == listed


def _read(memo: Path) -> list[dict[str, Any]]:
    """The memo's entries, newest first; none if it cannot be read or fails its checksum."""
    try:
        data = json.loads(memo.read_bytes())
        body = json.dumps(data["body"], sort_keys=True).encode()
        entries = data["body"]["entries"]
        if zlib.crc32(body) != data["check"] or not all(
            isinstance(e["stamps"], dict)
            and isinstance(e["answer"], dict)
            and isinstance(e["answer"].get("tessdata"), str | None)
            for e in entries
        ):
            return []
        return entries
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _write(memo: Path, entries: list[dict[str, Any]]) -> None:
    body = {"entries": entries}
    check = zlib.crc32(json.dumps(body, sort_keys=True).encode())
    text = json.dumps({"check": check, "body": body}, sort_keys=True)
    temporary = memo.with_name(f"{memo.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, memo)
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)
