"""Pictures of pages and excerpts of Word text for the HTML report, made where limits apply.

Making a picture opens the document and decodes or renders a page: it costs what a check
costs, and a hostile file can make it slow or huge. So the HTML reporter only plans which
pages it shows (`reporters.html.requests`, from the findings, opening nothing), and `draw`
makes them, one file per call, bounded: at most `MAX_PAGES` pictures per file, each a JPEG at
most `THUMBNAIL_PX` wide and `MAX_HEIGHT_PX` high and at most `MAX_PICTURE_BYTES`, as a
data: URI; an excerpt of at most `EXCERPT_CHARS`.

`scan` runs `draw` in its worker processes, under `--timeout` and `--max-memory`, and hands
the results to the reporter in `RunResult.pictures` (`batch/pictures.py`); only without them
(the Python API) does the HTML reporter call `draw` itself.

Word and PowerPoint files (also through a conversion) are pictured where LibreOffice is
installed: rendered to PDF once (`readers.convert.render`, under the conversion's limits, within
the worker's), the pages asked for drawn from that PDF. A Word finding has no page: its text
excerpt is searched for on the rendered pages (`places`); one not found is shown on page 1.
When the rendering fails, `note` says why and a Word file gets its text excerpt instead.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from profilecheck.core.model import Format

MAX_PAGES = 20  # pictures one request may ask for
THUMBNAIL_PX = 480  # width of a picture in pixels (shown at up to 360 CSS px)
MAX_HEIGHT_PX = 1920  # height of a picture in pixels (a very tall page is squeezed)
MAX_DPI = 150
MAX_PICTURE_BYTES = 200_000  # one picture's JPEG; larger ones are made smaller, then dropped
JPEG_QUALITIES = (70, 45, 25)
EXCERPT_CHARS = 1500
JPEG_URI = "data:image/jpeg;base64,"


@dataclass(frozen=True)
class Request:
    """What the report shows of one file: pictures of `pages`, and an excerpt of its text."""

    path: str
    pages: tuple[int, ...] = ()
    excerpt: bool = False
    texts: tuple[str, ...] = ()  # Word: findings' excerpts, searched on the rendered pages


# What `draw` returns, plain data so it travels from a worker like a result does:
# {"pages": {page number: {"uri": "data:image/jpeg;base64,...", "width": pt, "height": pt}},
#  "excerpt": "text"}; of a rendered Word or PowerPoint file also "rendered": True, "places":
# {text: [page, [x0, y0, x1, y1]]} and, when the rendering failed, "note": why
Drawn = dict[str, Any]


def draw(request: Request) -> Drawn:
    """The pictures and excerpt of one file; what cannot be made is left out (the file may
    have changed or broken since it was checked), never an exception."""
    from profilecheck.readers import read_document, sniff
    from profilecheck.readers.convert import render

    drawn: Drawn = {"pages": {}, "excerpt": ""}
    try:
        sniffed = sniff(request.path)
        if render.renderable(sniffed.format) and _draw_rendered(request, sniffed.format, drawn):
            return drawn
        if sniffed.format not in (Format.PDF, Format.IMAGE, Format.DOCX):
            return drawn
        with read_document(request.path, sniffed) as document:
            if sniffed.format is Format.DOCX:
                if request.excerpt:
                    drawn["excerpt"] = document.text[:EXCERPT_CHARS]
                return drawn
            for number in request.pages[:MAX_PAGES]:
                picture = _picture(document.pages, number)
                if picture is not None:
                    drawn["pages"][number] = picture
    except Exception:  # MemoryError included: in a worker, its memory cap
        pass
    return drawn


def _draw_rendered(request: Request, fmt: Format, drawn: Drawn) -> bool:
    """The pictures of a Word or PowerPoint file from its rendering: whether there are any
    (else `drawn["note"]` says why). Only the rendering is made, not the structural reading."""
    from profilecheck.core.limits import DEFAULT_LIMITS
    from profilecheck.core.model import Document
    from profilecheck.readers.convert import render

    with Document(path=request.path, format=fmt, pages=()) as document:
        render.attach(document, fmt, DEFAULT_LIMITS)  # within the worker's limits (PROCESS)
        rendering = document.rendered_pages()
        if rendering is None or not rendering.pages:
            drawn["note"] = rendering.problem if rendering else "LibreOffice is not installed"
            return False
        places = render.find_text(rendering, list(request.texts))
        drawn["places"] = {text: [page, box.as_list()] for text, (page, box) in places.items()}
        wanted = set(request.pages) | {page for page, _box in places.values()}
        if len(places) < len(set(request.texts)) or not wanted:
            wanted.add(1)  # a finding not found on a page is shown on the first
        for number in sorted(wanted)[:MAX_PAGES]:
            picture = _picture(rendering.pages, number)
            if picture is not None:
                drawn["pages"][number] = picture
        drawn["rendered"] = True
        if not drawn["pages"]:
            drawn["note"] = "the rendered pages could not be drawn"
    return bool(drawn["pages"])


def _picture(pages: Any, number: int) -> dict[str, Any] | None:
    if not 1 <= number <= len(pages):
        return None
    page = pages[number - 1]
    if not page.can_render or page.width <= 0 or page.height <= 0:
        return None
    dpi = min(72 * THUMBNAIL_PX / page.width, 72 * MAX_HEIGHT_PX / page.height, MAX_DPI)
    try:
        uri = jpeg_data_uri(page.render(dpi=dpi))
    except Exception:
        return None
    if uri is None:
        return None
    return {"uri": uri, "width": round(page.width, 2), "height": round(page.height, 2)}


def jpeg_data_uri(pixels: Any) -> str | None:
    """An RGB array as a JPEG data: URI within the size limits, or None if it cannot be."""
    from PIL import Image

    image = Image.fromarray(pixels).convert("RGB")
    image.thumbnail((THUMBNAIL_PX, MAX_HEIGHT_PX))  # renders round their resolution
    for _attempt in range(3):
        for quality in JPEG_QUALITIES:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality)
            if buffer.tell() <= MAX_PICTURE_BYTES:
                data = base64.b64encode(buffer.getvalue()).decode("ascii")
                return JPEG_URI + data
        image = image.resize((max(1, image.width // 2), max(1, image.height // 2)))
    return None
