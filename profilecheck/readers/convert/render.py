"""Word and PowerPoint pages as pictures: the document rendered to PDF by LibreOffice, once.

Word flows: its reader knows paragraphs, not pages, and no reader draws a slide. Where
LibreOffice is installed, `attach` gives a Word or PowerPoint document (or one read through a
conversion: .doc, .rtf, .odt, .ppt, .odp) a renderer, and `Document.rendered_pages()` runs it on
first use: `soffice --convert-to pdf` under the conversion's limits (`soffice.convert`: a copy
under a safe name, a private profile, macros off, no network, the process group killed at the
time limit, the address space capped), and the PDF read by the PDF reader. Nothing is rendered
until a rule or the HTML report asks for pixels, so a plain check pays nothing.

Once per file in the run: the Document keeps its rendering (`document.analysis`), and the
process keeps the last PDFs made (`_MADE`, by the file's path, size and modification time and
the LibreOffice build), so the HTML report's pictures, drawn in the same process, render
nothing again. A rendering that failed (a limit, a crash) is kept too, so one hanging file
is waited for once. The PDF lives in a temporary folder removed when the document is closed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType

from profilecheck.core.facts import Rendering
from profilecheck.core.limits import Limits
from profilecheck.core.model import Box, Document, Format
from profilecheck.readers.convert import soffice

WRITER = "pdf:writer_pdf_Export"
# hidden slides are pages too: the PowerPoint reader numbers every slide
IMPRESS = 'pdf:impress_pdf_Export:{"ExportHiddenSlides":{"type":"boolean","value":"true"}}'
# format the file was sniffed as -> (safe suffix of the copy, LibreOffice's --convert-to)
SOURCES = {
    Format.DOCX: ("docx", WRITER),
    Format.LEGACY_DOC: ("doc", WRITER),
    Format.RTF: ("rtf", WRITER),
    Format.ODT: ("odt", WRITER),
    Format.PPTX: ("pptx", IMPRESS),
    Format.PPT: ("ppt", IMPRESS),
    Format.ODP: ("odp", IMPRESS),
}
PRESENTATIONS = (Format.PPTX, Format.PPT, Format.ODP)
NOTES = {
    "word": {
        "sv": "enligt LibreOffice:s sidlayout, som kan skilja sig något från Words",
        "en": "from LibreOffice's layout of the pages, which can differ slightly from Word's",
    },
    "slides": {
        "sv": "enligt LibreOffice:s återgivning, som kan skilja sig något från PowerPoints",
        "en": "from LibreOffice's rendering, which can differ slightly from PowerPoint's",
    },
}
KEPT_FILES = 8  # PDFs kept per process
KEPT_BYTES = 64 * 1024 * 1024
SEARCHED_PAGES = 200  # pages searched for a finding's text
QUOTED = re.compile(r"[“”]([^“”]{3,})”")  # a finding's excerpt, as its message quotes it
_MADE: OrderedDict[tuple, bytes | str] = OrderedDict()  # key -> the PDF, or why there is none


def renderable(fmt: Format | str) -> bool:
    """Whether files of `fmt` (a format or its value) are rendered here: Word or PowerPoint
    (also through a conversion) with LibreOffice installed."""
    return Format(fmt) in SOURCES and soffice.soffice() is not None


def attach(document: Document, fmt: Format, limits: Limits) -> None:
    """Give `document` (read from a file sniffed as `fmt`) its renderer, which does nothing
    until `document.rendered_pages()` is called; nothing without LibreOffice."""
    if not renderable(fmt):
        return
    suffix, target = SOURCES[fmt]
    note = MappingProxyType(NOTES["slides" if fmt in PRESENTATIONS else "word"])
    held: list[Document] = []  # the rendered PDF as read, closed with the document
    folder: list[Path] = []

    def render() -> Rendering:
        made = _made(document.path, suffix, target, limits)
        if isinstance(made, str):
            return Rendering(problem=made, note=note)
        from profilecheck.readers.pdf.reader import read_pdf

        folder.append(Path(tempfile.mkdtemp(prefix="profilecheck-render-")))
        pdf = folder[0] / "rendered.pdf"
        pdf.write_bytes(made)
        try:
            rendered = read_pdf(str(pdf), limits)
        except Exception as error:  # ReadError or a damaged PDF: the pages are not shown
            return Rendering(problem=f"its PDF cannot be read ({error})", note=note)
        held.append(rendered)
        return Rendering(pages=tuple(rendered.pages), pdf=str(pdf), note=note)

    close = document._close

    def close_all() -> None:
        try:
            if close is not None:
                close()
        finally:
            for rendered in held:
                rendered.close()
            for path in folder:
                shutil.rmtree(path, ignore_errors=True)

    document._renderer = render
    document._close = close_all


def _made(path: str, suffix: str, target: str, limits: Limits) -> bytes | str:
    """The PDF LibreOffice makes of `path`, or why there is none; once per process and file."""
    try:
        stat = os.stat(path)
    except OSError as error:
        return f"the file cannot be read ({error.strerror or error})"
    key = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns, target, soffice.identity())
    if key in _MADE:
        _MADE.move_to_end(key)
        return _MADE[key]
    made = _convert(path, suffix, target, limits)
    _MADE[key] = made
    while len(_MADE) > KEPT_FILES or sum(len(v) for v in _MADE.values()) > KEPT_BYTES:
        if len(_MADE) == 1:
            break
        _MADE.popitem(last=False)
    return made


def _convert(path: str, suffix: str, target: str, limits: Limits) -> bytes | str:
    folder = Path(tempfile.mkdtemp(prefix="profilecheck-render-"))
    try:
        return soffice.convert(path, suffix, target, folder, limits).read_bytes()
    except soffice.ConversionTimeout as error:
        return f"LibreOffice's rendering was stopped at {error.limit}"
    except soffice.ConversionFailed as error:  # a crash (perhaps the memory limit) included
        return f"LibreOffice could not render it: {error}"
    except MemoryError:
        return "LibreOffice's rendering ran out of memory"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def quoted(message: str) -> str:
    """The text a finding's message quotes (“...”), by which it is found on a rendered page."""
    found = QUOTED.search(message)
    return found.group(1).strip() if found else ""


def find_text(rendering: Rendering, texts: list[str]) -> dict[str, tuple[int, Box]]:
    """Where each of `texts` (a finding's excerpt) first appears on the rendered pages: the
    page number and the box of its first line, by PyMuPDF's search; texts not found are left
    out. A long excerpt is searched by its first words (Word may break it across lines)."""
    if rendering.pdf is None or not texts:
        return {}
    import pymupdf

    found: dict[str, tuple[int, Box]] = {}
    wanted = {text: _needle(text) for text in dict.fromkeys(texts) if _needle(text)}
    try:
        with pymupdf.open(rendering.pdf) as pdf:
            for index in range(min(pdf.page_count, SEARCHED_PAGES)):
                page = pdf.load_page(index)
                for text, needle in wanted.items():
                    if text in found:
                        continue
                    hits = page.search_for(needle)
                    if hits:
                        rect = hits[0]
                        found[text] = (index + 1, Box(rect.x0, rect.y0, rect.x1, rect.y1))
                if len(found) == len(wanted):
                    break
    except Exception:  # a page that cannot be searched: what was found stands
        pass
    return found


def _needle(text: str, words: int = 6) -> str:
    """The first words of `text` without an ellipsis: what is searched for."""
    return " ".join(text.replace("…", " ").split()[:words])
