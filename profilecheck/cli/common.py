"""What `check` and `scan` share: their options, settings from options, and writing reports."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import click

from profilecheck.core import cachedir
from profilecheck.core.errors import UsageError
from profilecheck.core.printable import printable
from profilecheck.reporters import FORMATS

LEVELS = ("info", "warning", "error")
WRITE_BLOCK = 1 << 20
FORMAT_NAMES = tuple(FORMATS)

SELECTION_OPTIONS = (
    click.option("--profile", "profile_ref", help="Bundled profile name or profile folder."),
    click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
    click.option("--isolated", is_flag=True, help="Ignore configuration files."),
    click.option("--select", multiple=True, help="Finding codes, code prefixes or names to check."),
    click.option("--extend-select", multiple=True, help="Add to the selection."),
    click.option("--ignore", multiple=True, help="Finding codes, code prefixes or names to skip."),
    click.option("--severity", "severities", multiple=True, metavar="NAME=LEVEL"),
    click.option(
        "--fail-on", type=click.Choice(LEVELS), help="Lowest severity that fails the run."
    ),
    click.option("--lang", help="Language of the messages (sv, en); default: the profile's."),
    click.option("--exclude", multiple=True, help="Glob of files or folders to leave out."),
)
OUTPUT_OPTIONS = (
    click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default="text"),
    click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path)),
    click.option(
        "--report",
        "reports",
        multiple=True,
        metavar="FORMAT:PATH",
        help=f"Also write a report to a file; repeatable ({', '.join(FORMAT_NAMES)}).",
    ),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run."),
    click.option(
        "--statistics",
        is_flag=True,
        help="Count findings by name instead of listing; on stderr, after the report, the time "
        "per rule and per shared analysis (render, OCR, parsing, decoding, reading).",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print the summary only."),
    click.option("-v", "--verbose", is_flag=True, help="Also show info findings and notes."),
    click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto"),
)
CACHE_OPTIONS = (
    click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                 help="Where the cache lives [the user cache folder]."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
)  # fmt: skip


def cache_folder(o: dict[str, Any]) -> Path | None:
    """The cache folder these options ask for; None with --no-cache (or no such options)."""
    folder = _cache_choice(o)
    return cachedir.default_cache_dir() if folder == cachedir.DEFAULT else folder


def _cache_choice(o: dict[str, Any]) -> Path | Literal["default"] | None:
    if o.get("no_cache", True):
        return None
    return o["cache_dir"] or cachedir.DEFAULT


def limit_options(timeout: float, max_memory_mb: int) -> tuple[Callable, ...]:
    """`--timeout` and `--max-memory` with a command's defaults: the limits every file is
    checked under, by the worker processes of batch/workers.py (`check` and `scan` alike)."""
    return tuple(
        click.option(flag, type=kind, default=default, show_default=True, help=text)
        for flag, kind, default, text in (
            ("--timeout", click.FloatRange(min=0), timeout, "Seconds per file (0: no limit)."),
            (
                "--max-memory",
                click.IntRange(min=0),
                max_memory_mb,
                "Memory per file in MB (0: no limit; POSIX only).",
            ),
        )
    )


def process_limits(o: dict[str, Any]) -> Any:
    """The `ProcessLimits` that `limit_options` chose."""
    from profilecheck.core.limits import ProcessLimits

    return ProcessLimits(o["timeout"], o["max_memory"], quiet=not o["verbose"])


def with_options(*options: Callable) -> Callable:
    def decorate(command: Callable) -> Callable:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def run_command(body: Callable[[], int]) -> None:
    """Run a command body; usage, configuration and profile errors exit 2."""
    _quick_exit()
    try:
        code = body()
    except UsageError as error:
        click.echo(printable(f"profilecheck: {error}"), err=True)
        code = 2
    sys.exit(code)


def _quick_exit() -> None:
    """At the interpreter's exit, skip its last garbage collection over every object the run
    left (modules, the engine, the profile, the results): `gc.freeze()` moves them out of its
    reach. Nothing is lost: files are closed by `with`, the standard streams are flushed by the
    interpreter anyway, and `atexit` and weakref finalizers still run. It saves 10-15 ms of a
    one-file `check` (a pre-commit hook); in a process that goes on (tests calling the command
    in-process) it does nothing until that process ends."""
    global _EXIT_REGISTERED
    if not _EXIT_REGISTERED:
        import atexit
        import gc

        atexit.register(gc.freeze)
        _EXIT_REGISTERED = True


_EXIT_REGISTERED = False


def split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


def load_engine(o: dict[str, Any], lazy: bool = False) -> Any:
    """Settings (files, then the command line), the profile and a ready engine. `lazy`: its
    rules are compiled when first needed (a scan whose files are all cached never needs them),
    and the profile's problems reported then; with `--verbose` (which lists the profile's
    warnings) they are compiled now."""
    from profilecheck.engine.engine import Engine
    from profilecheck.profile.config import load_settings
    from profilecheck.profile.loading import load_profile

    parse_reports(o["reports"])  # a bad --report fails before any file is checked
    cachedir.use(_cache_choice(o))  # the artwork model is kept there between runs
    if o["statistics"]:
        from profilecheck.core import timing

        timing.enable()
    settings = _with_overrides(load_settings(o["config"], o["isolated"]), o)
    profile = load_profile(settings.profile, settings.root if settings.source else None)
    verbose = bool(o["verbose"])
    engine = Engine(profile, settings, lazy=lazy and not verbose)
    if engine.built:
        _print_problems(engine.problems, verbose)
    else:
        engine.on_built = lambda built: _print_problems(built.problems, verbose)
    return engine


def _with_overrides(settings: Any, o: dict[str, Any]) -> Any:
    from profilecheck.core import codes

    changes: dict[str, Any] = {}
    for key in ("select", "extend_select", "ignore", "exclude"):
        if o[key]:
            changes[key] = split(o[key])
    for option, key in (("profile_ref", "profile"), ("fail_on", "fail_on"), ("lang", "lang")):
        if o[option]:
            changes[key] = o[option]
    severities = dict(settings.severity)
    for item in split(o["severities"]):
        name, _, level = item.partition("=")
        if level not in LEVELS:
            raise UsageError(f"--severity {item!r}: use NAME=info|warning|error")
        severities[name] = level
    changes["severity"] = severities
    selectors = [*changes.get("select", []), *changes.get("ignore", []), *severities]
    if selectors:  # otherwise the catalogue is filled when the rules are, or from the cache
        from profilecheck.engine import registry

        registry.load_builtins()
    unknown = [s for s in selectors if not codes.is_known_selector(s)]
    if unknown:
        raise UsageError(f"unknown finding code or name: {', '.join(unknown)}")
    return replace(settings, **changes)


def _print_problems(problems: list, verbose: bool) -> None:
    errors = [p for p in problems if p.level == "error"]
    for problem in problems:
        if problem.level == "error" or verbose:
            click.echo(printable(f"profilecheck: {problem.level}: {problem}"), err=True)
    if errors:
        raise UsageError(f"the profile has {len(errors)} problem(s); see above")


def parse_reports(values: tuple[str, ...]) -> list[tuple[str, Path]]:
    """`--report html:report.html` -> [("html", Path("report.html"))]."""
    reports = []
    for value in values:
        name, separator, path = value.partition(":")
        if not separator or not path or name not in FORMATS:
            choices = ", ".join(FORMAT_NAMES)
            raise UsageError(f"--report {value!r}: use FORMAT:PATH with FORMAT one of {choices}")
        reports.append((name, Path(path)))
    return reports


def wants_html(o: dict[str, Any]) -> bool:
    """Whether an HTML report is asked for: its pictures are then made in workers."""
    reports = [name for name, _path in parse_reports(o["reports"])]
    return "html" in (o["output_format"], *reports)


Decorate = Callable[[str, str], str]  # (format name, rendered text) -> text to write


def write_reports(
    run: Any,
    o: dict[str, Any],
    decorate: Decorate | None = None,
    json_extra: tuple[tuple[str, Any], ...] = (),
) -> int:
    """Write every `--report` and the main report, each on its own: one that cannot be made or
    written is an error line on stderr and exit code 2, and the others are still written.
    Otherwise the exit code says whether the run failed. Reports are made once and streamed
    (`reporters.chunks`); `decorate` rewrites a whole text (formats other than JSON), and
    `json_extra` adds top-level keys to the JSON report. With `--statistics`, the time each
    rule and shared analysis took follows on stderr."""
    from profilecheck.reporters import Options, byte_chunks, chunks, encoded

    output: Path | None = o["output"]
    options = Options(
        color=use_colour(str(o["color"])) and output is None,
        verbose=bool(o["verbose"]),
        quiet=bool(o["quiet"]),
        statistics=bool(o["statistics"]),
        json_extra=json_extra,
    )

    def rendered(format_name: str, chosen: Options) -> Iterable[bytes]:
        if decorate is None or format_name == "json":
            return byte_chunks(format_name, run, chosen)
        return [encoded(decorate(format_name, "".join(chunks(format_name, run, chosen))))]

    plain = replace(options, color=False, quiet=False, statistics=False)
    written = [_report(name, path, rendered, plain) for name, path in parse_reports(o["reports"])]
    written.append(_report(str(o["output_format"]), output, rendered, options))
    if o["statistics"]:
        from profilecheck.core import timing

        if timing.enabled():
            sys.stdout.flush()
            click.echo(timing.table(clean=printable), err=True, nl=False)
    if not all(written):
        return 2
    return 0 if o["exit_zero"] or not run.failed else 1


def _report(name: str, path: Path | None, rendered: Callable, options: Any) -> bool:
    """Make one report and stream it to `path` (None: standard output); False if it failed."""
    try:
        pieces = iter(rendered(name, options))
        first = next(pieces, b"")  # a report that cannot even start writes nothing
        if path is None:
            sys.stdout.flush()
            _write_all(sys.stdout.buffer, first, pieces)
            sys.stdout.flush()
        else:
            with path.open("wb") as handle:
                _write_all(handle, first, pieces)
        return True
    except OSError as error:
        where = "standard output" if path is None else str(path)
        problem = f"cannot write the {name} report to {where}: {error.strerror or error}"
    except Exception as error:  # a reporter's bug costs its own report, not the others
        problem = f"the {name} report could not be made: {type(error).__name__}: {error}"
    click.echo(printable(f"profilecheck: error: {problem}"), err=True)
    return False


def _write_all(handle: Any, first: bytes, pieces: Iterator[bytes]) -> None:
    """Write in blocks of about a megabyte: few system calls, little held in memory."""
    block, size = [first], len(first)
    for data in pieces:
        block.append(data)
        size += len(data)
        if size >= WRITE_BLOCK:
            handle.write(b"".join(block))
            block, size = [], 0
    handle.write(b"".join(block))
