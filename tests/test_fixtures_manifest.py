"""Every labelled fixture in fixtures/manifest.toml gives the findings its label says.

One test per (fixture, label). For a bundled profile (ale, alebyggen) every label is asserted:
a label whose finding no active rule of the profile emits fails, since a rule that went missing
must not turn its fixtures into passes. For any other profile such a label is skipped with that
reason: it stands as the specification until the rule exists. Labels listed under `known_gaps`
are expected failures, with the reason in the manifest. A fixture marked `exact` (the compliant
ones) gives exactly its `expect` findings, no other; and no fixture makes a rule crash
(`rule-failed`) or hit a limit (`resource-limit`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from profilecheck.core.model import Status
from profilecheck.core.results import STOPPED, FileResult
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import bundled_names, load_profile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MANIFEST = FIXTURES / "manifest.toml"
DOCUMENT_FOLDERS = ("pdf", "docx", "pptx", "images", "hostile")  # every file in them is a fixture
# Findings the engine itself gives, whatever rules the profile has.
ENGINE_FINDINGS = {"unreadable-file", "encrypted-file", "unsupported-format", "resource-limit"}


def _entries() -> list[dict]:
    if not MANIFEST.is_file():
        return []
    return tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["fixture"]


def _cases() -> list:
    return [
        pytest.param(entry, name, wanted, id=f"{entry['file']}:{'' if wanted else 'not-'}{name}")
        for entry in _entries()
        for wanted, names in ((True, entry["expect"]), (False, entry["expect_not"]))
        for name in names
    ]


@cache
def _engine(profile: str) -> Engine:
    return Engine(load_profile(profile), Settings(profile=profile))


@cache
def _result(profile: str, file: str) -> FileResult:
    return _engine(profile).check_file(str(FIXTURES / file))


def _found(profile: str, file: str) -> frozenset[str]:
    return frozenset(finding.name for finding in _result(profile, file).findings)


def _active(profile: str) -> set[str]:
    return {name for rule in _engine(profile).rules for name in rule.emits} | ENGINE_FINDINGS


def test_manifest_lists_existing_files() -> None:
    assert MANIFEST.is_file(), "fixtures/manifest.toml is missing: run scripts/make_fixtures.py"
    entries = _entries()
    assert entries
    for entry in entries:
        assert (FIXTURES / entry["file"]).is_file(), entry["file"]
        assert not set(entry["expect"]) & set(entry["expect_not"]), entry["file"]
    listed = {entry["file"] for entry in entries}
    on_disk = {
        path.relative_to(FIXTURES).as_posix()
        for folder in DOCUMENT_FOLDERS
        for path in (FIXTURES / folder).rglob("*")
        if path.is_file()
    }
    assert on_disk - listed == set(), "fixtures without labels in the manifest"
    assert any(entry.get("exact") for entry in entries)


@pytest.mark.parametrize(("entry", "name", "wanted"), _cases())
def test_fixture_label(entry: dict, name: str, wanted: bool) -> None:
    profile = entry.get("profile", "ale")
    if name not in _active(profile):
        reason = f"no installed, active rule of profile {profile!r} emits {name!r}"
        if profile in bundled_names():
            pytest.fail(f"{reason}: the bundled profile must check {entry['file']} for it")
        pytest.skip(f"{reason} yet")
    found = name in _found(profile, entry["file"])
    gap = entry.get("known_gaps", {}).get(name)
    if found != wanted and gap:
        pytest.xfail(gap)
    verb = "should produce" if wanted else "should not produce"
    assert found == wanted, f"{entry['file']} {verb} {name}: {entry['description']}"


@pytest.mark.parametrize(
    "entry", [pytest.param(e, id=e["file"]) for e in _entries() if e.get("exact")]
)
def test_compliant_fixture_gives_exactly_its_findings(entry: dict) -> None:
    profile = entry.get("profile", "ale")
    result = _result(profile, entry["file"])
    assert result.status is Status.CHECKED, (result.status, result.message)
    found, expected = set(_found(profile, entry["file"])), set(entry["expect"])
    unexpected, missing = found - expected, expected - found
    gaps = entry.get("known_gaps", {})
    if (unexpected | missing) and (unexpected | missing) <= set(gaps):
        pytest.xfail("; ".join(gaps[name] for name in sorted(unexpected | missing)))
    assert found == expected, (
        f"{entry['file']}: unexpected {sorted(unexpected)}, missing {sorted(missing)}: "
        f"{entry['description']}"
    )


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["file"]) for e in _entries()])
def test_no_fixture_makes_a_rule_fail(entry: dict) -> None:
    result = _result(entry.get("profile", "ale"), entry["file"])
    stopped = [
        f"{f.code} {f.name} ({f.rule}): {f.message}" for f in result.findings if f.name in STOPPED
    ]
    assert stopped == [], entry["file"]
