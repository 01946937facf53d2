"""Where a presentation must carry the vapen: the first or the last slide (Ale, provisional)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_json

pptx = pytest.importorskip("pptx")
from pptx.util import Mm  # noqa: E402

VAPEN = Path(__file__).resolve().parents[1] / "rules/ale/artwork/png/vapen-colour-print.png"


def _slides(path: Path, count: int, vapen_on: int | None) -> Path:
    prs = pptx.Presentation()
    for number in range(1, count + 1):
        slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
        slide.shapes.add_textbox(Mm(20), Mm(120), Mm(150), Mm(20)).text_frame.text = "Samråd"
        if number == vapen_on:
            picture = slide.shapes.add_picture(str(VAPEN), Mm(20), Mm(15), width=Mm(30))
            picture._element.nvPicPr.cNvPr.set("descr", "Ale kommuns vapen")
    prs.save(path)
    return path


def _logo_findings(path: Path) -> list[tuple[str, int | None]]:
    _code, report = run_json("--isolated", "--lang", "en", "--select", "L101,L100", str(path))
    (entry,) = report["files"]
    assert entry["status"] == "checked"
    return [(f["name"], f["location"].get("page")) for f in entry["findings"]]


@pytest.mark.parametrize("vapen_on", [1, 4])
def test_the_vapen_on_the_first_or_the_last_slide_is_enough(tmp_path: Path, vapen_on: int):
    found = _logo_findings(_slides(tmp_path / "deck.pptx", 4, vapen_on))
    assert found == [("logo-found", vapen_on)]


def test_the_vapen_only_on_a_middle_slide_is_missing(tmp_path: Path) -> None:
    found = _logo_findings(_slides(tmp_path / "deck.pptx", 4, 2))
    assert ("logo-missing", 1) in found and ("logo-found", 2) in found


def test_one_picture_on_every_slide_is_read_once_and_found_on_each(monkeypatch) -> None:
    """A master's vapen placed on every slide: its pixels are decoded and matched once (per
    image identity), and each slide still gets its own finding."""
    import tomllib

    from conftest import run_rule
    from PIL import Image

    from profilecheck.checks.logo import LogoRule, placed
    from profilecheck.core.model import Box, Document, Format, Page, PlacedImage

    seen: list[str] = []
    real = placed._pixels_seen
    monkeypatch.setattr(
        placed, "_pixels_seen", lambda image, model: seen.append(image.digest) or real(image, model)
    )
    pixels = Image.open(VAPEN).convert("RGBA")

    def slide(number: int) -> Page:
        image = PlacedImage(
            box=Box(40, 40, 40 + 85, 40 + 102),
            pixel_width=pixels.width,
            pixel_height=pixels.height,
            page=number,
            digest="same-part",
            _loader=lambda: pixels,
        )
        return Page(number=number, width=720, height=540, _load_images=lambda: [image])

    source = Path(__file__).resolve().parents[1] / "rules/ale/rules/logo.toml"
    table = tomllib.loads(source.read_text())
    document = Document(path="deck.pptx", format=Format.PPTX, pages=[slide(n) for n in (1, 2, 3)])
    findings = run_rule(LogoRule, table["params"], document, source)
    assert seen == ["same-part"]
    assert sorted(f.location.page for f in findings if f.name == "logo-found") == [1, 2, 3]
