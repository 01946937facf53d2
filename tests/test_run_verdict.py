"""`RunResult.failed` stops at the first failing file, and says what the summary says."""

from __future__ import annotations

import itertools

import pytest

from profilecheck.core.model import Severity, Status
from profilecheck.core.results import FileResult, Finding, Location, RunResult

FINDINGS = {
    "none": [],
    "info": [("logo-found", Severity.INFO, None)],
    "warning": [("colour-off-palette", Severity.WARNING, None)],
    "error": [("logo-missing", Severity.ERROR, None)],
    "waived error": [("logo-missing", Severity.ERROR, "waived")],
    "stopped": [("rule-failed", Severity.WARNING, None)],
    "stopped, waived": [("rule-failed", Severity.WARNING, "waived")],
    "unreadable": [("unreadable-file", Severity.ERROR, None)],
}


def _result(path: str, status: Status, kind: str) -> FileResult:
    findings = [
        Finding("X1", name, severity, "m", Location(path), suppressed=why)
        for name, severity, why in FINDINGS[kind]
    ]
    return FileResult(path, "pdf", status, findings)


CASES = [
    (status, kinds, fail_on)
    for status in (Status.CHECKED, Status.UNREADABLE, Status.SKIPPED, Status.TIMEOUT)
    for kinds in itertools.combinations(FINDINGS, 2)
    for fail_on in Severity
]


@pytest.mark.parametrize(("status", "kinds", "fail_on"), CASES)
def test_failed_is_the_summarys_verdict(status, kinds, fail_on):
    files = [_result(f"/s/{n}.pdf", status if n else Status.CHECKED, kind)
             for n, kind in enumerate(kinds)]  # fmt: skip
    run = RunResult("0", "p", "1", "P", files, fail_on=fail_on)
    assert run.failed == run._failed(run._tallies()) == run.summary()["failed"]


def test_the_statuses_are_counted_by_value_in_order_of_first_appearance():
    files = [_result(f"/s/{n}", s, "none") for n, s in enumerate(
        [Status.SKIPPED, Status.CHECKED, Status.SKIPPED, Status.TIMEOUT])]  # fmt: skip
    statuses = RunResult("0", "p", "1", "P", files).summary()["statuses"]
    assert list(statuses.items()) == [("skipped", 2), ("checked", 1), ("timeout", 1)]
    assert all(type(k) is str for k in statuses)
