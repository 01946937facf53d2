"""Where rule types come from: built in, one home each under `profilecheck/checks/`, or plug-ins.

The built-in registry is the `checks` folder itself: the rule type called `text-size` is the
`RuleType` subclass named so in `profilecheck/checks/text_size.py` (or a package of that name).
Adding one is adding its home; nothing else lists it. A rule type is imported only when a
profile uses it (checking a Word file never loads OpenCV), or when the whole catalogue is asked
for. Packages add rule types under the entry-point group `profilecheck.rules`; they are looked up
through `importlib.metadata` only when a profile names a rule type that is not built in, so the
pre-commit path never pays for the metadata scan. A plug-in that is declared but fails to load is
an error naming it (`PluginError`), never a silent note.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from profilecheck import __version__
from profilecheck.core import codes

if TYPE_CHECKING:  # imported with the first rule type: the scan cache's key needs none
    from profilecheck.engine.ruletype import RuleType

GROUP = "profilecheck.rules"

CHECKS_PACKAGE = "profilecheck.checks"


def _builtin() -> dict[str, str]:
    """Rule type name -> "module:" for every home in the checks folder (a listing, no import)."""
    import pkgutil
    from importlib.util import find_spec

    homes = find_spec(CHECKS_PACKAGE).submodule_search_locations  # found, not imported
    return {
        module.name.replace("_", "-"): f"{CHECKS_PACKAGE}.{module.name}:"
        for module in pkgutil.iter_modules(homes)
        if not module.name.startswith("_")
    }


BUILTIN: dict[str, str] = _builtin()


class PluginError(Exception):
    """A rule type that is declared (built in or by an installed package) but cannot be used."""


@dataclass(frozen=True)
class EntryPoint:
    name: str
    value: str  # "package.module:Attribute"
    version: str = "?"  # of the distribution that provides it (part of the scan cache's key)
    builtin: bool = False

    def load(self) -> object:
        module, _, attribute = self.value.partition(":")
        loaded: object = importlib.import_module(module.strip())
        if not attribute.strip():  # a built-in home: the rule type it defines under this name
            return _defined_in(loaded, self.name)
        for part in filter(None, attribute.strip().split(".")):
            loaded = getattr(loaded, part)
        return loaded


def _defined_in(module: object, name: str) -> object:
    from profilecheck.engine.ruletype import RuleType

    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, RuleType) and value.name == name:
            return value
    return None


BUILTIN_POINTS = {
    name: EntryPoint(name, value, __version__, builtin=True) for name, value in BUILTIN.items()
}


@cache
def plugins() -> dict[str, EntryPoint]:
    """Third-party rule types by name, without importing any of them. A plug-in cannot replace
    a built-in rule type."""
    from importlib.metadata import entry_points

    return {
        point.name: EntryPoint(point.name, point.value, point.dist.version if point.dist else "?")
        for point in entry_points(group=GROUP)
        if point.name not in BUILTIN and not point.value.startswith("profilecheck.")
    }


def available() -> dict[str, EntryPoint]:
    """Every rule type by name, built-in first, without importing any of them."""
    return {**BUILTIN_POINTS, **plugins()}


def versions() -> list[str]:
    """ "name=version" of each installed plug-in (part of the scan cache's key)."""
    return sorted(f"{p.name}={p.version}" for p in plugins().values())


@cache
def load(name: str) -> type[RuleType] | None:
    """The rule type called `name`, or None when nothing provides it; `PluginError` when one is
    declared but cannot be loaded."""
    point = BUILTIN_POINTS.get(name) or plugins().get(name)
    if point is None:
        return None
    where = (
        "built-in rule type"
        if point.builtin
        else f"plug-in {point.value} (version {point.version})"
    )
    try:
        rule_type = point.load()
    except codes.CheckClash as error:
        raise PluginError(f"{where}: {error}") from error
    except Exception as error:  # any import-time failure of third-party code
        raise PluginError(f"{where} failed to load: {type(error).__name__}: {error}") from error
    from profilecheck.engine.ruletype import RuleType

    if not (isinstance(rule_type, type) and issubclass(rule_type, RuleType)):
        raise PluginError(f"{where} is not a RuleType subclass")
    return rule_type


def load_builtins() -> None:
    """Import every built-in rule type, so the catalogue holds all their checks (one that fails
    is reported where a profile uses it)."""
    for name in BUILTIN:
        try:
            load(name)
        except PluginError:
            continue
