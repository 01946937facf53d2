"""An installed wheel carries the bundled profiles and finds them outside the source tree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "profilecheck", "rules")


SETUPTOOLS_NEEDED = (77,)  # pyproject.toml's build requirement (PEP 639 licence expression)
# What pip says when the build requirement can be neither found installed nor downloaded: the
# only failure that is the machine's, not the package's.
CANNOT_FETCH = (
    "Could not find a version that satisfies the requirement setuptools",
    "No matching distribution found for setuptools",
)


def _installed_setuptools() -> tuple[int, ...] | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return tuple(int(part) for part in re.findall(r"\d+", version("setuptools"))[:2])
    except PackageNotFoundError:
        return None


def _build_wheel(tmp_path: Path) -> Path:
    """Build from a copy, so the work tree gets no build/ folder. With setuptools>=77 installed
    the build uses it (no network); otherwise pip fetches it into an isolated build environment.
    Any failure fails the test, except that setuptools>=77 is neither installed nor obtainable."""
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.is_file():
            shutil.copy2(path, source / name)
    out = tmp_path / "wheel"
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)]
    installed = _installed_setuptools()
    local = installed is not None and installed >= SETUPTOOLS_NEEDED
    if local:
        command.append("--no-build-isolation")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    wheels = list(out.glob("*.whl"))
    if done.returncode == 0 and len(wheels) == 1:
        return wheels[0]
    if not local and any(marker in done.stderr for marker in CANNOT_FETCH):
        pytest.skip(
            f"setuptools>=77 is not installed (found {installed}) and pip cannot fetch it:\n"
            + done.stderr[-800:]
        )
    pytest.fail(f"the wheel did not build (exit {done.returncode}, {wheels}):\n{done.stderr}")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_wheel(tmp_path_factory.mktemp("packaging"))


def test_wheel_contains_profiles_and_every_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "rules").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            inside = "profilecheck/profiles/" + path.relative_to(ROOT / "rules").as_posix()
            assert inside in names, f"{inside} is missing from the wheel"
    for init in (ROOT / "profilecheck").rglob("__init__.py"):
        assert init.relative_to(ROOT).as_posix() in names


def test_installed_wheel_finds_bundled_profile(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    script = (
        "import profilecheck.profile.loading as p; r = p.bundled_root(); print(r); "
        "print(p.load_profile('alebyggen').chain)"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=environment,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    root, chain = done.stdout.splitlines()
    assert Path(root).resolve().is_relative_to(site.resolve())
    assert chain == "['alebyggen', 'ale']"
    show = subprocess.run([sys.executable, "-m", "profilecheck", "profile", "show", "ale"],
                          cwd=elsewhere, env=environment, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert show.returncode == 0, show.stderr
    assert str(site) in show.stdout or "profilecheck/profiles/ale" in show.stdout
