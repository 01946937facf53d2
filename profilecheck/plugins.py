"""Rule types are plug-ins: found through the entry-point group `profilecheck.rules`, loaded on use."""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from profilecheck import codes
from profilecheck.ruletype import RuleType

GROUP = "profilecheck.rules"


@cache
def available() -> dict[str, EntryPoint]:
    """Installed rule types by name, without importing any of them."""
    return {point.name: point for point in entry_points(group=GROUP)}


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
