"""`profilecheck scan ROOT...`: batch checking of shared drives, parallel, cached, resumable."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from profilecheck.cli.common import (
    CACHE_OPTIONS,
    OUTPUT_OPTIONS,
    SELECTION_OPTIONS,
    cache_folder,
    limit_options,
    load_engine,
    process_limits,
    run_command,
    split,
    wants_html,
    with_options,
    write_reports,
)
from profilecheck.core.errors import UsageError
from profilecheck.core.printable import printable

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_MEMORY_MB = 1500
DEFAULT_TOP_FOLDERS = 10


SCAN_OPTIONS = (
    click.option("--include", multiple=True, help="Glob: check only files matching one of these."),
    click.option("--include-hidden", is_flag=True, help="Also hidden and system files and folders."),
    click.option("--include-temp", is_flag=True, help="Also Office lock files (~$*) and temp files."),
    click.option("--follow-links", is_flag=True,
                 help="Follow symlinked folders and links out of the root (loops are caught)."),
    click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [cores]."),
    *limit_options(DEFAULT_TIMEOUT, DEFAULT_MAX_MEMORY_MB),
    click.option("--executor", type=click.Choice(("local", "dask")), default="local"),
    click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786."),
    *CACHE_OPTIONS,
    click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
                 help="Fail only on findings not in this baseline file."),
    click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
                 help="Record today's findings in this baseline file."),
    click.option("--top-folders", type=click.IntRange(min=0), default=DEFAULT_TOP_FOLDERS,
                 show_default=True, help="Worst folders listed in the text report."),
    click.option("--progress/--no-progress", default=None, help="Progress line [on a terminal]."),
)  # fmt: skip


@click.command()
@click.argument("roots", nargs=-1, required=True, type=click.Path(path_type=str))
@with_options(*SELECTION_OPTIONS, *SCAN_OPTIONS, *OUTPUT_OPTIONS)
def scan(roots: tuple[str, ...], **options: Any) -> None:
    """Scan folders (shared drives) in parallel, reusing cached results for unchanged files."""
    run_command(lambda: _scan_command(roots, options))


def _scan_command(roots: tuple[str, ...], o: dict[str, Any]) -> int:
    from profilecheck.batch import provenance
    from profilecheck.core import collector

    with collector.paused():
        try:
            return _scan(roots, o)
        finally:
            provenance.cool_down()  # what the probes found serves this scan only


def _scan(roots: tuple[str, ...], o: dict[str, Any]) -> int:
    from profilecheck.batch import provenance

    # the cache key's probes (or their answers kept in the cache folder), while the profile
    # loads and the walk runs
    folder = cache_folder(o)
    provenance.warm_up(folder)
    from profilecheck.batch.scan import scan
    from profilecheck.suppress.waivers import apply_waiver_file

    _check_roots(roots, o)
    engine = load_engine(o, lazy=True)
    if o["baseline"] or o["write_baseline"]:
        from profilecheck.suppress import baseline
    known = baseline.load_baseline(o["baseline"]) if o["baseline"] else None
    progress = Progress(_show_progress(o))
    scan_options = _scan_options(o, engine.settings.exclude, folder)
    outcome = scan(
        roots,
        engine,
        scan_options,
        on_result=progress.update if progress.enabled else None,  # a call per file: only if shown
        on_total=progress.start,
    )
    progress.close()
    run = outcome.run
    apply_waiver_file(run.files, engine.settings)
    if o["write_baseline"] or known is not None:  # by the path relative to its root
        relative = {entry.path: entry.relative for entry in outcome.entries}
    if o["write_baseline"]:
        count = baseline.write_baseline(o["write_baseline"], run, relative)
        written = printable(o["write_baseline"])
        click.echo(f"profilecheck: wrote {count} finding(s) to {written}", err=True)
    if known is not None:
        baseline.apply_baseline(run, known, relative)
    if wants_html(o):  # its pictures are made in workers, under the limits, not here
        from profilecheck.batch.pictures import add_pictures

        add_pictures(run, engine, scan_options)
    from profilecheck.batch.scan import folder_summary

    folders = folder_summary(run)
    return write_reports(
        run,
        o,
        lambda name, text: _with_folders(name, text, folders, o),
        json_extra=(("folders", folders),),
    )


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


def _scan_options(o: dict[str, Any], exclude: list[str], cache_dir: Path | None) -> Any:
    from profilecheck.batch.scan import ScanOptions
    from profilecheck.batch.walk import WalkOptions

    walk = WalkOptions(
        include=tuple(split(o["include"])),
        exclude=tuple(exclude),
        include_hidden=o["include_hidden"],
        include_temp=o["include_temp"],
        follow_links=o["follow_links"],
    )
    limits = process_limits(o)
    return ScanOptions(
        walk=walk,
        jobs=o["jobs"] or os.cpu_count() or 1,
        limits=limits,
        executor=o["executor"],
        scheduler=o["scheduler"],
        cache_dir=cache_dir,
    )


def _with_folders(format_name: str, text: str, folders: list, o: dict[str, Any]) -> str:
    """Scan reports add the worst folders: a table before the text report (and a JSON key,
    `json_extra`, written with the rest of the JSON report)."""
    if format_name == "text" and not o["quiet"] and o["top_folders"]:
        return _worst_folders(folders[: o["top_folders"]]) + text
    return text


def _worst_folders(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    lines = ["", "Worst folders (errors, not checked, warnings, files):"]
    lines += [
        f"  {r['error']:6d} {r['not_checked']:6d} {r['warning']:6d} {r['files']:6d}  "
        f"{printable(r['folder'])}"
        for r in rows
    ]
    return "\n".join(lines) + "\n\n"


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
