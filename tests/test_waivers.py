"""Waivers suppress one finding in one file until they expire; unused ones are reported."""

from __future__ import annotations

import datetime

from conftest import make_pdf, run_cli, run_json

OLD_NUMBER = "Ring oss på 0303-33 00 00."
CONFIG = '[tool.profilecheck]\nselect = ["K403", "F"]\n'


def _waiver(expires: str, file: str = "docs/*.pdf", finding: str = "contact-outdated") -> str:
    return (
        f'[[waiver]]\nfile = "{file}"\nfinding = "{finding}"\n'
        f'reason = "Arkivhandling"\nexpires = {expires}\n'
    )


def _setup(tmp_path, waivers: str):
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    (tmp_path / "profilecheck-waivers.toml").write_text(waivers)
    (tmp_path / "docs").mkdir()
    return make_pdf(tmp_path / "docs" / "brev.pdf", [OLD_NUMBER])


def test_live_waiver_suppresses_and_passes(tmp_path):
    future = datetime.date.today() + datetime.timedelta(days=30)
    _setup(tmp_path, _waiver(future.isoformat()))
    code, report = run_json("docs", cwd=tmp_path)
    findings = report["files"][0]["findings"]
    assert code == 0 and findings
    assert all("Arkivhandling" in finding["suppressed"] for finding in findings)
    assert report["summary"]["suppressed"] == len(findings)


def test_expired_waiver_stops_working_and_is_reported(tmp_path):
    _setup(tmp_path, _waiver("2020-01-01"))
    code, report = run_json("docs", cwd=tmp_path)
    names = [f["name"] for entry in report["files"] for f in entry["findings"]]
    assert code == 1 and set(names) == {"contact-outdated", "waiver-expired"}


def test_waiver_matching_nothing_is_reported(tmp_path):
    future = datetime.date.today() + datetime.timedelta(days=30)
    _setup(tmp_path, _waiver(future.isoformat(), file="other/*.pdf"))
    _, report = run_json("docs", cwd=tmp_path)
    names = [f["name"] for entry in report["files"] for f in entry["findings"]]
    assert "waiver-unused" in names


def test_bad_waiver_file_is_a_usage_error(tmp_path):
    _setup(tmp_path, '[[waiver]]\nfile = "x"\nfinding = "contact-outdated"\n')
    assert run_cli("check", "docs", cwd=tmp_path).returncode == 2
