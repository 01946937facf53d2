"""Baselines: record today's findings, then fail only on new ones.

A finding's fingerprint is its code, the file's path relative to the scanned root, the page and
its box rounded to a 5 pt grid, so a baseline survives re-mounting the share elsewhere and
small layout shifts, but not a finding moving to another page or file. Identical fingerprints
are counted: a baseline with two `contact-missing` on a page suppresses two, not a third.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from profilecheck import __version__
from profilecheck.core.errors import UsageError
from profilecheck.core.results import Finding, RunResult

BASELINE_VERSION = 1
GRID_PT = 5.0
SUPPRESSED = "baseline"


def fingerprint(finding: Finding, relative_path: str) -> str:
    box = finding.location.box
    rounded = [round(v / GRID_PT) for v in box.as_list()] if box else []
    text = f"{finding.code}|{relative_path}|{finding.location.page or 0}|{rounded}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def write_baseline(path: Path, run: RunResult, relative: Mapping[str, str]) -> int:
    """Write the active findings of `run`; returns how many were recorded."""
    records = [
        {
            "fingerprint": fingerprint(finding, relative.get(result.path, result.path)),
            "code": finding.code,
            "name": finding.name,
            "path": relative.get(result.path, result.path),
            "page": finding.location.page,
        }
        for result in run.files
        for finding in result.findings
        if not finding.suppressed
    ]
    document = {
        "baseline_version": BASELINE_VERSION,
        "tool": {"name": "profilecheck", "version": __version__},
        "profile": {"name": run.profile_name, "version": run.profile_version},
        "findings": records,
    }
    # ensure_ascii keeps names that are not valid UTF-8 as \udcXX escapes, which round-trip
    path.write_text(json.dumps(document, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    return len(records)


def load_baseline(path: Path) -> Counter[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("baseline_version") != BASELINE_VERSION:
            raise ValueError(f"baseline_version {document.get('baseline_version')!r}")
        return Counter(record["fingerprint"] for record in document["findings"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UsageError(f"cannot read the baseline {path}: {error}")


def apply_baseline(run: RunResult, known: Counter[str], relative: Mapping[str, str]) -> int:
    """Mark findings already in the baseline as suppressed; returns how many were."""
    remaining = Counter(known)
    suppressed = 0
    for result in run.files:
        kept: list[Finding] = []
        for finding in result.findings:
            key = fingerprint(finding, relative.get(result.path, result.path))
            if not finding.suppressed and remaining[key] > 0:
                remaining[key] -= 1
                finding = replace(finding, suppressed=SUPPRESSED)
                suppressed += 1
            kept.append(finding)
        result.findings = kept
    return suppressed
