"""Labelled Swedish text snippets for the contact benchmark: (has a named contact, text).

Templates are filled with people, numbers and addresses in turn, so the set covers letters,
decisions, posters, web text, footers, e-mail signatures and tricky negatives. Lines are
separated by "\n"; each snippet becomes one PDF page, one Word document and one image.
"""

from __future__ import annotations

from itertools import cycle

PEOPLE = [
    ("Anna", "Svensson"), ("Lars", "Johansson"), ("Åsa", "Lindqvist"), ("Per", "Nilsson"),
    ("Maria", "Karlsson"), ("Johan", "Eriksson"), ("Karin", "Andersson"), ("Erik", "Holm"),
    ("Eva", "Lundgren"), ("Mikael", "Bergström"), ("Sara", "Öberg"), ("Björn", "Sjöberg"),
    ("Anna-Karin", "Hedlund"), ("Mohammed", "Ali"), ("Fatima", "Hassan"), ("Ulf", "Dahl"),
    ("Ingrid", "Strand"), ("Nils", "Åkesson"), ("Linnéa", "Wikström"), ("Jonas", "Ek"),
]  # fmt: skip
PHONES = ["0303-70 31 24", "0303-703125", "0303/70 32 10", "+46 303 70 33 41", "070-123 45 67",
          "076-555 12 34", "0303-70 34 02", "073-987 65 43", "+46 70 222 33 44", "0303-70 35 50"]  # fmt: skip

POSITIVE = [
    "Handläggare\n{name}\nTelefon {phone}\n{email}",
    "Kontaktperson: {name}, {phone}, {email}",
    "Frågor besvaras av {name}, telefon {phone}.",
    "Har du frågor? Kontakta {name} på {phone} eller {email}.",
    "Med vänliga hälsningar\n{name}\nEnhetschef, Individ- och familjeomsorg\nAle kommun\n"
    "Telefon: {phone}\n{email}",
    "Upplysningar lämnas av {name}, {email}",
    "Mer information: {name}\nTel {phone}",
    "Ansvarig: {name}, miljöinspektör, {phone}",
    "Kontakt\n{name}\n{email}\nAle kommun, 449 80 Alafors",
    "Beslut om bygglov\nÄrendet har handlagts av\nHandläggare: {name}\nTelefon {phone}\n"
    "Ale kommun, Kontaktcenter 0303-70 30 00, kommun@ale.se",
    "Välkommen till öppet hus i Nödinge!\nAnmälan till {name}, {phone}",
    "Vill du veta mer? Ring {name} på {phone}.",
    "Contact: {name}, {email}, phone {phone}",
    "Kontaktperson\n{name}\n{obfuscated}",
    "Frågor om detta besvaras av\n{name}\nsamordnare\n{phone}",
    "{name}\nVerksamhetsutvecklare\nSektor kommunstyrelsen\nDirekt: {phone}\nE-post: {email}",
    "Sida 2(4)\nDnr KS 2024/123\nHandläggare {name}\nDatum 2024-05-12\nTel {phone}",
    "Information om vattenavstängning i Surte.\nFrågor: {name}, VA-ingenjör, {phone}",
    "Du når mig på {email} eller {phone}.\nHälsningar {name}",
    "Kontakta gärna {name} via {obfuscated} om du har frågor om ansökan.",
    "Frågor? Mejla {name}, {email}",
    "Föredragande: {name}\nTelefon {phone}",
    "Ale kommun | Ale torg 7, Nödinge | 0303-70 30 00\nKontaktperson: {name}, {email}",
    "Projektledare {name} svarar på frågor: {phone}",
    "Vid frågor kontakta {name}\n{phone}\n{email}",
]
NEGATIVE = [
    "Ring Kontaktcenter på 0303-70 30 00 eller mejla kommun@ale.se.",
    "Ale kommun, 449 80 Alafors\nBesöksadress: Ale torg 7, Nödinge\nTelefon 0303-70 30 00\n"
    "kommun@ale.se\nwww.ale.se",
    "{name} invigde den nya parken i Nödinge på lördagen.",
    "Kommunstyrelsens ordförande {name} (S) inledde mötet.",
    "{name} har skrivit boken om Ales historia.",
    "Kungsgatan 12, 449 30 Nödinge\nÖppettider måndag–fredag 8.00–16.30",
    "Välkommen till biblioteket i Älvängen!\nÖppet alla dagar 10–18.",
    "Kontakt: Kundtjänst, 0303-70 30 00",
    "Växeln 0303-70 30 00\nOrganisationsnummer 212000-1439",
    "Frågor? Kontakta Socialtjänsten via Kontaktcenter 0303-70 30 00.",
    "Beslutet kan överklagas till förvaltningsrätten i Göteborg inom tre veckor.",
    "Servicecenter och Reception finns i kommunhuset, Ale torg 7.",
    "Sommarlovsaktiviteter för barn och unga i hela Ale.\nAnmälan på www.ale.se",
    "Protokoll från kommunfullmäktige den 12 mars 2024. Närvarande: se bilaga.",
    "Ale kommun\nKontaktcenter\n0303-70 30 00\nkommun@ale.se",
    "Gatan heter Anna Lindhs plats och ligger vid torget.",
    "Läs mer om {name}s konstverk på www.ale.se/kultur.",
    "Samrådet pågår till 15 juni. Synpunkter lämnas till kommun@ale.se.",
    "Vinnare av kulturpriset 2024: {name}.",
    "Datum 2024-03-15\nDnr KS 2023/0456\nSida 1(3)",
    "Stängt på grund av helgdag. Välkommen åter måndag 08.00.",
    "Kontakta oss på kommun@ale.se så hjälper vi dig.",
    "Frågor om fakturan? Ring Kontaktcenter, telefon 0303-70 30 00, vardagar 8–16.30.",
    "Göta älv och Alafors i vinterskrud.",
    "Fotograf: {name}",
    "Ring {generic} om du har frågor om din ansökan.",
    "Telefon {generic}\nE-post kommun@ale.se\nPostadress 449 80 Alafors",
    "Vägarbete på {street} i {place} under vecka 34.",
    "Tidigare rektor {name} avtackades i samband med skolavslutningen.",
    "Utställningen med {name} visas på biblioteket i {place} hela sommaren.",
    "Kontaktcenter nås på {generic} vardagar 8.00–16.30.",
    "{name} och hennes kollegor har planterat träd längs {street}.",
    "Felanmälan gatubelysning: {generic}",
    "Bussen stannar vid {street} i {place}.",
    "Intervju: {name} om livet i {place}.",
]
STREETS = ["Kungsgatan 12", "Göteborgsvägen 3", "Storgatan 8", "Ale torg 7", "Industrivägen 4",
           "Skolvägen 2", "Bangårdsvägen 10"]  # fmt: skip
PLACES = ["Nödinge", "Alafors", "Älvängen", "Surte", "Bohus", "Skepplanda", "Nol"]
GENERIC = ["0303-70 30 00", "0303-703000", "+46 303 70 30 00", "0303/70 30 00"]


def _email(first: str, last: str) -> str:
    from unicodedata import combining, normalize

    plain = "".join(c for c in normalize("NFKD", f"{first}.{last}".lower()) if not combining(c))
    return f"{plain}@ale.se"


def snippets(rounds: int = 4) -> list[tuple[bool, str]]:
    """Each template filled `rounds` times with other values; duplicates dropped."""
    out = []
    for round_number in range(rounds):
        people = cycle(PEOPLE[round_number * 7 % len(PEOPLE) :] + PEOPLE)
        phones = cycle(PHONES[round_number * 3 % len(PHONES) :] + PHONES)
        streets, places = cycle(STREETS[round_number:]), cycle(PLACES[round_number * 2 :])
        generic = cycle(GENERIC[round_number:] + GENERIC)
        for label, templates in ((True, POSITIVE), (False, NEGATIVE)):
            for template in templates:
                first, last = next(people)
                email = _email(first, last)
                text = template.format(
                    name=f"{first} {last}",
                    phone=next(phones),
                    email=email,
                    obfuscated=email.replace("@", "(at)"),
                    generic=next(generic),
                    street=next(streets),
                    place=next(places),
                )
                out.append((label, text))
    return list(dict.fromkeys(out))
