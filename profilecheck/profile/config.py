"""Settings: from `profilecheck.toml` or `[tool.profilecheck]` in pyproject.toml, found from the
current folder upwards, then overridden by the command line."""

from __future__ import annotations

import dataclasses
import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from profilecheck.core.errors import UsageError
from profilecheck.profile.params import parse_params

CONFIG_FILES = ("profilecheck.toml", ".profilecheck.toml", "pyproject.toml")
SeverityName = Literal["info", "warning", "error"]


@dataclass
class Settings:
    profile: str = "ale"
    select: list[str] = field(default_factory=lambda: ["ALL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    # finding name or code -> severity, e.g. {"font-not-embedded" = "error"}
    severity: dict[str, SeverityName] = field(default_factory=dict)
    fail_on: SeverityName = "error"
    lang: str | None = None
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    # where the settings came from; relative paths in them resolve against its folder
    source: Path | None = None

    @property
    def root(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def ignored_for(self, path: str) -> list[str]:
        """Selectors ignored for one file by `per-file-ignores` (globs relative to the root)."""
        relative = relative_path(path, self.root)
        return [
            selector
            for pattern, selectors in self.per_file_ignores.items()
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(path).name, pattern)
            for selector in selectors
        ]


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    for folder in [start, *start.parents]:
        for name in CONFIG_FILES:
            path = folder / name
            if not path.is_file():
                continue
            table = _read(path)
            if name == "pyproject.toml":
                table = table.get("tool", {}).get("profilecheck")
                if table is None:
                    continue
            return path, table
    return None


def load_settings(config: Path | None = None, isolated: bool = False) -> Settings:
    """Settings from `config`, or the first configuration file found upwards from here."""
    if isolated:
        return Settings()
    if config is not None:
        table = _read(config)
        if config.name == "pyproject.toml":
            table = table.get("tool", {}).get("profilecheck", {})
        found: tuple[Path, dict[str, Any]] | None = (config, table)
    else:
        found = find_config(Path.cwd())
    if found is None:
        return Settings()
    path, table = found
    settings, problems = parse_params(Settings, {**table}, prefix="tool.profilecheck")
    if problems:
        details = "; ".join(f"{p.key}: {p.message}" for p in problems)
        raise UsageError(f"{path}: {details}")
    return dataclasses.replace(settings, source=path.resolve())


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"cannot read configuration {path}: {error}")


def relative_path(path: str, root: Path) -> str:
    """`path` relative to `root` in POSIX form, or as given when outside it."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
