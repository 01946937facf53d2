"""`profilecheck scan ROOT...`: batch checking of shared drives, parallel, cached, resumable."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from profilecheck.cli import LEVELS, _print_problems, _split, _use_colour, _with_overrides
from profilecheck.errors import UsageError
from profilecheck.reporters import FORMATS

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_MEMORY_MB = 1500
DEFAULT_TOP_FOLDERS = 10


@click.command()
@click.argument("roots", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--profile", "profile_ref", help="Bundled profile name or profile folder.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
@click.option("--select", multiple=True, help="Finding codes, code prefixes or names to check.")
@click.option("--extend-select", multiple=True, help="Add to the selection.")
@click.option("--ignore", multiple=True, help="Finding codes, code prefixes or names to skip.")
@click.option("--severity", "severities", multiple=True, metavar="NAME=LEVEL")
@click.option("--fail-on", type=click.Choice(LEVELS), help="Lowest severity that fails the run.")
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="text")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--report", "reports", multiple=True, metavar="FORMAT:PATH",
              help="Also write a report in FORMAT to PATH (repeatable).")  # fmt: skip
@click.option("--lang", help="Language of the messages (sv, en); default: the profile's.")
@click.option("--include", multiple=True, help="Glob: check only files matching one of these.")
@click.option("--exclude", multiple=True, help="Glob of files or folders to leave out.")
@click.option("--include-hidden", is_flag=True, help="Also hidden and system files and folders.")
@click.option("--include-temp", is_flag=True, help="Also Office lock files (~$*) and temp files.")
@click.option("--follow-links", is_flag=True, help="Follow symlinked folders (loops are caught).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [cores].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds allowed per file.")  # fmt: skip
@click.option("--max-memory", type=click.IntRange(min=0), default=DEFAULT_MAX_MEMORY_MB,
              show_default=True, help="Memory cap per worker in MB (0: none; POSIX only).")  # fmt: skip
@click.option("--executor", type=click.Choice(("local", "dask")), default="local")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the cache lives [the user cache folder].")  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Fail only on findings not in this baseline file.")  # fmt: skip
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record today's findings in this baseline file.")  # fmt: skip
@click.option("--top-folders", type=click.IntRange(min=0), default=DEFAULT_TOP_FOLDERS,
              show_default=True, help="Worst folders listed in the text report.")  # fmt: skip
@click.option("--progress/--no-progress", default=None, help="Progress line [on a terminal].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run.")
@click.option("--statistics", is_flag=True, help="Count findings by name instead of listing.")
@click.option("-q", "--quiet", is_flag=True, help="Print the summary only.")
@click.option("-v", "--verbose", is_flag=True, help="Also show info findings and notes.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto")
def scan(roots: tuple[str, ...], **options: Any) -> None:
    """Scan folders (shared drives) in parallel, reusing cached results for unchanged files."""
    try:
        code = _scan(roots, options)
    except UsageError as error:
        click.echo(f"profilecheck: {error}", err=True)
        code = 2
    sys.exit(code)


def _scan(roots: tuple[str, ...], o: dict[str, Any]) -> int:
    from profilecheck import baseline
    from profilecheck.config import load_settings
    from profilecheck.engine import Engine
    from profilecheck.profile import load_profile
    from profilecheck.scan import scan

    reports = _parse_reports(o["reports"])
    _check_roots(roots, o)
    settings = _with_overrides(load_settings(o["config"], o["isolated"]), o)
    profile = load_profile(settings.profile, settings.root if settings.source else None)
    engine = Engine(profile, settings)
    _print_problems(engine.problems, bool(o["verbose"]))
    known = baseline.load_baseline(o["baseline"]) if o["baseline"] else None
    progress = Progress(_show_progress(o))
    outcome = scan(
        roots,
        engine,
        _scan_options(o, settings.exclude),
        on_result=progress.update,
        on_total=progress.start,
    )
    progress.close()
    run = outcome.run
    relative = {entry.path: entry.relative for entry in outcome.entries}
    if o["write_baseline"]:
        count = baseline.write_baseline(o["write_baseline"], run, relative)
        click.echo(f"profilecheck: wrote {count} finding(s) to {o['write_baseline']}", err=True)
    if known is not None:
        baseline.apply_baseline(run, known, relative)
    _write_reports(run, o, reports)
    return 0 if o["exit_zero"] or not run.failed else 1


def _check_roots(roots: tuple[str, ...], o: dict[str, Any]) -> None:
    missing = [root for root in roots if not os.path.lexists(root)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if o["executor"] == "dask" and not o["scheduler"]:
        raise UsageError("--executor dask needs --scheduler ADDRESS")
    if o["executor"] == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError("--executor dask needs the extra: pip install 'profilecheck[dask]'")


def _scan_options(o: dict[str, Any], exclude: list[str]) -> Any:
    from profilecheck.cache import default_cache_dir
    from profilecheck.scan import ScanOptions
    from profilecheck.walk import WalkOptions
    from profilecheck.workers import Limits

    walk = WalkOptions(
        include=tuple(_split(o["include"])),
        exclude=tuple(exclude),
        include_hidden=o["include_hidden"],
        include_temp=o["include_temp"],
        follow_links=o["follow_links"],
    )
    limits = Limits(o["timeout"], o["max_memory"], quiet=not o["verbose"])
    cache_dir = None if o["no_cache"] else (o["cache_dir"] or default_cache_dir())
    return ScanOptions(
        walk=walk,
        jobs=o["jobs"] or os.cpu_count() or 1,
        limits=limits,
        executor=o["executor"],
        scheduler=o["scheduler"],
        cache_dir=cache_dir,
    )


def _parse_reports(values: tuple[str, ...]) -> list[tuple[str, Path]]:
    reports = []
    for value in values:
        name, sep, path = value.partition(":")
        if not sep or not path or name not in FORMATS:
            choices = ", ".join(sorted(FORMATS))
            raise UsageError(f"--report {value!r}: use FORMAT:PATH with FORMAT one of {choices}")
        reports.append((name, Path(path)))
    return reports


def _write_reports(run: Any, o: dict[str, Any], reports: list[tuple[str, Path]]) -> None:
    output: Path | None = o["output"]
    main_format = str(o["output_format"])
    for name, path in reports:
        _write(path, _render(name, run, o, colour=False))
    text = _render(main_format, run, o, colour=_use_colour(str(o["color"])) and output is None)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(_encoded(text))
        sys.stdout.flush()
    else:
        _write(output, text)


def _render(format_name: str, run: Any, o: dict[str, Any], colour: bool) -> str:
    from profilecheck.reporters import Options, render
    from profilecheck.scan import folder_summary

    options = Options(
        color=colour,
        verbose=bool(o["verbose"]),
        quiet=bool(o["quiet"]),
        statistics=bool(o["statistics"]),
    )
    text = render(format_name, run, options)
    if format_name == "json":
        document = json.loads(text)
        document["folders"] = folder_summary(run)
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if format_name == "text" and not o["quiet"] and o["top_folders"]:
        return _worst_folders(folder_summary(run)[: o["top_folders"]]) + text
    return text


def _worst_folders(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    lines = ["", "Worst folders (errors, not checked, warnings, files):"]
    lines += [
        f"  {r['error']:6d} {r['not_checked']:6d} {r['warning']:6d} {r['files']:6d}  {r['folder']}"
        for r in rows
    ]
    return "\n".join(lines) + "\n\n"


def _encoded(text: str) -> bytes:
    """UTF-8, with names that are not valid UTF-8 written as \\udcXX escapes: valid JSON inside
    a string, and readable text elsewhere, instead of a UnicodeEncodeError."""
    return text.encode("utf-8", "backslashreplace")


def _write(path: Path, text: str) -> None:
    try:
        path.write_bytes(_encoded(text))
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}")


def _show_progress(o: dict[str, Any]) -> bool:
    if o["progress"] is not None:
        return bool(o["progress"])
    return not o["quiet"] and sys.stderr.isatty()


class Progress:
    """One line on stderr: done/total, rate, ETA, failures so far. Silent when not shown."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.total = 0
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self.drawn = 0.0

    def start(self, total: int) -> None:
        self.total = total
        self.started = time.monotonic()

    def update(self, result: Any) -> None:
        self.done += 1
        if result.status.value not in ("checked", "skipped"):
            self.failed += 1
        now = time.monotonic()
        if self.enabled and (now - self.drawn >= 0.1 or self.done == self.total):
            self.drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        eta = time.strftime("%H:%M:%S", time.gmtime(left))
        line = (
            f"\r{self.done}/{self.total} files  {rate:.1f} files/s  ETA {eta}  "
            f"{self.failed} not checked"
        )
        click.echo(line, nl=False, err=True)

    def close(self) -> None:
        if self.enabled and self.done:
            click.echo(err=True)
