"""Write what `profile artwork` imported into a profile's logo rule file: `mark`, `name` and the
`[[params.versions]]`, keeping the rest of the file (its comments included) as it is.

A profile without a logo rule file of its own gets one that overrides the inherited logo rule;
it says `type = "logo"`, so that its file names resolve against its own folder. Versions the
file already names are kept unless a file of the same name was imported again.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from profilecheck.cli.tomlwrite import dumps

HEADER = """\
# The logo rule of this profile, over the one it inherits: the municipality's own artwork,
# imported with `profilecheck profile artwork`. Rerun it to replace a file; edit `layout`,
# `tone` and `background` here when the import read a file wrongly.
"""
TABLE_HEADER = re.compile(r"^\s*\[")
VERSIONS_HEADER = re.compile(r"^\s*\[\[\s*params\s*\.\s*versions\s*\]\]")
PARAMS_HEADER = re.compile(r"^\s*\[\s*params\s*\]\s*(#.*)?$")


def existing_versions(path: Path) -> list[dict[str, Any]]:
    """The versions the rule file itself names (not inherited ones)."""
    table = _load(path)
    versions = table.get("params", {}).get("versions", [])
    return [v for v in versions if isinstance(v, dict)] if isinstance(versions, list) else []


def write_logo_rule(
    path: Path, mark: str, versions: list[dict[str, Any]], name: str | None
) -> None:
    """Create or update the rule file at `path` (see the module's docstring)."""
    keys = {"mark": mark, **({"name": name} if name else {})}
    if path.is_file():
        text = _updated(path.read_text(encoding="utf-8"), keys, versions)
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:  # a layout the line edits cannot follow: rewrite
            table = _load(path)
            table.setdefault("type", "logo")
            params = table.setdefault("params", {})
            params.update(keys)
            params["versions"] = versions
            text = HEADER + "\n" + dumps(table)
    else:
        text = HEADER + 'type = "logo"\n\n[params]\n' + dumps(keys) + _blocks(versions)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _updated(text: str, keys: dict[str, str], versions: list[dict[str, Any]]) -> str:
    """The versions replaced where the first of them stood (else at the end), the keys set."""
    kept: list[str] = []
    at: int | None = None
    in_versions = False
    for line in text.splitlines():
        if VERSIONS_HEADER.match(line):
            in_versions = True
            at = len(kept) if at is None else at
            continue
        if in_versions and TABLE_HEADER.match(line):
            in_versions = False
        if not in_versions:
            kept.append(line)
    blocks = _blocks(versions).splitlines()
    if at is None:
        kept += blocks
    else:
        while at > 0 and not kept[at - 1].strip():
            at -= 1
        blank_after = at == len(kept) or not kept[at].strip()
        kept[at:at] = blocks if blank_after else [*blocks, ""]
    kept = _set_params(kept, keys)
    if not _has_top_key(kept, "type"):
        kept.insert(_first_table(kept), 'type = "logo"')
    return "\n".join(kept).rstrip("\n") + "\n"


def _set_params(lines: list[str], keys: dict[str, str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if PARAMS_HEADER.match(line)), None)
    if start is None:
        return [*lines, "", "[params]", *dumps(keys).splitlines()]
    end = next(
        (i for i in range(start + 1, len(lines)) if TABLE_HEADER.match(lines[i])), len(lines)
    )
    for key, value in keys.items():
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        line = dumps({key: value}).strip()
        found = next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)
        if found is None:
            lines.insert(start + 1, line)
            end += 1
        else:
            comment = re.search(r"\s+#.*$", lines[found])
            lines[found] = line + (
                comment.group(0) if comment and '"' not in comment.group(0) else ""
            )
    return lines


def _has_top_key(lines: list[str], key: str) -> bool:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return any(pattern.match(line) for line in lines[: _first_table(lines)])


def _first_table(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if TABLE_HEADER.match(line)), len(lines))


def _blocks(versions: list[dict[str, Any]]) -> str:
    return "".join(f"\n[[params.versions]]\n{dumps(version)}" for version in versions)


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
