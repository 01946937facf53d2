"""Legacy and OpenDocument files read through LibreOffice: .doc, .rtf, .odt -> .docx and
.ppt, .odp -> .pptx, then read by the native reader and checked like a native file.

The conversion (`soffice.py`) runs headless in a private temporary folder, under its own time
and memory limits (`core.limits.Limits.conversion_*`, kept within the per-file ones), and the
folder is removed when the document is closed. The document carries a note (`Document.source`)
that the engine adds to every finding on it, since LibreOffice's reading of a legacy format can
differ from Word's. Without LibreOffice these files are `unsupported`, with what to install; a
password-protected one is `encrypted`; a conversion past its time limit is `timeout`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from profilecheck.core.errors import ReadError
from profilecheck.core.limits import Limits, memory_message
from profilecheck.core.model import Document, Format, Status
from profilecheck.readers.convert import ole, soffice
from profilecheck.readers.sniffer import Sniffed, sniff

# format -> (safe suffix of the copy, LibreOffice's --convert-to, the native format read)
TARGETS = {
    Format.LEGACY_DOC: ("doc", "docx:MS Word 2007 XML", Format.DOCX),
    Format.RTF: ("rtf", "docx:MS Word 2007 XML", Format.DOCX),
    Format.ODT: ("odt", "docx:MS Word 2007 XML", Format.DOCX),
    Format.PPT: ("ppt", "pptx:Impress MS PowerPoint 2007 XML", Format.PPTX),
    Format.ODP: ("odp", "pptx:Impress MS PowerPoint 2007 XML", Format.PPTX),
}
NAMES = {
    Format.LEGACY_DOC: "Word 97-2003 document (.doc)",
    Format.RTF: "RTF document (.rtf)",
    Format.ODT: "OpenDocument text (.odt)",
    Format.PPT: "PowerPoint 97-2003 presentation (.ppt)",
    Format.ODP: "OpenDocument presentation (.odp)",
}
PACKAGES = {Format.DOCX: "libreoffice-writer-nogui", Format.PPTX: "libreoffice-impress-nogui"}
ENCRYPTED = {
    Format.LEGACY_DOC: ole.doc_encrypted,
    Format.PPT: ole.ppt_encrypted,
    Format.ODT: ole.odf_encrypted,
    Format.ODP: ole.odf_encrypted,
}
NOTE = {
    "sv": "läst via konvertering: LibreOffice gjorde om .{source} till .{target}",
    "en": "read through a conversion: LibreOffice converted the .{source} to .{target}",
}

Reader = Callable[[str, Sniffed, Limits], Document]


def read_converted(path: str, sniffed: Sniffed, limits: Limits, read: Reader) -> Document:
    """Convert `path` with LibreOffice and read the result with `read` (`read_document`)."""
    suffix, target, native = TARGETS[sniffed.format]
    name = NAMES[sniffed.format]
    encrypted = ENCRYPTED.get(sniffed.format)
    if encrypted is not None and encrypted(path):
        raise ReadError(
            Status.ENCRYPTED,
            "encrypted-file",
            f"the {name} is password-protected, so it cannot be checked; remove the password "
            "and check it again",
        )
    if soffice.soffice() is None:
        raise ReadError(
            Status.UNSUPPORTED,
            "unsupported-format",
            f"{name}: read through LibreOffice, which is not installed; install it (Debian: "
            f"apt install {PACKAGES[native]}) or save the file as .{native.value}",
        )
    folder = Path(tempfile.mkdtemp(prefix="profilecheck-convert-"))
    try:
        converted = soffice.convert(path, suffix, target, folder, limits)
        document = _read(converted, native, name, limits, read)
    except soffice.ConversionTimeout as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise ReadError(
            Status.TIMEOUT,
            "resource-limit",
            f"LibreOffice's conversion of the {name} was stopped at {error.limit}",
        ) from None
    except soffice.ConversionCrashed as error:  # perhaps the memory limit: not damage
        shutil.rmtree(folder, ignore_errors=True)
        message = f"LibreOffice could not convert the {name}: {error}"
        raise ReadError(Status.UNREADABLE, "resource-limit", message) from None
    except soffice.ConversionFailed as error:
        shutil.rmtree(folder, ignore_errors=True)
        message = f"LibreOffice could not convert the {name}: {error}"
        raise ReadError(Status.UNREADABLE, "unreadable-file", message) from None
    except MemoryError:
        shutil.rmtree(folder, ignore_errors=True)
        raise ReadError(Status.UNREADABLE, "resource-limit", memory_message()) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    document.path = path
    document.source = {
        lang: text.format(source=suffix, target=native.value) for lang, text in NOTE.items()
    }
    close = document._close

    def close_and_remove() -> None:
        try:
            if close is not None:
                close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    document._close = close_and_remove
    return document


def _read(converted: Path, native: Format, name: str, limits: Limits, read: Reader) -> Document:
    found = sniff(converted)
    if found.format is not native:
        raise soffice.ConversionFailed(f"its output is not a .{native.value} ({found.detail})")
    try:
        return read(str(converted), found, limits)
    except ImportError:  # no reader for the native format in this version
        message = f"{name}: converted by LibreOffice, but .{native.value} files cannot be read yet"
        raise ReadError(Status.UNSUPPORTED, "unsupported-format", message) from None
    except ReadError as error:
        if error.status is Status.UNSUPPORTED:  # no reader for the native format (yet)
            message = f"{name}: converted by LibreOffice, but {error.message}"
            raise ReadError(Status.UNSUPPORTED, "unsupported-format", message) from None
        raise
