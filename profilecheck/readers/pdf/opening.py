"""Opening a PDF: by its name or from its bytes, and past encryption that guards only its
attachments.

A PDF whose security handler encrypts only embedded files (`/EFF` names a crypt filter while
`/StmF` and `/StrF` are `/Identity`, PDF 1.6 and later) has its pages in the clear: viewers show
them without a password and ask for one only to open an attachment. MuPDF asks for it up front,
so such a file is opened again with its trailer's `/Encrypt` entry renamed (same length: no
offset moves); its pages read as they are, its attachments are not checked.
"""

from __future__ import annotations

import re
from typing import Any

import pymupdf

ENCRYPT_ENTRY = re.compile(
    rb"/Encrypt(?=[\x00\t\n\x0c\r ]*\d+[\x00\t\n\x0c\r ]+\d+[\x00\t\n\x0c\r ]+R)"
)
ATTACHMENT_NOTE = (
    "attachment-encrypted",
    "an attachment is encrypted (only attachments need a password): the pages were checked, "
    "the attachment was not",
)


def open_pdf(path: str) -> Any:
    """MuPDF takes file names as UTF-8: a name that is not (surrogate-escaped bytes on POSIX
    shares) is opened from its bytes instead."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        with open(path, "rb") as handle:
            return pymupdf.open(stream=handle.read(), filetype="pdf")
    return pymupdf.open(path, filetype="pdf")


def attachments_only(pdf: Any) -> bool:
    """Whether the file's encryption covers its embedded files only."""

    def entry(key: str) -> str:
        try:
            kind, value = pdf.xref_get_key(-1, f"Encrypt/{key}")
        except Exception:
            return "null"
        return value if kind != "null" else "null"

    version = entry("V")
    if not version.isdigit() or int(version) < 4 or entry("EFF") in ("null", "/Identity"):
        return False
    return entry("StmF") in ("null", "/Identity") and entry("StrF") in ("null", "/Identity")


def open_past_attachments(path: str) -> Any | None:
    """The PDF opened as if unencrypted, None when that does not open it."""
    with open(path, "rb") as handle:
        data = handle.read()
    plain, count = ENCRYPT_ENTRY.subn(b"/Xncrypt", data)
    if not count:
        return None
    try:
        pdf = pymupdf.open(stream=plain, filetype="pdf")
    except Exception:
        return None
    if pdf.needs_pass:
        pdf.close()
        return None
    return pdf
