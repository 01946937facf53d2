"""The stable catalogue of finding codes and names.

Codes are chosen once and never reused, like ruff's: a letter for the family and a number.
`--select L` picks every logo finding, `--select L102` or `--select logo-distorted` one of them.
Third-party rule types add their own through `RuleType.extra_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from profilecheck.core.model import Severity


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: Severity
    summary: str


def _c(code: str, name: str, severity: str, summary: str) -> Check:
    return Check(code, name, Severity(severity), summary)


CATALOGUE: dict[str, Check] = {
    check.name: check
    for check in (
        # F: the file itself
        _c("F001", "unreadable-file", "error", "The file is damaged or not what it claims to be."),
        _c(
            "F002", "encrypted-file", "error", "The file needs a password, so it cannot be checked."
        ),
        _c("F003", "unsupported-format", "warning", "Not a PDF, Word or image file."),
        _c("F004", "resource-limit", "error", "The file exceeded a time, memory or size limit."),
        _c("F005", "rule-failed", "warning", "A rule could not finish on this file."),
        _c("F006", "waiver-unused", "warning", "A waiver matches no finding: remove it."),
        _c("F007", "waiver-expired", "warning", "A waiver has expired and no longer applies."),
        # L: Ales vapen and the logotype
        _c("L100", "logo-found", "info", "A use of the vapen or logotype, with its measurements."),
        _c("L101", "logo-missing", "error", "The logo is missing where the profile requires it."),
        _c("L102", "logo-distorted", "error", "The logo is stretched or squeezed."),
        _c("L103", "logo-rotated", "error", "The logo is rotated or mirrored."),
        _c("L104", "logo-recoloured", "error", "The logo's colours were changed."),
        _c("L105", "logo-too-small", "error", "The logo is smaller than the minimum size."),
        _c("L106", "logo-clear-space", "warning", "Other content intrudes on the clear space."),
        _c("L107", "logo-wrong-version", "error", "The wrong version for the background."),
        _c("L108", "logo-cropped", "error", "The logo is cut off or covered."),
        _c("L109", "logo-separated", "error", "The vapen is used without its name."),
        _c("L110", "logo-recombined", "error", "The vapen is combined with other text."),
        _c(
            "L111",
            "logo-unchecked",
            "info",
            "A picture that may be the logo could not be examined: the logo is not checked.",
        ),
        # C: colours
        _c("C201", "colour-off-palette", "warning", "A colour that is not in the palette."),
        _c("C202", "rgb-image-in-print", "warning", "An RGB image in a document for print."),
        _c("C203", "spot-colour-unknown", "warning", "A spot colour the profile does not name."),
        # T: typefaces
        _c("T301", "font-not-allowed", "warning", "A typeface that is not in the profile."),
        _c("T302", "font-not-embedded", "warning", "A font is not embedded in the PDF."),
        # K: kontakt, the named contact person
        _c("K401", "contact-missing", "error", "No named person to contact."),
        _c(
            "K402",
            "contact-incomplete",
            "warning",
            "A contact without phone or e-mail, or a number without a name.",
        ),
        _c(
            "K403",
            "contact-outdated",
            "error",
            "An outdated phone number or a foreign e-mail domain.",
        ),
        _c(
            "K404",
            "contact-unchecked",
            "info",
            "Text exists only as pixels and OCR is unavailable: contacts not checked.",
        ),
        # A: accessibility (DOS-lagen, EN 301 549, WCAG 2.1 AA)
        _c("A501", "pdf-untagged", "error", "The PDF has no structure tags."),
        _c("A502", "language-missing", "error", "The document language is not set."),
        _c(
            "A503",
            "title-missing",
            "error",
            "The document has no title, or viewers are not told to show it.",
        ),
        _c("A504", "image-alt-missing", "error", "An image has no alternative text."),
        _c("A505", "text-contrast-low", "error", "Text contrast is below WCAG 2.1 AA."),
        _c(
            "A506",
            "scanned-without-text",
            "error",
            "A page is a scanned image without a text layer.",
        ),
        _c(
            "A507",
            "headings-not-marked",
            "warning",
            "Text looks like headings but uses no heading style.",
        ),
        # X: required and forbidden text
        _c("X601", "text-forbidden", "warning", "Text the profile forbids."),
        _c("X602", "text-required-missing", "warning", "Text the profile requires is missing."),
    )
}
BY_CODE: dict[str, Check] = {check.code: check for check in CATALOGUE.values()}


def register(check: Check) -> None:
    """Add a third-party rule type's check; an existing code or name must not change meaning."""
    known = CATALOGUE.get(check.name) or BY_CODE.get(check.code)
    if known is not None and known != check:
        raise ValueError(f"{check.code} {check.name} clashes with {known.code} {known.name}")
    CATALOGUE[check.name] = check
    BY_CODE[check.code] = check


def matches(selector: str, check: Check) -> bool:
    """`selector` is a finding name, a code, a code prefix ("L", "L10") or "ALL"."""
    selector = selector.strip()
    if selector.upper() == "ALL":
        return True
    return selector == check.name or check.code.startswith(selector.upper())


def is_known_selector(selector: str) -> bool:
    return any(matches(selector, check) for check in CATALOGUE.values())
