"""All text a contact can be in: the text layer of each page and, where a page has none, OCR.

Images on pages that do have text (a poster pasted into a letter) are read only when the text
layer names no contact, and only until one does, so ordinary documents never wait for OCR.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from profilecheck.analyses import ocr
from profilecheck.analyses.textindex import PageText, document_text, page_text
from profilecheck.core.model import Document, Format, Page, Part, TextSpan

MIN_IMAGE_SIDE = (300, 80)  # pixels: smaller images are icons and logos, not text


# A page without a text layer but with this many vector paths may be text turned into outlines
# (posters, print PDFs); fewer are rules, boxes and decoration, not worth an OCR run.
OUTLINED_TEXT_PATHS = 40


@dataclass
class ContactText:
    page: PageText
    source: str  # "text" or "ocr"

    def part_at(self, offset: int) -> Part:
        return self.page.part_at(offset)


def collect_texts(
    document: Document,
    params: Any,
    settings: ocr.OcrSettings,
    named: Callable[[ContactText], bool],
) -> tuple[list[ContactText], list[tuple[str, int]]]:
    """The texts to search, and what could not be read (pages that need OCR but got none).

    OCR stops at the first text that names a contact, and after `ocr_max_pages` pages and
    `ocr_max_images` images; pages left unread for that reason are not reported as unread.
    """
    texts: list[ContactText] = []
    blank: list[Page] = []
    for page, indexed in zip(document.pages, document_text(document), strict=True):
        if indexed.text.strip():
            texts.append(ContactText(indexed, "text"))
        elif _has_content(document, page):
            blank.append(page)
    if any(named(text) for text in texts):
        return texts, []
    if not params.ocr or not ocr.available():
        return texts, [_page_name(document, page) for page in blank]
    unread: list[tuple[str, int]] = []
    for page in _likely_first(blank)[: params.ocr_max_pages]:
        read = _ocr_blank_page(document, page, settings)
        if read is None:
            unread.append(_page_name(document, page))
        elif read.page.text.strip():
            texts.append(read)
            if named(read):
                return texts, unread
    texts += _ocr_images(document, settings, named, params.ocr_max_images)
    return texts, unread


def _likely_first(pages: list[Page]) -> list[Page]:
    """The first and the last page first: where letters and posters put their contact."""
    if len(pages) <= 2:
        return pages
    return [pages[0], pages[-1], *pages[1:-1]]


def _has_content(document: Document, page: Page) -> bool:
    """Worth reading with OCR: pictures (scans), or enough vector paths to be outlined text."""
    if document.format is Format.IMAGE or page.images:
        return True
    if document.format is not Format.PDF or not page.can_render:
        return False
    return len(page.paints) >= OUTLINED_TEXT_PATHS


def _page_name(document: Document, page: Page) -> tuple[str, int]:
    """What could not be read: ("image", 1), ("page", 3) or ("document", 1) for Word."""
    if document.format is Format.IMAGE:
        return ("image", page.number)
    return ("page" if document.paginated else "document", page.number)


def _ocr_blank_page(document: Document, page: Page, settings) -> ContactText | None:
    if document.format is Format.PDF and page.can_render:
        spans = ocr.ocr_page(document, page, settings)
    else:
        spans = _ocr_page_images(document, page, settings)
    return None if spans is None else _as_text(page, spans)


def _ocr_page_images(document: Document, page: Page, settings) -> list[TextSpan] | None:
    read: list[TextSpan] = []
    for index, image in enumerate(page.images):
        spans = ocr.ocr_image(document, image, index, settings)
        if spans is None:
            return None
        read += spans
    return read


def _ocr_images(document, settings, named, budget: int) -> list[ContactText]:
    found = []
    for page in document.pages:
        if not page.spans:
            continue  # read as a whole page above
        for index, image in enumerate(page.images):
            if budget <= 0 or not _big_enough(image):
                continue
            budget -= 1
            spans = ocr.ocr_image(document, image, index, settings)
            if not spans:
                continue
            text = _as_text(page, spans)
            found.append(text)
            if named(text):
                return found
    return found


def _big_enough(image) -> bool:
    wide, tall = MIN_IMAGE_SIDE
    return (
        max(image.pixel_width, image.pixel_height) >= wide
        and min(image.pixel_width, image.pixel_height) >= tall
    )


def _as_text(page: Page, spans: list[TextSpan]) -> ContactText:
    holder = Page(number=page.number, width=page.width, height=page.height)
    holder._cache["spans"] = spans
    return ContactText(page_text(holder), "ocr")
