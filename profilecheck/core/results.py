"""What a check produces: findings with their location, the result per file and per run.

Reporters, the cache, waivers and baselines read these; nothing here knows a document format.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from profilecheck.core.model import Box, Part, Severity, Status

# A file in one of these states was not checked at all.
NOT_CHECKED = (Status.UNREADABLE, Status.ENCRYPTED, Status.TIMEOUT)
# A file with one of these findings was not fully checked: a limit or a rule stopped the check.
STOPPED = ("resource-limit", "rule-failed")
# The findings that say why a file was not (fully) checked; `unreadable-file` on a file that was
# checked says that part of it (a page's content) could not be read.
NOT_CHECKED_FINDINGS = ("unreadable-file", "encrypted-file", *STOPPED)
_RANK = {s.value: s.rank for s in Severity}  # a look-up: Severity.rank searches a tuple


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    page: int | None = None
    box: Box | None = None
    part: Part | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path}
        if self.page is not None:
            out["page"] = self.page
        if self.box is not None:
            points = out["box_pt"] = self.box.as_list()
            # from the rounded points: a result read back (from a worker, the cache) says the same
            out["box_mm"] = list(Box(*points).in_mm())
        if self.part is not None:
            out["part"] = self.part.value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        """The inverse of `as_dict` (boxes come back at its rounding)."""
        box = data.get("box_pt")
        part = data.get("part")
        return cls(
            path=data["path"],
            page=data.get("page"),
            box=Box(*box) if box else None,
            part=Part(part) if part else None,
        )


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    rule: str = ""  # the rule file it came from, e.g. "ale/contact-outdated"
    suggestion: str | None = None
    measured: dict[str, Any] = field(default_factory=dict)  # e.g. {"value": 12.1, "limit": 20}
    suppressed: str | None = None  # reason, when a waiver or baseline suppresses it

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "rule": self.rule,
            "location": self.location.as_dict(),
        }
        if self.suggestion:
            out["suggestion"] = self.suggestion
        if self.measured:
            out["measured"] = {k: _plain(v) for k, v in self.measured.items()}
        if self.suppressed:
            out["suppressed"] = self.suppressed
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The inverse of `as_dict`, e.g. for results read back from the scan cache."""
        return cls(
            code=data["code"],
            name=data["name"],
            severity=Severity(data["severity"]),
            message=data["message"],
            location=Location.from_dict(data["location"]),
            rule=data.get("rule", ""),
            suggestion=data.get("suggestion"),
            measured=dict(data.get("measured", {})),
            suppressed=data.get("suppressed"),
        )

    @property
    def sort_key(self) -> tuple:
        box = self.location.box
        return (
            self.location.path,
            self.location.page or 0,
            (box.y0, box.x0) if box else (0.0, 0.0),
            -self.severity.rank,
            self.code,
            self.message,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Box):
        return value.as_list()
    return value


@dataclass(slots=True)
class FileResult:
    path: str
    format: str
    status: Status
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    message: str = ""  # why the file was not checked, in plain words
    warnings: list[str] = field(default_factory=list)  # from the libraries, capped

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "format": self.format,
            "status": self.status.value,
            "pages": self.pages,
            "findings": [f.as_dict() for f in self.findings],
        }
        if self.message:
            out["message"] = self.message
        if self.warnings:
            out["warnings"] = self.warnings
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileResult:
        """The inverse of `as_dict`, e.g. for results read back from the scan cache."""
        return cls(
            path=data["path"],
            format=data["format"],
            status=Status(data["status"]),
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            pages=data.get("pages", 0),
            message=data.get("message", ""),
            warnings=list(data.get("warnings", [])),
        )

    @property
    def judged(self) -> list[Finding]:
        """The findings as counts, scores and verdicts read them (name, severity, suppressed):
        a cached result answers from its shared template, without binding each to its path."""
        return self.findings

    def shared_form(self) -> dict[str, Any] | None:
        """`as_dict()` with this file's path blanked ("" wherever `as_dict()` has the path), when
        other results share that very dict (files of identical content, read from the scan
        cache) and `as_dict()` is exactly it with the path filled in: a reporter may then encode
        it once for all of them. None otherwise (the usual case)."""
        return None

    @property
    def not_checked(self) -> bool:
        """The file could not be (fully) checked: unreadable, encrypted, timed out, or a limit
        or a crashed rule stopped part of the check, or part of it could not be read."""
        return self.status in NOT_CHECKED or any(
            f.name in NOT_CHECKED_FINDINGS for f in self.judged
        )

    @property
    def fails_closed(self) -> bool:
        """Not (fully) checked, so it fails the run at any fail level and whatever severity the
        configuration gives the finding, unless a waiver or baseline accepts each finding that
        says why (they stay in the report, marked suppressed)."""
        if not self.not_checked:
            return False
        why = [f for f in self.judged if f.name in NOT_CHECKED_FINDINGS]
        return not why or any(not f.suppressed for f in why)

    @property
    def worst(self) -> Severity | None:
        active = [f.severity for f in self.judged if not f.suppressed]
        return max(active, key=lambda s: s.rank, default=None)


@dataclass(slots=True)
class RunResult:
    """Everything a reporter needs: reporters only read this."""

    tool_version: str
    profile_name: str
    profile_version: str
    profile_title: str
    files: list[FileResult]
    fail_on: Severity = Severity.ERROR
    lang: str = "en"
    # Every check that ran (finding name -> its configured severity): the denominator of the
    # compliance score and the passing test cases of JUnit. Empty: unknown.
    checks: dict[str, Severity] = field(default_factory=dict)
    # Rule label -> the checks it runs: a rule that stops on a file fails them all in the score.
    rule_checks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The HTML report's page pictures and excerpts, made ahead where the limits apply (`scan`
    # makes them in its workers): path -> what `reporters.pictures.draw` returned. None: the
    # reporter makes them itself.
    pictures: dict[str, dict[str, Any]] | None = None

    def findings(self) -> Iterator[Finding]:
        for result in self.files:
            yield from result.findings

    @property
    def failed(self) -> bool:
        """A finding at or above the fail level, or a file that could not be (fully) checked.
        As `_failed(_tallies())` has it, each findings list tallied once, but ending at the
        first file that fails (the exit code of a run with errors costs a file or two)."""
        seen: dict[tuple[int, bool], list] = {}  # the lists held while their ids are keys
        for result in self.files:
            judged = result.judged
            key = (id(judged), result.status in NOT_CHECKED)
            if key in seen:
                continue
            seen[key] = judged
            tally = _Tally.of(judged)
            stopped = key[1] or tally.why > 0
            if self._failed({key: (tally, 1, int(stopped))}):
                return True
        return False

    @property
    def not_checked(self) -> int:
        """How many files could not be (fully) checked."""
        return sum(count for _, _, count in self._tallies().values())

    def summary(self) -> dict[str, Any]:
        counted: dict[Status, int] = {}  # by member: reading `.value` per file is slow
        for result in self.files:
            counted[result.status] = counted.get(result.status, 0) + 1
        statuses = {Status(status).value: count for status, count in counted.items()}
        tallies = self._tallies()
        severities = {s.value: 0 for s in Severity}
        rules: dict[str, int] = {}
        suppressed = not_checked = 0
        for tally, files, stopped in tallies.values():
            for name, value in tally.active:
                severities[value] += files
                rules[name] = rules.get(name, 0) + files
            suppressed += tally.suppressed * files
            not_checked += stopped
        return {
            "files": len(self.files),
            "statuses": statuses,
            "not_checked": not_checked,
            "findings": severities,
            "by_name": dict(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))),
            "suppressed": suppressed,
            "failed": self._failed(tallies),
        }

    def _tallies(self) -> dict[tuple[int, bool], tuple[_Tally, int, int]]:
        """What the summary and the verdict read of the findings, worked out once per findings
        list: results read from the scan cache share their template's list (see `judged`), so
        many files of identical content cost one tally, not one per finding. Keyed on (the
        list's identity, whether the status alone says "not checked"): (the tally, files,
        files not (fully) checked)."""
        tallies: dict[tuple[int, bool], list] = {}
        held = []  # the lists, alive while their identities are keys
        for result in self.files:
            judged = result.judged
            key = (id(judged), result.status in NOT_CHECKED)
            entry = tallies.get(key)
            if entry is None:
                held.append(judged)
                tally = _Tally.of(judged)
                entry = tallies[key] = [tally, 0, 0, key[1] or tally.why > 0]
            entry[1] += 1
            entry[2] += entry[3]
        return {key: (tally, files, stopped) for key, (tally, files, stopped, _) in tallies.items()}

    def _failed(self, tallies: dict[tuple[int, bool], tuple[_Tally, int, int]]) -> bool:
        return any(
            (stopped and (tally.why == 0 or tally.why_active)) or tally.worst >= self.fail_on.rank
            for tally, _, stopped in tallies.values()
        )


@dataclass(frozen=True, slots=True)
class _Tally:
    """One findings list as the run's summary and verdict count it (`RunResult._tallies`)."""

    active: tuple[tuple[str, str], ...]  # (name, severity) of each finding not suppressed
    suppressed: int
    why: int  # findings that say why the file was not (fully) checked
    why_active: bool  # ...one of them not suppressed
    worst: int  # the highest rank of a finding not suppressed; -1 for none

    @classmethod
    def of(cls, findings: list[Finding]) -> _Tally:
        # a Severity is the str of its value (StrEnum): a key of the summary's counts as it is
        active = tuple((f.name, f.severity) for f in findings if not f.suppressed)
        why = [f for f in findings if f.name in NOT_CHECKED_FINDINGS]
        worst = max((_RANK[value] for _, value in active), default=-1)
        return cls(
            active, len(findings) - len(active), len(why), any(not f.suppressed for f in why), worst
        )
