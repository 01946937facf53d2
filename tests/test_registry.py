"""The catalogue of checks and where rule types come from: built in, or plug-ins."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from profilecheck.core import codes
from profilecheck.engine import registry
from profilecheck.engine.engine import compile_rules
from profilecheck.profile.loading import load_profile

# The contract: a code, once given, keeps its name. New checks are added here; none is renumbered.
STABLE_CODES = {
    "F001": "unreadable-file",
    "F002": "encrypted-file",
    "F003": "unsupported-format",
    "F004": "resource-limit",
    "F005": "rule-failed",
    "F006": "waiver-unused",
    "F007": "waiver-expired",
    "F008": "attachment-encrypted",
    "L100": "logo-found",
    "L101": "logo-missing",
    "L102": "logo-distorted",
    "L103": "logo-rotated",
    "L104": "logo-recoloured",
    "L105": "logo-too-small",
    "L106": "logo-clear-space",
    "L107": "logo-wrong-version",
    "L108": "logo-cropped",
    "L109": "logo-separated",
    "L110": "logo-recombined",
    "L111": "logo-unchecked",
    "L112": "logo-not-original",
    "C201": "colour-off-palette",
    "C202": "rgb-image-in-print",
    "C203": "spot-colour-unknown",
    "C204": "colour-unchecked",
    "T301": "font-not-allowed",
    "T302": "font-not-embedded",
    "T303": "text-too-small",
    "T304": "font-unchecked",
    "T305": "text-size-unchecked",
    "T306": "type3-font",
    "K401": "contact-missing",
    "K402": "contact-incomplete",
    "K403": "contact-outdated",
    "K404": "contact-unchecked",
    "A501": "pdf-untagged",
    "A502": "language-missing",
    "A503": "title-missing",
    "A504": "image-alt-missing",
    "A505": "text-contrast-low",
    "A506": "scanned-without-text",
    "A507": "headings-not-marked",
    "A508": "accessibility-unchecked",
    "X601": "text-forbidden",
    "X602": "text-required-missing",
    "X603": "text-unchecked",
}


def builtin_checks() -> list[codes.Check]:
    checks = list(codes.FILE_CHECKS)
    for name in registry.BUILTIN:
        rule_type = registry.load(name)
        assert rule_type is not None and rule_type.name == name
        checks += rule_type.checks
    return checks


def test_codes_keep_their_names() -> None:
    declared = {check.code: check.name for check in builtin_checks()}
    assert {code: declared.get(code) for code in STABLE_CODES} == STABLE_CODES


def test_every_rule_type_can_say_what_it_could_not_check() -> None:
    """One `*-unchecked` check per rule type, a warning by default, listed by `emitted`."""
    for name in registry.BUILTIN:
        rule_type = registry.load(name)
        unchecked = [c for c in rule_type.checks if c.name.endswith("-unchecked")]
        assert len(unchecked) == 1, name
        assert unchecked[0].severity.value == "warning", name


def test_codes_and_names_are_unique_and_well_formed() -> None:
    checks = builtin_checks()
    assert len({c.code for c in checks}) == len({c.name for c in checks}) == len(checks)
    families = {"F", "L", "C", "T", "K", "A", "X"}
    for check in checks:
        assert check.code[0] in families and check.code[1:].isdigit() and len(check.code) == 4
        assert check.name == check.name.lower() and " " not in check.name
        assert check.summary.endswith(".")


def test_each_rule_type_owns_one_family() -> None:
    for name in registry.BUILTIN:
        rule_type = registry.load(name)
        assert len({check.code[0] for check in rule_type.checks}) == 1, name


def test_a_clash_is_refused() -> None:
    taken = codes.CATALOGUE["logo-missing"]
    with pytest.raises(codes.CheckClash, match="L101"):
        codes.register([codes.Check(taken.code, "logo-absent", "error", "Renamed.")], "test")
    with pytest.raises(codes.CheckClash, match="logo-missing"):
        codes.register([codes.Check("L199", taken.name, "error", "Renumbered.")], "test")
    assert codes.CATALOGUE["logo-missing"] == taken and "L199" not in codes.BY_CODE
    twice = [
        codes.Check("Z001", "zed-one", "info", "One."),
        codes.Check("Z001", "zed-two", "info", "Two."),
    ]
    with pytest.raises(codes.CheckClash, match="Z001"):
        codes.register(twice, "test")
    assert "zed-one" not in codes.CATALOGUE  # all or nothing


def test_builtins_do_not_read_package_metadata() -> None:
    """The pre-commit path (built-in rule types only) never scans installed distributions."""
    registry.plugins.cache_clear()
    registry.load.cache_clear()
    for name in registry.BUILTIN:
        registry.load(name)
    assert registry.plugins.cache_info().currsize == 0


# Third-party rule types, as an installed package declares them.

PLUGIN = '''
from dataclasses import dataclass
from profilecheck.core.codes import Check
from profilecheck.engine.ruletype import RuleType


class HologramRule(RuleType):
    """Every document must carry the hologram."""

    name = "hologram"
    checks = (Check("H901", "hologram-missing", "warning", "No hologram."),)

    def check(self, document, report):
        report("hologram-missing")
'''


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Install a plug-in distribution `name` (module source, entry point value) on sys.path."""

    def install(name: str, value: str, source: str | None = None) -> None:
        info = tmp_path / f"{name}-1.2.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2\n")
        (info / "entry_points.txt").write_text(f"[profilecheck.rules]\n{value}\n")
        if source is not None:
            (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
        registry.plugins.cache_clear()
        registry.load.cache_clear()

    monkeypatch.syspath_prepend(str(tmp_path))
    yield install
    registry.plugins.cache_clear()
    registry.load.cache_clear()
    for module in [m for m in sys.modules if m.startswith("pc_plugin")]:
        del sys.modules[module]


def _problems(tmp_path: Path, rule_type: str) -> list:
    folder = tmp_path / "profile"
    (folder / "rules").mkdir(parents=True)
    (folder / "profile.toml").write_text('name = "test"\nlanguage = "en"\n')
    (folder / "rules" / "r.toml").write_text(f'type = "{rule_type}"\n')
    active, problems = compile_rules(load_profile(str(folder)))
    return active, problems


def test_a_plugin_adds_its_rule_type_and_checks(tmp_path, installed) -> None:
    installed("pc_plugin_ok", "hologram = pc_plugin_ok:HologramRule", PLUGIN)
    active, problems = _problems(tmp_path, "hologram")
    assert problems == [] and [a.rule_type.name for a in active] == ["hologram"]
    assert codes.CATALOGUE["hologram-missing"].code == "H901"
    assert registry.versions() == ["hologram=1.2"]


def test_a_plugin_that_fails_to_load_is_an_error_naming_it(tmp_path, installed) -> None:
    installed(
        "pc_plugin_broken", "hologram = pc_plugin_broken:HologramRule", "import nothing_here\n"
    )
    _, problems = _problems(tmp_path, "hologram")
    (problem,) = problems
    assert problem.level == "error"
    assert "pc_plugin_broken:HologramRule" in problem.message and "nothing_here" in problem.message


def test_a_plugin_whose_codes_clash_is_an_error(tmp_path, installed) -> None:
    clashing = PLUGIN.replace('"H901", "hologram-missing"', '"L101", "hologram-missing"')
    installed("pc_plugin_clash", "hologram = pc_plugin_clash:HologramRule", clashing)
    _, problems = _problems(tmp_path, "hologram")
    (problem,) = problems
    assert (
        problem.level == "error"
        and "L101" in problem.message
        and "pc_plugin_clash" in problem.message
    )


def test_a_plugin_cannot_replace_a_builtin(tmp_path, installed) -> None:
    installed("pc_plugin_logo", "logo = pc_plugin_logo:HologramRule", PLUGIN)
    assert registry.load("logo").__module__ == "profilecheck.checks.logo"
    assert "logo" not in registry.plugins()
