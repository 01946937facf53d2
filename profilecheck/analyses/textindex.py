"""Searchable text of a page that remembers which span each character came from.

Spans of one line are joined as they read (a space only where a PDF leaves a visible gap), lines
and paragraphs with a new line, so a phone number or a phrase split over several runs is still
found, and a match maps back to the boxes of the spans it covers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from profilecheck.core.model import Box, Document, Page, Part, TextSpan

# Characters that look like a hyphen or a space and that fonts and PDF producers substitute
# (soft hyphen, no-break space, Unicode dashes): one for one, so offsets stay valid.
LOOKALIKES = str.maketrans(
    {"\u00ad": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
     "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " "}
)  # fmt: skip


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
    text = "".join(pieces).translate(LOOKALIKES)
    return PageText(page.number, text, starts, list(page.spans))


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
