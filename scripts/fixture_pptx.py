"""PowerPoint fixtures: information-evening presentations made with python-pptx.

The compliant presentation has Arial as the theme's major and minor fonts, Ale green as the
theme's accent 1 (titles take it through the master's title style), Swedish as the language of
its text, a title, the colour vapen with alternative text on the first slide and a named contact
on the last. Each other fixture changes one thing, where PowerPoint users change it: the font in
the master's text styles, the theme colour, the picture's size, the last slide, the speaker
notes, the picture's alternative text. The hostile .pptx (a zip bomb) is built by the tests
(`tests/bombs.py`): a fixture must not hit a limit.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

from fixture_common import (
    CONTACT,
    FOOTER,
    GREEN,
    MAGENTA,
    Fixture,
    artwork,
    normalise_zip,
)
from fixture_office import _but

FIXED = datetime(2026, 3, 2, 9, 0, 0)
VAPEN_ASPECT = 426 / 355  # height / width of the vapen artwork
PPTX_CLEAN = [
    "contact-missing", "contact-incomplete", "contact-outdated", "colour-off-palette",
    "font-not-allowed", "logo-missing", "logo-distorted", "logo-too-small", "title-missing",
    "language-missing", "image-alt-missing", "text-contrast-low", "text-too-small",
    "headings-not-marked",
]  # fmt: skip
NOTES = "Hälsa välkommen och presentera kvällens program."
OLD_NOTES = "Hänvisa frågor till växeln på 0303-33 00 00."


def presentation(path: Path, font: str = "Arial", accent: str = GREEN, master_font: str = "",
                 stretch: float = 1.0, contact: bool = True, notes: str = NOTES,
                 alt: bool = True, slides: int = 4) -> None:  # fmt: skip
    """An information evening's slides: title slide with the vapen, content, a grouped
    green band with text and a table, and the contact slide last."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Mm, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Mm(338.67), Mm(190.5)  # 16:9
    _theme(prs, font, accent)
    _master(prs, master_font)
    layouts = prs.slide_layouts
    first = prs.slides.add_slide(layouts[0])
    first.shapes.title.text = "Informationskväll om Ale torg"
    first.placeholders[1].text = "Samhällsbyggnadsförvaltningen, mars 2026"
    width = Mm(25 * stretch)
    picture = first.shapes.add_picture(str(artwork("vapen-colour", "print")), Mm(20), Mm(15),
                                       width=width, height=Mm(25 * VAPEN_ASPECT))  # fmt: skip
    picture._element.nvPicPr.cNvPr.set("descr", "Ale kommuns vapen" if alt else "")
    first.notes_slide.notes_text_frame.text = notes
    for number in range(2, slides):
        slide = prs.slides.add_slide(layouts[1] if number % 2 == 0 else layouts[5])
        slide.shapes.title.text = f"Detaljplanen, del {number - 1}"
        if number % 2 == 0:
            body = slide.placeholders[1].text_frame
            body.text = "Cirka 120 nya bostäder vid Ale torg"
            body.add_paragraph().text = "Samråd under våren 2026"
            continue
        band = slide.shapes.add_shape(1, Mm(20), Mm(60), Mm(140), Mm(30))  # a rectangle
        band.fill.solid()
        band.fill.fore_color.rgb = RGBColor.from_string(GREEN.lstrip("#"))
        band.line.fill.background()
        label = slide.shapes.add_textbox(Mm(25), Mm(65), Mm(130), Mm(20))
        label.text_frame.text = "Tidsplan"
        group = slide.shapes.add_group_shape([band, label])
        group.name = "Tidsplan"
        rows = [("Steg", "När"), ("Samråd", "april 2026"), ("Granskning", "hösten 2026")]
        table = slide.shapes.add_table(3, 2, Mm(180), Mm(60), Mm(120), Mm(30)).table
        for row, (what, when) in enumerate(rows):  # the style's header row: bold, white
            table.cell(row, 0).text, table.cell(row, 1).text = what, when
            for column in (0, 1):
                table.cell(row, column).fill.solid()
                colour = GREEN.lstrip("#") if row == 0 else "FFFFFF"
                table.cell(row, column).fill.fore_color.rgb = RGBColor.from_string(colour)
    last = prs.slides.add_slide(layouts[5])
    last.shapes.title.text = "Frågor?"
    box = last.shapes.add_textbox(Mm(20), Mm(60), Mm(300), Mm(40)).text_frame
    box.word_wrap = True
    box.text = CONTACT if contact else "Tack för att du kom!"
    footer = box.add_paragraph()
    footer.text = FOOTER if contact else "Ale kommun"
    footer.runs[0].font.size = Pt(14)
    properties = prs.core_properties
    properties.title = "Informationskväll om Ale torg"
    properties.author, properties.language = "Ale kommun", "sv-SE"
    properties.created = properties.modified = properties.last_printed = FIXED
    properties.revision = 1
    prs.save(path)
    _swedish(path)
    normalise_zip(path)


def _theme(prs, font: str, accent: str) -> None:
    """The theme's major and minor Latin fonts and its accent 1."""
    for part in prs.part.package.iter_parts():
        if str(part.partname).startswith("/ppt/theme/"):
            blob = part.blob.decode("utf-8")
            blob = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*"', rf'\g<1>{font}"',
                          blob)  # fmt: skip
            blob = re.sub(r'(<a:accent1><a:srgbClr val=")[0-9A-Fa-f]{6}"',
                          rf'\g<1>{accent.lstrip("#")}"', blob)  # fmt: skip
            part._blob = blob.encode("utf-8")


def _master(prs, font: str) -> None:
    """Titles in the theme's accent 1; with `font`, the master's text styles name it."""
    master = prs.slide_master._element
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}  # fmt: skip
    for colour in master.iterfind("p:txBody/p:titleStyle//a:schemeClr", ns):
        colour.set("val", "accent1")
    for colour in master.iterfind("p:txStyles/p:titleStyle//a:schemeClr", ns):
        colour.set("val", "accent1")
    if font:
        for kind in ("titleStyle", "bodyStyle"):
            for latin in master.iterfind(f"p:txStyles/p:{kind}//a:latin", ns):
                latin.set("typeface", font)


def _swedish(path: Path) -> None:
    """Every language mark of the template (en-US) set to Swedish."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name.endswith(".xml"):
                data = data.replace(b'lang="en-US"', b'lang="sv-SE"')
            target.writestr(name, data)


def make_presentations(out: Path, build: bool = True) -> list[Fixture]:
    """The PowerPoint fixtures, written to `out` (only listed when not `build`)."""
    out.mkdir(parents=True, exist_ok=True)
    cases = [
        ("info-compliant.pptx", "Presentation, 4 slides 16:9: Arial theme fonts, titles in the "
         "theme's accent 1 (Ale green), Swedish, title, colour vapen with alt text on slide 1, "
         "a grouped green band and a table (header row white on green), named contact and "
         "Kontaktcenter footer on the last slide, speaker notes without numbers.", {}, ["logo-found"], PPTX_CLEAN),
        ("info-wrong-font-master.pptx", "The slide master's title and body styles name Comic "
         "Sans MS (the theme fonts stay Arial).", {"master_font": "Comic Sans MS"},
         ["font-not-allowed"], _but(PPTX_CLEAN, "font-not-allowed")),
        ("info-off-palette-theme.pptx", f"The theme's accent 1, the titles' colour, is magenta "
         f"{MAGENTA}.", {"accent": MAGENTA}, ["colour-off-palette"],
         _but(PPTX_CLEAN, "colour-off-palette")),
        ("info-stretched-logo.pptx", "The vapen on slide 1 stretched to 1.6 times its width.",
         {"stretch": 1.6}, ["logo-distorted"], _but(PPTX_CLEAN, "logo-distorted")),
        ("info-no-contact.pptx", "No contact person, phone or e-mail on any slide.",
         {"contact": False}, ["contact-missing"],
         _but(PPTX_CLEAN, "contact-missing", "contact-incomplete")),
        ("info-old-number-notes.pptx", "The old switchboard number 0303-33 00 00 in the speaker "
         "notes of slide 1.", {"notes": OLD_NOTES}, ["contact-outdated"],
         _but(PPTX_CLEAN, "contact-outdated")),
        ("info-no-alt.pptx", "The vapen on slide 1 without alternative text.", {"alt": False},
         ["image-alt-missing"], _but(PPTX_CLEAN, "image-alt-missing")),
    ]  # fmt: skip
    fixtures = []
    for name, description, options, expect, expect_not in cases:
        if build:
            presentation(out / name, **options)
        exact = expect_not == PPTX_CLEAN
        fixtures.append(Fixture(f"pptx/{name}", description, expect, expect_not, exact=exact))
    return fixtures
