"""Rule type `text-size`: no text smaller than the profile's minimum for its kind of document.

A rule file gives a minimum per format; formats it does not name are not judged:

    type = "text-size"
    [params]
    minimum-pt = { pdf = 9.0, docx = 11.0 }

Passes: a PDF letter in 10 pt with a 9 pt footer; a Word document in 11 pt. Fails
(text-too-small): a PDF with body text at 7 pt, a Word document at 10 pt. Runs shorter than
`min-characters` (a superscript, a footnote mark, a bullet) and the parts listed in
`ignore-parts` are not judged. A page is reported once, at its smallest text. Text whose size
the file does not give (a PDF span of size 0) cannot be judged: `text-size-unchecked`, once per
document, with the rule file's `[texts]` key `size-unknown` as its {reason} ({count}, {pages},
{sample}).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from profilecheck.core.codes import Check
from profilecheck.core.model import Document, Format, Part, TextSpan
from profilecheck.engine.ruletype import Report, RuleType
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule

# Sizes in points are compared at this precision: Word stores half points, PDFs often 9.96.
TOLERANCE_PT = 0.05


@dataclass
class TextSizeParams:
    minimum_pt: dict[str, float]  # format ("pdf", "docx", ...) -> smallest allowed size
    min_characters: int = 3
    ignore_parts: list[str] = field(default_factory=list)


class TextSizeRule(RuleType):
    """Text must be large enough to read: at least the profile's minimum size per format.

    text-too-small is reported once per page (once per document where pages are not known), at
    the smallest run of text, with the size found, the minimum and how many runs are below it.
    """

    name = "text-size"
    checks = (
        Check("T303", "text-too-small", "warning", "Text is smaller than the minimum size."),
        Check(
            "T305",
            "text-size-unchecked",
            "warning",
            "Text whose size cannot be read: its size is not checked.",
        ),
    )
    Params = TextSizeParams

    @classmethod
    def validate(cls, params: TextSizeParams, rule: Rule) -> list[ParamProblem]:
        formats = {f.value for f in Format}
        parts = {p.value for p in Part}
        problems = [
            ParamProblem(f"params.minimum-pt.{name}", f"not a format; one of {sorted(formats)}")
            for name in params.minimum_pt
            if name not in formats
        ]
        problems += [
            ParamProblem(f"params.minimum-pt.{name}", "must be a positive number of points")
            for name, size in params.minimum_pt.items()
            if not size > 0
        ]
        problems += [
            ParamProblem(f"params.ignore-parts[{index}]", f"not a part; one of {sorted(parts)}")
            for index, part in enumerate(params.ignore_parts)
            if part not in parts
        ]
        return problems

    def check(self, document: Document, report: Report) -> None:
        minimum = self.params.minimum_pt.get(document.format.value)
        if minimum is None:
            return
        unknown = [span for span in document.spans() if self._judged(span) and span.size <= 0]
        if unknown:
            pages = sorted({span.page for span in unknown})
            report.unchecked(
                "size-unknown",
                page=unknown[0].page,
                box=unknown[0].box,
                part=unknown[0].part,
                measured={"value": len(unknown)},
                count=len(unknown),
                pages=", ".join(map(str, pages)) if document.paginated else "—",
                sample=unknown[0].text.strip()[:40],
            )
        for page in document.pages:
            small = [span for span in page.spans if self._judged(span) and _below(span, minimum)]
            if not small:
                continue
            smallest = min(small, key=lambda span: span.size)
            report(
                "text-too-small",
                page=page.number,
                box=smallest.box,
                part=smallest.part,
                size=_points(smallest.size),
                minimum=_points(minimum),
                count=len(small),
                sample=smallest.text.strip()[:40],
                measured={"size_pt": round(smallest.size, 2), "minimum_pt": minimum},
            )

    def _judged(self, span: TextSpan) -> bool:
        visible = len(span.text.strip())
        return visible >= self.params.min_characters and span.part not in self.params.ignore_parts


def _below(span: TextSpan, minimum: float) -> bool:
    return span.size > 0 and span.size < minimum - TOLERANCE_PT


def _points(size: float) -> str:
    return f"{size:g} pt" if size == round(size, 1) else f"{size:.1f} pt"
