"""Waivers: a document owner accepts one finding in one file, with a reason and an expiry date.

    # profilecheck-waivers.toml, next to the configuration file
    [[waiver]]
    file = "arkiv/gammalt-brev.pdf"      # glob, relative to the waiver file's folder
    finding = "contact-outdated"          # name, code or code prefix
    reason = "Arkivhandling: får inte ändras"
    expires = 2027-06-30

A waived finding stays in the report, marked suppressed with the reason, and does not fail the
run. An expired waiver stops working and is reported; so is a waiver that matched nothing.
"""

from __future__ import annotations

import datetime
import fnmatch
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from profilecheck.core import codes
from profilecheck.core.errors import UsageError
from profilecheck.core.model import Status
from profilecheck.core.results import FileResult, Finding, Location
from profilecheck.profile.config import Settings, relative_path

WAIVER_FILE = "profilecheck-waivers.toml"


@dataclass
class Waiver:
    file: str
    finding: str
    reason: str
    expires: datetime.date
    index: int

    def matches(self, finding: Finding, relative_path: str) -> bool:
        check = codes.CATALOGUE[finding.name]
        return fnmatch.fnmatch(relative_path, self.file) and codes.matches(self.finding, check)


def load_waivers(path: Path) -> list[Waiver]:
    try:
        with open(path, "rb") as handle:
            entries = tomllib.load(handle).get("waiver", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"cannot read waivers {path}: {error}")
    waivers = []
    for index, entry in enumerate(entries):
        where = f"{path}: waiver[{index}]"
        missing = [key for key in ("file", "finding", "reason", "expires") if not entry.get(key)]
        if missing:
            raise UsageError(f"{where}: missing {', '.join(missing)}")
        if not isinstance(entry["expires"], datetime.date):
            raise UsageError(f"{where}: expires must be a date like 2027-06-30")
        if not codes.is_known_selector(entry["finding"]):
            raise UsageError(f"{where}: unknown finding {entry['finding']!r}")
        waivers.append(
            Waiver(entry["file"], entry["finding"], entry["reason"], entry["expires"], index)
        )
    return waivers


def apply_waiver_file(results: list[FileResult], settings: Settings) -> None:
    """Apply the waiver file next to the configuration (if any) to a run's results in place."""
    path = settings.root / WAIVER_FILE
    if not path.is_file():
        return
    notes = apply_waivers(results, load_waivers(path), path, datetime.date.today())
    if notes:
        results.append(FileResult(str(path), "waivers", Status.CHECKED, findings=notes))


def apply_waivers(
    results: list[FileResult], waivers: list[Waiver], source: Path, today: datetime.date
) -> list[Finding]:
    """Mark waived findings suppressed; return findings about expired and unused waivers."""
    root = source.parent
    used: set[int] = set()
    live = [w for w in waivers if w.expires >= today]
    for result in results:
        relative = relative_path(result.path, root)
        for position, finding in enumerate(result.findings):
            waiver = next((w for w in live if w.matches(finding, relative)), None)
            if waiver is not None:
                used.add(waiver.index)
                reason = f"waived until {waiver.expires}: {waiver.reason}"
                result.findings[position] = replace(finding, suppressed=reason)
    notes = []
    for waiver in waivers:
        if waiver.expires < today:
            message = f"waiver for {waiver.finding} in {waiver.file} expired on {waiver.expires}"
            notes.append(_note(source, "waiver-expired", message))
        elif waiver.index not in used:
            message = f"waiver for {waiver.finding} in {waiver.file} matches no finding"
            notes.append(_note(source, "waiver-unused", message))
    return notes


def _note(source: Path, name: str, message: str) -> Finding:
    check = codes.CATALOGUE[name]
    return Finding(check.code, name, check.severity, message, Location(str(source)), rule="waivers")
