"""Engine: selection, severities, configuration, failing rules and unknown rule types."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FORBID_OLD, make_pdf, make_profile, run_cli, run_json

from profilecheck.core.errors import UsageError
from profilecheck.engine.engine import Engine, compile_rules
from profilecheck.profile.config import Settings, load_settings
from profilecheck.profile.loading import load_profile

OLD_NUMBER = "Ring oss på 0303-33 00 00."


def _profile(tmp_path: Path, rules: dict[str, str]) -> Path:
    return make_profile(tmp_path / "profile", rules, name="test")


def _engine(tmp_path, rules=None, **settings) -> Engine:
    folder = _profile(tmp_path, rules or {"old": FORBID_OLD})
    return Engine(load_profile(str(folder)), Settings(profile=str(folder), **settings))


def test_finding_with_code_location_and_rule(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", [OLD_NUMBER])
    (finding,) = _engine(tmp_path).check_file(str(pdf)).findings
    assert (finding.code, finding.name, finding.severity.value) == (
        "K403",
        "contact-outdated",
        "error",
    )
    assert finding.rule == "test/old" and finding.location.page == 1


@pytest.mark.parametrize("selector", ["K403", "K", "contact-outdated"])
def test_ignore_by_code_prefix_or_name(tmp_path, selector):
    pdf = make_pdf(tmp_path / "a.pdf", [OLD_NUMBER])
    assert _engine(tmp_path, ignore=[selector]).check_file(str(pdf)).findings == []


def test_select_other_family_skips_the_rule_entirely(tmp_path):
    engine = _engine(tmp_path, select=["L"])
    assert engine.rules == []


def test_severity_override_and_per_file_ignores(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", [OLD_NUMBER])
    engine = _engine(tmp_path, severity={"contact-outdated": "info"})
    assert engine.check_file(str(pdf)).findings[0].severity.value == "info"
    engine = _engine(tmp_path, per_file_ignores={"a.pdf": ["K4"]})
    assert engine.check_file(str(pdf)).findings == []


def test_uninstalled_rule_type_is_an_error_naming_file_and_type(tmp_path):
    folder = _profile(tmp_path, {"future": 'type = "hologram"\n', "typo": 'type = "txt"\n'})
    active, problems = compile_rules(load_profile(str(folder)))
    assert active == []
    by_file = {Path(p.file).name: p for p in problems}
    assert set(by_file) == {"future.toml", "typo.toml"}
    assert all(p.level == "error" and p.key == "type" for p in problems)
    assert "unknown rule type 'hologram'" in by_file["future.toml"].message
    assert "text-size" in by_file["future.toml"].message  # no close match: the installed ones
    assert "unknown rule type 'txt'" in by_file["typo.toml"].message
    assert "did you mean 'text'?" in by_file["typo.toml"].message
    # `check` and `scan` exit 2 on it: tests/test_fail_closed.py


def test_bad_parameters_are_errors_with_keys(tmp_path):
    folder = _profile(tmp_path, {"bad": 'type = "text"\n[[params.forbiden]]\npattern = "x"\n'})
    _, problems = compile_rules(load_profile(str(folder)))
    assert (
        problems[0].key == "params.forbiden" and "did you mean 'forbidden'" in problems[0].message
    )


def test_a_crashing_rule_costs_one_finding_not_the_run(tmp_path, monkeypatch):
    from profilecheck.checks.text import TextRule

    def explode(self, document, report):
        raise RuntimeError("boom")

    monkeypatch.setattr(TextRule, "check", explode)
    pdf = make_pdf(tmp_path / "a.pdf", [OLD_NUMBER])
    result = _engine(tmp_path).check_file(str(pdf))
    assert result.status.value == "checked"
    assert [(f.name, f.severity.value, f.rule) for f in result.findings] == [
        ("rule-failed", "error", "test/old")
    ]
    assert "boom" in result.findings[0].message
    assert result.not_checked and result.fails_closed


def test_config_found_upwards_in_pyproject(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.profilecheck]\nignore = ["K403"]\nfail-on = "warning"\n'
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    settings = load_settings()
    assert settings.ignore == ["K403"] and settings.fail_on == "warning"
    assert settings.source == (tmp_path / "pyproject.toml").resolve()


def test_unknown_config_key_is_a_usage_error(tmp_path, monkeypatch):
    (tmp_path / "profilecheck.toml").write_text('selct = ["L"]\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="did you mean 'select'"):
        load_settings()


def test_exit_codes(tmp_path):
    bad = make_pdf(tmp_path / "bad.pdf", [OLD_NUMBER])
    good = make_pdf(tmp_path / "good.pdf", ["Ring Kontaktcenter på 0303-70 30 00."])
    common = ["--isolated", "--select", "K403"]
    assert run_cli("check", *common, str(good)).returncode == 0
    assert run_cli("check", *common, str(bad)).returncode == 1
    assert run_cli("check", *common, "--exit-zero", str(bad)).returncode == 0
    assert (
        run_cli(
            "check", *common, "--fail-on", "error", "--severity", "K403=warning", str(bad)
        ).returncode
        == 0
    )
    assert run_cli("check", "--select", "NOPE", str(good)).returncode == 2
    assert run_cli("check", "--profile", "no-such-profile", str(good)).returncode == 2


def test_json_contract(tmp_path):
    pdf = make_pdf(tmp_path / "bad.pdf", [OLD_NUMBER])
    junk = tmp_path / "notes.pdf"
    junk.write_text("not a pdf at all")
    code, report = run_json("--isolated", "--select", "K403,F", str(pdf), str(junk))
    assert code == 1
    assert report["format_version"] == 1
    assert report["tool"]["name"] == "profilecheck" and report["tool"]["version"]
    assert report["profile"]["name"] == "ale" and report["profile"]["version"]
    first, second = report["files"]
    assert (first["format"], first["status"]) == ("pdf", "checked")
    finding = first["findings"][0]
    assert {"code", "name", "severity", "message", "rule", "location"} <= finding.keys()
    assert finding["location"]["page"] == 1 and len(finding["location"]["box_mm"]) == 4
    assert (second["status"], second["findings"][0]["name"]) == (
        "unsupported",
        "unsupported-format",
    )
    assert report["summary"]["files"] == 2 and report["summary"]["failed"] is True


def test_message_placeholders_do_not_clash_with_report_arguments():
    """A message value named like one of Report's own arguments (`name`, `page`...) would make
    every finding of that kind crash its rule."""
    import inspect
    import string

    from profilecheck.engine.ruletype import Report
    from profilecheck.profile.loading import bundled_names, load_profile

    reserved = set(inspect.signature(Report.__call__).parameters) - {"self", "message_values"}
    test_profiles = Path(__file__).parent / "profiles"
    profiles = [*bundled_names(), *(str(p.parent) for p in test_profiles.glob("*/profile.toml"))]
    assert "ale" in profiles
    for profile in profiles:
        for rule in load_profile(profile).rules:
            for name, texts in [*rule.messages.items(), *rule.suggestions.items()]:
                for text in texts.values():
                    fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
                    assert not fields & reserved, (rule.label, name, fields & reserved)
