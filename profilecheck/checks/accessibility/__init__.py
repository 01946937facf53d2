"""Rule type `accessibility`: what DOS-lagen (2018:1937, via EN 301 549 / WCAG 2.1 AA) asks of
a published PDF or Word document.

    type = "accessibility"
    [params]
    exempt-before = ""     # e.g. "2018-09-23": documents created earlier are not checked

Passes: a tagged PDF (/StructTreeRoot and /MarkInfo /Marked true) with /Lang sv-SE, a title
shown in the viewer's title bar (/DisplayDocTitle true), /Alt on every /Figure, real text and
black body text on white. Fails: an untagged PDF, no /Lang, no title or a title the viewer is
not told to show, a /Figure without /Alt or /ActualText, a page that is a scan without a text
layer (raster images, image XObjects or inline images, cover `scanned-cover` of a page with no
text; a shading or gradient is vector art and never a scan), light grey #AAAAAA body text on
white (2.3:1 < 4.5:1). Word: language on the text, a title in the core properties, alt text
on every non-decorative image, headings in heading styles rather than bold body paragraphs.
Image files are not checked by this rule.

Decisions worth knowing:
- An untagged PDF gets `pdf-untagged` only, not also `image-alt-missing` per image: without
  tags there is nowhere to put alt text, and tagging the PDF is the fix for both.
- Contrast is measured against what is actually behind each span. Where vector content
  settles it (nothing under the span, or solid fills covering it) no pixels are needed;
  otherwise (images, gradients, partial shapes) the page is rendered once at `contrast-dpi`,
  the logo rule's resolution, so the cached render serves both, and the background is the
  commonest colour of the span's box that is not the text colour. One finding per colour pair
  per page.
- The logotype is exempt (WCAG 1.4.3): a span whose whole text is one of the profile's
  `logo-texts` (its name as the logotype sets it, "Ale kommun") and that sits within
  `logo-margin` points of an image or graphic is not measured.
- What could not be checked is `accessibility-unchecked` (a warning), never passed: a
  structure tree that cannot be read, is empty, or is larger than the walk's node limit (alt
  text of its figures, or of the rest of them, not checked), and text over pictures whose page
  could not be rendered or lies beyond `contrast-max-pages` (contrast not measured).
- Word text is measured against its highlight or shading, else its text box's solid fill, else
  the document's page colour (Design > Page Color), else white; in a text box with a gradient,
  picture or pattern fill it is unchecked (contrast-unknown-fill). Slide text against what the reader found behind it; over
  a picture or a gradient, against the slide as LibreOffice renders it (where installed; the
  finding says so, as its layout can differ slightly from PowerPoint's), else unchecked.
- Messages and their pieces of text (`[texts]`: no-tree, not-marked, no-title, not-displayed;
  the {reason} of accessibility-unchecked: tree-broken with {error}, tree-empty,
  tree-truncated with {elements}, contrast-not-rendered and contrast-limit with {pages} and
  {count}, contrast-unknown-fill with {count}) come from the rule file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from profilecheck.checks.accessibility.contrast import (
    WHITE,
    Measured,
    PageContrasts,
    Unmeasured,
    is_large_text,
    page_contrasts,
    rendered_slide,
    rendering_note,
    slide_contrasts,
    to_hex,
    word_contrasts,
)
from profilecheck.core.codes import Check
from profilecheck.core.colour import parse_colour
from profilecheck.core.facts import StructureTree
from profilecheck.core.model import Box, Document, Format, Page, Part, TextSpan
from profilecheck.engine.ruletype import Report, RuleType
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule

CONTRAST_ANALYSIS = "accessibility:text-contrast:{dpi}"


@dataclass
class AccessibilityParams:
    exempt_before: str = ""  # ISO date; off when empty
    normal_ratio: float = 4.5
    large_ratio: float = 3.0
    large_size: float = 18.0
    large_bold_size: float = 14.0
    contrast_dpi: int = 100  # the logo rule's render resolution: one render serves both
    contrast_max_pages: int = 100  # pages rendered for contrast at most; the rest: white only
    logo_texts: list[str] = field(default_factory=list)  # the logotype's name, as text
    logo_margin: float = 12.0  # points
    scanned_cover: float = 0.5  # share of the page covered by images to count as a scan
    require_display_title: bool = True


def reason(key: str, report: Report) -> str:
    """The rule file's text `key`: no-tree, not-marked (pdf-untagged's {reason}), no-title,
    not-displayed (title-missing's {reason})."""
    return report.text(key)


class AccessibilityRule(RuleType):
    """Checks what DOS-lagen (WCAG 2.1 AA) asks of published documents.

    PDF: tagged, language, title shown in the title bar, alt text on figures, no page that is a
    scan without text. Word: language on the text, title in the properties, alt text on images
    (decorative ones are exempt), headings in heading styles. Both: text contrast at least
    4.5:1, or 3:1 for large text (18 pt, or 14 pt bold), measured against what lies behind the
    text; the logotype is exempt. With `exempt-before` set, older documents are not checked.
    A structure tree that cannot be read whole, and text whose background cannot be rendered,
    are `accessibility-unchecked`.
    """

    name = "accessibility"
    checks = (
        Check("A501", "pdf-untagged", "error", "The PDF has no structure tags."),
        Check("A502", "language-missing", "error", "The document language is not set."),
        Check(
            "A503",
            "title-missing",
            "error",
            "The document has no title, or viewers are not told to show it.",
        ),
        Check("A504", "image-alt-missing", "error", "An image has no alternative text."),
        Check("A505", "text-contrast-low", "error", "Text contrast is below WCAG 2.1 AA."),
        Check(
            "A506",
            "scanned-without-text",
            "error",
            "A page is a scanned image without a text layer.",
        ),
        Check(
            "A507",
            "headings-not-marked",
            "warning",
            "Text looks like headings but uses no heading style.",
        ),
        Check(
            "A508",
            "accessibility-unchecked",
            "warning",
            "Part of the document could not be checked: a structure tree that cannot be read, "
            "or text whose background cannot be rendered.",
        ),
    )
    Params = AccessibilityParams

    @classmethod
    def validate(cls, params: AccessibilityParams, rule: Rule) -> list[ParamProblem]:
        problems = []
        if params.exempt_before and _date(params.exempt_before) is None:
            problems.append(ParamProblem("params.exempt-before", "expected a date: YYYY-MM-DD"))
        if params.normal_ratio < 1 or params.large_ratio < 1:
            problems.append(ParamProblem("params.normal-ratio", "ratios run from 1 to 21"))
        if not 0 < params.scanned_cover <= 1:
            problems.append(ParamProblem("params.scanned-cover", "expected a share in (0, 1]"))
        if params.contrast_dpi <= 0:
            problems.append(ParamProblem("params.contrast-dpi", "must be positive"))
        return problems

    def check(self, document: Document, report: Report) -> None:
        if document.format not in (Format.PDF, Format.DOCX, Format.PPTX) or self.exempt(document):
            return
        if document.format is Format.PDF:
            self.check_pdf(document, report)
        else:
            self.check_word(document, report)
        if report.wants("text-contrast-low", "accessibility-unchecked"):  # renders pages
            self.check_contrast(document, report)

    def exempt(self, document: Document) -> bool:
        limit = _date(self.params.exempt_before)
        created = _date(document.metadata.created or "")
        return limit is not None and created is not None and created < limit

    def check_pdf(self, document: Document, report: Report) -> None:
        metadata = document.metadata
        if not metadata.tagged:
            tree = metadata.structure is not None and metadata.structure.present
            report(
                "pdf-untagged",
                part=Part.DOCUMENT,
                reason=reason("not-marked" if tree else "no-tree", report),
            )
        if not metadata.language:
            report("language-missing", part=Part.DOCUMENT)
        if not metadata.title:
            report("title-missing", part=Part.DOCUMENT, reason=reason("no-title", report))
        elif self.params.require_display_title and not metadata.display_title:
            report("title-missing", part=Part.DOCUMENT, reason=reason("not-displayed", report))
        wants_tree = report.wants("image-alt-missing", "accessibility-unchecked")
        if metadata.tagged and metadata.structure is not None and wants_tree:
            self.check_tree(metadata.structure, report)
        wants_scans = report.wants("scanned-without-text")
        scanned = [p.number for p in document.pages if wants_scans and self.is_scan(p)]
        if scanned:
            report(
                "scanned-without-text",
                page=scanned[0],
                part=Part.BODY,
                pages=_ranges(scanned),
                measured={"value": len(scanned), "limit": 0},
            )

    @staticmethod
    def check_tree(tree: StructureTree, report: Report) -> None:
        """Alt text on every figure of the structure tree (walked here, on first use, and only
        for a tagged PDF); a tree that cannot be read whole is said to be unchecked."""
        for number, figure in enumerate(tree.figures, start=1):
            if not figure.alt:
                label = f"/{figure.type or 'Figure'} #{number}"
                report("image-alt-missing", page=figure.page, part=Part.IMAGE, image=label)
        measured = {"elements": tree.elements, "figures": len(tree.figures)}
        if tree.error:
            report.unchecked("tree-broken", part=Part.DOCUMENT, measured=measured, error=tree.error)
        elif tree.truncated:
            report.unchecked(
                "tree-truncated", part=Part.DOCUMENT, measured=measured, elements=tree.elements
            )
        elif tree.present and not tree.elements:
            report.unchecked("tree-empty", part=Part.DOCUMENT, measured=measured)

    def is_scan(self, page: Page) -> bool:
        """No text on the page, and raster images cover at least `scanned-cover` of it (not
        shadings: a gradient is vector art, though PyMuPDF reports it as an image)."""
        if page.box.area <= 0 or page.spans:
            return False
        boxes = [image.box for image in page.images if image.raster]
        return _covered(page.box, boxes) >= self.params.scanned_cover

    def check_word(self, document: Document, report: Report) -> None:
        metadata = document.metadata
        if not metadata.language and not any(span.language for span in document.spans()):
            report("language-missing", part=Part.DOCUMENT)
        if not metadata.title:
            report("title-missing", part=Part.DOCUMENT, reason=reason("no-title", report))
        for image in document.images():
            if not image.alt_text and not image.decorative:
                report("image-alt-missing", part=image.part, image=image.name or "image")
        from profilecheck.checks.accessibility.headings import fake_headings  # Word only

        count = fake_headings(document) if report.wants("headings-not-marked") else 0
        if count > 0:
            report("headings-not-marked", part=Part.DOCUMENT, count=count)

    def check_contrast(self, document: Document, report: Report) -> None:
        key = CONTRAST_ANALYSIS.format(dpi=self.params.contrast_dpi)
        contrasts: list[PageContrasts] = document.analysis(key, self.measure)
        groups: dict[tuple, list[Measured]] = {}
        for item in (m for page in contrasts for m in page.measured):
            limit = self.limit(item.span)
            if round(item.ratio, 2) >= limit or self.is_logo(document, item.span):
                continue
            pair = (item.span.page, to_hex(item.span.colour.rgb), to_hex(item.background), limit)
            groups.setdefault(pair, []).append(item)
        for (page, colour, background, limit), items in groups.items():
            worst = min(items, key=lambda m: m.ratio)
            report(
                "text-contrast-low",
                page=page,
                box=worst.span.box,
                part=worst.span.part,
                measured={"value": round(worst.ratio, 2), "limit": limit},
                ratio=f"{worst.ratio:.2f}",
                limit=f"{limit:g}",
                colour=colour,
                background=background,
                sample=_sample(worst.span.text),
                count=len(items),
            )
            if worst.rendered and report.findings:  # LibreOffice's layout, not PowerPoint's
                note, last = rendering_note(document, report.lang), report.findings[-1]
                report.findings[-1] = replace(last, message=f"{last.message} ({note})")
        unmeasured = [page.unmeasured for page in contrasts if page.unmeasured]
        for why in dict.fromkeys(item.why for item in unmeasured):
            _unmeasured([item for item in unmeasured if item.why == why], report)

    def measure(self, document: Document) -> list[PageContrasts]:
        if document.format is Format.PPTX:  # as the reader says, else as LibreOffice renders
            dpi, most = self.params.contrast_dpi, self.params.contrast_max_pages
            return [
                slide_contrasts(
                    page, rendered_slide(document, page.number) if i < most else None, dpi
                )
                for i, page in enumerate(document.pages)
            ]
        if document.format is not Format.PDF:
            return [word_contrasts(document.spans(), _paper(document))]
        return [
            page_contrasts(page, self.params.contrast_dpi, index < self.params.contrast_max_pages)
            for index, page in enumerate(document.pages)
        ]

    def limit(self, span: TextSpan) -> float:
        params = self.params
        large = is_large_text(span.size, span.bold, params.large_size, params.large_bold_size)
        return params.large_ratio if large else params.normal_ratio

    def is_logo(self, document: Document, span: TextSpan) -> bool:
        """A span that reads as the logotype's name and sits next to an image or graphic."""
        if " ".join(span.text.split()).casefold() not in self.logo_texts:
            return False
        if span.box is None or not document.paginated:
            return True
        page = document.pages[span.page - 1] if 0 < span.page <= len(document.pages) else None
        if page is None:
            return False
        near = span.box.expanded(self.params.logo_margin)
        return _any_intersects(
            near,
            [i.box for i in page.images] + [p.box for p in page.paints if p.operation != "text"],
        )

    @property
    def logo_texts(self) -> set[str]:
        return {" ".join(text.split()).casefold() for text in self.params.logo_texts}


def _unmeasured(items: list[Unmeasured], report: Report) -> None:
    """accessibility-unchecked: text whose contrast could not be measured, for one reason."""
    report.unchecked(
        items[0].why,
        page=items[0].page,
        part=Part.BODY,
        measured={"pages": [item.page for item in items], "spans": sum(i.spans for i in items)}
        | ({"detail": items[0].detail} if items[0].detail else {}),
        pages=_ranges([item.page for item in items]),
        count=sum(item.spans for item in items),
    )


def _paper(document: Document) -> tuple[float, float, float]:
    """The colour of a Word document's pages: its page colour, else white."""
    word = document.metadata.word
    try:
        rgb = parse_colour(word.page_colour).rgb if word and word.page_colour else None
    except ValueError:
        rgb = None
    return rgb or WHITE  # type: ignore[return-value]


def _covered(page: Box, boxes: list[Box], exact: int = 200) -> float:
    """Share of `page` covered by the union of `boxes` (overlaps count once): exact, slab by
    slab between the boxes' edges, for up to `exact` boxes; on a coarse grid beyond."""
    if not boxes or page.area <= 0:
        return 0.0
    if len(boxes) > exact:
        return _covered_grid(page, boxes)
    inside = [
        (max(b.x0, page.x0), max(b.y0, page.y0), min(b.x1, page.x1), min(b.y1, page.y1))
        for b in boxes
    ]
    inside = [b for b in inside if b[2] > b[0] and b[3] > b[1]]
    edges = sorted({x for b in inside for x in (b[0], b[2])})
    area = 0.0
    for left, right in itertools.pairwise(edges):
        spans = sorted((b[1], b[3]) for b in inside if b[0] <= left and b[2] >= right)
        top = bottom = None
        for y0, y1 in spans:
            if bottom is None or y0 > bottom:
                area += (right - left) * ((bottom - top) if bottom is not None else 0.0)
                top, bottom = y0, y1
            else:
                bottom = max(bottom, y1)
        if bottom is not None:
            area += (right - left) * (bottom - top)
    return area / page.area


def _covered_grid(page: Box, boxes: list[Box], cells: int = 32) -> float:
    """`_covered` on a coarse grid of `cells` by `cells` (to within a cell's row or column)."""
    step_x, step_y = page.width / cells, page.height / cells
    hit = 0
    for row in range(cells):
        y = page.y0 + (row + 0.5) * step_y
        for column in range(cells):
            x = page.x0 + (column + 0.5) * step_x
            hit += any(b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1 for b in boxes)
    return hit / (cells * cells)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1–3, 5"."""
    out: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        out.append(f"{start}–{previous}" if previous > start else str(start))
        if number is not None:
            start = previous = number
    return ", ".join(out)


def _any_intersects(box: Box, others: Iterable[Box]) -> bool:
    return any(box.intersects(other) for other in others)


def _sample(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
