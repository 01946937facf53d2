"""Text for a person at a terminal: file, page, what is wrong, what to do.

Every name and message is passed through `core.printable`: a file name, font name or zip member
name cannot move the cursor, recolour the terminal or forge a line of the report.
"""

from __future__ import annotations

from collections import Counter

import click

from profilecheck.core import codes
from profilecheck.core.model import Severity, Status
from profilecheck.core.printable import printable
from profilecheck.core.results import FileResult, Finding, RunResult
from profilecheck.reporters import Options, display_path

SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(run: RunResult, options: Options) -> str:
    lines: list[str] = []
    if options.statistics:
        lines += _statistics(run, options)
    elif not options.quiet:
        for result in run.files:
            lines += _file(result, options)
    lines.append(_summary(run, options))
    return "\n".join(lines) + "\n"


def _file(result: FileResult, options: Options) -> list[str]:
    shown = [f for f in result.findings if options.verbose or f.severity is not Severity.INFO]
    path = printable(display_path(result.path, options.cwd))
    if result.status is Status.SKIPPED and not options.verbose:
        return []  # not a document found in a folder walk: nothing to act on
    if result.status is not Status.CHECKED:
        head = _style(f"{path}: {result.status.value}", "red", bold=True, on=options.color)
        return [f"{head}: {printable(result.message)}"]
    if not shown:
        return []
    lines = [_style(path, None, bold=True, on=options.color)]
    for finding in shown:
        lines += _finding(finding, options)
    if options.verbose:
        lines += [f"    note: {printable(warning)}" for warning in result.warnings]
    return lines


def _finding(finding: Finding, options: Options) -> list[str]:
    where = _where(finding)
    severity = _style(finding.severity.value, SEVERITY_COLOURS[finding.severity], on=options.color)
    code = _style(printable(f"{finding.code} {finding.name}"), None, bold=True, on=options.color)
    suppressed = f" [suppressed: {printable(finding.suppressed)}]" if finding.suppressed else ""
    lines = [f"  {where}{code} {severity}: {printable(finding.message)}{suppressed}"]
    if finding.suggestion:
        lines.append(f"      → {printable(finding.suggestion)}")
    return lines


def _where(finding: Finding) -> str:
    location = finding.location
    parts = []
    if location.page is not None:
        parts.append(f"p{location.page}")
    if location.box is not None:
        x, y = location.box.in_mm()[:2]
        parts.append(f"{x:.0f},{y:.0f} mm")
    if location.part is not None and location.part.value not in ("body", "document"):
        parts.append(location.part.value)
    return f"{' '.join(parts)}: " if parts else ""


def _statistics(run: RunResult, options: Options) -> list[str]:
    counts = Counter(f.name for f in run.findings() if not f.suppressed)
    return [
        f"{count:6d}  {codes.CATALOGUE[name].code:5s} {name}"
        for name, count in counts.most_common()
    ]


def _summary(run: RunResult, options: Options) -> str:
    from profilecheck.reporters.i18n import STATUS_LABELS, label, translator

    _ = translator(run.lang)
    summary = run.summary()
    statuses = ", ".join(
        f"{n} {label(STATUS_LABELS, status, run.lang)}" for status, n in summary["statuses"].items()
    )
    found = summary["findings"]
    text = _("{files} file(s): {statuses}. {errors} error(s), {warnings} warning(s), {info} info.")
    text = text.format(
        files=summary["files"],
        statuses=statuses or _("none"),
        errors=found["error"],
        warnings=found["warning"],
        info=found["info"],
    )
    if summary["not_checked"]:
        text += " " + _("{count} file(s) not (fully) checked.").format(count=summary["not_checked"])
    if summary["suppressed"]:
        text += " " + _("{count} suppressed.").format(count=summary["suppressed"])
    colour = "red" if run.failed else "green"
    return _style(text, colour, bold=True, on=options.color)


def _style(text: str, colour: str | None, bold: bool = False, on: bool = False) -> str:
    return click.style(text, fg=colour, bold=bold) if on else text
