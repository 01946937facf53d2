"""The page's HTML, made on the server from Jinja2 templates (autoescaped, every value through
`core.printable`, no `|safe`). The report part is the HTML reporter's own view of each file
(`reporters.html`: the findings with their page picture and outlined area, the score); this
module only arranges it by severity for the page."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache
from typing import Any

from profilecheck import __version__
from profilecheck.core import codes
from profilecheck.core.printable import printable
from profilecheck.core.results import RunResult
from profilecheck.reporters.i18n import SEVERITY_LABELS, STATUS_LABELS, label
from profilecheck.web.i18n import LANGUAGES, STATUS_HELP, translator

SEVERITIES = ("error", "warning", "info")
DOWNLOADS = (("html", "HTML"), ("json", "JSON"), ("sarif", "SARIF"), ("md", "Markdown"))


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("profilecheck.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=lambda value: printable(value) if isinstance(value, str) else value,
    )


def page(name: str, lang: str, path: str, **values: Any) -> str:
    """A whole page: `name`'s template in `lang`, with the language switch back to `path`."""
    _ = translator(lang)
    others = [(code, _("Svenska") if code == "sv" else _("English")) for code in LANGUAGES]
    return (
        _environment()
        .get_template(name)
        .render(
            _=_,
            lang=lang,
            switch=[(code, text) for code, text in others if code != lang],
            here=path,
            version=__version__,
            severity_label=lambda value: label(SEVERITY_LABELS, value, lang),
            **values,
        )
    )


@dataclass
class SeverityGroup:
    severity: str
    label: str
    findings: list[Any]  # reporters.html.FindingView


@dataclass
class FileReport:
    view: Any  # reporters.html.FileView
    groups: list[SeverityGroup]
    help: str  # what its status means, when it was not checked
    note: str  # why it was not checked, unless a finding says so already


def file_reports(run: RunResult, lang: str) -> list[FileReport]:
    from profilecheck.engine.score import scores
    from profilecheck.reporters import Options
    from profilecheck.reporters.html import _file_view

    by_path = scores(run).by_path
    drawn = run.pictures or {}
    _ = translator(lang)
    reports = []
    for number, result in enumerate(run.files, 1):
        view = _file_view(number, result, run, Options(), by_path[result.path], drawn)
        view.status = label(STATUS_LABELS, result.status.value, lang)
        items = [item for group in view.groups for item in group.findings]
        groups = [
            SeverityGroup(s, label(SEVERITY_LABELS, s, lang), [i for i in items if i.severity == s])
            for s in SEVERITIES
        ]
        status = result.status.value
        help_text = _(STATUS_HELP[status]) if status in STATUS_HELP else ""
        said = {f.message for f in result.findings}
        note = result.message if result.message not in said else ""
        reports.append(FileReport(view, [g for g in groups if g.findings], help_text, note))
    return reports


def explanation(engine: Any, check: codes.Check, lang: str) -> dict[str, Any]:
    """What `profilecheck explain` says of a check: the catalogue's summary, the profile's
    reasons for its rules, the rule types' own descriptions."""
    from profilecheck.engine.ruletype import pick_language
    from profilecheck.reporters.rulehelp import rule_help

    (help_entry,) = rule_help([check.name])
    owners = [a for a in engine.rules if check.name in a.emits]
    reasons = []
    for owner in owners:
        why = pick_language(owner.rule.description, lang)
        reasons.append((owner.rule.label, (why or "").strip()))
    texts = [inspect.cleandoc(o.rule_type.__doc__ or "") for o in owners]
    texts = [t for t in dict.fromkeys([*texts, *help_entry.explanations]) if t]
    return {"check": check, "reasons": reasons, "texts": texts}


def rule_rows(engine: Any) -> list[dict[str, str]]:
    """The profile's checks, as `profilecheck rules --format json` lists them."""
    from profilecheck.engine.ruletype import rule_severity

    emitted = {name: a for a in engine.rules for name in a.emits}
    rows = []
    for check in sorted(codes.CATALOGUE.values(), key=lambda c: c.code):
        owner = emitted.get(check.name)
        if owner is None and check.code[0] != "F":
            continue
        severity = rule_severity(owner.rule, check.name) if owner else check.severity
        rows.append(
            {
                "code": check.code,
                "name": check.name,
                "type": owner.rule.type if owner else "",
                "rule": owner.rule.label if owner else "",
                "severity": str(getattr(severity, "value", severity)),
                "summary": check.summary,
            }
        )
    return rows
