"""All text a contact can be in: the text layer of each page and, where a page has none, OCR.

Pages without a text layer are read by the shared OCR analysis (`analyses.pixeltext`), so the
text rule reuses what this rule read. Images on pages that do have text (a poster pasted into a
letter) are read only when the text layer names no contact, and only until one does, so
ordinary documents never wait for OCR.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from profilecheck.analyses import ocr, pixeltext
from profilecheck.analyses.pixeltext import Unread
from profilecheck.analyses.textindex import PageText, document_text
from profilecheck.core.model import Document, Page, Part


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
) -> tuple[list[ContactText], list[Unread]]:
    """The texts to search, and what could not be read (pages that need OCR but got none).

    OCR stops at the first text that names a contact, and after `ocr_max_pages` pages and
    `ocr_max_images` images; pages left unread for that reason are not reported as unread.
    """
    texts = [ContactText(t, "text") for t in document_text(document) if t.text.strip()]
    if any(named(text) for text in texts):
        return texts, []
    blank = pixeltext.blank_pages(document)
    why = pixeltext.unavailable(params.ocr)
    if why:
        return texts, [Unread(*pixeltext.page_name(document, page), why) for page in blank]
    unread: list[Unread] = []
    for page in _likely_first(blank)[: params.ocr_max_pages]:
        read = pixeltext.read_page(document, page, settings)
        if read is None:
            unread.append(Unread(*pixeltext.page_name(document, page), "ocr-failed"))
        elif read.text.strip():
            texts.append(ContactText(read, "ocr"))
            if named(texts[-1]):
                return texts, unread
    texts += _ocr_images(document, settings, named, params.ocr_max_images)
    return texts, unread


def _likely_first(pages: list[Page]) -> list[Page]:
    """The first and the last page first: where letters and posters put their contact."""
    if len(pages) <= 2:
        return pages
    return [pages[0], pages[-1], *pages[1:-1]]


def _ocr_images(document, settings, named, budget: int) -> list[ContactText]:
    found = []
    for page in document.pages:
        if not page.spans:
            continue  # read as a whole page above
        for index, image in enumerate(page.images):
            if budget <= 0 or not pixeltext.big_enough(image):
                continue
            budget -= 1
            read = pixeltext.image_text(document, page, index, settings)
            if read is None or not read.spans:
                continue
            found.append(ContactText(read, "ocr"))
            if named(found[-1]):
                return found
    return found
