"""The catalogue of finding codes and names: the file's own checks here, each rule type's beside
its code (`RuleType.checks`), gathered when the rule type is defined.

Codes are chosen once and never reused, like ruff's: a letter for the family and a number.
`--select L` picks every logo finding, `--select L102` or `--select logo-distorted` one of them.
A code or name that would change meaning is refused (`CheckClash`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from profilecheck.core.model import Severity


@dataclass(frozen=True)
class Check:
    """One check: a stable code and name, its default severity and a one-line summary."""

    code: str
    name: str
    severity: Severity
    summary: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))


class CheckClash(ValueError):
    """Two declarations give one code or one name different meanings."""


# F: the file itself (the engine's own findings, not a rule type's)
FILE_CHECKS = (
    Check("F001", "unreadable-file", "error", "The file is damaged or not what it claims to be."),
    Check("F002", "encrypted-file", "error", "The file needs a password, so it cannot be checked."),
    Check("F003", "unsupported-format", "warning", "Not a PDF, Word or image file."),
    Check("F004", "resource-limit", "error", "The file exceeded a time, memory or size limit."),
    Check("F005", "rule-failed", "error", "A rule could not finish on this file."),
    Check("F006", "waiver-unused", "warning", "A waiver matches no finding: remove it."),
    Check("F007", "waiver-expired", "warning", "A waiver has expired and no longer applies."),
    Check("F008", "attachment-encrypted", "info", "An attachment is encrypted: it is not checked."),
)

CATALOGUE: dict[str, Check] = {}
BY_CODE: dict[str, Check] = {}


def register(checks: Iterable[Check], owner: str = "profilecheck") -> None:
    """Add checks to the catalogue, all or none; an existing code or name must not change
    meaning."""
    checks = list(checks)
    by_name = {check.name: check for check in checks}
    by_code = {check.code: check for check in checks}
    for check in checks:
        known = CATALOGUE.get(check.name) or BY_CODE.get(check.code)
        if by_name[check.name] != check or by_code[check.code] != check:
            known = by_name[check.name] if by_name[check.name] != check else by_code[check.code]
        if known is not None and known != check:
            raise CheckClash(
                f"{owner}: {check.code} {check.name} clashes with {known.code} {known.name}"
            )
    for check in checks:
        CATALOGUE[check.name] = check
        BY_CODE[check.code] = check


register(FILE_CHECKS)


def matches(selector: str, check: Check) -> bool:
    """`selector` is a finding name, a code, a code prefix ("L", "L10") or "ALL"."""
    selector = selector.strip()
    if selector.upper() == "ALL":
        return True
    return selector == check.name or check.code.startswith(selector.upper())


def is_known_selector(selector: str) -> bool:
    return any(matches(selector, check) for check in CATALOGUE.values())
