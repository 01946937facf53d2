"""PDF fixtures: letters (tjänsteskrivelse), a brochure page, posters, a multi-page report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf
from fixture_common import (
    BLUE,
    CONTACT,
    DARK,
    FOOTER,
    GREEN,
    GREY,
    MAGENTA,
    OLD_FOOTER,
    ORANGE,
    PDF_DATE,
    SANS,
    SANS_BOLD,
    Fixture,
    artwork,
    hex_rgb,
    photo_like,
    recoloured_png,
    save_pdf,
)  # fmt: skip

MM = 72 / 25.4
A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)
BODY = [
    "Ärende: Detaljplan för bostäder vid Ale torg, Nödinge",
    "",
    "Samhällsbyggnadsförvaltningen föreslår att kommunstyrelsen ger förvaltningen i uppdrag",
    "att ta fram en detaljplan för cirka 120 bostäder norr om Ale torg. Planen prövar",
    "flerbostadshus i fyra till sex våningar, en förskola och en ny gång- och cykelväg.",
    "",
    "Beslutsunderlag: denna tjänsteskrivelse och planbeskedet daterat 2026-02-12.",
]
PHOTO = "the photo-like background (a JPEG) is not recognised as a photo exempt from the palette"
# Findings a PDF made by PyMuPDF always has, whatever its content: it cannot write tags.
UNTAGGED = ["pdf-untagged"]
# The letters', brochure's and report's footer is set in 6.5 pt, under the provisional minimum
# of the text-size rule (9 pt in PDF).
SMALL_FOOTER = ["text-too-small"]
SMALL_NOTE = " The 6.5 pt footer is under the provisional 9 pt minimum (text-too-small)."
CLEAN = [
    "contact-missing", "contact-incomplete", "contact-outdated", "colour-off-palette",
    "font-not-allowed", "font-not-embedded", "logo-missing", "logo-distorted", "logo-rotated",
    "logo-recoloured", "logo-too-small", "logo-wrong-version", "title-missing",
    "language-missing", "text-contrast-low", "scanned-without-text",
]  # fmt: skip


@dataclass
class Letter:
    footer: str = FOOTER
    contact: str | None = CONTACT
    font: str = "sans"  # "sans": Liberation Sans embedded; else a PDF base-14 name (not embedded)
    heading_colour: str = GREEN
    logo: str = "vapen-colour"
    logo_png: bytes | None = None
    logo_mm: float = 25.0
    stretch: float = 1.0
    rotate: int = 0
    metadata: bool = True
    extra: str = ""


def _new(title: str | None, language: str | None = "sv-SE") -> pymupdf.Document:
    doc = pymupdf.open()
    meta = {"creationDate": PDF_DATE, "modDate": PDF_DATE, "producer": "profilecheck fixtures"}
    if title:
        meta |= {"title": title, "author": "Ale kommun"}
        doc.xref_set_key(doc.pdf_catalog(), "ViewerPreferences", "<</DisplayDocTitle true>>")
    doc.set_metadata(meta)
    if language:
        doc.set_language(language)
    return doc


def _fonts(page: pymupdf.Page, font: str) -> tuple[str, str]:
    if font != "sans":
        return font, font
    page.insert_font(fontname="AleSans", fontfile=str(SANS))
    page.insert_font(fontname="AleSansBold", fontfile=str(SANS_BOLD))
    return "AleSans", "AleSansBold"


def _logo(page: pymupdf.Page, spec: Letter, x: float, y: float) -> None:
    path = artwork(spec.logo)
    source = pymupdf.open(path) if spec.logo_png is None else None
    ratio = source[0].rect.height / source[0].rect.width if source else 1.2
    width = spec.logo_mm * MM
    rect = pymupdf.Rect(x, y, x + width * spec.stretch, y + width * ratio)
    if spec.logo_png is not None:
        page.insert_image(rect, stream=spec.logo_png, rotate=spec.rotate)
    else:
        keep = spec.stretch == 1.0
        page.insert_image(rect, filename=str(path), keep_proportion=keep, rotate=spec.rotate)


def _letter_page(doc: pymupdf.Document, spec: Letter, number: int, total: int) -> None:
    page = doc.new_page(width=A4[0], height=A4[1])
    regular, bold = _fonts(page, spec.font)
    text = hex_rgb(DARK)
    if number == 1:
        _logo(page, spec, 20 * MM, 15 * MM)
        page.insert_text((120 * MM, 25 * MM), "TJÄNSTESKRIVELSE", fontname=bold, fontsize=11,
                         color=text)  # fmt: skip
        page.insert_text((120 * MM, 31 * MM), "Datum 2026-03-02  Dnr KS 2026/123",
                         fontname=regular, fontsize=9, color=text)  # fmt: skip
        page.insert_text((25 * MM, 70 * MM), "Detaljplan vid Ale torg", fontname=bold,
                         fontsize=18, color=hex_rgb(spec.heading_colour))  # fmt: skip
        y = 82 * MM
        for line in [*BODY, "", spec.extra] if spec.extra else BODY:
            page.insert_text((25 * MM, y), line, fontname=regular, fontsize=11, color=text)
            y += 6 * MM
    else:
        page.insert_text((25 * MM, 40 * MM), "Förslag till beslut", fontname=bold, fontsize=14,
                         color=hex_rgb(spec.heading_colour))  # fmt: skip
        page.insert_text((25 * MM, 50 * MM), "Kommunstyrelsen ger förvaltningen i uppdrag att "
                         "upprätta detaljplanen.", fontname=regular, fontsize=11, color=text)  # fmt: skip
        if spec.contact:
            page.insert_text((25 * MM, 70 * MM), spec.contact, fontname=regular, fontsize=10,
                             color=text)  # fmt: skip
    page.insert_text((185 * MM, 15 * MM), f"{number}({total})", fontname=regular, fontsize=9,
                     color=text)  # fmt: skip
    page.draw_line((20 * MM, 280 * MM), (190 * MM, 280 * MM), color=hex_rgb(GREEN), width=0.8)
    page.insert_text((20 * MM, 285 * MM), spec.footer, fontname=regular, fontsize=6.5,
                     color=hex_rgb(GREY) if spec.font == "sans" else text)  # fmt: skip


def letter(path: Path, spec: Letter) -> None:
    doc = _new("Tjänsteskrivelse: Detaljplan vid Ale torg" if spec.metadata else None,
               "sv-SE" if spec.metadata else None)  # fmt: skip
    for number in (1, 2):
        _letter_page(doc, spec, number, 2)
    save_pdf(doc, path)


def brochure(path: Path, logo: str, text_colour: str) -> None:
    doc = _new("Upptäck Ale: natur och kultur längs älven")
    page = doc.new_page(width=A4[0], height=A4[1])
    regular, bold = _fonts(page, "sans")
    page.insert_image(page.rect, stream=photo_like(620, 880, seed=7), keep_proportion=False)
    page.draw_rect(pymupdf.Rect(0, 0, A4[0], 70 * MM), color=None, fill=hex_rgb(GREEN))
    page.insert_text((20 * MM, 35 * MM), "Upptäck Ale", fontname=bold, fontsize=36,
                     color=hex_rgb(text_colour))  # fmt: skip
    page.insert_text((20 * MM, 50 * MM), "Natur och kultur längs Göta älv", fontname=regular,
                     fontsize=16, color=hex_rgb(text_colour))  # fmt: skip
    page.insert_image(pymupdf.Rect(150 * MM, 15 * MM, 185 * MM, 57 * MM),
                      filename=str(artwork(logo)))  # fmt: skip
    page.draw_rect(pymupdf.Rect(0, 265 * MM, A4[0], A4[1]), color=None, fill=(1, 1, 1))
    page.insert_text((20 * MM, 280 * MM), "Frågor? Kontakta Lars Berg, turistsamordnare, "
                     "0303-70 32 10, lars.berg@ale.se", fontname=regular, fontsize=9,
                     color=hex_rgb(DARK))  # fmt: skip
    page.insert_text((20 * MM, 287 * MM), FOOTER, fontname=regular, fontsize=6.5,
                     color=hex_rgb(DARK))  # fmt: skip
    save_pdf(doc, path)


def poster(path: Path, background: str, logo: str | None, logo_png: bytes | None = None) -> None:
    doc = _new("Välkommen till Alevalsen 2026")
    page = doc.new_page(width=A3[0], height=A3[1])
    regular, bold = _fonts(page, "sans")
    page.draw_rect(page.rect, color=None, fill=hex_rgb(background))
    page.draw_rect(pymupdf.Rect(0, 300 * MM, A3[0], A3[1]), color=None, fill=(1, 1, 1))
    white = (1, 1, 1)
    page.insert_text((25 * MM, 120 * MM), "Alevalsen 2026", fontname=bold, fontsize=64,
                     color=white)  # fmt: skip
    page.insert_text((25 * MM, 145 * MM), "Lördag 13 juni · Ale torg, Nödinge", fontname=regular,
                     fontsize=28, color=white)  # fmt: skip
    rect = pymupdf.Rect(25 * MM, 170 * MM, 85 * MM, 242 * MM)
    if logo_png is not None:
        page.insert_image(rect, stream=logo_png)
    elif logo:
        page.insert_image(rect, filename=str(artwork(logo)))
    page.insert_text((25 * MM, 330 * MM), "Kontakt: Maria Ek, evenemangsansvarig, 0303-70 35 00, "
                     "maria.ek@ale.se", fontname=regular, fontsize=14, color=hex_rgb(DARK))  # fmt: skip
    page.insert_text((25 * MM, 345 * MM), FOOTER, fontname=regular, fontsize=9,
                     color=hex_rgb(DARK))  # fmt: skip
    save_pdf(doc, path)


def report(path: Path, scanned: bool = False) -> None:
    """A four-page report; `scanned` turns every page into a picture without a text layer."""
    doc = _new("Årsredovisning 2025 – sammanfattning")
    for number in range(1, 5):
        _report_page(doc, number, 4)
    if scanned:
        doc = _as_scan(doc)
    save_pdf(doc, path)


def _report_page(doc: pymupdf.Document, number: int, total: int) -> None:
    page = doc.new_page(width=A4[0], height=A4[1])
    regular, bold = _fonts(page, "sans")
    dark = hex_rgb(DARK)
    if number == 1:
        # the shield is 200 of the logotype's 1030.25 units: 22 mm, above the 20 mm minimum
        page.insert_image(pymupdf.Rect(20 * MM, 20 * MM, 133.3 * MM, 46.4 * MM),
                          filename=str(artwork("logotype-horizontal-colour")))  # fmt: skip
        page.insert_text((20 * MM, 120 * MM), "Årsredovisning 2025", fontname=bold,
                         fontsize=32, color=hex_rgb(GREEN))  # fmt: skip
    else:
        page.insert_text((20 * MM, 30 * MM), f"{number}. Ekonomi och verksamhet", fontname=bold,
                         fontsize=16, color=hex_rgb(GREEN))  # fmt: skip
        for row, value in enumerate((42, 55, 71, 63)):
            top = 60 * MM + row * 14 * MM
            page.draw_rect(pymupdf.Rect(20 * MM, top, 20 * MM + value * 2 * MM, top + 9 * MM),
                           color=None, fill=hex_rgb(BLUE if row % 2 else GREEN))  # fmt: skip
        page.insert_text((20 * MM, 130 * MM), "Nettokostnaden ökade med 2,1 procent.",
                         fontname=regular, fontsize=11, color=dark)  # fmt: skip
    if number == total:
        page.insert_text((20 * MM, 260 * MM), "Kontakt: Karin Holm, ekonomichef, 0303-70 30 12, "
                         "karin.holm@ale.se", fontname=regular, fontsize=10, color=dark)  # fmt: skip
    page.insert_text((185 * MM, 15 * MM), f"{number}({total})", fontname=regular, fontsize=9,
                     color=dark)  # fmt: skip
    page.insert_text((20 * MM, 285 * MM), FOOTER, fontname=regular, fontsize=6.5,
                     color=hex_rgb(GREY))  # fmt: skip


def _as_scan(doc: pymupdf.Document) -> pymupdf.Document:
    scan = _new("Årsredovisning 2025 – inskannad")
    for page in doc:
        pixmap = page.get_pixmap(dpi=60, colorspace=pymupdf.csGRAY)
        target = scan.new_page(width=page.rect.width, height=page.rect.height)
        target.insert_image(target.rect, stream=pixmap.tobytes("jpeg", jpg_quality=60))
    return scan


def make(out: Path, build: bool = True) -> list[Fixture]:
    """The PDF fixtures, written to `out` (only listed when not `build`)."""
    out.mkdir(parents=True, exist_ok=True)
    fixtures = []

    def add(
        name: str, description: str, expect: list[str], expect_not: list[str], maker, exact=False
    ) -> None:
        if build:
            maker(out / name)
        fixtures.append(Fixture(f"pdf/{name}", description, expect, expect_not, exact=exact))

    def clean_but(*names: str) -> list[str]:
        return [n for n in CLEAN if n not in names]

    add("letter-compliant.pdf", "Tjänsteskrivelse, 2 pages: colour vapen 25 mm, Liberation Sans "
        "(Arial's metric twin) embedded, Handläggare with name, phone and e-mail, Kontaktcenter "
        "footer, page numbers 1(2), title and language set. Untagged: PyMuPDF cannot tag." + SMALL_NOTE,
        ["logo-found", *UNTAGGED, *SMALL_FOOTER], CLEAN, lambda p: letter(p, Letter()),
        exact=True)  # fmt: skip
    add("letter-old-number.pdf", "The compliant letter with the old switchboard number "
        "0303-33 00 00 in the footer.", ["contact-outdated", *UNTAGGED], clean_but("contact-outdated"),
        lambda p: letter(p, Letter(footer=OLD_FOOTER)))  # fmt: skip
    add("letter-no-contact.pdf", "A letter with no Handläggare and no contact details at all "
        "(footer without phone or e-mail).", ["contact-missing", *UNTAGGED],
        clean_but("contact-missing", "contact-incomplete"),
        lambda p: letter(p, Letter(contact=None, footer="Ale kommun · www.ale.se")))  # fmt: skip
    add("letter-wrong-font.pdf", "The letter set in Times-Roman, a PDF base-14 font that is "
        "neither allowed nor embedded.", ["font-not-allowed", "font-not-embedded", *UNTAGGED],
        clean_but("font-not-allowed", "font-not-embedded"),
        lambda p: letter(p, Letter(font="tiro")))  # fmt: skip
    add("letter-stretched-logo.pdf", "The vapen stretched to 1.6 times its width.",
        ["logo-distorted", *UNTAGGED], clean_but("logo-distorted"),
        lambda p: letter(p, Letter(stretch=1.6)))  # fmt: skip
    add("letter-rotated-logo.pdf", "The vapen turned 90 degrees.", ["logo-rotated", *UNTAGGED],
        clean_but("logo-rotated"), lambda p: letter(p, Letter(rotate=90)))  # fmt: skip
    add("letter-tiny-logo.pdf", "The vapen only 8 mm wide (minimum 20 mm on A4, 12 mm absolute).",
        ["logo-too-small", *UNTAGGED], clean_but("logo-too-small", "logo-clear-space"),
        lambda p: letter(p, Letter(logo_mm=8)))  # fmt: skip
    add("letter-recoloured-logo.pdf", "The vapen with its green and blue replaced by red and "
        "orange.", ["logo-recoloured", *UNTAGGED], clean_but("logo-recoloured", "colour-off-palette"),
        lambda p: letter(p, Letter(logo_png=recoloured_png("vapen-colour"))))  # fmt: skip
    add("letter-off-palette.pdf", f"The heading in magenta {MAGENTA}, not a profile colour.",
        ["colour-off-palette", *UNTAGGED], clean_but("colour-off-palette"),
        lambda p: letter(p, Letter(heading_colour=MAGENTA)))  # fmt: skip
    add("letter-no-metadata.pdf", "The compliant letter without title or document language.",
        ["title-missing", "language-missing", *UNTAGGED], clean_but("title-missing",
        "language-missing"), lambda p: letter(p, Letter(metadata=False)))  # fmt: skip
    add("brochure-compliant.pdf", "Brochure page: photo-like background, green band with white "
        "text and the white vapen, named contact and footer on a white strip." + SMALL_NOTE,
        ["logo-found", *UNTAGGED, *SMALL_FOOTER], CLEAN,
        lambda p: brochure(p, "vapen-white", "#FFFFFF"), exact=True)  # fmt: skip
    add("brochure-wrong-version.pdf", "The brochure with the black vapen and dark grey text on "
        "the green band: wrong version for the background, low contrast.",
        ["logo-wrong-version", "text-contrast-low", *UNTAGGED],
        clean_but("logo-wrong-version", "text-contrast-low"),
        lambda p: brochure(p, "vapen-black", DARK))  # fmt: skip
    add("poster-compliant.pdf", "A3 poster on Ale green with the white vapen, named contact.",
        ["logo-found", *UNTAGGED], CLEAN, lambda p: poster(p, GREEN, "vapen-white"),
        exact=True)  # fmt: skip
    add("poster-off-palette.pdf", f"The poster on orange {ORANGE} instead of a profile colour.",
        ["colour-off-palette", *UNTAGGED], clean_but("colour-off-palette", "logo-wrong-version", "text-contrast-low"),
        lambda p: poster(p, ORANGE, "vapen-white"))  # fmt: skip
    add("poster-no-logo.pdf", "The poster without the vapen.", ["logo-missing", *UNTAGGED],
        clean_but("logo-missing"), lambda p: poster(p, GREEN, None))  # fmt: skip
    add("report-compliant.pdf", "Four-page report: horizontal logotype on the cover, green and "
        "blue bar chart, page numbers 1(4)..4(4), named contact on the last page." + SMALL_NOTE,
        ["logo-found", *UNTAGGED, *SMALL_FOOTER], CLEAN, report, exact=True)  # fmt: skip
    add("report-scanned.pdf", "The report as grey page scans without a text layer.",
        ["scanned-without-text", "contact-missing", *UNTAGGED], ["font-not-embedded"],
        lambda p: report(p, scanned=True))  # fmt: skip
    gaps = {
        "brochure-compliant.pdf": {"colour-off-palette": PHOTO},
        "brochure-wrong-version.pdf": {"colour-off-palette": PHOTO},
    }
    for fixture in fixtures:
        fixture.known_gaps = gaps.get(fixture.file.removeprefix("pdf/"), {})
    return fixtures
