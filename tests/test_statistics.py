"""`--statistics`: where the time went, on stderr after the report; off by default, and free.

Nothing here tests how long anything took: only that the table is there, parseable, sums what
the workers sent back, and that the report on stdout is untouched by it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from profilecheck.batch.scan import ScanOptions, scan
from profilecheck.batch.workers import TIMINGS, Task, check_with, timings_of
from profilecheck.core import timing
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile
from tests.conftest import FORBID_OLD, make_pdf, make_profile, run_cli

LINE = re.compile(r"^\s+(\d+\.\d{3})\s+(\d+\.\d)%\s+(\d+)\s+(\w+): (.+)$")
HEADER = re.compile(r"^Timing: (\d+\.\d{3}) s checking (\d+) file\(s\)$")


@pytest.fixture(autouse=True)
def _timing_off():
    timing.enable(False)
    timing.reset()
    yield
    timing.enable(False)
    timing.reset()


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return make_profile(tmp_path / "tiny", {"old-number": FORBID_OLD})


def _files(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        make_pdf(folder / f"letter{n}.pdf", [f"Ring 0303-33 00 00, brev {n}"])
    return folder


def parsed(stderr: str) -> tuple[int, list[tuple[float, float, int, str, str]]]:
    """(files checked, rows) of the table; every line after the header must parse."""
    lines = stderr[stderr.index("Timing: ") :].splitlines()
    header = HEADER.match(lines[0])
    assert header, lines[0]
    rows = []
    for line in lines[1:]:
        if (line.startswith("  ") and line.strip().endswith(":")) or "seconds" in line:
            continue  # a section's title or its column heads
        match = LINE.match(line)
        assert match, line
        seconds, share, calls, kind, name = match.groups()
        rows.append((float(seconds), float(share), int(calls), kind, name))
    return int(header.group(2)), rows


def test_check_statistics_on_stderr_with_valid_json_on_stdout(tmp_path, profile):
    folder = _files(tmp_path / "docs", 2)
    done = run_cli(
        "check", "--isolated", "--profile", str(profile), "--format", "json", "--statistics",
        str(folder),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the old number is an error
    report = json.loads(done.stdout)  # the table never reaches stdout
    assert report["format_version"] == 1 and len(report["files"]) == 2
    checked, rows = parsed(done.stderr)
    assert checked == 2
    kinds = {kind for _s, _p, _c, kind, _n in rows}
    assert {"rule", "read"} <= kinds
    (rule,) = [r for r in rows if r[3] == "rule"]
    assert rule[4] == "tiny/old-number (text)" and rule[2] == 2


def test_scan_statistics_on_stderr_with_the_json_report_written(tmp_path, profile):
    folder = _files(tmp_path / "docs", 3)
    output = tmp_path / "r.json"
    done = run_cli(
        "scan", str(folder), "--isolated", "--profile", str(profile), "--jobs", "2",
        "--no-cache", "--statistics", "--format", "json", "--output", str(output),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(output.read_text(encoding="utf-8"))
    assert len(report["files"]) == 3 and "folders" in report
    checked, rows = parsed(done.stderr)
    assert checked == 3
    assert [r[2] for r in rows if r[3] == "rule"] == [3]  # summed over both workers


def test_scan_timings_travel_back_from_workers_and_cached_files_add_none(tmp_path, profile):
    folder = _files(tmp_path / "docs", 3)
    engine = Engine(load_profile(str(profile)), Settings())
    options = ScanOptions(jobs=2, cache_dir=tmp_path / "cache")
    timing.enable()
    cold = scan([str(folder)], engine, options)
    assert cold.checked == 3
    calls = {(kind, name): n for kind, name, _s, n in timing.rows()}
    assert calls[("file", "check")] == 3 and calls[("rule", "tiny/old-number (text)")] == 3
    timing.reset()
    warm = scan([str(folder)], engine, options)
    assert warm.checked == 0 and timing.rows() == []
    assert [r.as_dict() for r in warm.run.files] == [r.as_dict() for r in cold.run.files]


def test_text_statistics_still_count_findings_on_stdout(tmp_path, profile):
    folder = _files(tmp_path / "docs", 1)
    done = run_cli("check", "--isolated", "--profile", str(profile), "--statistics", str(folder))
    assert "contact-outdated" in done.stdout and "Timing:" not in done.stdout
    assert "Timing:" in done.stderr


def test_off_by_default_records_nothing_and_sends_nothing(tmp_path, profile):
    pdf = make_pdf(tmp_path / "a.pdf", ["Ring 0303-33 00 00"])
    engine = Engine(load_profile(str(profile)), Settings())
    assert not timing.enabled()
    assert timing.timed("rule", "x") is timing.OFF  # one shared object: nothing allocated
    engine.check_file(str(pdf))
    assert timing.rows() == []
    assert TIMINGS not in check_with(engine, Task(0, str(pdf), True))
    timed = check_with(engine, Task(0, str(pdf), True, timings=True))
    assert {row[0] for row in timed[TIMINGS]} >= {"file", "rule", "read"}
    plain = timings_of(timed)
    assert TIMINGS not in plain and {r[0] for r in timing.rows()} >= {"rule"}


def test_timers_nested_in_themselves_count_once_and_bad_rows_are_ignored():
    timing.enable()
    with timing.timed("analysis", "a"):
        with timing.timed("analysis", "a"):
            pass
        with timing.timed("render", "page"):
            pass
    timing.merge([["rule", "r", 1.5, 2], "junk", ["rule", "r", "x", 1], None])
    counts = {(kind, name): calls for kind, name, _s, calls in timing.rows()}
    assert counts == {("analysis", "a"): 1, ("render", "page"): 1, ("rule", "r"): 2}
    table = timing.table(top=1)
    assert "more: 1 not shown" in table
    parsed(table)
