"""Reports made once and streamed: the same document whether results were checked or cached.

A warm re-scan writes cached results straight from the cache's rows, without building finding
objects (batch/cache.CachedFileResult.as_dict); the report must not differ by a byte from the
cold scan's. The JSON layout is one line per top-level key and per file (the C encoder).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
from pathlib import Path

import pytest

from profilecheck.batch.cache import CachedFileResult
from profilecheck.batch.integrity import StoredResult
from profilecheck.batch.scan import ScanOptions, scan
from profilecheck.core.model import Box, Part, Severity, Status
from profilecheck.core.results import FileResult, Finding, Location, RunResult
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile
from profilecheck.reporters import Options, render
from profilecheck.reporters import json as json_reporter
from profilecheck.reporters import sarif as sarif_reporter
from tests.conftest import FORBID_OLD, make_pdf, make_profile, run_cli


def _tree(root: Path) -> Path:
    (root / "a").mkdir(parents=True)
    make_pdf(root / "a" / "one.pdf", ["Ring 0303-33 00 00 idag", "eller 0303-33 00 00 i morgon"])
    make_pdf(root / "a" / "two.pdf", ["Inget nummer här"])
    (root / "b").mkdir()
    (root / "b" / "copy.pdf").write_bytes((root / "a" / "one.pdf").read_bytes())
    (root / "b" / "notes.txt").write_text("not a document")
    return root


def test_warm_scan_report_is_byte_identical_to_the_cold_one(tmp_path):
    profile = make_profile(tmp_path / "tiny", {"old-number": FORBID_OLD})
    root = _tree(tmp_path / "tree")
    common = ("scan", str(root), "--isolated", "--profile", str(profile), "--jobs", "1")
    common += ("--cache-dir", str(tmp_path / "cache"))
    texts = {}
    for run in ("cold", "warm"):
        for fmt in ("json", "sarif"):
            output = tmp_path / f"{run}.{fmt}"
            done = run_cli(*common, "--format", fmt, "--output", str(output))
            assert done.returncode == 1, done.stderr
            texts[run, fmt] = output.read_bytes()
    assert texts["cold", "json"] == texts["warm", "json"]
    assert texts["cold", "sarif"] == texts["warm", "sarif"]
    document = json.loads(texts["warm", "json"])
    assert document["format_version"] == 1 and "folders" in document
    boxed = [f for e in document["files"] for f in e["findings"] if "box_mm" in f["location"]]
    assert boxed and all(f["location"]["path"] for f in boxed)
    lines = texts["warm", "json"].decode("utf-8").splitlines()
    assert sum(line.startswith('    {"path": ') for line in lines) == len(document["files"])


def test_cached_results_are_written_from_their_rows_without_building_findings(tmp_path):
    profile = make_profile(tmp_path / "tiny", {"old-number": FORBID_OLD})
    root = _tree(tmp_path / "tree")
    engine = Engine(load_profile(str(profile)), Settings())
    options = ScanOptions(jobs=1, cache_dir=tmp_path / "cache")
    cold = scan([str(root)], engine, options)
    warm = scan([str(root)], engine, options)
    assert warm.checked == 0 and warm.from_cache >= 2
    cached = [r for r in warm.run.files if isinstance(r, CachedFileResult)]
    assert cached
    text = render("json", warm.run, Options())
    assert all(r._template is not None for r in cached)  # written, summed: never rebuilt
    assert text == render("json", cold.run, Options())
    assert warm.run.summary() == cold.run.summary()
    for result in cached:  # and once touched, the objects are the truth
        assert [f.location.path for f in result.findings] == [result.path] * len(result.findings)
        assert result.as_dict() == json.loads(json.dumps(result.as_dict()))


# --- a cached template encoded once, each file's path spliced in ---


def _finding(path: str, name: str = "contact-outdated", **changes) -> Finding:
    fields = dict(code="K403", name=name, severity=Severity.ERROR, message='Säg "path": ""',
                  location=Location(path, page=1, box=Box(1, 2, 3, 4), part=Part.FOOTER))  # fmt: skip
    return Finding(**{**fields, **changes})


def _cached(template: FileResult, path: str) -> CachedFileResult:
    stored = StoredResult.from_dict(template.as_dict())
    stored.row = template.as_dict()
    return CachedFileResult.of(stored, path)


@pytest.mark.parametrize("trap", [False, True])
@pytest.mark.parametrize(
    "path",
    [
        "/share/a.pdf",
        "/share/caf\udce9 \u202e.pdf",
        '/share/"quoted" \\ back.pdf',
        "/share/\x1b.pdf",
    ],
)
def test_a_shared_template_gives_each_file_the_line_it_would_have_on_its_own(path, trap):
    """Spliced or (when the blank-path token also stands elsewhere: `trap`) encoded whole, the
    line is the one the result would have on its own."""
    other = _finding("/elsewhere/member.xml", measured={"path": ""} if trap else {})
    template = FileResult("", "pdf", Status.CHECKED, [_finding(""), other, _finding("")], 1)
    assert (json_reporter._pieces(template.as_dict()) is None) == trap
    cached = _cached(template, path)
    assert cached.shared_form() is not None
    alone = FileResult.from_dict(cached.as_dict())  # the same result, nothing shared
    assert alone.shared_form() is None
    for run_of in ([cached], [cached, _cached(template, "/share/b.pdf")]):
        shared_text = render("json", _run(run_of), Options())
        plain_text = render(
            "json", _run([FileResult.from_dict(r.as_dict()) for r in run_of]), Options()
        )
        assert shared_text == plain_text
    assert cached._template is not None  # written without building its findings


def test_a_cached_result_with_notes_or_touched_findings_is_written_as_it_is_now():
    template = FileResult("", "pdf", Status.CHECKED, [_finding("")], 1)
    noted, touched = _cached(template, "/s/a.pdf"), _cached(template, "/s/b.pdf")
    noted.warnings.append("the file name is not valid UTF-8")
    touched.findings = [dataclasses.replace(touched.findings[0], suppressed="waived")]
    assert noted.shared_form() is None and touched.shared_form() is None
    document = json.loads(render("json", _run([noted, touched]), Options()))
    assert document["files"][0]["warnings"] == ["the file name is not valid UTF-8"]
    assert document["files"][1]["findings"][0]["suppressed"] == "waived"
    assert document["files"][1]["findings"][0]["location"]["path"] == "/s/b.pdf"


def test_the_summary_counts_shared_findings_lists_once_each_but_for_every_file():
    """`RunResult.summary` tallies each findings list once (cached results share their
    template's); the counts are those of counting every finding of every file."""
    stop = _finding("", name="resource-limit", code="F901")
    waived = _finding("", suppressed="baseline")
    warning = _finding("", severity=Severity.WARNING, name="font-not-allowed", code="T301")
    templates = [FileResult("", "pdf", Status.CHECKED, findings, 1)
                 for findings in ([warning], [warning, waived], [stop], [])]  # fmt: skip
    files = [_cached(templates[i % 4], f"/s/{i}.pdf") for i in range(10)]
    files.append(FileResult("/s/x.pdf", "pdf", Status.TIMEOUT, [], 0))
    files.append(
        FileResult("/s/y.pdf", "pdf", Status.CHECKED, [dataclasses.replace(stop, suppressed="ok")])
    )
    for fail_on in (Severity.ERROR, Severity.WARNING):
        run = _run(files, fail_on)
        plain = _run([FileResult.from_dict(r.as_dict()) for r in files], fail_on)
        assert run.summary() == plain.summary() == _counted(plain)
        assert run.failed == plain.failed and run.not_checked == plain.not_checked == 4


def _counted(run: RunResult) -> dict:
    """The summary as counted finding by finding, the way it was first written."""
    severities = {s.value: 0 for s in Severity}
    names: dict[str, int] = {}
    for f in run.findings():
        if not f.suppressed:
            severities[f.severity.value] += 1
            names[f.name] = names.get(f.name, 0) + 1
    failed = any(r.fails_closed for r in run.files) or any(
        f.severity.rank >= run.fail_on.rank for f in run.findings() if not f.suppressed
    )
    statuses: dict[str, int] = {}
    for r in run.files:
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    return {
        "files": len(run.files),
        "statuses": statuses,
        "not_checked": sum(r.not_checked for r in run.files),
        "findings": severities,
        "by_name": dict(sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))),
        "suppressed": sum(1 for f in run.findings() if f.suppressed),
        "failed": failed,
    }


def _run(files: list, fail_on: Severity = Severity.ERROR) -> RunResult:
    return RunResult("0", "tiny", "1", "Tiny", files, fail_on=fail_on)


def test_sarif_is_compressed_to_measure_only_when_its_size_does_not_already_fit(monkeypatch):
    """`_gzipped_fits` answers from the size alone only where even incompressible bytes fit:
    its answer is always the one gzip gives."""
    monkeypatch.setattr(sarif_reporter, "MAX_GZIP_BYTES", 20_000)
    for size in (0, 1000, 19_000, 19_900, 19_915, 19_950, 20_000, 25_000, 200_000):
        for data in (os.urandom(size), b"{}" * (size // 2)):  # incompressible, compressible
            fits = len(gzip.compress(data, 6)) <= 20_000
            assert sarif_reporter._gzipped_fits(data) == fits, (size, data[:2])


def test_a_box_reads_the_same_after_a_round_trip():
    """A finding's box in millimetres comes from its rounded points, so a result read back from
    a worker or the cache prints the same millimetres as one made in this process (73.4866 pt
    is 25.924 mm; its rounded 73.49 pt would be 25.925, rounding up)."""
    from profilecheck.core.model import Box
    from profilecheck.core.results import Location

    location = Location("a.pdf", 1, Box(73.4866, 86.83, 122.58, 113.16))
    shown = location.as_dict()
    assert shown["box_pt"][0] == 73.49
    assert shown["box_mm"][0] == 25.93
    assert Location.from_dict(shown).as_dict() == shown
