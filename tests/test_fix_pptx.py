"""`profilecheck fix` on presentations: fonts, colours, the old number on slides and in the
speaker notes, title and language; the copy reopened with python-pptx and LibreOffice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pptx
import pytest
from pptx.dml.color import RGBColor
from pptx.util import Pt

from tests.conftest import ROOT
from tests.test_fix import NEW, OLD, SOFFICE, convert, fix


def presentation(path: Path) -> Path:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Information om Ale torg"
    body = slide.placeholders[1].text_frame.paragraphs[0]
    run = body.add_run()
    run.text = "Fel typsnitt, nästan grön"
    run.font.name = "Papyrus"
    run.font.size = Pt(24)
    run.font.color.rgb = RGBColor(0x20, 0x80, 0x40)
    box = slide.shapes.add_textbox(Pt(40), Pt(400), Pt(400), Pt(40)).text_frame.paragraphs[0]
    for piece in ("Ring 0303-", "33 00", " 00"):
        box.add_run().text = piece
    box.runs[1].font.bold = True
    notes = slide.notes_slide.notes_text_frame
    notes.text = f"Frågor: Anna Andersson, anna.andersson@ale.se, växel {OLD}"
    deck.core_properties.title = ""
    deck.core_properties.language = ""
    deck.save(path)
    return path


def test_every_fix_on_a_built_presentation(tmp_path: Path) -> None:
    source = presentation(tmp_path / "info.pptx")
    stamp = hashlib.sha256(source.read_bytes()).hexdigest()
    _, report = fix("--output", str(tmp_path / "out"), str(source))
    entry = report["files"][0]
    assert entry["status"] == "fixed", entry
    assert hashlib.sha256(source.read_bytes()).hexdigest() == stamp
    changes = entry["changes"]
    assert any(c["before"] == "Papyrus" and c["after"] == "Arial" for c in changes)
    assert any(c["before"] == "#208040" and c["done"] for c in changes)
    numbers = {c["where"] for c in changes if c["what"] == "number"}
    assert numbers == {"slide 1", "slide 1 (notes)"}

    deck = pptx.Presentation(entry["output"])
    slide = deck.slides[0]
    assert deck.core_properties.title == "Information om Ale torg"
    assert deck.core_properties.language == "sv-SE"
    assert slide.notes_slide.notes_text_frame.text.endswith(NEW)
    boxed = slide.shapes[-1].text_frame.paragraphs[0]
    assert boxed.text == f"Ring {NEW}"
    assert boxed.runs[0].text == f"Ring {NEW}" and boxed.runs[1].font.bold  # formatting kept
    run = slide.placeholders[1].text_frame.paragraphs[0].runs[0]
    assert run.font.name == "Arial" and str(run.font.color.rgb) == "1E7B3C"
    remaining = {f["name"] for f in entry["remaining"]}
    assert not remaining & {"font-not-allowed", "contact-outdated", "title-missing"}
    assert "colour-off-palette" not in remaining and entry["new"] == 0


@pytest.mark.parametrize(
    "name", ["info-old-number-notes.pptx", "info-wrong-font-master.pptx", "info-compliant.pptx"]
)
def test_presentation_fixtures(name: str, tmp_path: Path) -> None:
    _, report = fix("--output", str(tmp_path), str(ROOT / "fixtures/pptx" / name))
    entry = report["files"][0]
    assert entry["new"] == 0
    fixed = {"font-not-allowed", "contact-outdated"}
    assert not {f["name"] for f in entry["remaining"]} & fixed
    if entry["output"]:
        pptx.Presentation(entry["output"])


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_fixed_presentation(tmp_path: Path) -> None:
    source = presentation(tmp_path / "info.pptx")
    _, report = fix("--output", str(tmp_path / "out"), str(source))
    converted = convert(Path(report["files"][0]["output"]), tmp_path)
    assert converted.exists() and converted.stat().st_size > 1000
