"""End to end with the real pre-commit framework: a non-compliant document blocks the commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None
    or shutil.which("pre-commit", path=Path(sys.executable).parent) is None,
    reason="needs git and pre-commit",
)


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        cwd=repo, capture_output=True, text=True, check=check, env=environment, timeout=900,
    )  # fmt: skip


def test_commit_blocked_until_document_is_fixed(tmp_path):
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    repo = tmp_path / "site"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n  - id: profilecheck\n"
        "    args: [--isolated, --select, K403]\n"
    )
    _git(repo, "add", ".pre-commit-config.yaml")
    _git(repo, "commit", "-q", "--no-verify", "-m", "config")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    subprocess.run([pre_commit, "install"], cwd=repo, check=True, capture_output=True)

    make_pdf(repo / "Kallelse.PDF", ["Frågor? Ring växeln 0303-33 00 00."])
    _git(repo, "add", "Kallelse.PDF")
    blocked = _git(repo, "commit", "-m", "kallelse", check=False)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert "contact-outdated" in output and "Kallelse.PDF" in output

    make_pdf(repo / "Kallelse.PDF", ["Frågor? Ring Kontaktcenter 0303-70 30 00."])
    _git(repo, "add", "Kallelse.PDF")
    passed = _git(repo, "commit", "-m", "kallelse", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
