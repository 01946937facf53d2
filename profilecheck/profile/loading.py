"""Profiles: folders of rule files, possibly extending another profile.

    rules/<name>/profile.toml     name, title, version, language, extends, disable
    rules/<name>/rules/<id>.toml  one rule: its type, severity, parameters and words (messages,
                                  suggestions, texts: tables of texts by language)

A profile that `extends` another inherits its rules; a rule file with the same id is merged
over the inherited one (tables merge key by key, other values replace), `enabled = false` or
the profile's `disable` list switches an inherited rule off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from profilecheck.core.errors import UsageError
from profilecheck.core.model import Severity
from profilecheck.profile.params import unknown_key
from profilecheck.profile.rule import Rule

PROFILE_FILE = "profile.toml"
RULES_FOLDER = "rules"
PROFILE_KEYS = {
    "name", "title", "version", "language", "extends", "description", "provisional", "disable",
    "sources",
}  # fmt: skip
RULE_KEYS = {
    "type", "severity", "severities", "enabled", "params", "messages", "suggestions", "texts",
    "description",
}  # fmt: skip
# Tables of words: name or key -> texts by language (sv = "...", en = "...").
WORD_TABLES = ("messages", "suggestions", "texts")


@dataclass
class Problem:
    file: str
    key: str
    message: str
    level: str = "error"  # "error" makes the profile invalid; "warning" and "note" do not

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


@dataclass
class Profile:
    name: str
    title: str
    version: str
    language: str
    folder: Path
    chain: list[str]  # this profile first, then what it extends
    rules: list[Rule]
    description: str = ""
    provisional: bool = False
    problems: list[Problem] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)  # this profile's and its parents'
    # rule id -> every file that set it, the defining one first, then the overriding ones
    rule_files: dict[str, list[Path]] = field(default_factory=dict)

    def digest(self) -> str:
        """Changes whenever any file of the profile or of a profile it extends changes."""
        import hashlib  # the scan cache's key only: `check` never loads OpenSSL's hashes

        sha = hashlib.sha256()
        for folder in self.folders:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                sha.update(str(path.relative_to(folder)).encode())
                sha.update(path.read_bytes())
        return sha.hexdigest()


def bundled_root() -> Path:
    """The bundled profiles: inside the installed package, or `rules/` in a source checkout."""
    here = Path(__file__).resolve().parents[1]
    for candidate in (here / "profiles", here.parent / "rules"):
        if (candidate / "ale" / PROFILE_FILE).is_file():
            return candidate
    return here / "profiles"


def bundled_names() -> list[str]:
    root = bundled_root()
    return sorted(p.parent.name for p in root.glob(f"*/{PROFILE_FILE}")) if root.is_dir() else []


def find_profile(reference: str, relative_to: Path | None = None) -> Path:
    """A profile folder from a bundled name or a path (to the folder or its profile.toml)."""
    candidates = []
    path = Path(reference)
    if relative_to is not None and not path.is_absolute():
        candidates.append(relative_to / path)
    candidates += [path, bundled_root() / reference]
    for candidate in candidates:
        if candidate.is_file() and candidate.name == PROFILE_FILE:
            return candidate.parent.resolve()
        if (candidate / PROFILE_FILE).is_file():
            return candidate.resolve()
    known = ", ".join(bundled_names()) or "none"
    raise UsageError(f"profile {reference!r} not found (bundled profiles: {known})")


def load_profile(reference: str, relative_to: Path | None = None) -> Profile:
    folder = find_profile(reference, relative_to)
    return _load(folder, seen=[])


def _load(folder: Path, seen: list[Path]) -> Profile:
    if folder in seen:
        cycle = " -> ".join(str(p) for p in [*seen, folder])
        raise UsageError(f"profiles extend each other in a loop: {cycle}")
    problems: list[Problem] = []
    settings = _read_toml(folder / PROFILE_FILE, problems)
    _unknown_keys(settings, PROFILE_KEYS, folder / PROFILE_FILE, problems)
    _check_profile_table(settings, folder / PROFILE_FILE, problems)
    parent = None
    if settings.get("extends"):
        try:
            parent_folder = find_profile(str(settings["extends"]), folder)
        except UsageError as error:
            raise UsageError(f"{folder / PROFILE_FILE}: extends: {error}")
        parent = _load(parent_folder, [*seen, folder])
    rules = {rule.id: rule for rule in parent.rules} if parent else {}
    rule_files = {k: list(v) for k, v in parent.rule_files.items()} if parent else {}
    raw = {rule.id: rule.params for rule in rules.values()}
    for path in sorted((folder / RULES_FOLDER).glob("*.toml")):
        table = _read_toml(path, problems)
        _unknown_keys(table, RULE_KEYS, path, problems)
        _check_rule_table(table, path, problems)
        inherited = rules.get(path.stem)
        rule_files[path.stem] = [*rule_files.get(path.stem, []), path]
        rules[path.stem] = _rule(path, table, inherited, str(settings.get("name", folder.name)))
        raw[path.stem] = rules[path.stem].params
    for rule_id in _strings(settings.get("disable", [])):
        if rule_id in rules:
            rules[rule_id].enabled = False
        else:
            problems.append(Problem(str(folder / PROFILE_FILE), "disable", f"no rule {rule_id!r}"))
    name = str(settings.get("name", folder.name))
    return Profile(
        name=name,
        title=str(settings.get("title", name)),
        version=str(settings.get("version", "0")),
        language=str(settings.get("language", parent.language if parent else "en")),
        folder=folder,
        chain=[name, *(parent.chain if parent else [])],
        rules=list(rules.values()),
        description=str(settings.get("description", "")),
        provisional=bool(settings.get("provisional", parent.provisional if parent else False)),
        problems=(parent.problems if parent else []) + problems,
        folders=[folder, *(parent.folders if parent else [])],
        rule_files=rule_files,
    )


def _rule(path: Path, table: dict[str, Any], inherited: Rule | None, profile: str) -> Rule:
    base: dict[str, Any] = _as_table(inherited) if inherited else {}
    merged = deep_merge(base, table)
    return Rule(
        id=path.stem,
        type=str(merged.get("type", "")),
        source=path if "type" in table or inherited is None else inherited.source,
        profile=profile,
        params=merged.get("params", {}),
        severity=_severity(merged.get("severity")),
        severities={
            k: s for k, v in _table(merged.get("severities")).items() if (s := _severity(v))
        },
        enabled=bool(merged.get("enabled", True)),
        messages=_table(merged.get("messages")),
        suggestions=_table(merged.get("suggestions")),
        texts=_table(merged.get("texts")),
        description=_table(merged.get("description")),
    )


def _as_table(rule: Rule) -> dict[str, Any]:
    return {
        "type": rule.type,
        "params": rule.params,
        "severity": rule.severity.value if rule.severity else None,
        "severities": {k: v.value for k, v in rule.severities.items()},
        "enabled": rule.enabled,
        "messages": rule.messages,
        "suggestions": rule.suggestions,
        "texts": rule.texts,
        "description": rule.description,
    }


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _severity(value: Any) -> Severity | None:
    try:
        return Severity(value) if value else None
    except ValueError:
        return None


def _check_profile_table(table: dict[str, Any], path: Path, out: list[Problem]) -> None:
    for key in ("name", "title", "version", "language", "extends", "description"):
        if key in table and not isinstance(table[key], str):
            out.append(Problem(str(path), key, f"expected text, got {table[key]!r}"))
    if "provisional" in table and not isinstance(table["provisional"], bool):
        out.append(Problem(str(path), "provisional", "expected true or false"))
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(item, str) for item in disable):
        out.append(Problem(str(path), "disable", "expected a list of rule ids"))


def _check_rule_table(table: dict[str, Any], path: Path, out: list[Problem]) -> None:
    """Mistakes the rule type never sees: severities, switches, words, descriptions."""
    levels = ", ".join(repr(s.value) for s in Severity)
    if "type" in table and not isinstance(table["type"], str):
        out.append(Problem(str(path), "type", f"expected text, got {table['type']!r}"))
    if "severity" in table and _severity(table["severity"]) is None:
        out.append(Problem(str(path), "severity", f"must be one of {levels}"))
    severities = table.get("severities", {})
    if not isinstance(severities, dict):
        out.append(Problem(str(path), "severities", "expected a table of finding = severity"))
        severities = {}
    for name, value in severities.items():
        if _severity(value) is None:
            out.append(Problem(str(path), f"severities.{name}", f"must be one of {levels}"))
    if "enabled" in table and not isinstance(table["enabled"], bool):
        out.append(Problem(str(path), "enabled", "expected true or false"))
    if "params" in table and not isinstance(table["params"], dict):
        out.append(Problem(str(path), "params", "expected a table"))
    _check_texts(table.get("description", {}), "description", path, out)
    for group in WORD_TABLES:
        words = table.get(group, {})
        if not isinstance(words, dict):
            per = "key" if group == "texts" else "finding name"
            out.append(Problem(str(path), group, f"expected a table per {per}"))
            continue
        for name, texts in words.items():
            _check_texts(texts, f"{group}.{name}", path, out)


def _check_texts(texts: Any, key: str, path: Path, out: list[Problem]) -> None:
    """A table of texts by language code: sv = "...", en = "..."."""
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        out.append(Problem(str(path), key, 'expected a table of texts: sv = "...", en = "..."'))


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(Problem(str(path), "", "file not found"))
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(str(path), "", f"not valid TOML: {error}"))
    return {}


def _unknown_keys(table: dict[str, Any], known: set[str], path: Path, out: list[Problem]) -> None:
    for key in table:
        if key not in known:
            out.append(Problem(str(path), key, unknown_key(key, known)))
