"""E-mail addresses in running text, including the usual obfuscations.

Found: anna.svensson@ale.se, anna.svensson(at)ale.se, anna.svensson[at]ale.se,
anna.svensson {at} ale.se, anna.svensson at ale.se (only with a dotted local part),
kommun@ale.se. Not an address: "titta at www.ale.se", "@ale_kommun".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOCAL = r"[A-Za-z0-9åäöÅÄÖéÉüÜ._%+\-]+"
DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
AT = r"(?:\s?@\s?|\s?[\(\[\{<]\s?(?:at|snabel-a|AT)\s?[\)\]\}>]\s?)"
ADDRESS = re.compile(rf"(?<![\w.@])(?P<local>{LOCAL}){AT}(?P<domain>{DOMAIN})(?![\w@])")
SPOKEN = re.compile(
    rf"(?<![\w.@])(?P<local>[A-Za-z0-9åäö\-]+(?:[._][A-Za-z0-9åäö\-]+)+) at (?P<domain>{DOMAIN})"
    r"(?![\w@])"
)


@dataclass(frozen=True)
class Email:
    start: int
    end: int
    raw: str
    local: str
    domain: str

    @property
    def address(self) -> str:
        return f"{self.local}@{self.domain}"

    def in_domains(self, domains: list[str]) -> bool:
        """True when the domain is one of `domains` or a subdomain of one."""
        return any(self.domain == d or self.domain.endswith("." + d) for d in domains)


def find_emails(text: str) -> list[Email]:
    found: dict[int, Email] = {}
    for expression in (ADDRESS, SPOKEN):
        for match in expression.finditer(text):
            local = match.group("local").strip("._-").lower()
            domain = match.group("domain").lower()
            if not local or domain.startswith("www."):
                continue
            found.setdefault(
                match.start(), Email(match.start(), match.end(), match.group(), local, domain)
            )
    return sorted(found.values(), key=lambda email: email.start)
