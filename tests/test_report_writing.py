"""Reports made once and streamed: the same document whether results were checked or cached.

A warm re-scan writes cached results straight from the cache's rows, without building finding
objects (batch/cache.CachedFileResult.as_dict); the report must not differ by a byte from the
cold scan's. The JSON layout is one line per top-level key and per file (the C encoder).
"""

from __future__ import annotations

import json
from pathlib import Path

from profilecheck.batch.cache import CachedFileResult
from profilecheck.batch.scan import ScanOptions, scan
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile
from profilecheck.reporters import Options, render
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
