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
import subprocess
import threading
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from profilecheck import __version__
from profilecheck.analyses import ocr
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.engine import registry

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


_WARMING: list[Beside] = []  # the thread of `warm_up`, once started


def warm_up() -> None:
    """Start the slow probes (Tesseract, the code's digest) in a thread now, e.g. before the
    profile is loaded; `producer` waits for them. At most once a process."""
    if not _WARMING:
        _WARMING.append(Beside(_probes))


def _probes() -> None:
    code_digest()
    ocr_engine()


def producer() -> dict[str, object]:
    from profilecheck.readers.convert.soffice import identity  # LibreOffice: .doc, .odt, ...

    if _WARMING:
        _WARMING[0].result()
    return {
        "code": code_digest(),
        "libraries": library_versions(),
        "ocr": ocr_engine(),
        "converter": identity(),
    }


def config_key(engine: Any) -> str:
    """Everything besides the file's bytes that changes its result."""
    settings = engine.settings
    parts = {
        "tool": __version__,
        "producer": producer(),
        "profile": engine.profile.digest(),
        "plugins": registry.versions(),
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
