"""Decide a file's format from its bytes, never from its name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from profilecheck.core.files import open_regular
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
# What other common files are, so the message can say so.
OTHER_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"BM", "BMP image"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 image"),
    (b"8BPS", "Photoshop document"),
    (b"%!PS", "PostScript file"),
)
HEAD_BYTES = 8192
ODF_MIMETYPE_BYTES = 100
ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": Format.ODT,
    "application/vnd.oasis.opendocument.presentation": Format.ODP,
}
# A PDF whose header is damaged or missing still has its object syntax; PDF readers repair it.
PDF_SYNTAX = re.compile(rb"\d+\s+\d+\s+obj\b|trailer\s*<<|%PDF-")


@dataclass(frozen=True)
class Sniffed:
    format: Format
    detail: str  # "png", "docx", "xlsx", "OLE2 Word 97-2003", ...


def sniff(path: str | Path) -> Sniffed:
    """Read the first bytes of `path` (and a zip's directory) and name the format. Only a
    regular file is opened (`NotRegularFile`, an OSError, for a FIFO or a device)."""
    with open_regular(path) as handle:
        head = handle.read(HEAD_BYTES)
        return _sniff(head, handle)


def _sniff(head: bytes, handle: BinaryIO) -> Sniffed:
    if b"%PDF-" in head[:1024]:
        return Sniffed(Format.PDF, "pdf")
    for magic, name in IMAGE_MAGICS:
        if head.startswith(magic):
            return Sniffed(Format.IMAGE, name)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed(Format.IMAGE, "webp")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(handle)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(handle)
    if head.startswith(b"{\\rtf"):
        return Sniffed(Format.RTF, "RTF document (.rtf)")
    for magic, name in OTHER_MAGICS:
        if head.startswith(magic):
            return Sniffed(Format.UNKNOWN, name)
    if PDF_SYNTAX.search(head):
        return Sniffed(Format.PDF, "pdf without a valid header")
    return Sniffed(Format.UNKNOWN, "empty file" if not head else "unknown content")


def _sniff_zip(handle: BinaryIO) -> Sniffed:
    """A Word file is a zip whose package names a main Word part, decided as the Word reader
    decides it (`ooxml.parts.main_word_part`): the two never disagree."""
    from profilecheck.readers.ooxml.parts import package_kind  # lxml only for zips

    try:
        kind = package_kind(handle)
    except NotImplementedError as error:  # zipfile: "zip file version 25.4", a method it lacks
        return Sniffed(Format.DOCX, f"zip this tool cannot read ({error})")
    except Exception as error:  # BadZipFile, OSError, ValueError, EOFError, ...: any damage
        return Sniffed(Format.DOCX, f"damaged zip ({type(error).__name__}: {error})")
    if kind == "docx":
        return Sniffed(Format.DOCX, "docx")
    if kind == "OpenDocument file":
        return _sniff_odf(handle)
    if kind == "pptx":  # .pptx, .potx, .ppsx, .pptm: the main part's content type tells
        return Sniffed(Format.PPTX, "pptx")
    return Sniffed(Format.UNKNOWN, kind)


def _sniff_ole2(handle: BinaryIO) -> Sniffed:
    """OLE2 holds encrypted OOXML files and the legacy Office formats; its directory names tell."""
    handle.seek(0)
    data = handle.read(4 * 1024 * 1024)
    if _utf16(b"EncryptedPackage") in data or _utf16(b"EncryptionInfo") in data:
        return Sniffed(Format.OLE_ENCRYPTED, "encrypted Office document")
    if _utf16(b"WordDocument") in data:
        return Sniffed(Format.LEGACY_DOC, "Word 97-2003 document (.doc)")
    if _utf16(b"PowerPoint Document") in data:
        return Sniffed(Format.PPT, "PowerPoint 97-2003 presentation (.ppt)")
    return Sniffed(Format.UNKNOWN, "legacy Office (OLE2) file")


def _sniff_odf(handle: BinaryIO) -> Sniffed:
    """An OpenDocument package names its kind in its first member, `mimetype`."""
    import zipfile

    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            info = archive.getinfo("mimetype")
            with archive.open(info) as member:
                mimetype = member.read(ODF_MIMETYPE_BYTES).decode("ascii", "replace").strip()
    except Exception:  # no mimetype, damaged: what package_kind said
        return Sniffed(Format.UNKNOWN, "OpenDocument file")
    for prefix, fmt in ODF_KINDS.items():
        if mimetype.startswith(prefix):  # also the templates: ...text-template
            return Sniffed(fmt, f"OpenDocument {prefix.rsplit('.', 1)[1]} (.{fmt.value})")
    return Sniffed(Format.UNKNOWN, f"OpenDocument file ({mimetype[:80]})")


def _utf16(name: bytes) -> bytes:
    return name.decode("ascii").encode("utf-16-le")
