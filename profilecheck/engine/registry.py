"""Rule types are plug-ins: found through the entry-point group `profilecheck.rules`, loaded on use.

Entry points are read straight from the installed distributions' `entry_points.txt` files, the
format the packaging specification defines: importing `importlib.metadata` (and the e-mail
parser it brings) cost a tenth of checking a small Word file. Where the scan finds nothing
(zipped or unusual installs), `importlib.metadata` is asked after all.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from functools import cache

from profilecheck.core import codes
from profilecheck.engine.ruletype import RuleType

GROUP = "profilecheck.rules"
METADATA_SUFFIXES = (".dist-info", ".egg-info")


@dataclass(frozen=True)
class EntryPoint:
    name: str
    value: str  # "package.module:Attribute"
    version: str = "?"  # of the distribution that provides it (part of the scan cache's key)

    def load(self) -> object:
        module, _, attribute = self.value.partition(":")
        loaded: object = importlib.import_module(module.strip())
        for part in filter(None, attribute.strip().split(".")):
            loaded = getattr(loaded, part)
        return loaded


@cache
def available() -> dict[str, EntryPoint]:
    """Installed rule types by name, without importing any of them."""
    return _scan(sys.path, GROUP) or _from_importlib(GROUP)


def _scan(paths: list[str], group: str) -> dict[str, EntryPoint]:
    """The group's entry points; a distribution earlier on the path wins, as on import."""
    found: dict[str, EntryPoint] = {}
    seen: set[str] = set()
    for folder in paths:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            if not name.endswith(METADATA_SUFFIXES):
                continue
            distribution, _, rest = name.rpartition(".")[0].partition("-")
            key = distribution.lower().replace("_", "-")
            if key in seen:
                continue
            seen.add(key)
            version = rest.split("-")[0] or "?"
            for point in _read(os.path.join(folder, name, "entry_points.txt"), group, version):
                found.setdefault(point.name, point)
    return found


def _read(path: str, group: str, version: str) -> list[EntryPoint]:
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    points, section = [], None
    for line in (line.strip() for line in lines):
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line and not line.startswith(("#", ";")):
            name, _, value = line.partition("=")
            points.append(EntryPoint(name.strip(), value.strip(), version))
    return points


def _from_importlib(group: str) -> dict[str, EntryPoint]:
    from importlib.metadata import entry_points

    return {
        point.name: EntryPoint(point.name, point.value, point.dist.version if point.dist else "?")
        for point in entry_points(group=group)
    }


@cache
def load(name: str) -> type[RuleType] | None:
    """The rule type called `name`, or None when no installed package provides it."""
    point = available().get(name)
    if point is None:
        return None
    rule_type = point.load()
    if not (isinstance(rule_type, type) and issubclass(rule_type, RuleType)):
        raise TypeError(f"entry point {point.value} is not a RuleType subclass")
    for check in rule_type.extra_checks:
        codes.register(check)
    return rule_type
