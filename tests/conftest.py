"""Shared test helpers: paths and small document builders."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [  # Debian's Chromium, headless, talking to nothing but the test
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


TEST_CACHE = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """What the tests' commands keep between runs (the scan cache, the artwork model) goes to a
    folder of this test run, never the user's cache folder."""
    config.stash[TEST_CACHE] = tempfile.mkdtemp(prefix="profilecheck-tests-cache-")
    os.environ["XDG_CACHE_HOME"] = config.stash[TEST_CACHE]


def pytest_unconfigure(config: pytest.Config) -> None:
    if TEST_CACHE in config.stash:
        shutil.rmtree(config.stash[TEST_CACHE], ignore_errors=True)


@pytest.fixture(autouse=True)
def _nothing_kept_between_tests():
    """A command run in this process sets the cache folder (core.cachedir); the next test starts
    without one, as a library user does."""
    yield
    from profilecheck.core import cachedir

    cachedir.use(None)


def load_script(name: str) -> Any:
    """A module of scripts/ (not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


FORBID_OLD = """
type = "text"
[[params.forbidden]]
kind = "digits"
pattern = "0303-33 00 00"
finding = "contact-outdated"
"""


def make_profile(folder: Path, rules: dict[str, str], name: str = "") -> Path:
    """A profile in English (named like `folder` unless `name`), one rule file per entry."""
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "profile.toml").write_text(f'name = "{name or folder.name}"\nlanguage = "en"\n')
    for name, text in rules.items():
        (folder / "rules" / f"{name}.toml").write_text(text)
    return folder


def make_pdf(path: Path, lines: list[str], fontsize: float = 11) -> Path:
    """A one-page A4 PDF with one line of Helvetica text per entry."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    for index, line in enumerate(lines):
        page.insert_text((72, 72 + index * 18), line, fontsize=fontsize)
    document.save(path)
    return path


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`python -m profilecheck ARGS`; `env` adds to (or overrides) the environment."""
    return subprocess.run(
        [sys.executable, "-m", "profilecheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **env} if env else None,
        timeout=600,
    )


def run_json(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[int, dict]:
    done = run_cli("check", "--format", "json", *args, cwd=cwd, env=env)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def run_rule(
    rule_type: type, table: dict, document: Any, source: Path, words: str | None = "ale"
) -> list:
    """The findings of one rule type with the parameters `table` (as in a rule file at
    `source`) on a document read or built by the test, checked in-process. Messages,
    suggestions and texts are those of the rule of this type in the profile `words` (the Ale
    profile's rule file of the same name, else its first of the type; None: no words)."""
    from profilecheck.engine.ruletype import Report
    from profilecheck.profile.params import parse_params
    from profilecheck.profile.rule import Rule

    params, problems = parse_params(rule_type.Params, table)
    assert not problems, problems
    rule = Rule(id=source.stem, type=rule_type.name, source=source, profile="test", params=table)
    if words is not None:
        given = profile_words(words, rule_type.name, source.stem)
        rule.messages, rule.suggestions, rule.texts = given
    assert not rule_type.validate(params, rule)
    report = Report(rule, rule_type, document, "en")
    rule_type(rule, params).check(document, report)
    return report.findings


@functools.cache
def profile_words(profile: str, rule_type: str, rule_id: str) -> tuple[dict, dict, dict]:
    """(messages, suggestions, texts) of a profile's rule of `rule_type`: the one named
    `rule_id` if there is one, else the first."""
    from profilecheck.profile.loading import load_profile

    rules = [rule for rule in load_profile(profile).rules if rule.type == rule_type]
    rule = next((r for r in rules if r.id == rule_id), rules[0] if rules else None)
    if rule is None:
        return {}, {}, {}
    return rule.messages, rule.suggestions, rule.texts


# A `soffice` that never ends, for the LibreOffice limits' tests.
HANGING = """#!/bin/sh
echo $$ > "{pids}/soffice.pid"
sleep 300 &
echo $! > "{pids}/child.pid"
wait
"""


@pytest.fixture(scope="session")
def model() -> Any:
    """The bundled Ale profile's mark model (checks/logo/artwork.py), as its logo rule loads it."""
    import tomllib

    from profilecheck.checks.logo import artwork

    rules = ROOT / "rules" / "ale" / "rules"
    params = tomllib.loads((rules / "logo.toml").read_text())["params"]
    versions = tuple(
        (v["name"], str((rules / v["file"]).resolve()), v["background"]) for v in params["versions"]
    )
    return artwork.load_model(str((rules / params["mark"]).resolve()), versions)


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The files LibreOffice is asked to render (or convert), in this process."""
    from profilecheck.readers.convert import render, soffice

    calls: list[str] = []
    convert = soffice.convert

    def counting(path, *args, **kwargs):
        calls.append(Path(path).name)
        return convert(path, *args, **kwargs)

    monkeypatch.setattr(soffice, "convert", counting)
    monkeypatch.setattr(render, "_MADE", type(render._MADE)())
    return calls


def hanging_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A `soffice` that hangs, with a child of its own (like oosplash's soffice.bin)."""
    bin_dir, pids = tmp_path / "bin", tmp_path / "pids"
    bin_dir.mkdir()
    pids.mkdir()
    program = bin_dir / "soffice"
    program.write_text(HANGING.format(pids=pids))
    program.chmod(0o755)
    return bin_dir, pids


def process_gone(pid_file: Path) -> bool:
    """Whether the process whose pid the file holds has ended (a zombie counts as ended)."""
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie still answers kill(0) until it is reaped by init
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False
