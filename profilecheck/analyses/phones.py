"""Swedish phone numbers in running text, validated with `phonenumbers` (region SE).

Passes: 0303-70 30 00, 0303-703000, 0303/70 30 00, +46 303 70 30 00, +46 (0)303-70 30 00,
070-123 45 67. Not numbers: 212000-1439 (organisationsnummer), 2024-03-15, 08.00-16.30, 449 80.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# A Swedish-looking number: a national prefix (0 or +46/0046) and digit groups. Validation by
# phonenumbers decides; the expression only finds candidates and keeps them away from dates.
CANDIDATE = re.compile(
    r"(?<![\w+\-/.,])"
    r"(?:(?:\+|00)46[ \-]?(?:\(0\)[ \-]?)?[1-9]\d{0,2}|\(?0[1-9]\d{0,3}\)?)"
    r"(?:[ ]?[-/–][ ]?|[ ])?"
    r"\d{2,3}(?:[ \-]?\d{2,3}){0,3}"
    r"(?![\d])"
)


@dataclass(frozen=True)
class Phone:
    start: int
    end: int
    raw: str
    national: str  # digits in national form: 0303703000


def national_digits(text: str) -> str:
    """A number's digits in national form: +46 (0)303 → 0303."""
    text = text.replace("(0)", "").strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+46"):
        return "0" + digits[2:]
    if digits.startswith("0046"):
        return "0" + digits[4:]
    return digits


@cache
def _is_valid(raw: str, region: str) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _valid_prefix(raw: str, region: str) -> str | None:
    """The longest valid number at the start of `raw`, dropping trailing digit groups."""
    candidate = raw.rstrip(" -/–")
    while candidate:
        if len(re.sub(r"\D", "", candidate)) >= 7 and _is_valid(candidate, region):
            return candidate
        cut = max(candidate.rfind(" "), candidate.rfind("-"))
        if cut <= 0:
            return None
        candidate = candidate[:cut].rstrip(" -/–")
    return None


def find_phones(text: str, region: str = "SE") -> list[Phone]:
    phones = []
    for match in CANDIDATE.finditer(text):
        number = _valid_prefix(match.group(), region)
        if number is None:
            continue
        start = match.start()
        phones.append(Phone(start, start + len(number), number, national_digits(number)))
    return phones
