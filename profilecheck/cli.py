"""The command line. Heavy modules are imported inside commands, so `--help` stays instant."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from profilecheck import __version__
from profilecheck.errors import UsageError

FORMATS = ("text", "json", "html", "sarif", "junit", "markdown")
LEVELS = ("info", "warning", "error")


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


# Commands that live in their own modules, imported only when invoked.
LAZY_COMMANDS = {
    "scan": "profilecheck.commands.scan:scan",
    "rules": "profilecheck.commands.rules:rules",
    "explain": "profilecheck.commands.rules:explain",
    "profile": "profilecheck.commands.profile:profile",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self._lazy()])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        target = self._lazy().get(name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    @staticmethod
    def _lazy() -> dict[str, str]:
        """Commands whose module is present (helpers land them one at a time)."""
        return {
            name: target
            for name, target in LAZY_COMMANDS.items()
            if importlib.util.find_spec(target.partition(":")[0]) is not None
        }


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="profilecheck")
def main() -> None:
    """Check PDFs, Word documents and images against a graphic profile."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--profile", "profile_ref", help="Bundled profile name or profile folder.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
@click.option("--select", multiple=True, help="Finding codes, code prefixes or names to check.")
@click.option("--extend-select", multiple=True, help="Add to the selection.")
@click.option("--ignore", multiple=True, help="Finding codes, code prefixes or names to skip.")
@click.option("--severity", "severities", multiple=True, metavar="NAME=LEVEL")
@click.option("--fail-on", type=click.Choice(LEVELS), help="Lowest severity that fails the run.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT:PATH",
    help=f"Also write a report to a file; repeatable ({', '.join(FORMATS)}).",
)
@click.option("--lang", help="Language of the messages (sv, en); default: the profile's.")
@click.option("--exclude", multiple=True, help="Glob of files or folders to leave out.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run.")
@click.option("--statistics", is_flag=True, help="Count findings by name instead of listing.")
@click.option("-q", "--quiet", is_flag=True, help="Print the summary only.")
@click.option("-v", "--verbose", is_flag=True, help="Also show info findings and notes.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto")
def check(paths: tuple[str, ...], **options: object) -> None:
    """Check files and folders against the profile."""
    try:
        code = _check(paths, **options)
    except UsageError as error:
        click.echo(f"profilecheck: {error}", err=True)
        code = 2
    sys.exit(code)


def _check(paths: tuple[str, ...], **o: object) -> int:
    from profilecheck.config import load_settings
    from profilecheck.engine import Engine
    from profilecheck.model import RunResult, Severity
    from profilecheck.profile import load_profile
    from profilecheck.reporters import Options, render
    from profilecheck.waivers import apply_waiver_file
    from profilecheck.walk import iter_candidates

    reports = _parse_reports(o["reports"])
    settings = _with_overrides(load_settings(o["config"], o["isolated"]), o)
    profile = load_profile(settings.profile, settings.root if settings.source else None)
    engine = Engine(profile, settings)
    _print_problems(engine.problems, bool(o["verbose"]))
    results = [
        engine.check_file(c.path, c.explicit) for c in iter_candidates(paths, settings.exclude)
    ]
    apply_waiver_file(results, settings)
    run = RunResult(
        tool_version=__version__,
        profile_name=profile.name,
        profile_version=profile.version,
        profile_title=profile.title,
        files=results,
        fail_on=Severity(settings.fail_on),
        lang=engine.lang,
        checks=engine.applicable_checks(),
    )
    output: Path | None = o["output"]
    options = Options(
        color=_use_colour(str(o["color"])) and output is None,
        verbose=bool(o["verbose"]),
        quiet=bool(o["quiet"]),
        statistics=bool(o["statistics"]),
    )
    text = render(str(o["output_format"]), run, options)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    for format_name, path in reports:
        plain = replace(options, color=False, quiet=False, statistics=False)
        path.write_text(render(format_name, run, plain), encoding="utf-8")
    return 0 if o["exit_zero"] or not run.failed else 1


def _parse_reports(values: tuple[str, ...]) -> list[tuple[str, Path]]:
    """`--report html:report.html` -> [("html", Path("report.html"))]."""
    reports = []
    for value in values:
        format_name, _, path = value.partition(":")
        if format_name not in FORMATS or not path:
            raise UsageError(f"--report {value!r}: use FORMAT:PATH, FORMAT one of {FORMATS}")
        reports.append((format_name, Path(path)))
    return reports


def _with_overrides(settings, o: dict) -> object:
    changes: dict[str, object] = {}
    for key in ("select", "extend_select", "ignore", "exclude"):
        if o[key]:
            changes[key] = _split(o[key])
    if o["profile_ref"]:
        changes["profile"] = o["profile_ref"]
    if o["fail_on"]:
        changes["fail_on"] = o["fail_on"]
    if o["lang"]:
        changes["lang"] = o["lang"]
    severities = dict(settings.severity)
    for item in _split(o["severities"]):
        name, _, level = item.partition("=")
        if level not in LEVELS:
            raise UsageError(f"--severity {item!r}: use NAME=info|warning|error")
        severities[name] = level
    changes["severity"] = severities
    _check_selectors([*changes.get("select", []), *changes.get("ignore", [])])
    return replace(settings, **changes)


def _check_selectors(selectors: list[str]) -> None:
    from profilecheck import codes

    unknown = [s for s in selectors if not codes.is_known_selector(s)]
    if unknown:
        raise UsageError(f"unknown finding code or name: {', '.join(unknown)}")


def _print_problems(problems: list, verbose: bool) -> None:
    errors = [p for p in problems if p.level == "error"]
    for problem in problems:
        if problem.level == "error" or verbose:
            click.echo(f"profilecheck: {problem.level}: {problem}", err=True)
    if errors:
        raise UsageError(f"the profile has {len(errors)} problem(s); see above")
