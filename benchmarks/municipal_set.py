"""A generated set of realistic municipal documents, made with the fixture scripts' pieces.

Each document is what a municipality publishes every day: two to five A4 pages in Liberation
Sans (embedded), the logotype or the vapen on page 1, a photo on some pages, headings in the
profile's green, body text, page numbers like "2(4)", the footer with the contact centre's
details on every page and a named case officer on the last. Deterministic: document `n` is the
same bytes every time, and no two documents are alike (the photos' seeds, lengths, wording).

    python benchmarks/municipal_set.py OUT_FOLDER [--count 200]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import fixture_pdfs  # noqa: E402
import pymupdf  # noqa: E402
from fixture_common import (  # noqa: E402
    CONTACT,
    DARK,
    FOOTER,
    GREEN,
    GREY,
    artwork,
    hex_rgb,
    photo_like,
    save_pdf,
)
from fixture_pdfs import A4, BODY, MM, _fonts, _new  # noqa: E402

for _name in ("SANS", "SANS_BOLD"):  # Debian's fonts-liberation2 installs to liberation2/
    _font = getattr(fixture_pdfs, _name)
    if (
        not _font.exists()
        and (_other := _font.parent.with_name("liberation2") / _font.name).exists()
    ):
        setattr(fixture_pdfs, _name, _other)

LOGOS = ("logotype-horizontal-colour", "vapen-colour", "logotype-stacked-colour")
TOPICS = (
    "Detaljplan vid Ale torg",
    "Ny förskola i Nol",
    "Vattenledning Alafors etapp 2",
    "Kulturhuset Ale – program hösten 2026",
    "Snöröjning och halkbekämpning",
    "Budget 2027 för bildningsnämnden",
)
PARAGRAPH = [
    "Förvaltningen har tagit fram ett underlag som beskriver nuläget, de alternativ som har",
    "prövats och hur de påverkar invånare, företag och kommunens ekonomi under planperioden.",
    "Synpunkter från samrådet har sammanställts och besvaras i en särskild redogörelse.",
]


def document(path: Path, n: int) -> None:
    """Document number `n` of the set."""
    topic = TOPICS[n % len(TOPICS)]
    pages = 2 + n % 4
    doc = _new(f"{topic} ({n})")
    photo = photo_like(720, 480, seed=n, dark=False)
    for number in range(1, pages + 1):
        page = doc.new_page(width=A4[0], height=A4[1])
        regular, bold = _fonts(page, "sans")
        dark = hex_rgb(DARK)
        y = 40 * MM
        if number == 1:
            logo = LOGOS[n % len(LOGOS)]
            height = 26 * MM if logo.startswith("logotype-horizontal") else 30 * MM
            width = 113 * MM if logo.startswith("logotype-horizontal") else 25 * MM
            page.insert_image(pymupdf.Rect(20 * MM, 15 * MM, 20 * MM + width, 15 * MM + height),
                              filename=str(artwork(logo)))  # fmt: skip
            y = 60 * MM
        page.insert_text((25 * MM, y), topic if number == 1 else f"{number}. {topic}",
                         fontname=bold, fontsize=18 if number == 1 else 14,
                         color=hex_rgb(GREEN))  # fmt: skip
        y += 12 * MM
        for line in BODY if number == 1 else PARAGRAPH * (1 + (n + number) % 3):
            page.insert_text((25 * MM, y), line, fontname=regular, fontsize=11, color=dark)
            y += 6 * MM
        if (n + number) % 2 == 0:  # a photo on every other page
            page.insert_image(pymupdf.Rect(25 * MM, y, 185 * MM, y + 100 * MM), stream=photo)
        if number == pages:
            page.insert_text((25 * MM, 262 * MM), CONTACT, fontname=regular, fontsize=10,
                             color=dark)  # fmt: skip
        page.insert_text((185 * MM, 15 * MM), f"{number}({pages})", fontname=regular,
                         fontsize=9, color=dark)  # fmt: skip
        page.draw_line((20 * MM, 278 * MM), (190 * MM, 278 * MM), color=hex_rgb(GREEN), width=0.8)
        page.insert_text((20 * MM, 284 * MM), FOOTER, fontname=regular, fontsize=7,
                         color=hex_rgb(GREY))  # fmt: skip
    save_pdf(doc, path)


def make(folder: Path, count: int = 200) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"ale-{n:04d}.pdf"
        document(path, n)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=200)
    arguments = parser.parse_args()
    made = make(arguments.folder, arguments.count)
    size = sum(p.stat().st_size for p in made)
    print(f"{len(made)} documents, {size / 1e6:.1f} MB in {arguments.folder}")


if __name__ == "__main__":
    main()
