"""`profilecheck fix FILE...`: corrected copies of Word documents and presentations, the list of
what changed, and the copies checked again in the same run.

Exit codes: 0 every finding at or above the fail level is gone (or there was nothing to fix);
1 findings at or above it remain that fix could not fix, or a file was refused, not edited or
its output exists already; 2 usage, configuration or profile errors. A dry run writes nothing
and exits 1 only for files it refused or would not edit.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import click

from profilecheck.cli.common import limit_options, process_limits, run_command, with_options
from profilecheck.core.errors import UsageError
from profilecheck.core.printable import printable

DEFAULT_SUFFIX = "-fixed"
OPTION_DEFAULTS = {
    "reports": (), "statistics": False, "select": (), "extend_select": (), "ignore": (),
    "exclude": (), "severities": (), "fail_on": None,
}  # fmt: skip


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the corrected copies (same file names).",
)  # fmt: skip
@click.option("--suffix", help=f"Write the copy beside the file, named with this suffix "
              f"(default {DEFAULT_SUFFIX!r} when --output is not given).")  # fmt: skip
@click.option("--only", multiple=True, help="Fixes (fonts, colours, numbers, metadata) or the "
              "finding names they fix; comma-separated or repeated. Default: all.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="List what would change; write nothing.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
@click.option("--profile", "profile_ref", help="Bundled profile name or profile folder.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
@click.option("--lang", help="Language of the messages (sv, en); default: the profile's.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also list the remaining notes (info findings)."
)
@with_options(*limit_options(120.0, 2048))
def fix(files: tuple[str, ...], **options: Any) -> None:
    """Write corrected copies of Word and PowerPoint files (never the input) and list the changes."""
    run_command(lambda: _fix(files, {**OPTION_DEFAULTS, **options}))


def _fix(files: tuple[str, ...], o: dict[str, Any]) -> int:
    from profilecheck.cli.common import load_engine, split
    from profilecheck.fix import fix_file, knowledge_from, parse_only

    if o["output_dir"] is not None and o["suffix"] is not None:
        raise UsageError("give --output or --suffix, not both")
    try:
        fixes = parse_only(split(o["only"]))
    except ValueError as error:
        raise UsageError(str(error)) from error
    engine = load_engine(o)
    knowledge = knowledge_from(engine)
    if o["output_dir"] is not None and not o["dry_run"]:
        o["output_dir"].mkdir(parents=True, exist_ok=True)
    fixed = []
    for path in files:
        target = _target(path, o)
        if target is not None and _same(target, path):
            raise UsageError(f"{path}: the output would be the input file; fix never overwrites it")
        fixed.append(fix_file(path, None if o["dry_run"] else target, knowledge, fixes,
                              engine.limits, force=o["force"]))  # fmt: skip
    report = _recheck(engine, fixed, o)
    if o["output_format"] == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(_text(report, bool(o["verbose"])), nl=False)
    return report["summary"]["exit_code"]


def _target(path: str, o: dict[str, Any]) -> Path | None:
    source = Path(path)
    if o["output_dir"] is not None:
        return o["output_dir"] / source.name
    suffix = o["suffix"] if o["suffix"] is not None else DEFAULT_SUFFIX
    if not suffix:
        return None
    return source.with_name(f"{source.stem}{suffix}{source.suffix}")


def _same(target: Path, path: str) -> bool:
    try:
        return target.exists() and os.path.samefile(target, path)
    except OSError:
        return os.path.abspath(target) == os.path.abspath(path)


def _recheck(engine: Any, fixed: list, o: dict[str, Any]) -> dict[str, Any]:
    """Each input and each written copy checked, as `check` checks them; the counts compared."""
    from profilecheck import __version__
    from profilecheck.batch.bounded import check_files
    from profilecheck.batch.walk import Entry

    paths = [item.path for item in fixed if item.status not in ("refused",)]
    paths += [item.output for item in fixed if item.output]
    entries = [Entry(path, str(Path(path).parent), True, stat=os.stat(path)) for path in paths]
    results = {r.path: r for r in check_files(engine, entries, process_limits(o))}
    files, failed = [], False
    for item in fixed:
        before = results.get(item.path)
        after = results.get(item.output) if item.output else before
        entry = _file_entry(item, before, after)
        bad = item.status in ("refused", "not-edited", "exists")
        if not o["dry_run"] and after is not None:
            bad = bad or engine.run_result([after]).failed
        failed = failed or bad
        files.append(entry)
    changed = sum(1 for item in fixed if item.status in ("fixed", "dry-run"))
    summary = {
        "files": len(fixed),
        "changed": changed,
        "changes": sum(len(f["changes"]) for f in files),
        "findings_before": sum(f["findings_before"] for f in files),
        "findings_after": sum(f["findings_after"] for f in files),
        "removed": sum(f["removed"] for f in files),
        "new": sum(f["new"] for f in files),
        "dry_run": bool(o["dry_run"]),
        "exit_code": 1 if failed else 0,
    }
    return {
        "tool": "profilecheck",
        "version": __version__,
        "command": "fix",
        "schema": 1,
        "profile": {"name": engine.profile.name, "version": engine.profile.version},
        "files": files,
        "summary": summary,
    }


def _file_entry(item: Any, before: Any, after: Any) -> dict[str, Any]:
    counted_before = Counter(f.name for f in before.findings) if before else Counter()
    counted_after = Counter(f.name for f in after.findings) if after else counted_before
    if item.output is None:  # nothing written: what the fix would remove is not measured
        counted_after = counted_before
    new = sum(max(0, counted_after[n] - counted_before[n]) for n in counted_after)
    removed = sum(max(0, counted_before[n] - counted_after[n]) for n in counted_before)
    remaining = (
        after.findings if after is not None and item.output else (before.findings if before else [])
    )
    if item.status == "dry-run":  # nothing written, nothing re-checked: the list is the changes
        remaining = []
    return {
        "path": item.path,
        "format": item.format,
        "status": item.status,
        "output": item.output,
        "message": item.message,
        "changes": [c.as_dict() for c in item.changes],
        "findings_before": sum(counted_before.values()),
        "findings_after": sum(counted_after.values()),
        "removed": removed,
        "new": new,
        "remaining": [
            {
                "code": f.code,
                "name": f.name,
                "severity": str(f.severity),
                "message": f.message,
                "why_not_fixed": "a note" if str(f.severity) == "info" else _why(f.name),
            }
            for f in remaining
        ],
    }


def _why(name: str) -> str:
    from profilecheck.fix import FIXABLE, NOT_FIXED

    if name.startswith("logo-"):
        return NOT_FIXED["logo"]
    if name in NOT_FIXED:
        return NOT_FIXED[name]
    if name in FIXABLE:
        return "listed in the changes as not changed, or not fixable where it is"
    return "not something fix changes"


def _text(report: dict[str, Any], verbose: bool) -> str:
    lines = []
    for entry in report["files"]:
        head = f"{entry['path']}: {entry['status']}"
        if entry["output"]:
            head += f" → {entry['output']}"
        if entry["message"]:
            head += f" ({entry['message']})"
        lines.append(head)
        for change in entry["changes"]:
            count = f" ×{change['count']}" if change["count"] > 1 else ""
            mark = "  " if change["done"] else "  NOT CHANGED "
            line = (
                f"{mark}{change['what']}{count}: {change['part']}, {change['where']}: "
                f"{change['before']} → {change['after']}"
            )
            lines.append(line + (f" ({change['reason']})" if change["reason"] else ""))
        if entry["status"] in ("fixed", "unchanged"):
            lines.append(
                f"  findings: {entry['findings_before']} before, {entry['findings_after']} after"
                f" ({entry['removed']} removed, {entry['new']} new)"
            )
        shown = [f for f in entry["remaining"] if verbose or f["severity"] != "info"]
        for finding in shown:
            lines.append(
                f"  remains: {finding['code']} {finding['name']}: {finding['message']}"
                f" — {finding['why_not_fixed']}"
            )
    s = report["summary"]
    if s["dry_run"]:
        lines.append(
            f"{s['files']} file(s), {s['changed']} would change; {s['findings_before']} "
            "finding(s) in the input (a dry run: nothing written, nothing checked again)"
        )
    else:
        lines.append(
            f"{s['files']} file(s), {s['changed']} changed; findings {s['findings_before']} → "
            f"{s['findings_after']}: {s['removed']} removed by the fix, {s['findings_after']} "
            f"remain, {s['new']} new"
        )
    return "".join(printable(line) + "\n" for line in lines)
