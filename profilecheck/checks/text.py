"""Rule type `text`: text a profile forbids or requires."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from profilecheck.analyses.phones import national_digits
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
    found. Forbidden patterns give one finding per occurrence, with its page and box; required
    patterns give one finding per document when no page has them. A pattern's `description`
    ({description} in the rule file's messages) and `suggestion` are a text, or a table of
    texts by language.
    """

    name = "text"
    checks = (
        Check("X601", "text-forbidden", "warning", "Text the profile forbids."),
        Check("X602", "text-required-missing", "warning", "Text the profile requires is missing."),
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
        return tuple(dict.fromkeys(names))

    def check(self, document: Document, report: Report) -> None:
        pages = document_text(document)
        for pattern in self.params.forbidden:
            for page in pages:
                for start, end, matched in pattern.search(page):
                    report(
                        pattern.finding or "text-forbidden",
                        page=page.page,
                        box=page.box_between(start, end),
                        part=page.part_at(start),
                        suggestion=pattern.suggestion,
                        match=matched,
                        description=_description(pattern, report),
                    )
        for pattern in self.params.required:
            if not any(next(pattern.search(page), None) for page in pages):
                report(
                    pattern.finding or "text-required-missing",
                    suggestion=pattern.suggestion,
                    description=_description(pattern, report),
                    match="",
                )


def _description(pattern: Pattern, report: Report) -> str:
    return pick_language(pattern.description, report.lang) or pattern.pattern
