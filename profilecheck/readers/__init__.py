"""Readers: a path in, a `Document` out, or a `ReadError` that says why not.

Each reader is imported only when a file of its format turns up, so checking a Word file never
loads PyMuPDF or the PowerPoint reader, and checking a PDF never loads python-docx.
"""

from __future__ import annotations

from profilecheck.core.errors import ReadError
from profilecheck.core.limits import DEFAULT_LIMITS, Limits
from profilecheck.core.model import Document, Format, Status
from profilecheck.readers.sniffer import Sniffed, sniff

__all__ = ["Sniffed", "read_document", "sniff"]


def read_document(path: str, sniffed: Sniffed, limits: Limits = DEFAULT_LIMITS) -> Document:
    if sniffed.format is Format.PDF:
        from profilecheck.readers.pdf.reader import read_pdf

        return read_pdf(path, limits)
    if sniffed.format is Format.DOCX:
        from profilecheck.readers.word.reader import read_docx

        return read_docx(path, limits)
    if sniffed.format is Format.PPTX:
        from profilecheck.readers.pptx.reader import read_pptx

        return read_pptx(path, limits)
    if sniffed.format is Format.IMAGE:
        from profilecheck.readers.image import read_image

        return read_image(path, limits)
    if sniffed.format in (Format.LEGACY_DOC, Format.RTF, Format.ODT, Format.PPT, Format.ODP):
        from profilecheck.readers.convert import read_converted

        return read_converted(path, sniffed, limits, read_document)
    raise _not_readable(sniffed)


def _not_readable(sniffed: Sniffed) -> ReadError:
    if sniffed.format is Format.OLE_ENCRYPTED:
        return ReadError(
            Status.ENCRYPTED,
            "encrypted-file",
            "the Word document is password-protected (encrypted Office file), so it cannot be "
            "checked; remove the password and check it again",
        )
    return ReadError(
        Status.UNSUPPORTED,
        "unsupported-format",
        f"{sniffed.detail}: not a PDF, Word (.docx), PowerPoint (.pptx) or image file",
    )
