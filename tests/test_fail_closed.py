"""Fail closed: what could not be checked never comes out as passing.

A file that is unreadable, encrypted or timed out, or on which a rule crashed or hit a limit,
fails the run (exit 1) whatever `--select`, `--ignore`, per-file ignores, `--severity` and
`--fail-on` say, and the summary says how many files were not (fully) checked. A crashed rule
is an error and fails all of that rule's checks in the score. A rule type nothing provides (a
misspelt `type`, a plug-in that does not load) is a configuration error: exit 2.
"""

from __future__ import annotations

import datetime
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import FORBID_OLD, ROOT, make_pdf, make_profile, run_cli, run_json

from profilecheck.core.model import Severity, Status
from profilecheck.core.results import FileResult, Finding, Location, RunResult
from profilecheck.engine.engine import Engine, compile_rules
from profilecheck.engine.score import WEIGHTS, file_passed, scores
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

HOSTILE = ROOT / "fixtures" / "hostile"
ENCRYPTED, TRUNCATED = HOSTILE / "encrypted.pdf", HOSTILE / "truncated.pdf"
GOOD_TEXT = ["Välkommen till Ale kommun.", "Ring Kontaktcenter på 0303-70 30 00."]
TEXT_SIZE = 'type = "text-size"\n[params]\nminimum-pt = { pdf = 9.0 }\n'


def _names(entry: dict) -> list[str]:
    return sorted(f["name"] for f in entry["findings"])


# --- files that could not be read --------------------------------------------------------


def test_select_never_hides_files_that_could_not_be_read() -> None:
    done = run_cli("check", "--lang", "en", "--select", "L", str(ENCRYPTED), str(TRUNCATED))
    assert done.returncode == 1, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("2 file(s): 1 encrypted, 1 unreadable. 2 error(s)"), summary
    assert summary.endswith("2 file(s) not (fully) checked."), summary
    code, report = run_json("--select", "L", str(ENCRYPTED), str(TRUNCATED))
    assert code == 1
    by_name = {Path(e["path"]).name: e for e in report["files"]}
    assert by_name["encrypted.pdf"]["status"] == "encrypted"
    assert _names(by_name["encrypted.pdf"]) == ["encrypted-file"]
    assert by_name["truncated.pdf"]["status"] == "unreadable"
    assert _names(by_name["truncated.pdf"]) == ["unreadable-file"]
    assert report["summary"]["not_checked"] == 2 and report["summary"]["failed"] is True


def test_ignore_severity_and_fail_level_cannot_pass_an_unreadable_file() -> None:
    args = ["--ignore", "F", "--severity", "encrypted-file=info,unreadable-file=info"]
    code, report = run_json(*args, "--fail-on", "error", str(ENCRYPTED), str(TRUNCATED))
    assert code == 1
    assert [_names(e) for e in report["files"]] == [["encrypted-file"], ["unreadable-file"]]
    assert {f["severity"] for e in report["files"] for f in e["findings"]} == {"info"}
    assert report["summary"]["not_checked"] == 2
    assert run_cli("check", *args, "--exit-zero", str(ENCRYPTED)).returncode == 0


def test_per_file_ignores_keep_the_file_findings() -> None:
    settings = Settings(per_file_ignores={"*": ["F", "L"]}, select=["L"])
    engine = Engine(load_profile("ale"), settings)
    result = engine.check_file(str(ENCRYPTED))
    assert result.status is Status.ENCRYPTED
    assert [f.name for f in result.findings] == ["encrypted-file"]
    run = engine.run_result([result])
    assert run.failed and run.not_checked == 1 and scores(run).by_path[str(ENCRYPTED)] == 0.0


def test_a_scan_fails_on_files_it_could_not_read(tmp_path: Path) -> None:
    done = run_cli(
        "scan", "--no-cache", "--no-progress", "--lang", "en", "--select", "L", str(HOSTILE)
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].endswith("2 file(s) not (fully) checked.")


def test_timeout_fails_the_run_whatever_the_severity() -> None:
    location = Location("slow.pdf")
    limit = Finding("F004", "resource-limit", Severity.INFO, "stopped after 60 s", location)
    timed_out = FileResult("slow.pdf", "pdf", Status.TIMEOUT, [limit])
    bare = FileResult("bare.pdf", "pdf", Status.TIMEOUT)  # even without a finding saying why
    for result in (timed_out, bare):
        run = RunResult("0.1", "ale", "1", "Ale", [result], fail_on=Severity.ERROR)
        assert run.failed and run.not_checked == 1 and run.summary()["not_checked"] == 1
        assert not file_passed(result, Severity.ERROR)
        assert scores(run).by_path[result.path] == 0.0


def test_unsupported_keeps_its_finding_and_is_skipped_in_a_walk(tmp_path: Path) -> None:
    """Named on the command line, a file that is no document is `unsupported` with its F003
    warning, kept under any selection (it fails the run only at `--fail-on warning`); found in
    a folder walk it is `skipped` without a finding."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Det här är en textfil.\n")
    code, report = run_json("--select", "L", "--ignore", "F003", str(notes))
    (entry,) = report["files"]
    assert code == 0 and entry["status"] == "unsupported"
    assert _names(entry) == ["unsupported-format"] and report["summary"]["not_checked"] == 0
    assert run_cli("check", "--fail-on", "warning", str(notes)).returncode == 1
    code, report = run_json("--select", "L", str(tmp_path))
    (entry,) = report["files"]
    assert code == 0 and entry["status"] == "skipped" and entry["findings"] == []


def test_a_waiver_can_accept_an_unreadable_file(tmp_path: Path) -> None:
    """Only a waiver (or a baseline entry) for the finding that says why accepts a file that
    could not be checked; the summary still counts it."""
    (tmp_path / "pyproject.toml").write_text('[tool.profilecheck]\nselect = ["L"]\n')
    (tmp_path / "docs").mkdir()
    shutil.copy(ENCRYPTED, tmp_path / "docs" / "hemlig.pdf")
    expires = datetime.date.today() + datetime.timedelta(days=30)
    (tmp_path / "profilecheck-waivers.toml").write_text(
        f'[[waiver]]\nfile = "docs/hemlig.pdf"\nfinding = "encrypted-file"\n'
        f'reason = "Sekretess"\nexpires = {expires.isoformat()}\n'
    )
    code, report = run_json("docs", cwd=tmp_path)
    assert code == 0, report
    (entry,) = report["files"]
    assert entry["status"] == "encrypted" and "Sekretess" in entry["findings"][0]["suppressed"]
    assert report["summary"]["not_checked"] == 1 and report["summary"]["failed"] is False


# --- rules that crash ----------------------------------------------------------------------


def _crash(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    from profilecheck.checks.text import TextRule

    def explode(self, document, report):
        raise error

    monkeypatch.setattr(TextRule, "check", explode)


@pytest.mark.parametrize(
    ("error", "name"),
    [(RuntimeError("boom"), "rule-failed"), (MemoryError(), "resource-limit")],
)
def test_a_stopped_rule_fails_the_file_and_all_its_checks(tmp_path, monkeypatch, error, name):
    folder = make_profile(tmp_path / "test", {"old": FORBID_OLD, "size": TEXT_SIZE})
    pdf = make_pdf(tmp_path / "a.pdf", GOOD_TEXT)
    engine = Engine(load_profile(str(folder)), Settings(profile=str(folder)))
    clean = engine.run_result([engine.check_file(str(pdf))])
    assert not clean.failed and scores(clean).overall == 100.0

    _crash(monkeypatch, error)
    result = engine.check_file(str(pdf))
    assert result.status is Status.CHECKED
    (finding,) = result.findings
    assert (finding.name, finding.severity, finding.rule) == (name, Severity.ERROR, "test/old")
    run = engine.run_result([result])
    assert run.failed and run.not_checked == 1 and not file_passed(result, Severity.ERROR)
    crashed = run.rule_checks["test/old"]
    assert "contact-outdated" in crashed and "text-too-small" not in crashed
    total = sum(WEIGHTS[severity] for severity in run.checks.values())
    lost = sum(WEIGHTS[run.checks[check]] for check in crashed)
    assert lost >= WEIGHTS[Severity.ERROR]  # contact-outdated is an error
    assert scores(run).by_path[str(pdf)] == round(100 * (total - lost) / total, 1) < 100
    # the configuration may lower the finding's severity, not let the file pass
    lowered = Engine(load_profile(str(folder)), Settings(severity={name: "info"}))
    result = lowered.check_file(str(pdf))
    assert result.findings[0].severity is Severity.INFO
    assert lowered.run_result([result]).failed


def test_rule_failed_survives_a_narrow_selection(tmp_path, monkeypatch) -> None:
    """`--select K403` (or `--ignore F`) keeps the crash, so a test asserting `== []` under a
    narrow selection also asserts that no rule crashed."""
    folder = make_profile(tmp_path / "test", {"old": FORBID_OLD})
    pdf = make_pdf(tmp_path / "a.pdf", GOOD_TEXT)
    _crash(monkeypatch, RuntimeError("boom"))
    for settings in (Settings(select=["K403"]), Settings(ignore=["F005"])):
        engine = Engine(load_profile(str(folder)), settings)
        assert [f.name for f in engine.check_file(str(pdf)).findings] == ["rule-failed"]


CRASHING_PLUGIN = '''
from profilecheck.core.codes import Check
from profilecheck.engine.ruletype import RuleType


class CrashRule(RuleType):
    """Crashes on every file."""

    name = "crasher"
    checks = (
        Check("H951", "crasher-one", "error", "One."),
        Check("H952", "crasher-two", "warning", "Two."),
    )

    def check(self, document, report):
        raise RuntimeError("the plug-in broke")
'''


def _plugin(folder: Path, name: str, source: str) -> dict[str, str]:
    """A plug-in distribution `name` on PYTHONPATH, providing rule type "crasher"."""
    folder.mkdir(parents=True, exist_ok=True)
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[profilecheck.rules]\ncrasher = {name}:CrashRule\n")
    (folder / f"{name}.py").write_text(textwrap.dedent(source))
    return {"PYTHONPATH": str(folder)}


def test_a_rule_type_that_raises_fails_the_run(tmp_path: Path) -> None:
    env = _plugin(tmp_path / "site", "pc_crash", CRASHING_PLUGIN)
    folder = make_profile(tmp_path / "crashy", {"crash": 'type = "crasher"\n', "old": FORBID_OLD})
    pdf = make_pdf(tmp_path / "a.pdf", GOOD_TEXT)
    args = ("--isolated", "--profile", str(folder))
    code, report = run_json(*args, str(pdf), env=env)
    assert code == 1
    (entry,) = report["files"]
    assert entry["status"] == "checked"
    (crash,) = entry["findings"]
    assert (crash["code"], crash["severity"], crash["rule"]) == ("F005", "error", "crashy/crash")
    assert "the plug-in broke" in crash["message"]
    assert report["summary"]["not_checked"] == 1 and report["summary"]["failed"] is True
    done = run_cli("check", *args, "--lang", "en", str(pdf), env=env)
    assert done.returncode == 1
    assert done.stdout.strip().splitlines()[-1].endswith("1 file(s) not (fully) checked.")
    # the score: the profile's text rule passes, every check of the plug-in's rule fails
    markdown = run_cli("check", *args, "--format", "markdown", str(pdf), env=env).stdout
    (row,) = [line for line in markdown.splitlines() if line.startswith("| ") and "a.pdf" in line]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1].startswith("❌") and 0 < float(cells[2]) < 100, row
    alone = make_profile(tmp_path / "alone", {"crash": 'type = "crasher"\n'})
    only = ("--isolated", "--profile", str(alone), "--format", "markdown", str(pdf))
    markdown = run_cli("check", *only, env=env).stdout
    (row,) = [line for line in markdown.splitlines() if line.startswith("| ") and "a.pdf" in line]
    assert row.split("|")[3].strip() == "0", row  # all of its checks failed: score 0


# --- rule types nothing provides -----------------------------------------------------------


def test_misspelt_rule_type_is_a_configuration_error(tmp_path: Path) -> None:
    folder = make_profile(tmp_path / "typo", {"old-number": FORBID_OLD.replace('"text"', '"txt"')})
    pdf = make_pdf(tmp_path / "a.pdf", GOOD_TEXT)
    rule_file = str(folder / "rules" / "old-number.toml")
    for command in ("check", "scan"):
        extra = ("--no-cache", "--no-progress") if command == "scan" else ()
        done = run_cli(command, *extra, "--isolated", "--profile", str(folder), str(pdf))
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert rule_file in done.stderr and "'txt'" in done.stderr, done.stderr
        assert "did you mean 'text'?" in done.stderr
        assert done.stdout == ""  # nothing was checked
    done = run_cli("profile", "validate", str(folder))
    assert done.returncode == 2
    line = next(line for line in done.stdout.splitlines() if "'txt'" in line)
    assert line.startswith(f"error: {rule_file}: type:") and "did you mean 'text'?" in line
    assert "invalid, 1 error(s)" in done.stdout
    _, problems = compile_rules(load_profile(str(folder)))
    (problem,) = problems
    assert problem.level == "error" and problem.file == rule_file and problem.key == "type"


def test_a_plugin_that_fails_to_load_stops_check_and_scan(tmp_path: Path) -> None:
    env = _plugin(tmp_path / "site", "pc_broken", "import nothing_here\n")
    folder = make_profile(tmp_path / "broken", {"crash": 'type = "crasher"\n'})
    pdf = make_pdf(tmp_path / "a.pdf", GOOD_TEXT)
    for command in ("check", "scan"):
        extra = ("--no-cache", "--no-progress") if command == "scan" else ()
        done = run_cli(command, *extra, "--isolated", "--profile", str(folder), str(pdf), env=env)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert "crash.toml" in done.stderr and "'crasher'" in done.stderr
        assert "pc_broken:CrashRule" in done.stderr and "nothing_here" in done.stderr
