"""The command line. Heavy modules are imported inside commands, so `--help` stays instant."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

from profilecheck import __version__
from profilecheck.cli.common import (
    CACHE_OPTIONS,
    OUTPUT_OPTIONS,
    SELECTION_OPTIONS,
    limit_options,
    load_engine,
    process_limits,
    run_command,
    wants_html,
    with_options,
    write_reports,
)

# Limits per file for `check`: a pre-commit hook or a desktop, one file at a time.
CHECK_TIMEOUT = 120.0
CHECK_MAX_MEMORY_MB = 2048

# Commands that live in their own modules, imported only when invoked.
LAZY_COMMANDS = {
    "scan": "profilecheck.cli.scan:scan",
    "rules": "profilecheck.cli.rules:rules",
    "explain": "profilecheck.cli.rules:explain",
    "profile": "profilecheck.cli.profile:profile",
    "serve": "profilecheck.cli.serve:serve",
    "fix": "profilecheck.cli.fix:fix",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        target = LAZY_COMMANDS.get(name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="profilecheck")
def main() -> None:
    """Check PDFs, Word documents and images against a graphic profile."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@with_options(
    *SELECTION_OPTIONS,
    *limit_options(CHECK_TIMEOUT, CHECK_MAX_MEMORY_MB),
    *OUTPUT_OPTIONS,
    *CACHE_OPTIONS,
)
def check(paths: tuple[str, ...], **options: Any) -> None:
    """Check files and folders against the profile, each file within a time and memory limit."""
    run_command(lambda: _check(paths, options))


def _check(paths: tuple[str, ...], o: dict[str, Any]) -> int:
    from profilecheck.core import collector

    with collector.paused(promote=True):  # building the engine; files are checked with it on
        from profilecheck.batch.bounded import check_files
        from profilecheck.batch.walk import WalkOptions, walk_entries
        from profilecheck.suppress.waivers import apply_waiver_file

        engine = load_engine(o)
        settings = engine.settings
        entries = list(walk_entries(paths, WalkOptions(exclude=tuple(settings.exclude))))
        limits = process_limits(o)
    results = check_files(engine, entries, limits)
    apply_waiver_file(results, settings)
    run = engine.run_result(results)
    if wants_html(o):  # its pictures are made in a worker, under the limits, not here
        from profilecheck.batch.pictures import add_pictures
        from profilecheck.batch.scan import ScanOptions

        add_pictures(run, engine, ScanOptions(jobs=1, limits=limits))
    return write_reports(run, o)
