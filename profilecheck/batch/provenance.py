"""What produced a result, for the scan cache's key: the code, the libraries, the OCR engine.

A result is served from the cache only while all of these are the same as when it was made: a
result computed without Tesseract, with another OpenCV or by edited code of the same version
number is computed again.
"""

from __future__ import annotations

import hashlib
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

from profilecheck.analyses import ocr

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
    """Tesseract's presence, version and languages (a result made without it is not reused)."""
    binary = ocr.tesseract_path()
    if binary is None:
        return {"tesseract": "absent"}
    try:
        done = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=20, check=False
        )
        version = (done.stdout or done.stderr).splitlines()[0].strip()
    except (OSError, subprocess.SubprocessError, IndexError):
        version = "unknown"
    return {"tesseract": version, "languages": sorted(ocr.installed_languages())}


def producer() -> dict[str, object]:
    from profilecheck.readers.convert.soffice import identity  # LibreOffice: .doc, .odt, ...

    return {
        "code": code_digest(),
        "libraries": library_versions(),
        "ocr": ocr_engine(),
        "converter": identity(),
    }
