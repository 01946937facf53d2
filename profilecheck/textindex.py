"""Searchable text of a page that remembers which span each character came from.

Spans of one line are joined as they read (a space only where a PDF leaves a visible gap), lines
and paragraphs with a new line, so a phone number or a phrase split over several runs is still
found, and a match maps back to the boxes of the spans it covers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from profilecheck.model import Box, Document, Page, Part, TextSpan


@dataclass
class PageText:
    page: int
    text: str
    starts: list[int]  # offset in `text` where each span starts
    spans: list[TextSpan]

    def spans_between(self, start: int, end: int) -> list[TextSpan]:
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        last = max(bisect.bisect_right(self.starts, max(end - 1, start)) - 1, 0)
        return self.spans[first : last + 1]

    def box_between(self, start: int, end: int) -> Box | None:
        boxes = [span.box for span in self.spans_between(start, end) if span.box is not None]
        if not boxes:
            return None
        out = boxes[0]
        for box in boxes[1:]:
            out = out.union(box)
        return out

    def part_at(self, offset: int) -> Part:
        spans = self.spans_between(offset, offset + 1)
        return spans[0].part if spans else Part.BODY


def page_text(page: Page) -> PageText:
    pieces: list[str] = []
    starts: list[int] = []
    offset = 0
    previous: TextSpan | None = None
    for span in page.spans:
        if previous is not None:
            separator = _separator(previous, span)
            pieces.append(separator)
            offset += len(separator)
        starts.append(offset)
        pieces.append(span.text)
        offset += len(span.text)
        previous = span
    return PageText(page.number, "".join(pieces), starts, list(page.spans))


def document_text(document: Document) -> list[PageText]:
    """Shared analysis: every rule that searches text uses the same index."""
    return document.analysis("page-text", lambda doc: [page_text(page) for page in doc.pages])


def _separator(previous: TextSpan, span: TextSpan) -> str:
    """Runs of one line are contiguous text; a visible gap between PDF spans is a space."""
    if previous.part != span.part or previous.line != span.line:
        return "\n"
    if previous.box is None or span.box is None:
        return ""
    return " " if span.box.x0 - previous.box.x1 > 0.15 * previous.size else ""
