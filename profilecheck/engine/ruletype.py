"""What a rule type is: the Python half of a rule. The data half is a rule file in a profile.

A rule type subclasses `RuleType`, declares its checks (code, name, default severity, summary)
and a `Params` dataclass for its rule files. Its docstring is what `profilecheck explain` prints,
so it says what passes and what fails. It sees only the document model. Defining the class adds
its checks to the catalogue; the built-in rule types are listed in `engine/registry.py`,
third-party ones are found through the entry-point group `profilecheck.rules`.

A rule type has no words of its own: a finding's message and suggestion are the rule file's
(`[messages]`, `[suggestions]` by finding name), and the pieces it builds them from are named by
key (`report.text("no-tree")`) and given by the rule file's `[texts]`, each a table of texts by
language. Without a message the finding shows the catalogue's summary.

What a rule could not check is never passed over in silence: every rule type declares one
`*-unchecked` check (K404 `contact-unchecked`, C204 `colour-unchecked`, ...) and reports it with
`report.unchecked(reason)` wherever it cannot do its work (a picture that cannot be decoded, a
page that cannot be rendered, OCR that is missing). Its severity is the check's own (warning),
not the rule's: only the rule file's `[severities]` entry for it changes it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, ClassVar

from profilecheck.core.codes import CATALOGUE, Check, register
from profilecheck.core.model import Box, Document, Part, Severity
from profilecheck.core.results import Finding, Location
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule

UNCHECKED = "-unchecked"


@dataclass
class NoParams:
    pass


class RuleType:
    """Base class of rule types. Subclasses override the class attributes and `check`."""

    name: ClassVar[str] = ""
    checks: ClassVar[tuple[Check, ...]] = ()
    emits: ClassVar[tuple[str, ...]] = ()  # the names of `checks`, filled in for each subclass
    Params: ClassVar[type] = NoParams

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register(cls.checks, owner=f"rule type {cls.name or cls.__qualname__}")
        cls.emits = tuple(check.name for check in cls.checks)

    def __init__(self, rule: Rule, params: Any) -> None:
        self.rule = rule
        self.params = params

    @classmethod
    def validate(cls, params: Any, rule: Rule) -> list[ParamProblem]:
        """Checks beyond types (files exist, colours parse); runs in `profile validate`."""
        return []

    @classmethod
    def review(cls, params: Any, rule: Rule) -> list[ParamProblem]:
        """Advice on a valid rule, only in `profile validate` (never when checking): warnings
        and notes (`ParamProblem.level`), e.g. artwork that will be hard to detect."""
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
    """Collects the findings of one rule on one document, filling in code, severity and text.

    `selected` names the rule's findings that the run keeps (`--select`, `--ignore`, per-file
    ignores); None keeps them all. A rule asks `report.wants(...)` before work whose only use is
    findings nobody asked for (a render for contrast, a walk of the structure tree), and skips
    it. Findings that are not selected may still be reported: the engine drops them.
    """

    def __init__(
        self,
        rule: Rule,
        rule_type: type[RuleType],
        document: Document,
        lang: str,
        selected: frozenset[str] | None = None,
    ):
        self.rule = rule
        self.rule_type = rule_type
        self.document = document
        self.lang = lang
        self.selected = selected
        self.findings: list[Finding] = []

    def wants(self, *names: str) -> bool:
        """Whether any of the findings `names` is kept by the run's selection."""
        return self.selected is None or any(name in self.selected for name in names)

    def __call__(
        self,
        name: str,
        *,
        page: int | None = None,
        box: Box | None = None,
        part: Part | None = None,
        suggestion: str | dict[str, str] | None = None,  # None: the rule file's, if any
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
                suggestion=self.suggestion(name, suggestion, message_values),
                measured=measured or {},
            )
        )

    def unchecked(
        self,
        reason: str | dict[str, str],
        *,
        page: int | None = None,
        box: Box | None = None,
        part: Part | None = None,
        measured: dict[str, Any] | None = None,
        **values: Any,
    ) -> None:
        """This rule could not do (all of) its work here: its `*-unchecked` finding, with
        `reason` (a key of the rule file's `[texts]` filled with `values`, or texts by language)
        as the message's {reason}. A rule type that declares no such check reports `rule-failed`
        instead, so nothing it could not check passes."""
        name = unchecked_check(self.rule_type)
        text = self.text(reason, **values)
        detail = {"reason": reason} if isinstance(reason, str) else {}
        self(
            name or "rule-failed",
            page=page,
            box=box,
            part=part,
            measured={**detail, **(measured or {})},
            **{**values, "reason": text},
        )

    def text(self, key: str | dict[str, str], **values: Any) -> str:
        """A piece of text (a reason, a detail) in the report's language: `key` names one in the
        rule file's `[texts]` table (a table of texts by language may be given instead). A key
        the rule file does not give stands for itself, followed by its values."""
        texts = self.rule.texts.get(key) if isinstance(key, str) else key
        chosen = pick_language(texts, self.lang)
        if chosen is None:
            shown = ", ".join(str(value) for value in values.values())
            return f"{key}: {shown}" if shown else str(key)
        return _fill(chosen, values)

    def severity(self, check: Check) -> Severity:
        return rule_severity(self.rule, check.name)

    def message(self, name: str, values: dict[str, Any]) -> str:
        """The rule file's message for the finding, else the catalogue's summary."""
        template = pick_language(self.rule.messages.get(name), self.lang)
        if not template:
            summary = CATALOGUE[name].summary
            reason = values.get("reason")
            return f"{summary.rstrip('.')}: {reason}" if reason else summary
        return _fill(template, values)

    def suggestion(
        self, name: str, given: str | dict[str, str] | None, values: dict[str, Any]
    ) -> str | None:
        """The rule type's suggestion (a text, or texts by language), else the rule file's."""
        if given is None:
            given = self.rule.suggestions.get(name)
            if given is None:
                return None
            return _fill(pick_language(given, self.lang) or "", values) or None
        return pick_language(given, self.lang)


def rule_severity(rule: Rule, name: str) -> Severity:
    """A finding's severity as the rule file sets it, else the catalogue's default. A rule's
    `severity` covers its findings but not its `*-unchecked` one (warning unless the rule file's
    `[severities]` names it): what could not be checked is not what was found wrong."""
    if name.endswith(UNCHECKED):
        return rule.severities.get(name) or CATALOGUE[name].severity
    return rule.severities.get(name) or rule.severity or CATALOGUE[name].severity


def unchecked_check(rule_type: type[RuleType]) -> str | None:
    """The name of the rule type's `*-unchecked` check, if it declares one."""
    return next((c.name for c in rule_type.checks if c.name.endswith(UNCHECKED)), None)


def pick_language(texts: str | dict[str, str] | None, lang: str) -> str | None:
    """The text in `lang`, else English, else whatever there is; a plain text is itself."""
    if isinstance(texts, str):
        return texts
    if not texts:
        return None
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)


def _fill(template: str, values: dict[str, Any]) -> str:
    """`template` with its {placeholders} filled in; unknown ones are left as they are."""
    return string.Formatter().vformat(template, (), _Blank(values))
