"""Headings that are not marked as headings (`headings-not-marked`), in a Word document.

A screen reader lists and jumps between headings only when they are in a heading style. A body
paragraph reads as a heading to the eye when it is short (at most `MAX_CHARS` characters once
stripped), every run in it is bold and its smallest text is larger than the body text's
commonest size (weighted by characters); when its paragraph style is not a heading style it is
counted. Only body text counts: headers, footers, tables, text boxes and notes do not.

The Word reader records the facts (each span's paragraph via `TextSpan.line`, its style and
whether that style is a heading style); what they mean is decided here.
"""

from __future__ import annotations

from collections import Counter

from profilecheck.core.model import Document, Part, TextSpan

MAX_CHARS = 120


def fake_headings(document: Document) -> int:
    """Short all-bold body paragraphs in a size above the body text's, not in a heading style."""
    paragraphs: dict[int, list[TextSpan]] = {}  # by TextSpan.line: one Word paragraph each
    sizes: Counter[float] = Counter()
    for span in document.spans():
        if span.part == Part.BODY:
            paragraphs.setdefault(span.line, []).append(span)
            sizes[span.size] += len(span.text)
    if not sizes:
        return 0
    body_size = sizes.most_common(1)[0][0]
    return sum(1 for spans in paragraphs.values() if _looks_like_heading(spans, body_size))


def _looks_like_heading(spans: list[TextSpan], body_size: float) -> bool:
    if any(span.heading_style for span in spans):
        return False
    text = "".join(span.text for span in spans).strip()
    if len(text) > MAX_CHARS or not all(span.bold for span in spans):
        return False
    return min(span.size for span in spans) > body_size
