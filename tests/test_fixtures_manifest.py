"""Every labelled fixture in fixtures/manifest.toml gives the findings its label says.

One test per (fixture, label). A label whose finding no installed, active rule of the profile
emits is skipped with that reason: it stands as the specification until the rule exists.
Labels listed under `known_gaps` are expected failures, with the reason in the manifest.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MANIFEST = FIXTURES / "manifest.toml"
# Findings the engine itself gives, whatever rules the profile has.
ENGINE_FINDINGS = {"unreadable-file", "encrypted-file", "unsupported-format", "resource-limit"}


def _cases() -> list:
    if not MANIFEST.is_file():
        return []
    entries = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["fixture"]
    return [
        pytest.param(entry, name, wanted, id=f"{entry['file']}:{'' if wanted else 'not-'}{name}")
        for entry in entries
        for wanted, names in ((True, entry["expect"]), (False, entry["expect_not"]))
        for name in names
    ]


@cache
def _engine(profile: str) -> Engine:
    return Engine(load_profile(profile), Settings(profile=profile))


@cache
def _found(profile: str, file: str) -> frozenset[str]:
    result = _engine(profile).check_file(str(FIXTURES / file))
    return frozenset(finding.name for finding in result.findings)


def _active(profile: str) -> set[str]:
    return {name for rule in _engine(profile).rules for name in rule.emits} | ENGINE_FINDINGS


def test_manifest_lists_existing_files() -> None:
    if not MANIFEST.is_file():
        pytest.skip("fixtures/manifest.toml is missing: run scripts/make_fixtures.py")
    entries = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["fixture"]
    assert entries
    for entry in entries:
        assert (FIXTURES / entry["file"]).is_file(), entry["file"]
        assert not set(entry["expect"]) & set(entry["expect_not"]), entry["file"]


@pytest.mark.parametrize(("entry", "name", "wanted"), _cases())
def test_fixture_label(entry: dict, name: str, wanted: bool) -> None:
    profile = entry.get("profile", "ale")
    if name not in _active(profile):
        pytest.skip(f"no installed, active rule of profile {profile!r} emits {name!r} yet")
    found = name in _found(profile, entry["file"])
    gap = entry.get("known_gaps", {}).get(name)
    if found != wanted and gap:
        pytest.xfail(gap)
    verb = "should produce" if wanted else "should not produce"
    assert found == wanted, f"{entry['file']} {verb} {name}: {entry['description']}"
