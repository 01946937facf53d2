"""What each check means, for reports: the catalogue summary and the rule types' docstrings."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from profilecheck.core import codes
from profilecheck.core.model import Severity


@dataclass(frozen=True)
class RuleHelp:
    code: str
    name: str
    severity: Severity
    summary: str
    explanations: tuple[str, ...]  # docstrings of the rule types that emit it

    @property
    def text(self) -> str:
        return "\n\n".join([self.summary, *self.explanations])


def rule_help(names: Iterable[str]) -> list[RuleHelp]:
    """Help for each finding name, sorted by code; names outside the catalogue get a stub."""
    docs = _docstrings_by_finding()
    out = []
    for name in sorted(set(names), key=lambda n: (_check(n).code, n)):
        check = _check(name)
        out.append(RuleHelp(check.code, name, check.severity, check.summary, docs.get(name, ())))
    return out


def _check(name: str) -> codes.Check:
    return codes.CATALOGUE.get(name) or codes.Check("?", name, Severity.WARNING, name)


@cache
def _docstrings_by_finding() -> dict[str, tuple[str, ...]]:
    """Finding name -> docstrings of installed rule types that declare it (broken ones skipped)."""
    from profilecheck.engine import registry

    found: dict[str, list[str]] = {}
    for type_name in sorted(registry.available()):
        try:
            rule_type = registry.load(type_name)
        except Exception:  # a broken third-party plug-in must not break the report
            continue
        doc = inspect.cleandoc(rule_type.__doc__ or "") if rule_type else ""
        for name in rule_type.emits if rule_type and doc else ():
            found.setdefault(name, []).append(doc)
    return {name: tuple(docs) for name, docs in found.items()}
