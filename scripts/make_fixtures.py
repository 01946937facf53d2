"""Generate the labelled fixtures in fixtures/: PDFs, Word documents, presentations, images and
hostile files.

    python scripts/make_fixtures.py                  # rewrites fixtures/ and fixtures/manifest.toml
    python scripts/make_fixtures.py --manifest-only  # rewrites fixtures/manifest.toml alone

Each fixture is listed in fixtures/manifest.toml with the finding names it must produce and
must not produce. The output is deterministic (fixed seeds, dates and zip timestamps), except
the encrypted PDF, whose encryption salt is random by design.
Needs the Liberation Sans fonts (Debian: fonts-liberation) and the artwork PNGs; the tagged PDF
made by LibreOffice (scripts/fixture_libreoffice.py) is kept as it is where LibreOffice is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import fixture_libreoffice
import fixture_office
import fixture_pdfs
import fixture_pptx
import pymupdf
from fixture_common import FOOTER, ROOT, Fixture, write_manifest

OUT = ROOT / "fixtures"


def hostile(out: Path, build: bool = True) -> list[Fixture]:
    if build:
        write_hostile(out)
    return [
        Fixture(
            "hostile/encrypted.pdf",
            "A PDF that needs the password 'hemligt' to open.",
            ["encrypted-file"],
            ["unreadable-file"],
        ),
        Fixture(
            "hostile/truncated.pdf",
            "The first 600 bytes of letter-compliant.pdf.",
            ["unreadable-file"],
            [],
        ),
        Fixture("hostile/not-a-pdf.pdf", "A plain text file named .pdf.", [], ["encrypted-file"]),
    ]


def write_hostile(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Hemlig tjänsteskrivelse. " + FOOTER[:40], fontsize=11)
    doc.set_metadata({"creationDate": "D:20260302090000", "modDate": "D:20260302090000"})
    doc.save(out / "encrypted.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
             user_pw="hemligt", owner_pw="ägare")  # fmt: skip
    whole = (OUT / "pdf" / "letter-compliant.pdf").read_bytes()
    (out / "truncated.pdf").write_bytes(whole[:600])
    (out / "not-a-pdf.pdf").write_text("Det här är en textfil med fel filändelse.\n", "utf-8")


def main(argv: list[str]) -> int:
    build = "--manifest-only" not in argv  # the labels alone: no fixture's bytes change
    fixtures = [
        *fixture_pdfs.make(OUT / "pdf", build),
        *fixture_office.make_word(OUT / "docx", build),
        *fixture_libreoffice.make(OUT / "pdf", build),  # from the Word letter: after it
        *fixture_office.make_images(OUT / "images", build),
        *fixture_pptx.make_presentations(OUT / "pptx", build),
    ]
    fixtures += hostile(OUT / "hostile", build)
    write_manifest(fixtures, OUT / "manifest.toml")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(fixtures)} fixtures, {total / 1e6:.1f} MB in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
