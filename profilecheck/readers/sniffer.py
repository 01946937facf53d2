"""Decide a file's format from its bytes, never from its name."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from profilecheck.core.model import Format

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
)
WORD_MAIN_PARTS = ("word/document.xml", "word/document2.xml")
# What other common files are, so the message can say so.
OTHER_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"{\\rtf", "RTF document"),
    (b"BM", "BMP image"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 image"),
    (b"8BPS", "Photoshop document"),
    (b"%!PS", "PostScript file"),
)
HEAD_BYTES = 8192
# A PDF whose header is damaged or missing still has its object syntax; PDF readers repair it.
PDF_SYNTAX = re.compile(rb"\d+\s+\d+\s+obj\b|trailer\s*<<|%PDF-")


@dataclass(frozen=True)
class Sniffed:
    format: Format
    detail: str  # "png", "docx", "xlsx", "OLE2 Word 97-2003", ...


def sniff(path: str | Path) -> Sniffed:
    """Read the first bytes of `path` (and a zip's directory) and name the format."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if b"%PDF-" in head[:1024]:
        return Sniffed(Format.PDF, "pdf")
    for magic, name in IMAGE_MAGICS:
        if head.startswith(magic):
            return Sniffed(Format.IMAGE, name)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed(Format.IMAGE, "webp")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(path)
    for magic, name in OTHER_MAGICS:
        if head.startswith(magic):
            return Sniffed(Format.UNKNOWN, name)
    if PDF_SYNTAX.search(head):
        return Sniffed(Format.PDF, "pdf without a valid header")
    return Sniffed(Format.UNKNOWN, "empty file" if not head else "unknown content")


def _sniff_zip(path: str | Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Sniffed(Format.DOCX, "damaged zip")
    if any(part in names for part in WORD_MAIN_PARTS):
        return Sniffed(Format.DOCX, "docx")
    if "xl/workbook.xml" in names:
        return Sniffed(Format.UNKNOWN, "Excel workbook (xlsx)")
    if "ppt/presentation.xml" in names:
        return Sniffed(Format.UNKNOWN, "PowerPoint presentation (pptx)")
    if "content.xml" in names and "mimetype" in names:
        return Sniffed(Format.UNKNOWN, "OpenDocument file")
    return Sniffed(Format.UNKNOWN, "zip archive")


def _sniff_ole2(path: str | Path) -> Sniffed:
    """OLE2 holds encrypted OOXML files and the legacy Office formats; its directory names tell."""
    with open(path, "rb") as handle:
        data = handle.read(4 * 1024 * 1024)
    if _utf16(b"EncryptedPackage") in data or _utf16(b"EncryptionInfo") in data:
        return Sniffed(Format.OLE_ENCRYPTED, "encrypted Office document")
    if _utf16(b"WordDocument") in data:
        return Sniffed(Format.LEGACY_DOC, "Word 97-2003 document (.doc)")
    return Sniffed(Format.UNKNOWN, "legacy Office (OLE2) file")


def _utf16(name: bytes) -> bytes:
    return name.decode("ascii").encode("utf-16-le")
