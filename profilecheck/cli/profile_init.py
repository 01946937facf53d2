"""`profilecheck profile init`: write the files of a new profile, never over existing ones."""

from __future__ import annotations

import json
import os
from pathlib import Path

from profilecheck.core.errors import UsageError
from profilecheck.profile.loading import (
    PROFILE_FILE,
    RULES_FOLDER,
    Profile,
    find_profile,
    load_profile,
)

PROFILE_TOML = """\
# The profile {name}. Rule files in rules/ add rules, or override inherited rules with the
# same file name. Check it with: profilecheck profile validate {folder}
name = {name_toml}
title = {name_toml}
version = "0.1"
{language}{extends}
# Inherited rules to switch off, by file name without .toml:
# disable = ["outdated-switchboard"]
"""

OVERRIDE_RULE = """\
# Overrides the rule {rule_id!r} inherited from {parent!r}: keys here are merged
# over {source}.
# Tables merge key by key; other values replace. Remove the # to use a line.
#
# severity = "warning"            # error, warning or info, for every finding of the rule
# enabled = false                 # switch the rule off in this profile
#
# [description]
# sv = "Beskrivning på svenska"
# en = "Description in English"
"""

NEW_RULE = """\
# An example rule: require a phrase in every document. Change or delete it.
type = "text"
severity = "warning"

[description]
sv = "Organisationens namn ska finnas med."
en = "The organisation's name must appear."

[[params.required]]
kind = "literal"
pattern = {name_toml}
description = {name_toml}

# The words of the findings, in each language the reports use.
[messages.text-required-missing]
sv = "Organisationens namn saknas: {{description}}"
en = "The organisation's name is missing: {{description}}"
"""

README = """\
# {name}

A profile for profilecheck{extends_note}.

- `profile.toml`: name, title, version, language, what it extends, rules switched off.
- `rules/*.toml`: one rule per file. A file with the same name as an inherited rule overrides
  it; a new name adds a rule.

Check it: `profilecheck profile validate {folder}`.
Show it, after inheritance: `profilecheck profile show {folder}`.
Use it: `profilecheck check --profile {folder} FILES`.
"""


def create_profile(folder: Path, parent_reference: str, name: str) -> list[Path]:
    if (folder / PROFILE_FILE).exists():
        raise UsageError(f"{folder / PROFILE_FILE} exists: will not overwrite a profile")
    parent = load_profile(parent_reference) if parent_reference else None
    extends = _extends_value(parent_reference, folder) if parent else ""
    files = {
        folder / PROFILE_FILE: _profile_toml(folder, name, parent, extends),
        folder / "README.md": README.format(
            name=name,
            folder=folder,
            extends_note=f" that extends {parent.name!r} ({parent.title})" if parent else "",
        ),
        **_example_rule(folder, name, parent),
    }
    existing = [path for path in files if path.exists()]
    if existing:
        raise UsageError(f"will not overwrite {', '.join(str(p) for p in existing)}")
    (folder / RULES_FOLDER).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def _extends_value(reference: str, folder: Path) -> str:
    """Bundled names stay names; a folder is written relative to the new profile."""
    path = Path(reference)
    if not (path / PROFILE_FILE).is_file() and path.name != PROFILE_FILE:
        return reference
    target = find_profile(reference)
    return Path(os.path.relpath(target, folder.resolve())).as_posix()


def _profile_toml(folder: Path, name: str, parent: Profile | None, extends: str) -> str:
    language = "" if parent else 'language = "sv"\n'
    return PROFILE_TOML.format(
        name=name,
        name_toml=json.dumps(name, ensure_ascii=False),
        folder=folder,
        language=language,
        extends=f"extends = {json.dumps(extends, ensure_ascii=False)}\n" if parent else "",
    )


def _example_rule(folder: Path, name: str, parent: Profile | None) -> dict[Path, str]:
    rules = folder / RULES_FOLDER
    if parent is None or not parent.rules:
        text = NEW_RULE.format(name_toml=json.dumps(name, ensure_ascii=False))
        return {rules / "name-required.toml": text}
    preferred = [r for r in parent.rules if r.id == "outdated-switchboard"]
    rule = (preferred or parent.rules)[0]
    source = f"{parent.name}/{RULES_FOLDER}/{rule.source.name}"
    text = OVERRIDE_RULE.format(rule_id=rule.id, parent=parent.name, source=source)
    return {rules / f"{rule.id}.toml": text}
