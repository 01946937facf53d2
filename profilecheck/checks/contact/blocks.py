"""Contact blocks: which person names on a page are contacts, and which details are theirs.

A name counts as a contact when a label introduces it ("Kontaktperson: Anna Svensson"), when an
e-mail address agrees with it (anna.svensson@ale.se), or when a phone number or e-mail sits next
to it: in the same sentence a few words away ("Ring Anna Svensson på 070-123 45 67"), or below a
line that holds little but the name and a title (an e-mail signature, a letterhead). A name in
running text ("Anna Svensson invigde parken.") is not a contact. Weak names (one part not in the
name lists) need a label or an agreeing e-mail address.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from profilecheck.analyses.phones import Phone, find_phones
from profilecheck.checks.contact.emails import Email, find_emails
from profilecheck.checks.contact.labels import Label, find_labels
from profilecheck.checks.contact.names import TITLES, Lexicon, Name, find_names

Detail = Phone | Email
LINES_BELOW = 4  # a detail this many lines below a name still belongs to it
LINES_ABOVE = 1
FILLER = frozenset(
    [
        "och",
        "på",
        "eller",
        "via",
        "tel",
        "tfn",
        "telefon",
        "mobil",
        "mobiltelefon",
        "direkt",
        "e-post",
        "epost",
        "mejl",
        "mail",
        "e-mail",
        "phone",
        "email",
        "ring",
        "mejla",
        "kontakta",
        "nås",
        "når",
        "du",
        "kan",
        "at",
        "or",
        "and",
        "on",
        "by",
        "till",
        "vid",
        "hos",
    ]
)
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÅÄÖ])")
ABBREVIATIONS = ("tel.", "tfn.", "mob.", "nr.", "t.ex.", "bl.a.", "fr.o.m.", "t.o.m.", "ca.")
WORDS = re.compile(r"[^\W\d_][\w\-]*")


@dataclass
class Contact:
    name: Name
    how: str  # "label", "e-mail" or "nearby"
    label: Label | None = None
    details: list[Detail] = field(default_factory=list)


@dataclass
class PageContacts:
    contacts: list[Contact]
    phones: list[Phone]
    emails: list[Email]
    labels: list[Label]
    unnamed: list[Detail]  # phones and e-mails that belong to no contact


@dataclass
class Finder:
    lexicon: Lexicon
    labels: re.Pattern[str]
    generic_phones: frozenset[str]
    generic_emails: frozenset[str]
    region: str = "SE"

    def generic(self, detail: Detail) -> bool:
        if isinstance(detail, Phone):
            return detail.national in self.generic_phones
        return detail.address in self.generic_emails

    def page(self, text: str, other_emails: list[Email] = ()) -> PageContacts:
        phones = find_phones(text, self.region)
        emails = find_emails(text)
        labels = find_labels(text, self.labels)
        layout = _Lines(text)
        taken = [(d.start, d.end) for d in [*phones, *emails]]
        names = [n for n in find_names(text, self.lexicon) if not _overlaps(n, taken)]
        details: list[Detail] = sorted([*phones, *emails], key=lambda d: d.start)
        all_emails = [*emails, *other_emails]
        contacts = []
        for name in names:
            contact = self._contact(text, layout, name, labels, details, all_emails)
            if contact is not None:
                contacts.append(contact)
        unnamed = _assign(contacts, details, layout)
        return PageContacts(contacts, phones, emails, labels, unnamed)

    def _contact(self, text, layout, name, labels, details, emails) -> Contact | None:
        if any(name.agrees_with(email.local) for email in emails):
            return Contact(name, "e-mail")
        label = _label_for(text, name, labels)
        if label is not None:
            return Contact(name, "label", label)
        if name.strong and any(self._near(text, layout, name, d) for d in details):
            return Contact(name, "nearby")
        return None

    def _near(self, text: str, layout: _Lines, name: Name, detail: Detail) -> bool:
        name_line, detail_line = layout.line_of(name.start), layout.line_of(detail.start)
        if name_line == detail_line:
            first, last = sorted([(name.start, name.end), (detail.start, detail.end)])
            gap = text[first[1] : last[0]]
            limit = 2 if self.generic(detail) else 4
            return not _sentence_break(gap) and _content_words(gap) <= limit
        if not -LINES_ABOVE <= detail_line - name_line <= LINES_BELOW:
            return False
        rest = layout.text_of(name_line).replace(name.text, " ")
        return _content_words(rest) <= (0 if self.generic(detail) else 1)


class _Lines:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def text_of(self, line: int) -> str:
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end]


def _overlaps(name: Name, spans: list[tuple[int, int]]) -> bool:
    return any(name.start < end and start < name.end for start, end in spans)


def _content_words(text: str) -> int:
    words = (w.lower() for w in WORDS.findall(text))
    return sum(1 for w in words if w not in FILLER and w not in TITLES and len(w) > 1)


def _sentence_break(text: str) -> bool:
    cleaned = text
    for abbreviation in ABBREVIATIONS:
        cleaned = re.sub(re.escape(abbreviation), " ", cleaned, flags=re.IGNORECASE)
    return bool(SENTENCE_END.search(cleaned)) or "\n\n" in text


def _label_for(text: str, name: Name, labels: list[Label]) -> Label | None:
    """A label shortly before the name (same line or the line above), or a label after it
    behind a comma: "Anna Svensson, handläggare"."""
    for label in labels:
        if label.end <= name.start:
            gap = text[label.end : name.start]
            short = len(gap) <= 60 and gap.count("\n") <= 2 and _content_words(gap) <= 2
            if short and not _sentence_break(gap):
                return label
        elif label.start >= name.end:
            gap = text[name.end : label.start]
            if re.fullmatch(r"\s*[,(–-]\s*", gap):
                return label
    return None


def _assign(contacts: list[Contact], details: list[Detail], layout: _Lines) -> list[Detail]:
    """Give each detail to the contact it belongs to; return the ones nobody has."""
    unnamed = []
    for detail in details:
        owner = _owner(contacts, detail, layout)
        if owner is None:
            unnamed.append(detail)
        else:
            owner.details.append(detail)
    return unnamed


def _owner(contacts: list[Contact], detail: Detail, layout: _Lines) -> Contact | None:
    if isinstance(detail, Email):
        for contact in contacts:
            if contact.name.agrees_with(detail.local):
                return contact
    detail_line = layout.line_of(detail.start)
    best: tuple[int, Contact] | None = None
    for contact in contacts:
        distance = detail_line - layout.line_of(contact.name.start)
        if -LINES_ABOVE <= distance <= LINES_BELOW:
            rank = distance if distance >= 0 else 10 - distance
            if best is None or rank < best[0]:
                best = (rank, contact)
    return best[1] if best else None


def personal_email_name(email: Email, lexicon: Lexicon) -> str | None:
    """ "anna.svensson" → "Anna Svensson" when both parts are in the name lists."""
    parts = re.split(r"[._]", email.local)
    if len(parts) == 2 and lexicon.given(parts[0]) and lexicon.surname(parts[1]):
        return " ".join(p.capitalize() for p in parts)
    return None
