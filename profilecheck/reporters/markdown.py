"""Markdown for pull-request comments and CI job summaries (GitHub-flavoured).

A status line, a table of files (status, score, errors, warnings), the worst checks, and each
file's findings in a collapsible block. Everything taken from documents is shown as text: no
HTML, links, mentions or emphasis can be smuggled in through a file name or a message. File
names are code spans; in messages, markup is escaped and every word GitHub would turn into a
link (`https://…`, `www.…`, `name@host`, `#123`, `mailto:…`) is a code span, so it stays text.
Names and messages go through `core.printable` (control characters as visible escapes).

The output stays under GitHub's comment limit (65,536 characters): the file table stops after
`MAX_TABLE_CHARS` with a line saying how many files it leaves out, and the findings after
`MAX_CHARS` in all.
"""

from __future__ import annotations

import html
import re

from profilecheck.core.model import Severity
from profilecheck.core.printable import printable
from profilecheck.core.results import FileResult, Finding, RunResult
from profilecheck.engine.score import file_passed, scores, worst_checks
from profilecheck.reporters import Options, display_path
from profilecheck.reporters.i18n import SEVERITY_LABELS, STATUS_LABELS, label, translator

GITHUB_LIMIT = 65_536
MAX_CHARS = 60_000  # the whole report before its last line; GITHUB_LIMIT leaves room for it
MAX_TABLE_CHARS = 30_000  # the file table, so the findings of failed files still fit
MAX_TITLE_CHARS = 200
MAX_FINDINGS_PER_FILE = 50
SPECIAL = re.compile(r"([\\`*_\[\]|~@])")
# Words GitHub links: URLs (any scheme), www. names, e-mail addresses and @mentions, issue and
# pull-request references.
LINKED = re.compile(r"://|^[A-Za-z][A-Za-z0-9+.-]*:\S|www\.|@|#\d", re.IGNORECASE)


def render(run: RunResult, options: Options) -> str:
    _ = translator(run.lang)
    result = scores(run)
    worst = _worst(run, _)
    lines = _header(run, result.overall, _)
    lines += _file_table(run, result.by_path, options, _)
    lines += worst
    details = [line for f in run.files for line in _details(f, run, options, _)]
    text = "\n".join(lines)
    for line in details:
        if len(text) + len(line) + 1 > MAX_CHARS:
            text += "\n\n" + _("The report was cut short here; see the full report.")
            break
        text += "\n" + line
    return text + "\n"


def escape(text: object, table: bool = False) -> str:
    """Text from a document or a name as Markdown that shows it as it is, on one line: markup
    escaped, words GitHub would link in code spans (see the module's docstring)."""
    words = printable(text).split()
    return " ".join(code(word, table) if LINKED.search(word) else _plain(word) for word in words)


def _plain(word: str) -> str:
    plain = word.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return SPECIAL.sub(r"\\\1", plain)


def code(text: object, table: bool = False) -> str:
    """`text` as one code span, shown literally: a fence longer than any run of backticks in
    it; in a table, `|` escaped (GitHub splits cells on it even inside code spans)."""
    value = " ".join(printable(text).split())
    if not value:
        return ""
    if table:
        value = value.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    if value.startswith(("`", " ")) or value.endswith(("`", " ")):
        value = f" {value} "
    return f"{fence}{value}{fence}"


def _header(run: RunResult, overall: float | None, _) -> list[str]:
    failed = run.failed
    icon = "❌" if failed else "✅"
    verdict = _("failed") if failed else _("passed")
    passed = sum(file_passed(f, run.fail_on) for f in run.files)
    summary = run.summary()["findings"]
    title = run.profile_title or run.profile_name
    return [
        f"## {icon} profilecheck: {escape(title[:MAX_TITLE_CHARS])} — {verdict}",
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
    size = sum(len(line) + 1 for line in lines)
    for number, result in enumerate(run.files):
        mark = "✅" if file_passed(result, run.fail_on) else "❌"
        status = label(STATUS_LABELS, result.status.value, run.lang)
        row = (
            f"| {code(display_path(result.path, options.cwd), table=True)} | {mark} "
            f"{escape(status, table=True)} | {_score(by_path[result.path])} | "
            f"{_count(result, Severity.ERROR)} | {_count(result, Severity.WARNING)} |"
        )
        size += len(row) + 1
        if size > MAX_TABLE_CHARS:
            left = len(run.files) - number
            lines += ["", _("… {count} more files; see the full report.").format(count=left)]
            break
        lines.append(row)
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
        lines.append(
            f"| {code(t.code, True)} | {escape(t.name, True)} | {severity} | {t.files} | "
            f"{t.findings} |"
        )
    return [*lines, ""]


def _details(result: FileResult, run: RunResult, options: Options, _) -> list[str]:
    shown = [f for f in result.findings if f.severity is not Severity.INFO and not f.suppressed]
    if not shown:
        return []
    path = html.escape(printable(display_path(result.path, options.cwd)))  # an HTML block
    lines = ["<details>", f"<summary><code>{path}</code> ({len(shown)})</summary>", ""]
    lines += [_finding(f, run.lang, _) for f in shown[:MAX_FINDINGS_PER_FILE]]
    if len(shown) > MAX_FINDINGS_PER_FILE:
        lines.append(f"- … {len(shown) - MAX_FINDINGS_PER_FILE} {_('more')}")
    return [*lines, "", "</details>", ""]


def _finding(finding: Finding, lang: str, _) -> str:
    where = f"{_('page')} {finding.location.page}: " if finding.location.page else ""
    severity = label(SEVERITY_LABELS, finding.severity.value, lang)
    text = f"- {where}{code(finding.code)} {escape(finding.name)} ({severity}): "
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
