"""`profilecheck rules` and `profilecheck explain`: what each rule checks and why.

Everything printed comes from the catalogue, the rule types' docstrings and the profile's rule
files, so the explanations cannot drift from what the checks do.
"""

from __future__ import annotations

import inspect
import json
import sys

import click

from profilecheck.core import codes
from profilecheck.core.errors import UsageError
from profilecheck.core.printable import printable, safe_json


def _load(profile_ref: str | None):
    from profilecheck.engine.engine import compile_rules
    from profilecheck.profile.config import load_settings
    from profilecheck.profile.loading import load_profile

    settings = load_settings()
    profile = load_profile(profile_ref or settings.profile, settings.root)
    active, _ = compile_rules(profile)
    return profile, active


def _rows(profile, active) -> list[dict[str, str]]:
    from profilecheck.engine.ruletype import rule_severity

    emitted = {name: a for a in active for name in a.emits}
    rows = []
    for check in sorted(codes.CATALOGUE.values(), key=lambda c: c.code):
        owner = emitted.get(check.name)
        rows.append(
            {
                "code": check.code,
                "name": check.name,
                "type": owner.rule.type if owner else "",
                "rule": owner.rule.label if owner else "",
                "severity": rule_severity(owner.rule, check.name) if owner else check.severity,
                "summary": check.summary,
            }
        )
    return [{k: str(getattr(v, "value", v)) for k, v in row.items()} for row in rows]


@click.command()
@click.option("--profile", "profile_ref", help="Bundled profile name or profile folder.")
@click.option(
    "--all", "show_all", is_flag=True, help="Also list checks no rule of the profile uses."
)
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
def rules(profile_ref: str | None, show_all: bool, output_format: str) -> None:
    """List the checks of the profile: code, name, rule type, severity and rule file."""
    try:
        profile, active = _load(profile_ref)
    except UsageError as error:
        click.echo(printable(f"profilecheck: {error}"), err=True)
        sys.exit(2)
    rows = [r for r in _rows(profile, active) if show_all or r["rule"] or r["code"][0] == "F"]
    if output_format == "json":
        click.echo(safe_json(json.dumps(rows, ensure_ascii=False, indent=2)))
        return
    click.echo(printable(f"{profile.title} ({profile.name} {profile.version})"))
    for row in rows:
        where = f"{row['type']:<14} {row['rule']}" if row["rule"] else "(built in)"
        click.echo(printable(f"{row['code']:<5} {row['name']:<22} {row['severity']:<8} {where}"))


@click.command()
@click.argument("name")
@click.option("--profile", "profile_ref", help="Bundled profile name or profile folder.")
@click.option("--lang", help="Language of the profile's texts (sv, en).")
def explain(name: str, profile_ref: str | None, lang: str | None) -> None:
    """Explain a check (by code or name): what it checks, why, and how to fix it."""
    try:
        profile, active = _load(profile_ref)  # also what declares the checks
    except UsageError as error:
        click.echo(printable(f"profilecheck: {error}"), err=True)
        sys.exit(2)
    check = codes.CATALOGUE.get(name) or codes.BY_CODE.get(name.upper())
    if check is None:
        click.echo(
            printable(f"profilecheck: no check called {name!r}; see `profilecheck rules --all`"),
            err=True,
        )
        sys.exit(2)
    text = _explanation(check, profile, active, lang or profile.language)
    click.echo("\n".join(printable(line) for line in text.splitlines()))


def _explanation(check: codes.Check, profile, active, lang: str) -> str:
    from profilecheck.engine.ruletype import pick_language
    from profilecheck.reporters.rulehelp import rule_help

    (help_entry,) = rule_help([check.name])
    lines = [f"{check.code} {check.name} ({check.severity.value})", "", check.summary]
    owners = [a for a in active if check.name in a.emits]
    for owner in owners:
        why = pick_language(owner.rule.description, lang)
        lines += ["", f"In profile {profile.title}: rule {owner.rule.label} ({owner.rule.source})"]
        if why:
            lines.append(why.strip())
    if not owners and check.code[0] != "F":
        lines += ["", f"No rule of profile {profile.name} uses this check."]
    owner_docs = [inspect.cleandoc(o.rule_type.__doc__ or "") for o in owners]
    for text in dict.fromkeys([*owner_docs, *help_entry.explanations]):
        if text:
            lines += ["", text]
    return "\n".join(lines)
