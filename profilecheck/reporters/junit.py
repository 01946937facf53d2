"""JUnit XML for CI servers: a test suite per file, a test case per file and check.

Each check that reported something on a file is one test case; its findings at or above the
run's fail level make it a failure (all its messages in the body, the first one in the
`message` attribute), findings below that level are printed as the case's output. When the run
lists the checks that ran, every other check is a passing case; otherwise a file without
findings gets one passing case. A file that could not be read is an `<error>`.
Text from documents is escaped by the XML writer; names and messages go through
`core.printable` (control characters as `\\x1b`-style escapes, the bytes of a name that is not
UTF-8 as `\\xNN`), and anything else XML 1.0 forbids becomes U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from profilecheck.core import codes
from profilecheck.core.model import Status
from profilecheck.core.printable import printable
from profilecheck.core.results import FileResult, Finding, RunResult
from profilecheck.reporters import Options, display_path

NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NOT_CHECKED_ERRORS = (Status.UNREADABLE, Status.ENCRYPTED, Status.TIMEOUT)


def render(run: RunResult, options: Options) -> str:
    root = ET.Element("testsuites", name="profilecheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in run.files:
        suite = _suite(result, run, options)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _suite(result: FileResult, run: RunResult, options: Options) -> ET.Element:
    path = _clean(display_path(result.path, options.cwd))
    suite = ET.Element("testsuite", name=path, time=f"{result.seconds:.3f}")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for case, outcome in _cases(result, run, path):
        suite.append(case)
        counts["tests"] += 1
        if outcome:
            counts[outcome] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def _cases(result: FileResult, run: RunResult, path: str) -> list[tuple[ET.Element, str]]:
    if result.status is Status.SKIPPED or result.status is Status.UNSUPPORTED:
        case = _case(path, "profile")
        ET.SubElement(case, "skipped", message=_clean(result.message or result.status.value))
        return [(case, "skipped")]
    if result.status in NOT_CHECKED_ERRORS:
        case = _case(path, "profile")
        error = ET.SubElement(case, "error", type=result.status.value)
        error.set("message", _clean(result.message or result.status.value))
        error.text = _lines(result.findings)
        return [(case, "errors")]
    by_name: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if not finding.suppressed:
            by_name.setdefault(finding.name, []).append(finding)
    cases = [_findings_case(path, name, found, run) for name, found in by_name.items()]
    passing = [name for name in sorted(run.checks) if name not in by_name]
    if not run.checks and not by_name:
        passing = ["profile"]
    return cases + [(_case(path, _title(name)), "") for name in passing]


def _findings_case(
    path: str, name: str, findings: list[Finding], run: RunResult
) -> tuple[ET.Element, str]:
    case = _case(path, _title(name))
    failing = [f for f in findings if f.severity.rank >= run.fail_on.rank]
    body = _lines(findings)
    if not failing:
        ET.SubElement(case, "system-out").text = body
        return case, ""
    failure = ET.SubElement(case, "failure", type=failing[0].severity.value)
    failure.set("message", _clean(failing[0].message))
    failure.text = body
    return case, "failures"


def _case(path: str, name: str) -> ET.Element:
    return ET.Element("testcase", classname=path, name=_clean(name))


def _title(name: str) -> str:
    check = codes.CATALOGUE.get(name)
    return f"{check.code} {name}" if check else name


def _line(finding: Finding) -> str:
    where = f"page {finding.location.page}: " if finding.location.page else ""
    text = f"{where}{finding.code} {finding.name} {finding.severity.value}: {finding.message}"
    return printable(f"{text} -> {finding.suggestion}" if finding.suggestion else text)


def _lines(findings: list[Finding]) -> str:
    return NOT_XML.sub("\ufffd", "\n".join(_line(f) for f in findings))


def _clean(text: str) -> str:
    """One line of text from a name or message (see the module's docstring)."""
    return NOT_XML.sub("\ufffd", printable(text))
