"""Markdown for pull-request comments and CI job summaries (GitHub-flavoured).

A status line, a table of files (status, score, errors, warnings), the worst checks, and each
file's findings in a collapsible block. Everything taken from documents is escaped so it shows
as text: no HTML, links or emphasis can be smuggled in through a file name or a message. The
output stays under GitHub's comment limit (65,536 characters).
"""

from __future__ import annotations

import re

from profilecheck.core.model import Severity
from profilecheck.core.results import FileResult, Finding, RunResult
from profilecheck.engine.score import file_passed, scores, worst_checks
from profilecheck.reporters import Options, display_path
from profilecheck.reporters.i18n import SEVERITY_LABELS, STATUS_LABELS, label, translator

MAX_CHARS = 60_000
MAX_FINDINGS_PER_FILE = 50
SPECIAL = re.compile(r"([\\`*_\[\]|~@])")


def render(run: RunResult, options: Options) -> str:
    _ = translator(run.lang)
    result = scores(run)
    lines = _header(run, result.overall, _)
    lines += _file_table(run, result.by_path, options, _)
    lines += _worst(run, _)
    details = [line for f in run.files for line in _details(f, run, options, _)]
    text = "\n".join(lines)
    for line in details:
        if len(text) + len(line) > MAX_CHARS:
            text += "\n\n" + _("The report was cut short here; see the full report.")
            break
        text += "\n" + line
    return text + "\n"


def escape(text: object) -> str:
    """Plain text safe in a Markdown table cell: HTML entities, escaped markup, one line."""
    plain = " ".join(str(text).split())
    plain = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return SPECIAL.sub(r"\\\1", plain)


def _header(run: RunResult, overall: float | None, _) -> list[str]:
    failed = run.failed
    icon = "❌" if failed else "✅"
    verdict = _("failed") if failed else _("passed")
    passed = sum(file_passed(f, run.fail_on) for f in run.files)
    summary = run.summary()["findings"]
    return [
        f"## {icon} profilecheck: {escape(run.profile_title or run.profile_name)} — {verdict}",
        "",
        f"**{_('Files checked')}:** {len(run.files)} · **{_('Files passed')}:** {passed} · "
        f"**{_('Files failed')}:** {len(run.files) - passed} · "
        f"**{_('Not (fully) checked')}:** {run.not_checked} · "
        f"**{_('Compliance score')}:** {_score(overall)}",
        "",
        f"{_('Errors')}: {summary['error']} · {_('Warnings')}: {summary['warning']} · "
        f"{_('Info')}: {summary['info']}",
        "",
    ]


def _file_table(run: RunResult, by_path, options: Options, _) -> list[str]:
    if not run.files:
        return [_("No files were checked."), ""]
    lines = [
        f"| {_('File')} | {_('Status')} | {_('Score')} | {_('Errors')} | {_('Warnings')} |",
        "|---|---|---:|---:|---:|",
    ]
    for result in run.files:
        mark = "✅" if file_passed(result, run.fail_on) else "❌"
        status = label(STATUS_LABELS, result.status.value, run.lang)
        lines.append(
            f"| {escape(display_path(result.path, options.cwd))} | {mark} {escape(status)} | "
            f"{_score(by_path[result.path])} | {_count(result, Severity.ERROR)} | "
            f"{_count(result, Severity.WARNING)} |"
        )
    return [*lines, ""]


def _worst(run: RunResult, _) -> list[str]:
    tallies = worst_checks(run, limit=10)
    if not tallies:
        return []
    lines = [
        f"### {_('Most frequent problems')}",
        "",
        f"| {_('Code')} | {_('Check')} | {_('Severity')} | {_('Files')} | {_('Findings')} |",
        "|---|---|---|---:|---:|",
    ]
    for t in tallies:
        severity = label(SEVERITY_LABELS, t.severity.value, run.lang)
        lines.append(f"| `{t.code}` | {escape(t.name)} | {severity} | {t.files} | {t.findings} |")
    return [*lines, ""]


def _details(result: FileResult, run: RunResult, options: Options, _) -> list[str]:
    shown = [f for f in result.findings if f.severity is not Severity.INFO and not f.suppressed]
    if not shown:
        return []
    path = escape(display_path(result.path, options.cwd))
    lines = ["<details>", f"<summary>{path} ({len(shown)})</summary>", ""]
    lines += [_finding(f, run.lang, _) for f in shown[:MAX_FINDINGS_PER_FILE]]
    if len(shown) > MAX_FINDINGS_PER_FILE:
        lines.append(f"- … {len(shown) - MAX_FINDINGS_PER_FILE} {_('more')}")
    return [*lines, "", "</details>", ""]


def _finding(finding: Finding, lang: str, _) -> str:
    where = f"{_('page')} {finding.location.page}: " if finding.location.page else ""
    severity = label(SEVERITY_LABELS, finding.severity.value, lang)
    text = f"- {where}`{finding.code}` {escape(finding.name)} ({severity}): "
    text += escape(finding.message)
    value, limit = finding.measured.get("value"), finding.measured.get("limit")
    if value is not None:
        text += f" ({_('measured')} {escape(value)}"
        text += f", {_('limit')} {escape(limit)})" if limit is not None else ")"
    if finding.suggestion:
        text += f" — {_('suggestion')}: {escape(finding.suggestion)}"
    return text


def _count(result: FileResult, severity: Severity) -> int:
    return sum(1 for f in result.findings if f.severity is severity and not f.suppressed)


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"
