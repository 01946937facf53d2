"""Text that exists only as pixels, read by OCR: document text for every rule that reads text.

A page with no text layer but with pictures (a scan, an image file, a Word document that is only
a picture) or with many vector paths (text turned into outlines) holds its text as pixels.
`pixel_text` reads such pages with Tesseract (`analyses.ocr`, which keeps each page's result in
the document, so the contact and text rules read a page once between them) and says which pages
it could not read and why. Images placed on pages that do have a text layer are read one by one
with `image_text`, by the rules that look for text in them.

Text read by OCR is a `PageText` like the text layer's, whose spans have `part=Part.IMAGE`;
findings in it carry `measured["source"] = "ocr"` (`OCR_SOURCE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from profilecheck.analyses import ocr
from profilecheck.analyses.textindex import PageText, document_text, page_text
from profilecheck.core.model import Document, Format, Page, PlacedImage, TextSpan

OCR_SOURCE = {"source": "ocr"}  # the `measured` mark of a finding in text read by OCR

# A page without a text layer but with this many vector paths may be text turned into outlines
# (posters, print PDFs); fewer are rules, boxes and decoration, not worth an OCR run.
OUTLINED_TEXT_PATHS = 40
MIN_IMAGE_SIDE = (300, 80)  # pixels: smaller images are icons and logos, not text


@dataclass(frozen=True)
class Unread:
    """A page whose pixels may hold text that could not be read."""

    kind: str  # "image" (an image file), "page" (of a PDF) or "document" (Word)
    number: int  # the page
    why: str  # "ocr-off" (the rule file turned it off), "no-ocr", "ocr-failed", "ocr-limit"


@dataclass
class PixelText:
    pages: list[PageText] = field(default_factory=list)  # read by OCR, in page order
    unread: list[Unread] = field(default_factory=list)


def pixel_text(
    document: Document, settings: ocr.OcrSettings, enabled: bool = True, max_pages: int = 20
) -> PixelText:
    """OCR of every page that holds text only as pixels (at most `max_pages` of them)."""
    found = PixelText()
    for index, page in enumerate(blank_pages(document)):
        why = unavailable(enabled) or ("ocr-limit" if index >= max_pages else None)
        read = None if why else read_page(document, page, settings)
        if read is None:
            found.unread.append(Unread(*page_name(document, page), why or "ocr-failed"))
        elif read.text.strip():
            found.pages.append(read)
    return found


def unavailable(enabled: bool) -> str | None:
    """Why OCR cannot run at all: "ocr-off", "no-ocr"; None when it can."""
    if not enabled:
        return "ocr-off"
    return None if ocr.available() else "no-ocr"


def blank_pages(document: Document) -> list[Page]:
    """The pages with no text layer whose pixels may hold text."""
    pages = zip(document.pages, document_text(document), strict=True)
    return [page for page, text in pages if not text.text.strip() and has_content(document, page)]


def has_content(document: Document, page: Page) -> bool:
    """Worth reading with OCR: pictures (scans), or enough vector paths to be outlined text."""
    if document.format is Format.IMAGE or page.images:
        return True
    if document.format is not Format.PDF or not page.can_render:
        return False
    return len(page.paints) >= OUTLINED_TEXT_PATHS


def page_name(document: Document, page: Page) -> tuple[str, int]:
    """What could not be read: ("image", 1), ("page", 3) or ("document", 1) for Word."""
    if document.format is Format.IMAGE:
        return ("image", page.number)
    return ("page" if document.paginated else "document", page.number)


def read_page(document: Document, page: Page, settings: ocr.OcrSettings) -> PageText | None:
    """A page without a text layer, read by OCR: rendered (PDF) or picture by picture. None
    when it could not be read (OCR missing or failing, a picture that cannot be decoded)."""
    if document.format is Format.PDF and page.can_render:
        spans = ocr.ocr_page(document, page, settings)
    else:
        spans = _page_images(document, page, settings)
    return None if spans is None else as_text(page, spans)


def image_text(
    document: Document, page: Page, index: int, settings: ocr.OcrSettings
) -> PageText | None:
    """One picture placed on a page, read by OCR; None when it could not be read."""
    spans = ocr.ocr_image(document, page.images[index], index, settings)
    return None if spans is None else as_text(page, spans)


def big_enough(image: PlacedImage) -> bool:
    """Large enough to hold a line of text (not an icon or a small logo)."""
    wide, tall = MIN_IMAGE_SIDE
    return (
        max(image.pixel_width, image.pixel_height) >= wide
        and min(image.pixel_width, image.pixel_height) >= tall
    )


def _page_images(document: Document, page: Page, settings) -> list[TextSpan] | None:
    read: list[TextSpan] = []
    for index, image in enumerate(page.images):
        spans = ocr.ocr_image(document, image, index, settings)
        if spans is None:
            return None
        read += spans
    return read


def as_text(page: Page, spans: list[TextSpan]) -> PageText:
    holder = Page(number=page.number, width=page.width, height=page.height)
    holder._cache["spans"] = spans
    return page_text(holder)


def failures(document: Document) -> list[str]:
    """What OCR reported going wrong on this document (tesseract's or the decoder's words)."""
    results = document.analyses.get("ocr")
    return list(results.failures) if results is not None else []
