"""The compliance score: how much of the profile a file follows, from 0 to 100.

Definition (per file):

- The *applicable checks* are the checks that ran (`RunResult.checks`: every finding name an
  enabled, selected rule can emit, with its configured severity). When a run does not say, every
  check in the catalogue counts. File-level checks (family F: unreadable, encrypted, ...) are
  not checks of their own in the score.
- Each check weighs by its severity: error 3, warning 1, info 0. A check *fails* on a file when
  it reported at least one finding there that is not suppressed; it then weighs by the worst
  severity it reported, so a finding raised to error costs as much as an error.
- score = 100 × (weight of the checks passed) / (weight of all applicable checks), one decimal.
  A file with nothing weighed scores 100. Many findings of one check cost as much as one: the
  score says how many of the profile's demands are met, the finding count says how much work.
- A rule that stopped on a file (`rule-failed`, or `resource-limit` from a rule) fails every
  check that rule runs (`RunResult.rule_checks`, by the finding's rule label), each at its
  configured weight: nobody can tell those demands are met. When the run does not say which
  checks the rule runs, the stop counts as one failed check of its own severity, as does a part
  of a checked file that could not be read (`unreadable-file`, e.g. a page's content).
- Files that could not be checked because they are damaged, encrypted or timed out score 0:
  nobody can tell they comply. Unsupported formats and skipped files have no score and are
  left out of the overall score.

The overall score is the mean of the file scores, each file counting once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from profilecheck.core import codes
from profilecheck.core.model import Severity, Status
from profilecheck.core.results import NOT_CHECKED, NOT_CHECKED_FINDINGS, FileResult, RunResult

WEIGHTS = {Severity.ERROR: 3, Severity.WARNING: 1, Severity.INFO: 0}
SCORED_ZERO = NOT_CHECKED
FILE_FAMILY = "F"


def applicable_checks(run: RunResult) -> dict[str, Severity]:
    """Finding name -> severity of the checks the score counts."""
    checks = run.checks or {name: check.severity for name, check in codes.CATALOGUE.items()}
    return {name: Severity(sev) for name, sev in checks.items() if not _file_level(name)}


def file_score(
    result: FileResult,
    checks: dict[str, Severity],
    rule_checks: dict[str, tuple[str, ...]] | None = None,
) -> float | None:
    """The file's score (see the module docstring), or None when it has none."""
    if result.status in SCORED_ZERO:
        return 0.0
    if result.status is not Status.CHECKED:
        return None
    failed: dict[str, Severity] = {}

    def fail(name: str, severity: Severity) -> None:
        failed[name] = max(failed.get(name, severity), severity, key=lambda s: s.rank)

    for finding in result.findings:
        if finding.suppressed:
            continue
        if finding.name in NOT_CHECKED_FINDINGS:  # a rule stopped, or a part was not read
            stopped = (rule_checks or {}).get(finding.rule)
            for name in stopped or ():
                if name in checks:
                    fail(name, checks[name])
            if not stopped:
                fail(finding.name, finding.severity)
            continue
        if not _file_level(finding.name):
            fail(finding.name, finding.severity)
    weights = {name: WEIGHTS[severity] for name, severity in checks.items()}
    for name, severity in failed.items():
        weights[name] = max(weights.get(name, 0), WEIGHTS[severity])
    total = sum(weights.values())
    if total == 0:
        return 100.0
    lost = sum(weights[name] for name in failed)
    return round(100 * (total - lost) / total, 1)


def overall_score(scores: Iterable[float | None]) -> float | None:
    counted = [score for score in scores if score is not None]
    return round(sum(counted) / len(counted), 1) if counted else None


@dataclass(frozen=True)
class Scores:
    by_path: dict[str, float | None]
    overall: float | None


def scores(run: RunResult) -> Scores:
    checks = applicable_checks(run)
    by_path = {result.path: file_score(result, checks, run.rule_checks) for result in run.files}
    return Scores(by_path, overall_score(by_path.values()))


@dataclass(frozen=True)
class RuleTally:
    """How often one check failed in a run: for the "worst rules" list."""

    name: str
    code: str
    severity: Severity
    files: int
    findings: int


def worst_checks(run: RunResult, limit: int = 10) -> list[RuleTally]:
    """Checks with the most files affected, errors before warnings; info findings left out."""
    files: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    worst: dict[str, Severity] = {}
    for finding in run.findings():
        if finding.suppressed or finding.severity is Severity.INFO:
            continue
        files.setdefault(finding.name, set()).add(finding.location.path)
        counts[finding.name] = counts.get(finding.name, 0) + 1
        known = worst.get(finding.name, finding.severity)
        worst[finding.name] = max(known, finding.severity, key=lambda s: s.rank)
    tallies = [
        RuleTally(name, _code(name), worst[name], len(files[name]), counts[name]) for name in counts
    ]
    tallies.sort(key=lambda t: (-t.severity.rank, -t.files, -t.findings, t.code))
    return tallies[:limit]


def _code(name: str) -> str:
    check = codes.CATALOGUE.get(name)
    return check.code if check else "?"


def _file_level(name: str) -> bool:
    return _code(name).startswith(FILE_FAMILY)


def file_passed(result: FileResult, fail_on: Severity) -> bool:
    """No unsuppressed finding at or above the run's fail level, and the file was (fully)
    checked or a waiver accepts why not (skipped files pass)."""
    if result.fails_closed:
        return False
    return not any(f.severity.rank >= fail_on.rank for f in result.findings if not f.suppressed)
