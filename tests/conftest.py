"""Shared test helpers: paths and small document builders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


def make_pdf(path: Path, lines: list[str], fontsize: float = 11) -> Path:
    """A one-page A4 PDF with one line of Helvetica text per entry."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    for index, line in enumerate(lines):
        page.insert_text((72, 72 + index * 18), line, fontsize=fontsize)
    document.save(path)
    return path


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "profilecheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def run_json(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    done = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def run_rule(rule_type: type, table: dict, document: Any, source: Path) -> list:
    """The findings of one rule type with the parameters `table` (as in a rule file at
    `source`) on a document read or built by the test, checked in-process."""
    from profilecheck.engine.ruletype import Report
    from profilecheck.profile.params import parse_params
    from profilecheck.profile.rule import Rule

    params, problems = parse_params(rule_type.Params, table)
    assert not problems, problems
    rule = Rule(id=source.stem, type=rule_type.name, source=source, profile="test", params=table)
    assert not rule_type.validate(params, rule)
    report = Report(rule, rule_type, document, "en")
    rule_type(rule, params).check(document, report)
    return report.findings
