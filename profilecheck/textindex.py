"""Searchable text of a page that remembers which span each character came from.

Spans are joined with a space (a new line where the next span starts a new line), so a phone
number or a phrase split over several spans is still found, and a match maps back to the boxes
of the spans it covers.
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
            separator = "\n" if _new_line(previous, span) else " "
            pieces.append(separator)
            offset += 1
        starts.append(offset)
        pieces.append(span.text)
        offset += len(span.text)
        previous = span
    return PageText(page.number, "".join(pieces), starts, list(page.spans))


def document_text(document: Document) -> list[PageText]:
    """Shared analysis: every rule that searches text uses the same index."""
    return document.analysis("page-text", lambda doc: [page_text(page) for page in doc.pages])


def _new_line(previous: TextSpan, span: TextSpan) -> bool:
    return previous.part != span.part or previous.line != span.line
