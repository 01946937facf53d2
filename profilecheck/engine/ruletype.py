"""What a rule type is: the Python half of a rule. The data half is a rule file in a profile.

A rule type subclasses `RuleType`, declares the finding names it emits, a `Params` dataclass for
its rule files, and default messages in English and Swedish. Its docstring is what
`profilecheck explain` prints, so it says what passes and what fails. It sees only the
document model. Rule types are found through the entry-point group `profilecheck.rules`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, ClassVar

from profilecheck.core.codes import CATALOGUE, Check
from profilecheck.core.model import Box, Document, Part, Severity
from profilecheck.core.results import Finding, Location
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule


@dataclass
class NoParams:
    pass


class RuleType:
    """Base class of rule types. Subclasses override the class attributes and `check`."""

    name: ClassVar[str] = ""
    emits: ClassVar[tuple[str, ...]] = ()
    Params: ClassVar[type] = NoParams
    messages: ClassVar[dict[str, dict[str, str]]] = {}
    extra_checks: ClassVar[tuple[Check, ...]] = ()
    # Imports the rule type needs that are slow (OpenCV, PyMuPDF); shown by `explain`.
    heavy: ClassVar[bool] = False

    def __init__(self, rule: Rule, params: Any) -> None:
        self.rule = rule
        self.params = params

    @classmethod
    def validate(cls, params: Any, rule: Rule) -> list[ParamProblem]:
        """Checks beyond types (files exist, colours parse); runs in `profile validate`."""
        return []

    def emitted(self) -> tuple[str, ...]:
        """The finding names this rule can emit (text rules name theirs in the rule file)."""
        return self.emits

    def check(self, document: Document, report: Report) -> None:
        raise NotImplementedError


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Report:
    """Collects the findings of one rule on one document, filling in code, severity and text."""

    def __init__(self, rule: Rule, rule_type: type[RuleType], document: Document, lang: str):
        self.rule = rule
        self.rule_type = rule_type
        self.document = document
        self.lang = lang
        self.findings: list[Finding] = []

    def __call__(
        self,
        name: str,
        *,
        page: int | None = None,
        box: Box | None = None,
        part: Part | None = None,
        suggestion: str | None = None,
        measured: dict[str, Any] | None = None,
        severity: Severity | None = None,  # when a rule's own parameters soften a finding
        **message_values: Any,
    ) -> None:
        check = CATALOGUE[name]
        paginated = self.document.paginated
        location = Location(
            path=self.document.path,
            page=page if paginated else None,
            box=box if paginated else None,
            part=part,
        )
        self.findings.append(
            Finding(
                code=check.code,
                name=name,
                severity=severity or self.severity(check),
                message=self.message(name, message_values),
                location=location,
                rule=self.rule.label,
                suggestion=suggestion,
                measured=measured or {},
            )
        )

    def text(self, texts: dict[str, str], **values: Any) -> str:
        """A rule's own piece of text (a reason, a detail) in the report's language."""
        chosen = pick_language(texts, self.lang) or ""
        return chosen.format(**values) if values else chosen

    def severity(self, check: Check) -> Severity:
        return rule_severity(self.rule, check.name)

    def message(self, name: str, values: dict[str, Any]) -> str:
        template = pick_language(self.rule.messages.get(name), self.lang) or pick_language(
            self.rule_type.messages.get(name), self.lang
        )
        if not template:
            return CATALOGUE[name].summary
        return string.Formatter().vformat(template, (), _Blank(values))


def rule_severity(rule: Rule, name: str) -> Severity:
    """A finding's severity as the rule file sets it, else the catalogue's default."""
    return rule.severities.get(name) or rule.severity or CATALOGUE[name].severity


def pick_language(texts: dict[str, str] | None, lang: str) -> str | None:
    """The text in `lang`, else English, else whatever there is."""
    if not texts:
        return None
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)
