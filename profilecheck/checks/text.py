"""Rule type `text`: text a profile forbids or requires, in the text layer and in pixels.

    [params]
    ocr = true                 # read text that exists only as pixels (scans, image files)
    ocr-max-pages = 20         # pages read by OCR per document; the rest are text-unchecked

The words of `text-unchecked` are the rule file's: its message's {reason} is one of the
`[texts]` keys `no-ocr`, `ocr-off`, `ocr-failed`, `ocr-limit`, whose {what} lists the pages
(keys `image`, `page`, `document`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from profilecheck.analyses import ocr
from profilecheck.analyses.phones import national_digits
from profilecheck.analyses.pixeltext import OCR_SOURCE, PixelText, failures, pixel_text
from profilecheck.analyses.textindex import PageText, document_text
from profilecheck.core import codes
from profilecheck.core.codes import Check
from profilecheck.core.model import Document
from profilecheck.engine.ruletype import Report, RuleType, pick_language
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule

PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s\-/().]{4,}\d")


@dataclass
class Pattern:
    pattern: str
    kind: Literal["regex", "literal", "digits"] = "regex"
    finding: str = ""
    description: str | dict[str, str] = ""  # a text, or texts by language: sv = "", en = ""
    suggestion: str | dict[str, str] | None = None
    replacement: str = ""  # what `profilecheck fix` writes instead (else the suggestion's number)
    ignore_case: bool = True

    def search(self, page: PageText) -> Iterator[tuple[int, int, str]]:
        """(start, end, matched text) of each occurrence on the page."""
        if self.kind == "digits":
            wanted = national_digits(self.pattern)
            for match in PHONE_LIKE.finditer(page.text):
                if national_digits(match.group()) == wanted:
                    yield match.start(), match.end(), match.group()
            return
        flags = re.IGNORECASE if self.ignore_case else 0
        expression = re.escape(self.pattern) if self.kind == "literal" else self.pattern
        for match in re.finditer(expression, page.text, flags):
            yield match.start(), match.end(), match.group()


@dataclass
class TextParams:
    forbidden: list[Pattern] = field(default_factory=list)
    required: list[Pattern] = field(default_factory=list)
    ocr: bool = True
    ocr_languages: str = "swe+eng"
    ocr_timeout: float = 60.0
    ocr_max_pages: int = 20


class TextRule(RuleType):
    """Flags text the profile forbids and reports required text that is missing.

    Each pattern is a regular expression, a literal phrase, or a phone number compared by its
    digits (so `0303-33 00 00`, `0303/330000` and `+46 303 33 00 00` are one number). A rule
    file names the finding each pattern produces, so the Ale profile reports the old
    switchboard number as `contact-outdated`:

        [[params.forbidden]]
        kind = "digits"
        pattern = "0303-33 00 00"
        finding = "contact-outdated"

    Fails: "Ring växeln på 0303-33 00 00."  Passes: "Ring Kontaktcenter på 0303-70 30 00."
    Text is searched across the spans and lines of a page, so a number split over two runs is
    found. Text that exists only as pixels (an image file, a scanned page, text turned into
    outlines) is read by OCR and searched the same way; such findings say so
    (`measured.source = "ocr"`, part `image`). Where OCR is needed but missing, switched off or
    failing, `text-unchecked` names the pages not read, and a required pattern found nowhere
    is reported as not checked rather than missing. Forbidden patterns give one finding per
    occurrence, with its page and box; required patterns give one finding per document when
    no page has them. A pattern's `description`
    ({description} in the rule file's messages) and `suggestion` are a text, or a table of
    texts by language; `replacement` is what `profilecheck fix` writes in the pattern's place.
    """

    name = "text"
    checks = (
        Check("X601", "text-forbidden", "warning", "Text the profile forbids."),
        Check("X602", "text-required-missing", "warning", "Text the profile requires is missing."),
        Check(
            "X603",
            "text-unchecked",
            "warning",
            "Text that exists only as pixels could not be read: it is not checked.",
        ),
    )
    Params = TextParams

    @classmethod
    def validate(cls, params: TextParams, rule: Rule) -> list[ParamProblem]:
        problems = []
        for group in ("forbidden", "required"):
            for index, pattern in enumerate(getattr(params, group)):
                key = f"params.{group}[{index}]"
                if pattern.finding and pattern.finding not in codes.CATALOGUE:
                    problems.append(ParamProblem(f"{key}.finding", "unknown finding name"))
                if pattern.kind == "regex":
                    try:
                        re.compile(pattern.pattern)
                    except re.error as error:
                        problems.append(ParamProblem(f"{key}.pattern", f"bad expression: {error}"))
        return problems

    def emitted(self) -> tuple[str, ...]:
        names = [p.finding or "text-forbidden" for p in self.params.forbidden]
        names += [p.finding or "text-required-missing" for p in self.params.required]
        return tuple(dict.fromkeys([*names, "text-unchecked"]))

    def check(self, document: Document, report: Report) -> None:
        params = self.params
        settings = ocr.OcrSettings(params.ocr_languages, params.ocr_timeout)
        pixels = pixel_text(document, settings, params.ocr, params.ocr_max_pages)
        pages = [page for page in document_text(document) if page.text.strip()]
        searched = [(page, None) for page in pages] + [(page, OCR_SOURCE) for page in pixels.pages]
        for pattern in params.forbidden:
            for page, source in searched:
                for start, end, matched in pattern.search(page):
                    report(
                        pattern.finding or "text-forbidden",
                        page=page.page,
                        box=page.box_between(start, end),
                        part=page.part_at(start),
                        suggestion=pattern.suggestion,
                        measured=source,
                        match=matched,
                        description=_description(pattern, report),
                    )
        if pixels.unread:
            _unread(document, pixels, report)
        for pattern in params.required:
            if pixels.unread or any(next(pattern.search(page), None) for page, _ in searched):
                continue  # not found in what was read: not checked (text-unchecked), not missing
            report(
                pattern.finding or "text-required-missing",
                suggestion=pattern.suggestion,
                description=_description(pattern, report),
                match="",
            )


def _unread(document: Document, pixels: PixelText, report: Report) -> None:
    """text-unchecked: the pages whose text is pixels that OCR did not read, by reason."""
    by_reason: dict[str, list] = {}
    for unread in pixels.unread:
        by_reason.setdefault(unread.why, []).append(unread)
    failed = failures(document)
    for why, unread in by_reason.items():
        what = ", ".join(report.text(u.kind, number=str(u.number)) for u in unread[:5])
        more = len(unread) - 5
        report.unchecked(
            why,
            page=unread[0].number,
            what=what + (f" (+{more})" if more > 0 else ""),
            measured={"pages": [u.number for u in unread]}
            | ({"ocr": failed} if failed and why == "ocr-failed" else {}),
        )


def _description(pattern: Pattern, report: Report) -> str:
    return pick_language(pattern.description, report.lang) or pattern.pattern
