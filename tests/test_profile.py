"""Profiles: loading, inheritance, and `profilecheck profile show | validate | init`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from profilecheck.cli.main import main
from profilecheck.core.errors import UsageError
from profilecheck.profile.loading import bundled_root, load_profile

TEXT_RULE = """type = "text"
[[params.forbidden]]
kind = "literal"
pattern = "{word}"
"""


def write_profile(folder: Path, profile: str, rules: dict[str, str]) -> Path:
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "profile.toml").write_text(profile, encoding="utf-8")
    for name, text in rules.items():
        (folder / "rules" / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def family(tmp_path: Path) -> Path:
    """A parent with three rules and a child that overrides, adds and switches off."""
    rules = {name: TEXT_RULE.format(word=name) for name in ("one", "two", "three")}
    write_profile(tmp_path / "parent", 'name = "parent"\nlanguage = "sv"\n', rules)
    child = 'name = "child"\nextends = "../parent"\ndisable = ["two"]\n'
    return write_profile(
        tmp_path / "child",
        child,
        {
            "one": 'severity = "warning"\n',
            "three": "enabled = false\n",
            "four": TEXT_RULE.format(word="four"),
        },
    )


def test_bundled_ale_loads() -> None:
    profile = load_profile("ale")
    assert profile.name == "ale" and profile.language == "sv" and profile.provisional
    assert profile.folder == (bundled_root() / "ale").resolve()
    assert "outdated-switchboard" in {rule.id for rule in profile.rules}
    assert not [p for p in profile.problems if p.level == "error"]


def test_inheritance_overrides_adds_and_disables(family: Path) -> None:
    profile = load_profile(str(family))
    rules = {rule.id: rule for rule in profile.rules}
    assert profile.chain == ["child", "parent"]
    assert profile.language == "sv"  # inherited
    assert rules["one"].severity.value == "warning"
    assert rules["one"].params["forbidden"][0]["pattern"] == "one"  # the rest is inherited
    assert rules["one"].source.parent.parent.name == "parent"  # artwork resolves there
    assert len(profile.rule_files["one"]) == 2
    assert not rules["two"].enabled and not rules["three"].enabled
    assert rules["four"].enabled and rules["four"].profile == "child"
    assert [r.id for r in profile.rules if r.enabled] == ["one", "four"]


def test_example_alebyggen_extends_ale() -> None:
    profile = load_profile("alebyggen")
    rules = {rule.id: rule for rule in profile.rules}
    assert profile.chain == ["alebyggen", "ale"]
    assert rules["outdated-switchboard"].severity.value == "warning"
    assert rules["company-name"].type == "text"
    assert not rules["logo"].enabled  # switched off by `disable`


def test_extends_loop_is_a_usage_error(tmp_path: Path) -> None:
    write_profile(tmp_path / "a", 'name = "a"\nextends = "../b"\n', {})
    write_profile(tmp_path / "b", 'name = "b"\nextends = "../a"\n', {})
    with pytest.raises(UsageError, match="loop"):
        load_profile(str(tmp_path / "a"))
    code, output = run("profile", "validate", str(tmp_path / "a"))
    assert code == 2 and "loop" in output


def test_extends_missing_names_file_and_key(tmp_path: Path) -> None:
    write_profile(tmp_path / "a", 'name = "a"\nextends = "nowhere"\n', {})
    code, output = run("profile", "validate", str(tmp_path / "a"))
    assert code == 2 and "profile.toml: extends:" in output


@pytest.mark.parametrize("name", ["ale", "alebyggen"])
def test_validate_bundled_profiles(name: str) -> None:
    code, output = run("profile", "validate", name)
    assert code == 0, output
    assert "valid, 0 error(s)" in output


def test_validate_defaults_to_configured_profile(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("profile", "validate")
    assert code == 0 and "profile ale" in output


def test_validate_reports_every_problem_with_file_and_key(tmp_path: Path) -> None:
    folder = write_profile(
        tmp_path / "broken",
        'name = "broken"\ntitel = "Fel"\n',
        {
            "typo": TEXT_RULE.format(word="x").replace(
                "[[params.forbidden]]", "[[params.forbiden]]"
            ),
            "severity": 'severity = "fatal"\n' + TEXT_RULE.format(word="x"),
            "future": 'type = "not-yet-written"\n[params]\nanything = 1\n',
            "names": TEXT_RULE.format(word="x") + '[severities]\ncontact-outdatd = "error"\n',
            "badtoml": 'type = "text"\nseverity = \n',
        },
    )
    code, output = run("profile", "validate", str(folder))
    assert code == 2
    lines = output.splitlines()

    def line_with(*parts: str) -> str:
        found = [line for line in lines if all(part in line for part in parts)]
        assert found, f"no line with {parts} in:\n{output}"
        return found[0]

    assert "did you mean 'title'" in line_with("profile.toml", "titel")
    assert "did you mean 'forbidden'" in line_with("typo.toml", "params.forbiden")
    assert line_with("severity.toml", "severity:", "must be one of").startswith("error")
    assert line_with("future.toml", "type:", "unknown rule type 'not-yet-written'").startswith(
        "error"
    )
    assert "did you mean 'contact-outdated'" in line_with(
        "names.toml", "severities.contact-outdatd"
    )
    assert line_with("badtoml.toml", "not valid TOML").startswith("error")


def test_unknown_rule_type_alone_is_an_error(tmp_path: Path) -> None:
    folder = write_profile(tmp_path / "future", 'name = "future"\n', {"later": 'type = "txt"\n'})
    code, output = run("profile", "validate", str(folder))
    assert code == 2, output
    later = str(folder / "rules" / "later.toml")
    assert f"error: {later}: type: unknown rule type 'txt'" in output
    assert "did you mean 'text'?" in output and "invalid, 1 error(s), 0 note(s)" in output
    code, output = run("profile", "validate", str(folder), "--format", "json")
    (problem,) = json.loads(output)["problems"]
    assert code == 2 and problem["level"] == "error" and problem["file"] == later


def test_validate_json(tmp_path: Path) -> None:
    folder = write_profile(tmp_path / "p", 'name = "p"\n', {"r": 'type = "text"\nenabled = 3\n'})
    code, output = run("profile", "validate", str(folder), "--format", "json")
    data = json.loads(output)
    assert code == 2 and data["valid"] is False and data["errors"] >= 1
    assert {"level", "file", "key", "message"} <= set(data["problems"][0])
    assert any(p["key"] == "enabled" and p["file"].endswith("r.toml") for p in data["problems"])


def test_override_problem_blames_the_overriding_file(family: Path) -> None:
    (family / "rules" / "one.toml").write_text("[params]\nforbiden = []\n", encoding="utf-8")
    code, output = run("profile", "validate", str(family))
    assert code == 2
    assert any("child" in line and "one.toml" in line and "forbiden" in line
               for line in output.splitlines())  # fmt: skip


def test_show_prints_inherited_rules(family: Path) -> None:
    code, output = run("profile", "show", str(family))
    assert code == 0, output
    assert "child -> parent" in output
    assert "one  [text, active, severity warning]" in output
    assert "two  [text, disabled" in output and "four  [text, active" in output


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_show_machine_formats(fmt: str) -> None:
    import tomllib

    code, output = run("profile", "show", "alebyggen", "--format", fmt)
    assert code == 0, output
    data = json.loads(output) if fmt == "json" else tomllib.loads(output)
    assert data["chain"] == ["alebyggen", "ale"]
    ids = {rule["id"]: rule for rule in data["rules"]}
    assert ids["outdated-switchboard"]["severity"] == "warning"
    assert "company-name" in ids


def test_init_creates_a_loadable_profile_and_refuses_to_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "min-profil"
    code, output = run("profile", "init", str(folder), "--name", "min-profil")
    assert code == 0, output
    assert (folder / "README.md").is_file()
    profile = load_profile(str(folder))
    assert profile.chain == ["min-profil", "ale"]
    assert list((folder / "rules").glob("*.toml"))
    code, _ = run("profile", "validate", str(folder))
    assert code == 0
    code, output = run("profile", "init", str(folder))
    assert code == 2 and "will not overwrite" in output


def test_init_without_parent(tmp_path: Path) -> None:
    code, output = run("profile", "init", str(tmp_path / "solo"), "--extends", "")
    assert code == 0, output
    profile = load_profile(str(tmp_path / "solo"))
    assert profile.chain == ["solo"] and [r.type for r in profile.rules] == ["text"]
