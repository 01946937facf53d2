"""What produced a result, for the scan cache's key: the code, the libraries, the OCR engine.

A result is served from the cache only while all of these are the same as when it was made: a
result computed without Tesseract, with another OpenCV or by edited code of the same version
number is computed again. `config_key` adds the profile and the settings. Its probes wait for
other programs (`tesseract --version`, `--list-langs`) and the disk, so a scan works them out
`Beside` its walk.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from profilecheck import __version__
from profilecheck.core import codes
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Severity

PACKAGE = Path(__file__).resolve().parents[1]
# Libraries whose results findings depend on, each by the names its distribution goes by.
LIBRARIES = {
    "pymupdf": ("pymupdf-lite", "PyMuPDF", "pymupdfb"),
    "opencv": ("opencv-python-headless", "opencv-python", "opencv-contrib-python-headless"),
    "pillow": ("Pillow", "pillow"),
    "phonenumbers": ("phonenumbers", "phonenumberslite"),
    "lxml": ("lxml",),
}


@cache
def code_digest() -> str:
    """A digest of the package's own code and the data it reads (name lists, catalogues)."""
    sha = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".txt", ".mo"} and path.is_file():
            sha.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            sha.update(path.read_bytes())
    return sha.hexdigest()


def library_versions() -> dict[str, str]:
    return {name: _version(dists) for name, dists in LIBRARIES.items()}


def _version(dists: tuple[str, ...]) -> str:
    from importlib import metadata

    for dist in dists:
        try:
            return f"{dist}=={metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return "absent"


@cache
def ocr_engine() -> dict[str, object]:
    """Tesseract's presence, version and languages (a result made without it is not reused).
    Its two questions to Tesseract run at once: `--version` beside `--list-langs`."""
    import subprocess

    from profilecheck.analyses import ocr

    binary = ocr.tesseract_path()
    if binary is None:
        return {"tesseract": "absent"}
    try:
        asking = subprocess.Popen(
            [binary, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    except OSError:
        asking = None
    languages = sorted(ocr.installed_languages())
    version = "unknown"
    if asking is not None:
        try:
            out, err = asking.communicate(timeout=20)
            version = (out or err).splitlines()[0].strip()
        except (OSError, subprocess.SubprocessError, IndexError):
            asking.kill()
            asking.communicate()
    return {"tesseract": version, "languages": languages}


def probes(folder: Path | None = None) -> dict[str, Any]:
    """The libraries', plug-ins' and OCR engine's parts of the key. With a `folder` (the scan
    cache's), kept there with the stamps of what they were read from, and read back while
    those are unchanged (batch/stamps.py): a warm re-scan neither starts Tesseract nor reads
    every package's metadata."""
    from profilecheck.batch import stamps

    def ask() -> dict[str, Any]:
        from profilecheck.engine import registry

        return {
            "libraries": library_versions(),
            "plugins": registry.versions(),
            "ocr": ocr_engine(),
        }

    if folder is None:
        return ask()
    answers = stamps.remembered(folder, lambda: {**ask(), "tessdata": _tessdata()})
    return answers if _well_formed(answers) else ask()


def _well_formed(answers: dict[str, Any]) -> bool:
    """Kept answers of the shapes the key is made of (a memo is checked, never trusted)."""
    libraries, plugins, engine = (answers.get(k) for k in ("libraries", "plugins", "ocr"))
    return (
        isinstance(libraries, dict)
        and all(isinstance(v, str) for v in libraries.values())
        and isinstance(plugins, list)
        and all(isinstance(v, str) for v in plugins)
        and isinstance(engine, dict)
    )


def _tessdata() -> str | None:
    """The folder Tesseract reads its languages from, as `--list-langs` names it."""
    import subprocess

    from profilecheck.analyses import ocr
    from profilecheck.batch.stamps import tessdata_folder

    binary = ocr.tesseract_path()
    if binary is None:
        return None
    try:
        done = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return tessdata_folder(done.stdout)


_WARMING: list[Beside] = []  # the thread of `warm_up`, until its answers are used


def warm_up(folder: Path | None = None) -> None:
    """Start the slow probes (the code's digest, Tesseract, the packages' metadata, or their
    kept answers in `folder`) in a thread now, e.g. before the profile is loaded; the next
    `config_key` waits for them and uses them, once (`cool_down` drops them unused)."""
    if not _WARMING:
        _WARMING.append(Beside(_probes, folder))


def cool_down() -> None:
    """Drop the answers of a `warm_up` that no key used (the command ended early)."""
    while _WARMING:
        _WARMING.pop().thread.join()


def _probes(folder: Path | None) -> dict[str, Any]:
    code_digest()
    return probes(folder)


def _answers() -> dict[str, Any]:
    return _WARMING.pop().result() if _WARMING else probes()


def producer(answers: dict[str, Any] | None = None) -> dict[str, object]:
    from profilecheck.readers.convert.soffice import identity  # LibreOffice: .doc, .odt, ...

    answers = answers if answers is not None else _answers()
    return {
        "code": code_digest(),
        "libraries": answers["libraries"],
        "ocr": answers["ocr"],
        "converter": identity(),
    }


CHECKS_PREFIX = "checks:"  # the `runs` row of a configuration's checks (`known_checks`)


def known_checks(cache: Any, key: str, use: bool = True) -> tuple[dict, dict] | None:
    """The (applicable_checks, rule_checks) that an engine of configuration `key` had, as a
    scan stored them (`keep_checks`), so that a scan whose files are all in the cache writes
    its report without compiling the rules, or importing them: the catalogue of checks they
    declare (which the reporters and waivers read) is put back from the same row (the key
    covers the code and the plug-ins). None when not stored, when the row does not hold up
    (counted as a damaged row, like a result's) or when not `use`d (the row still checked)."""
    import sqlite3
    import zlib

    if cache is None or cache.db is None:
        return None
    row_key = CHECKS_PREFIX + key
    try:
        query = 'SELECT CAST(result AS BLOB), CAST("check" AS INTEGER) FROM runs WHERE key = ?'
        row = cache.db.execute(query, (row_key,)).fetchone()
    except sqlite3.Error as error:
        cache._failed(error)
        return None
    if row is None:
        return None
    try:
        data, check = row
        if not isinstance(data, bytes) or zlib.crc32(data) != check:
            raise ValueError("checksum")
        stored = json.loads(data)
        if stored["key"] != row_key:
            raise ValueError("key")
        checks = {name: Severity(level) for name, level in stored["result"]["checks"].items()}
        rules = {label: tuple(names) for label, names in stored["result"]["rule_checks"].items()}
        if not all(isinstance(n, str) for names in rules.values() for n in names):
            raise ValueError("rule checks")
        catalogue = [codes.Check(*fields) for fields in stored["result"]["catalogue"]]
    except Exception:  # KeyError, ValueError, TypeError: damaged
        cache.damaged_rows += 1
        return None
    if not use:
        return None
    try:
        codes.register(catalogue, owner="the scan cache")
    except codes.CheckClash:  # not what this code declares: the rules are compiled instead
        return None
    return checks, rules


def keep_checks(cache: Any, engine: Any, key: str) -> None:
    """Store the row of `runs` that `known_checks` reads back: the built engine's checks."""
    import sqlite3

    from profilecheck.batch.integrity import payload

    if cache is None or cache.db is None:
        return
    row_key, row = _checks_row(engine, key)
    data, check = payload(row_key, row)
    try:
        with cache.db:
            cache.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", (row_key, data, check))
    except sqlite3.Error as error:  # the rules are compiled next time; damage is set aside
        cache._failed(error)


def _checks_row(engine: Any, key: str) -> tuple[str, dict[str, Any]]:
    checks = {name: severity.value for name, severity in engine.applicable_checks().items()}
    rule_checks = {label: list(names) for label, names in engine.rule_checks().items()}
    catalogue = [[c.code, c.name, c.severity.value, c.summary] for c in codes.CATALOGUE.values()]
    row = {"checks": checks, "rule_checks": rule_checks, "catalogue": catalogue}
    return CHECKS_PREFIX + key, row


def config_key(engine: Any) -> str:
    """Everything besides the file's bytes that changes its result."""
    settings = engine.settings
    answers = _answers()
    parts = {
        "tool": __version__,
        "producer": producer(answers),
        "profile": engine.profile.digest(),
        "plugins": answers["plugins"],
        "select": settings.select,
        "extend_select": settings.extend_select,
        "ignore": settings.ignore,
        "severity": sorted(settings.severity.items()),
        "lang": engine.lang,
        "limits": repr(DEFAULT_LIMITS),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class Beside:
    """`work(*args)` in a thread of its own; `result()` waits for it (or raises its error)."""

    def __init__(self, work: Callable[..., Any], *args: Any) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(work, *args), daemon=True)
        self.thread.start()

    def _run(self, work: Callable[..., Any], *args: Any) -> None:
        try:
            self.value = work(*args)
        except BaseException as error:  # handed to the caller by result()
            self.error = error

    def result(self) -> Any:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value
