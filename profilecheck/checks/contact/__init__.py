"""Rule type `contact`: every document names a person to contact, with a phone or an e-mail.

    [params]
    generic-name = "Kontaktcenter"          # the organisation's own contact point
    generic-phones = ["0303-70 30 00"]      # its numbers: fine, but not a named person
    generic-emails = ["kommun@ale.se"]
    generic-words = ["Ale", "Nödinge"]      # the organisation's and its places' names
    kontaktcenter-only = "warn"             # accept | warn | fail
    accepted-domains = ["ale.se"]
    [[params.outdated]]
    number = "0303-33 00 00"
    [texts]                                 # the pieces of the messages, see below
    nothing = {sv = "inga kontaktuppgifter alls", en = "no contact details at all"}

Passes: "Handläggare: Anna Svensson, 0303-70 31 24, anna.svensson@ale.se".
Fails: a letter whose only contact is "Kontaktcenter 0303-70 30 00" (`contact-missing`, as a
warning by default); "Kontaktperson: Anna Svensson" without phone or e-mail, or a number no name
goes with (`contact-incomplete`); "Ring 0303-33 00 00" or "anna@gmail.com" (`contact-outdated`).
Text comes from the text layer (PDF text; Word body, headers, footers, tables, text boxes) and,
for pages without a text layer and images, from Tesseract OCR. Where OCR is needed but not
installed, the document is reported as not checked (`contact-unchecked`), never as passing.

Everything that names the organisation comes from the rule file: its contact point, numbers,
addresses and domains, and the names of its places (`generic-words`, never taken for people).
The rule type knows only the language: labels such as Handläggare or Kontaktperson, words for
functions and departments, titles, and Swedish given names and surnames. Its messages and the
pieces of text they are made of are the rule file's `[messages]` and `[texts]` (keys `nothing`,
`only`, `no-details`, `no-name`, `old-number`, `domain`, `no-ocr`, `ocr-off`, `ocr-failed`,
`image`, `document`, `page`, and `not-last` for `presentation-contact = "last-slide"`). Findings in text read by OCR carry `measured.source = "ocr"`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from profilecheck.analyses import ocr, pixeltext
from profilecheck.analyses.phones import Phone, find_phones, national_digits
from profilecheck.analyses.pixeltext import OCR_SOURCE, Unread
from profilecheck.checks.contact.blocks import Finder, PageContacts, personal_email_name
from profilecheck.checks.contact.emails import Email
from profilecheck.checks.contact.labels import label_pattern
from profilecheck.checks.contact.names import Lexicon, fold
from profilecheck.checks.contact.texts import ContactText, collect_texts
from profilecheck.core.codes import Check
from profilecheck.core.model import Document, Format, Part, Severity
from profilecheck.engine.ruletype import Report, RuleType, pick_language
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule


@dataclass
class OutdatedNumber:
    number: str
    description: str | dict[str, str] = ""  # a text, or texts by language
    suggestion: str | dict[str, str] | None = None


@dataclass
class ContactParams:
    generic_phones: list[str] = field(default_factory=list)
    generic_emails: list[str] = field(default_factory=list)
    # The organisation's own contact point (a name, or names by language), as messages call it.
    generic_name: str | dict[str, str] = ""
    # Formats that must name a contact; the others are not checked for contacts at all (no OCR
    # of every photo on a shared drive just to find none).
    required_in: list[Literal["pdf", "docx", "pptx", "image"]] = field(
        default_factory=lambda: ["pdf", "docx", "pptx", "image"]
    )
    kontaktcenter_only: Literal["accept", "warn", "fail"] = "warn"
    # Where a presentation names its contact: on any slide, or on the last one (a contact
    # elsewhere, or only in the speaker notes, is then `contact-missing` as a warning).
    presentation_contact: Literal["anywhere", "last-slide"] = "anywhere"
    accepted_domains: list[str] = field(default_factory=list)  # empty: any domain
    outdated: list[OutdatedNumber] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # added to the built-in labels
    # Names that are never a person's: the organisation, its places ("Lilla Edet": both words).
    generic_words: list[str] = field(default_factory=list)
    given_names: list[str] = field(default_factory=list)
    surnames: list[str] = field(default_factory=list)
    region: str = "SE"
    ocr: bool = True
    ocr_languages: str = "swe+eng"
    ocr_timeout: float = 60.0
    ocr_max_pages: int = 4  # pages without a text layer read per document
    ocr_max_images: int = 2  # images on pages with text, read only when no contact is found


class ContactRule(RuleType):
    """Finds contact blocks (label, person's name, phone, e-mail) in all text of a document.

    Passes when a named person is given with a phone number or e-mail address. Reports
    `contact-missing` when no person is named (a Kontaktcenter-only document is accepted,
    warned or failed as the profile chooses), `contact-incomplete` for a labelled name without
    phone or e-mail and for a number or address that goes with nobody (Kontaktcenter's own
    details excepted), `contact-outdated` for numbers the profile lists as old and e-mail
    addresses outside its accepted domains, and `contact-unchecked` (a warning) when no contact
    is found and text exists only as pixels that OCR could not read (not installed, switched
    off in the rule file, or failing).
    """

    name = "contact"
    checks = (
        Check("K401", "contact-missing", "error", "No named person to contact."),
        Check(
            "K402",
            "contact-incomplete",
            "warning",
            "A contact without phone or e-mail, or a number without a name.",
        ),
        Check(
            "K403",
            "contact-outdated",
            "error",
            "An outdated phone number or a foreign e-mail domain.",
        ),
        Check(
            "K404",
            "contact-unchecked",
            "warning",
            "Text exists only as pixels and OCR could not read it: contacts not checked.",
        ),
    )
    Params = ContactParams

    @classmethod
    def validate(cls, params: ContactParams, rule: Rule) -> list[ParamProblem]:
        problems = []
        numbers = [("generic-phones", n) for n in params.generic_phones]
        numbers += [("outdated", o.number) for o in params.outdated]
        for key, number in numbers:
            if [p.raw for p in find_phones(number, params.region)] != [number.strip()]:
                problems.append(ParamProblem(f"params.{key}", f"not a phone number: {number!r}"))
        for address in params.generic_emails:
            if "@" not in address:
                problems.append(ParamProblem("params.generic-emails", f"not an e-mail: {address}"))
        return problems

    def __init__(self, rule: Rule, params: ContactParams) -> None:
        super().__init__(rule, params)
        self.finder = Finder(
            lexicon=lexicon(params),
            labels=label_pattern(params.labels),
            generic_phones=frozenset(national_digits(n) for n in params.generic_phones),
            generic_emails=frozenset(a.strip().lower() for a in params.generic_emails),
            region=params.region,
        )
        self.outdated = {national_digits(o.number): o for o in params.outdated}
        self.ocr = ocr.OcrSettings(params.ocr_languages, params.ocr_timeout)

    def check(self, document: Document, report: Report) -> None:
        if document.format.value not in self.params.required_in:
            return
        texts, unread = collect_texts(document, self.params, self.ocr, self._named)
        found = [(text, self.finder.page(text.page.text)) for text in texts]
        self._outdated(found, report)
        self._incomplete(found, report)
        contacts = [c for _, result in found for c in result.contacts]
        if contacts or self._email_names(found):
            self._last_slide(document, found, report)
            return
        if unread:
            self._unread(document, unread, report)
            return
        self._missing(found, report)

    @staticmethod
    def _unread(document: Document, unread: list[Unread], report: Report) -> None:
        """contact-unchecked: pages whose text is pixels that OCR could not read."""
        shown = sorted(unread, key=lambda u: (u.kind, u.number))[:5]
        what = ", ".join(say(report, u.kind, number=str(u.number)) for u in shown)
        failed = pixeltext.failures(document)
        report.unchecked(
            unread[0].why,
            page=unread[0].number,
            what=what,
            measured={"pages": [u.number for u in unread]} | ({"ocr": failed} if failed else {}),
        )

    def _named(self, text: ContactText) -> bool:
        """Whether a text already names a contact (OCR of images stops at the first one)."""
        return bool(self.finder.page(text.page.text).contacts)

    def _email_names(self, found: list[tuple[ContactText, PageContacts]]) -> list[str]:
        lexicon = self.finder.lexicon
        names = (personal_email_name(e, lexicon) for _, r in found for e in r.emails)
        return [n for n in names if n]

    def _missing(self, found: list[tuple[ContactText, PageContacts]], report: Report) -> None:
        generic = [d for _, r in found for d in r.unnamed if self.finder.generic(d)]
        if not generic:
            report("contact-missing", found=say(report, "nothing"))
            return
        if self.params.kontaktcenter_only == "accept":
            return
        details = ", ".join(dict.fromkeys(shown(d) for d in generic))
        text, _ = next((t, r) for t, r in found if set(r.unnamed) & set(generic))
        first = generic[0]
        report(
            "contact-missing",
            page=text.page.page,
            box=text.page.box_between(first.start, first.end),
            part=text.part_at(first.start),
            measured=OCR_SOURCE if text.source == "ocr" else None,
            found=say(report, "only", name=self._generic_name(report), details=details),
            severity=Severity.WARNING if self.params.kontaktcenter_only == "warn" else None,
        )

    def _last_slide(
        self, document: Document, found: list[tuple[ContactText, PageContacts]], report: Report
    ) -> None:
        """contact-missing (a warning) when a presentation must name its contact on its last
        slide and names one only elsewhere (other slides, speaker notes)."""
        if self.params.presentation_contact != "last-slide" or document.format is not Format.PPTX:
            return
        last = len(document.pages)
        shown = [
            text.page.page
            for text, result in found
            for contact in result.contacts
            if text.part_at(contact.name.start) is not Part.NOTES
        ]
        if last in shown:
            return
        where = ", ".join(str(n) for n in sorted(set(shown))) or "—"
        report(
            "contact-missing",
            page=last,
            found=say(report, "not-last", slides=where),
            severity=Severity.WARNING,
        )

    def _generic_name(self, report: Report) -> str:
        return pick_language(self.params.generic_name, report.lang) or ""

    def _incomplete(self, found: list[tuple[ContactText, PageContacts]], report: Report) -> None:
        for text, result in found:
            for contact in result.contacts:
                if contact.how == "label" and not contact.details:
                    self._at(report, "contact-incomplete", text, contact.name.start,
                             contact.name.end,
                             detail=say(report, "no-details", name=contact.name.text))  # fmt: skip
            for detail in result.unnamed:
                if self.finder.generic(detail) or self._is_outdated(detail):
                    continue
                if self._personal(detail):
                    continue
                self._at(report, "contact-incomplete", text, detail.start, detail.end,
                         detail=say(report, "no-name", detail=shown(detail)))  # fmt: skip

    def _personal(self, detail: Phone | Email) -> bool:
        return isinstance(detail, Email) and personal_email_name(detail, self.finder.lexicon)

    def _outdated(self, found: list[tuple[ContactText, PageContacts]], report: Report) -> None:
        domains = [d.lower().lstrip("@.") for d in self.params.accepted_domains]
        for text, result in found:
            for phone in result.phones:
                old = self.outdated.get(phone.national)
                if old is None:
                    continue
                description = pick_language(old.description, report.lang)
                self._at(report, "contact-outdated", text, phone.start, phone.end,
                         suggestion=old.suggestion, match=phone.raw,
                         description=description or say(report, "old-number"))  # fmt: skip
            for email in result.emails:
                if domains and not email.in_domains(domains):
                    self._at(report, "contact-outdated", text, email.start, email.end,
                             match=email.raw,
                             description=say(report, "domain", domains=", ".join(domains)))  # fmt: skip

    def _is_outdated(self, detail: Phone | Email) -> bool:
        if isinstance(detail, Phone):
            return detail.national in self.outdated
        domains = [d.lower().lstrip("@.") for d in self.params.accepted_domains]
        return bool(domains) and not detail.in_domains(domains)

    @staticmethod
    def _at(report: Report, name: str, text: ContactText, start: int, end: int, **values):
        report(
            name,
            page=text.page.page,
            box=text.page.box_between(start, end),
            part=text.part_at(start),
            measured=OCR_SOURCE if text.source == "ocr" else None,
            **values,
        )


def shown(detail: Phone | Email) -> str:
    return detail.raw if isinstance(detail, Phone) else detail.address


def say(report: Report, key: str, **values: str) -> str:
    """The rule file's text `key` (see the module's docstring) in the report's language."""
    return report.text(key, **values)


def lexicon(params: ContactParams) -> Lexicon:
    """The built-in name lists and generic words, with the rule file's own: its given names,
    surnames, generic words and the words of its contact point's name."""
    name = params.generic_name
    names = [name] if isinstance(name, str) else list(name.values())
    words = [word for text in [*params.generic_words, *names] for word in text.split()]
    return Lexicon(
        extra_given=frozenset(fold(n) for n in params.given_names),
        extra_surnames=frozenset(fold(n) for n in params.surnames),
        extra_generic=frozenset(w.lower() for w in words),
    )
