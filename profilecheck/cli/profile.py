"""`profilecheck profile show | validate | init | artwork`: read, check and start profiles.

profilecheck profile validate                 the configured profile (default: ale)
profilecheck profile validate path/to/folder  exit 2 when any rule file has an error
profilecheck profile show alebyggen --format toml
profilecheck profile init min-profil --extends ale --name min-profil
profilecheck profile artwork min-profil officiellt/*.svg --name "Ale kommun"
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import click

from profilecheck.core.errors import UsageError
from profilecheck.core.printable import printable, safe_json
from profilecheck.profile.loading import Problem, Profile


@click.group()
def profile() -> None:
    """Show, validate and start profiles (folders of rule files)."""


@profile.command()
@click.argument("reference", required=False)
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
def validate(reference: str | None, output_format: str) -> None:
    """Check every file of a profile; exit 2 when there are errors.

    REFERENCE is a bundled profile name or a profile folder; default: the configured profile.
    A rule file whose rule type is not installed (built in or as a plug-in) is an error.
    """
    loaded, problems = _run(lambda: _validated(reference))
    errors = [p for p in problems if p.level == "error"]
    if output_format == "json":
        click.echo(
            safe_json(json.dumps(_validation_json(loaded, problems), indent=2, ensure_ascii=False))
        )
    else:
        for problem in problems:
            click.echo(printable(f"{problem.level}: {_problem_text(problem)}"))
        verdict = "invalid" if errors else "valid"
        notes = len(problems) - len(errors)
        warnings = sum(p.level == "warning" for p in problems)
        among = f" ({warnings} of them warning(s))" if warnings else ""
        click.echo(
            printable(
                f"profile {loaded.name} ({' -> '.join(loaded.chain)}): {verdict}, "
                f"{len(errors)} error(s), {notes} note(s){among}"
            )
        )
    sys.exit(2 if errors else 0)


@profile.command()
@click.argument("reference", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(("text", "toml", "json")), default="text"
)
def show(reference: str | None, output_format: str) -> None:
    """Print the resolved profile, after inheritance, with the state of each rule."""
    loaded, problems = _run(lambda: _validated(reference))
    data = _profile_data(loaded, problems)
    if output_format == "json":
        click.echo(safe_json(json.dumps(data, indent=2, ensure_ascii=False)))
    elif output_format == "toml":
        from profilecheck.cli.tomlwrite import dumps

        click.echo(dumps(data), nl=False)
    else:
        click.echo(_profile_text(data), nl=False)


@profile.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--extends", "parent", default="ale", show_default=True,
              help='Profile to build on: a bundled name or a folder; "" for none.')  # fmt: skip
@click.option("--name", help="The profile's name (default: the folder's name).")
def init(folder: Path, parent: str, name: str | None) -> None:
    """Start a new profile folder: profile.toml, rules/ with an example, README.md."""
    from profilecheck.cli.profile_init import create_profile

    written = _run(lambda: create_profile(folder, parent, name or folder.resolve().name))
    for path in written:
        click.echo(printable(f"wrote {path}"))
    click.echo(printable(f"next: profilecheck profile validate {folder}"))


def _artwork_command() -> None:
    from profilecheck.cli.profile_artwork import artwork

    profile.add_command(artwork)


_artwork_command()


def _run(action: Any) -> Any:
    try:
        return action()
    except UsageError as error:
        click.echo(printable(f"profilecheck: {error}"), err=True)
        sys.exit(2)


def _validated(reference: str | None) -> tuple[Profile, list[Problem]]:
    from profilecheck.engine.engine import compile_rules
    from profilecheck.profile.config import load_settings
    from profilecheck.profile.loading import load_profile

    relative_to = None
    if reference is None:
        settings = load_settings()
        reference = settings.profile
        relative_to = settings.root if settings.source else None
    loaded = load_profile(reference, relative_to)
    active, problems = compile_rules(loaded)
    problems += _reviews(active)
    problems = [_blame(loaded, p) for p in problems] + _finding_name_problems(loaded)
    return loaded, _unique(problems)


def _reviews(active: list[Any]) -> list[Problem]:
    """Each rule type's advice on its valid rules (the logo rule judges its artwork)."""
    problems = []
    for item in active:
        for p in item.rule_type.review(item.instance.params, item.rule):
            problems.append(Problem(str(item.rule.source), p.key, p.message, p.level))
    return problems


def _blame(loaded: Profile, problem: Problem) -> Problem:
    """A problem in an inherited rule's params may come from an overriding file: name that one."""
    for files in loaded.rule_files.values():
        if len(files) < 2 or Path(problem.file) != files[0] or not problem.key:
            continue
        for path in reversed(files):
            if _has_key(_read(path), problem.key):
                return Problem(str(path), problem.key, problem.message, problem.level)
    return problem


def _has_key(table: dict[str, Any], dotted: str) -> bool:
    value: Any = table
    for part in dotted.replace("[", ".").replace("]", "").split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return True


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _finding_name_problems(loaded: Profile) -> list[Problem]:
    """`severities`, `messages` and `suggestions` must name findings that exist (after plug-ins
    registered)."""
    from profilecheck.core import codes
    from profilecheck.profile.params import unknown_key

    problems = []
    for rule in loaded.rules:
        for group in ("severities", "messages", "suggestions"):
            for name in getattr(rule, group):
                if name in codes.CATALOGUE:
                    continue
                path = _defining_file(loaded, rule.id, f"{group}.{name}") or rule.source
                message = unknown_key(name, codes.CATALOGUE).replace("key", "finding name", 1)
                problems.append(Problem(str(path), f"{group}.{name}", message))
    return problems


def _defining_file(loaded: Profile, rule_id: str, key: str) -> Path | None:
    for path in reversed(loaded.rule_files.get(rule_id, [])):
        if _has_key(_read(path), key):
            return path
    return None


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: dict[tuple[str, str, str, str], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.file, problem.key, problem.message, problem.level), problem)
    return list(seen.values())


def _display(path: str | Path) -> str:
    """Paths under the current folder are shown relative to it, others as they are."""
    try:
        return (
            os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
        )
    except ValueError:
        return str(path)


def _problem_text(problem: Problem) -> str:
    where = _display(problem.file) + (f": {problem.key}" if problem.key else "")
    return f"{where}: {problem.message}"


def _validation_json(loaded: Profile, problems: list[Problem]) -> dict[str, Any]:
    errors = sum(p.level == "error" for p in problems)
    return {
        "profile": loaded.name,
        "chain": loaded.chain,
        "folder": str(loaded.folder),
        "valid": errors == 0,
        "errors": errors,
        "notes": len(problems) - errors,
        "warnings": sum(p.level == "warning" for p in problems),
        "problems": [
            {"level": p.level, "file": p.file, "key": p.key, "message": p.message} for p in problems
        ],
    }


def _rule_state(rule: Any, own_problems: list[Problem], installed: set[str]) -> str:
    if any(p.level == "error" for p in own_problems):
        return "invalid"
    if not rule.enabled:
        return "disabled"
    return "active" if rule.type in installed else "not active"


def _profile_data(loaded: Profile, problems: list[Problem]) -> dict[str, Any]:
    from profilecheck.engine import registry

    installed = set(registry.available())
    rule_problems = {
        str(f): [p for p in problems if p.file == str(f)]
        for files in loaded.rule_files.values()
        for f in files
    }
    rules = []
    for rule in loaded.rules:
        files = loaded.rule_files.get(rule.id, [rule.source])
        own = [p for f in files for p in rule_problems.get(str(f), [])]
        entry: dict[str, Any] = {
            "id": rule.id,
            "type": rule.type,
            "state": _rule_state(rule, own, installed),
            "severity": rule.severity.value if rule.severity else "default",
            "profile": rule.profile,
            "source": str(rule.source),
            "files": [str(f) for f in files],
        }
        if rule.severities:
            entry["severities"] = {k: v.value for k, v in rule.severities.items()}
        entry["params"] = rule.params
        rules.append(entry)
    return {
        "name": loaded.name,
        "title": loaded.title,
        "version": loaded.version,
        "language": loaded.language,
        "provisional": loaded.provisional,
        "chain": loaded.chain,
        "folder": str(loaded.folder),
        "description": loaded.description.strip(),
        "rules": rules,
    }


def _profile_text(data: dict[str, Any]) -> str:
    provisional = " — provisional values, see README.md" if data["provisional"] else ""
    lines = [
        f"{data['name']}: {data['title']}, version {data['version']}, "
        f"language {data['language']}{provisional}",
        f"chain:  {' -> '.join(data['chain'])}",
        f"folder: {_display(data['folder'])}",
        "",
        f"rules ({len(data['rules'])}):",
    ]
    for rule in data["rules"]:
        lines.append(
            f"  {rule['id']}  [{rule['type']}, {rule['state']}, severity {rule['severity']}]"
        )
        lines += [f"    file: {_display(f)}" for f in rule["files"]]
        for name, level in rule.get("severities", {}).items():
            lines.append(f"    severity of {name}: {level}")
        for key, value in rule["params"].items():
            lines.append(f"    {key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(printable(line) for line in lines) + "\n"
