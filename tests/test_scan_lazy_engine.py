"""A re-scan whose files are all in the cache neither imports the rule types (nor the workers)
nor compiles the rules: the report's checks and the catalogue come from the cache (batch/provenance.py,
`known_checks`), and the report is the same as the scan that checked the files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import make_pdf, make_profile, run_cli

PROBE = """
import json, sys, runpy
sys.argv = ["profilecheck", *json.loads(sys.argv[1])]
code = 0
try:
    runpy.run_module("profilecheck", run_name="__main__")
except SystemExit as exit:
    code = exit.code
heavy = ("phonenumbers", "profilecheck.batch.workers")
rules = sorted(m for m in sys.modules if m.startswith("profilecheck.checks.") or m in heavy)
print(json.dumps({"code": code, "rules": rules}), file=sys.stderr)
"""


def _scan_in_process(args: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    make_pdf(root / "a.pdf", ["Kallelse till möte", "Ring 0303-70 30 00"], fontsize=6)
    make_pdf(root / "b.pdf", ["Protokoll"])
    return root


def _findings(report: Path) -> list:
    document = json.loads(report.read_text(encoding="utf-8"))
    document.pop("generated", None)
    return [(f["path"], sorted(json.dumps(x, sort_keys=True) for x in f["findings"]))
            for f in document["files"]], document["summary"]  # fmt: skip


def test_warm_rescan_imports_no_rule_type(tmp_path):
    root, cache = _tree(tmp_path), tmp_path / "cache"
    args = ["scan", str(root), "--cache-dir", str(cache), "--format", "json", "--isolated"]
    cold = _scan_in_process([*args, "--output", str(tmp_path / "cold.json")])
    assert cold["code"] == 1 and "profilecheck.checks.text_size" in cold["rules"]
    warm = _scan_in_process([*args, "--output", str(tmp_path / "warm.json")])
    assert warm == {"code": 1, "rules": []}
    assert _findings(tmp_path / "warm.json") == _findings(tmp_path / "cold.json")
    # a file to check builds the rules, and what it finds is the same as ever
    make_pdf(root / "c.pdf", ["Kallelse till möte", "Ring 0303-70 30 00"], fontsize=6)
    third = _scan_in_process([*args, "--output", str(tmp_path / "third.json")])
    assert third["code"] == 1 and "profilecheck.checks.text_size" in third["rules"]
    files = json.loads((tmp_path / "third.json").read_text(encoding="utf-8"))["files"]
    by_name = {Path(f["path"]).name: f["findings"] for f in files}
    said = {name: [(f["code"], f["message"]) for f in found] for name, found in by_name.items()}
    assert said["a.pdf"] == said["c.pdf"] and said["a.pdf"]


def test_selectors_and_waivers_still_known_on_a_warm_rescan(tmp_path):
    root, cache = _tree(tmp_path), tmp_path / "cache"
    args = ["scan", str(root), "--cache-dir", str(cache), "--format", "json", "--isolated"]
    assert run_cli(*args, "--output", str(tmp_path / "cold.json")).returncode == 1
    done = run_cli(*args, "--select", "no-such-check", "--output", str(tmp_path / "x.json"))
    assert done.returncode == 2 and "no-such-check" in done.stderr
    done = run_cli(*args, "--select", "T303", "--output", str(tmp_path / "t.json"))
    names = {
        f["name"] for f in json.loads((tmp_path / "t.json").read_text())["files"][0]["findings"]
    }
    assert names <= {"text-too-small"}


def test_a_broken_profile_fails_a_warm_rescan_too(tmp_path):
    root, cache = _tree(tmp_path), tmp_path / "cache"
    profile = make_profile(
        tmp_path / "broken", {"size": 'type = "text-size"\n[params]\nminimum-pt = "big"\n'}
    )
    args = ["scan", str(root), "--cache-dir", str(cache), "--format", "json", "--isolated"]
    for _ in range(2):  # nothing is cached for a profile that cannot be compiled
        done = run_cli(*args, "--profile", str(profile), "--output", str(tmp_path / "r.json"))
        assert done.returncode == 2, done.stderr
        assert "problem" in done.stderr
