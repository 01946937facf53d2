"""One rule file of a profile: the data half of a rule (the rule type is the Python half)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from profilecheck.core.model import Severity


@dataclass
class Rule:
    """One rule file of a profile, after inheritance has been applied."""

    id: str
    type: str
    source: Path
    profile: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None  # for every finding of the rule, unless overridden below
    severities: dict[str, Severity] = field(default_factory=dict)
    enabled: bool = True
    # Words, each a table of texts by language (sv = "...", en = "..."): the message and the
    # suggestion of each finding by its name, and the rule type's other pieces of text by key.
    messages: dict[str, dict[str, str]] = field(default_factory=dict)
    suggestions: dict[str, dict[str, str]] = field(default_factory=dict)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        """Relative file names in a rule (artwork, word lists) resolve against this folder."""
        return self.source.parent

    @property
    def label(self) -> str:
        return f"{self.profile}/{self.id}"
