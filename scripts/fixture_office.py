"""Word and image fixtures: letters made with python-docx, social-media cards, banners, the vapen."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from fixture_common import (
    BLUE,
    CONTACT,
    DARK,
    FOOTER,
    GREEN,
    MAGENTA,
    OLD_FOOTER,
    ORANGE,
    SANS,
    SANS_BOLD,
    Fixture,
    artwork,
    hex_rgb255,
    normalise_zip,
    recoloured_png,
)  # fmt: skip

FIXED = datetime(2026, 3, 2, 9, 0, 0)
WORD_CLEAN = [
    "contact-missing", "contact-incomplete", "contact-outdated", "colour-off-palette",
    "font-not-allowed", "logo-missing", "logo-distorted", "logo-too-small", "title-missing",
    "language-missing", "image-alt-missing", "text-contrast-low",
]  # fmt: skip
IMAGE_CLEAN = [
    "logo-distorted", "logo-rotated", "logo-recoloured", "logo-wrong-version", "logo-missing",
    "logo-clear-space", "colour-off-palette",
]  # fmt: skip
TEXT_BOX = (
    f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape id="kontakt" type="#_x0000_t202" '
    'style="width:160mm;height:14mm"><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t>'
    "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def word_letter(path: Path, font: str = "Arial", heading: str = GREEN, footer: str = FOOTER,
                contact: str | None = CONTACT, stretch: float = 1.0, alt: bool = True,
                title: bool = True, footer_in_text_box: bool = False) -> None:  # fmt: skip
    doc = Document()
    _styles(doc, font, heading)
    _theme_fonts(doc, font)
    section = doc.sections[0]
    run = section.header.paragraphs[0].add_run()
    picture = run.add_picture(str(artwork("vapen-colour", "screen")), width=Mm(25 * stretch),
                              height=Mm(30))  # fmt: skip
    docpr = picture._inline.docPr
    docpr.set("descr", "Ale kommuns vapen" if alt else "")
    paragraph = section.footer.paragraphs[0]
    if footer_in_text_box:
        paragraph._p.append(parse_xml(TEXT_BOX.format(text=footer)))
    else:
        paragraph.add_run(footer).font.size = Pt(7)
    doc.add_heading("Detaljplan vid Ale torg", level=1)
    doc.add_paragraph("Samhällsbyggnadsförvaltningen föreslår att kommunstyrelsen ger "
                      "förvaltningen i uppdrag att ta fram en detaljplan för cirka 120 bostäder.")  # fmt: skip
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for row, (label, value) in enumerate(
        [("Diarienummer", "KS 2026/123"), ("Datum", "2026-03-02"), ("Sida", "1(1)")]
    ):
        table.cell(row, 0).text, table.cell(row, 1).text = label, value
    if contact:
        doc.add_paragraph(contact)
    properties = doc.core_properties
    properties.title = "Tjänsteskrivelse: Detaljplan vid Ale torg" if title else ""
    properties.author, properties.language = "Ale kommun", "sv-SE"
    properties.created = properties.modified = properties.last_printed = FIXED
    properties.revision = 1
    doc.save(path)
    normalise_zip(path)


def _styles(doc, font: str, heading: str) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = font, Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    title = doc.styles["Heading 1"]
    title.font.name, title.font.color.rgb = font, RGBColor(*hex_rgb255(heading))
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        title.element.rPr.rFonts.attrib.pop(qn(f"w:{attribute}"), None)
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "sv-SE")


def _theme_fonts(doc, font: str) -> None:
    """The theme's major and minor Latin fonts, used by styles that name no font."""
    for part in doc.part.package.iter_parts():
        if str(part.partname).startswith("/word/theme/"):
            blob = part.blob.decode("utf-8")
            for old in ('typeface="Calibri Light"', 'typeface="Calibri"', 'typeface="Cambria"'):
                blob = blob.replace(f"<a:latin {old}", f'<a:latin typeface="{font}"')
            part._blob = blob.encode("utf-8")


def card(path: Path, size: tuple[int, int], background: str, logo: str, stretch: float = 1.0,
         logo_png: bytes | None = None, text: str = "Välkommen till Ale!") -> None:  # fmt: skip
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, hex_rgb255(background))
    source = Image.open(io.BytesIO(logo_png) if logo_png else artwork(logo, "screen"))
    logo_height = int(height * 0.5)
    logo_width = int(source.width * logo_height / source.height * stretch)
    mark = source.convert("RGBA").resize((logo_width, logo_height), Image.LANCZOS)
    image.paste(mark, (int(width * 0.06), (height - logo_height) // 2), mark)
    draw = ImageDraw.Draw(image)
    text_x = int(width * 0.06) + logo_width + logo_height // 3  # 0.4 shield widths: clear space
    light = sum(hex_rgb255(background)) > 600
    font = ImageFont.truetype(str(SANS_BOLD), int(height * 0.09))
    draw.text((text_x, height * 0.4), text,
              fill=hex_rgb255(DARK) if light else (255, 255, 255), font=font)  # fmt: skip
    small = ImageFont.truetype(str(SANS), int(height * 0.045))
    draw.text((text_x, height * 0.56), "www.ale.se",
              fill=hex_rgb255(DARK) if light else (255, 255, 255), font=small)  # fmt: skip
    image.save(path, "PNG", optimize=True)


def vapen_alone(path: Path, name: str, background: tuple[int, int, int, int]) -> None:
    from PIL import Image

    mark = Image.open(artwork(name, "screen")).convert("RGBA")
    image = Image.new("RGBA", (mark.width + 64, mark.height + 64), background)
    image.paste(mark, (32, 32), mark)
    image.save(path, "PNG", optimize=True)


def make_word(out: Path, build: bool = True) -> list[Fixture]:
    """The Word fixtures, written to `out` (only listed when not `build`)."""
    out.mkdir(parents=True, exist_ok=True)
    cases = [
        ("letter-compliant.docx", "Word letter: Arial styles and theme fonts, Swedish language, "
         "title, vapen with alt text in the header, Kontaktcenter footer, table, named "
         "Handläggare. The 7 pt footer is under the provisional 11 pt minimum for Word "
         "(text-too-small).", {}, ["logo-found", "text-too-small"], WORD_CLEAN),
        ("letter-wrong-font.docx", "The Word letter in Comic Sans MS (styles and theme).",
         {"font": "Comic Sans MS"}, ["font-not-allowed"], _but(WORD_CLEAN, "font-not-allowed")),
        ("letter-off-palette.docx", f"Heading 1 in magenta {MAGENTA}.", {"heading": MAGENTA},
         ["colour-off-palette"], _but(WORD_CLEAN, "colour-off-palette")),
        ("letter-old-number-textbox.docx", "The old number 0303-33 00 00 in a text box in the "
         "footer.", {"footer": OLD_FOOTER, "footer_in_text_box": True}, ["contact-outdated"],
         _but(WORD_CLEAN, "contact-outdated")),
        ("letter-no-contact.docx", "No Handläggare and no phone or e-mail anywhere.",
         {"contact": None, "footer": "Ale kommun"}, ["contact-missing"],
         _but(WORD_CLEAN, "contact-missing", "contact-incomplete")),
        ("letter-stretched-logo.docx", "The header vapen 40 mm wide and 30 mm high (should be "
         "25 × 30).", {"stretch": 1.6}, ["logo-distorted"], _but(WORD_CLEAN, "logo-distorted")),
        ("letter-no-alt.docx", "The header vapen without alternative text, and no title.",
         {"alt": False, "title": False}, ["image-alt-missing", "title-missing"],
         _but(WORD_CLEAN, "image-alt-missing", "title-missing")),
    ]  # fmt: skip
    fixtures = []
    for name, description, options, expect, expect_not in cases:
        if build:
            word_letter(out / name, **options)
        exact = expect_not == WORD_CLEAN  # the compliant letter: exactly its expected findings
        fixtures.append(Fixture(f"docx/{name}", description, expect, expect_not, exact=exact))
    return fixtures


def make_images(out: Path, build: bool = True) -> list[Fixture]:
    """The image fixtures, written to `out` (only listed when not `build`)."""
    out.mkdir(parents=True, exist_ok=True)
    cases = [
        ("social-card-compliant.png", "Social-media card 1200×630 on Ale green, white vapen.",
         lambda p: card(p, (1200, 630), GREEN, "vapen-white"), ["logo-found"], IMAGE_CLEAN),
        ("social-card-stretched.png", "The card with the vapen stretched 1.5 times wide.",
         lambda p: card(p, (1200, 630), GREEN, "vapen-white", stretch=1.5), ["logo-distorted"],
         _but(IMAGE_CLEAN, "logo-distorted", "logo-clear-space")),
        ("social-card-off-palette.png", f"The card on orange {ORANGE}.",
         lambda p: card(p, (1200, 630), ORANGE, "vapen-white"), ["colour-off-palette"],
         _but(IMAGE_CLEAN, "colour-off-palette", "logo-wrong-version")),
        ("banner-compliant.png", "Web banner 1500×300, white, colour horizontal logotype.",
         lambda p: card(p, (1500, 300), "#FFFFFF", "logotype-horizontal-colour", text="Nyheter"),
         ["logo-found"], IMAGE_CLEAN),
        ("banner-wrong-version.png", "Banner on Ale blue with the black logotype: wrong version "
         "for a dark background.",
         lambda p: card(p, (1500, 300), BLUE, "logotype-horizontal-black", text="Nyheter"),
         ["logo-wrong-version"], _but(IMAGE_CLEAN, "logo-wrong-version")),
        ("vapen-colour.png", "The colour vapen alone on white.",
         lambda p: vapen_alone(p, "vapen-colour", (255, 255, 255, 255)), ["logo-found"],
         IMAGE_CLEAN),
        ("vapen-black.png", "The one-colour black vapen alone on white.",
         lambda p: vapen_alone(p, "vapen-black", (255, 255, 255, 255)), ["logo-found"],
         IMAGE_CLEAN),
        ("vapen-white-on-green.png", "The white vapen alone on Ale green.",
         lambda p: vapen_alone(p, "vapen-white", (*hex_rgb255(GREEN), 255)), ["logo-found"],
         IMAGE_CLEAN),
        ("vapen-recoloured.png", "The vapen with red and orange instead of green and blue.",
         lambda p: p.write_bytes(recoloured_png("vapen-colour")), ["logo-recoloured"],
         _but(IMAGE_CLEAN, "logo-recoloured", "colour-off-palette")),
    ]  # fmt: skip
    fixtures = []
    for name, description, maker, expect, expect_not in cases:
        if build:
            maker(out / name)
        exact = expect_not == IMAGE_CLEAN  # compliant uses of the artwork: exactly these findings
        fixtures.append(Fixture(f"images/{name}", description, expect, expect_not, exact=exact))
    return fixtures


def _but(names: list[str], *left_out: str) -> list[str]:
    return [n for n in names if n not in left_out]
