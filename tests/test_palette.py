"""The palette rule: exact RGB, CMYK and spot colours in PDFs, Word-like spans, PNG/JPEG graphics."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from conftest import run_rule
from PIL import Image

from profilecheck.checks.palette import PaletteRule
from profilecheck.core.colour import (
    Swatch,
    delta_e,
    image_colours,
    lab,
    nearest,
    parse_colour,
    rgb_to_lab,
)
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Colour, Document, Format, Page, TextSpan
from profilecheck.profile.params import parse_params
from profilecheck.profile.rule import Rule
from profilecheck.readers.image import read_image
from profilecheck.readers.pdf.reader import read_pdf

ALE_RULES = Path(__file__).resolve().parents[1] / "rules" / "ale" / "rules"
PALETTE = {
    "colours": [
        {"name": "green", "hex": "#1E7B3C", "cmyk": [76, 0, 51, 52], "spot": "PANTONE 356 C"},
        {"name": "blue", "hex": "#0B5AA6"},
        {"name": "black", "hex": "#000000"},
        {"name": "white", "hex": "#FFFFFF"},
    ],
    "preflight": ["spot-colour-unknown", "rgb-image-in-print"],
}
SPOT_CS = (
    "<< /Ale [/Separation /PANTONE#20356#20C /DeviceCMYK << /FunctionType 2 /Domain [0 1] "
    "/C0 [0 0 0 0] /C1 [0.76 0 0.51 0.52] /N 1 >>] /Red [/Separation /PANTONE#20485#20C "
    "/DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0.95 1 0] /N 1 >>] >>"
)


def check(document: Document, table: dict | None = None, folder: Path = ALE_RULES) -> list:
    table = PALETTE if table is None else table
    return run_rule(PaletteRule, table, document, folder / "palette.toml")


def pdf_with(tmp_path: Path, content: bytes, text_colour=(0, 0, 0)) -> Document:
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((50, 50), "Ale kommun", color=text_colour, fontname="helv")
    resources = int(pdf.xref_get_key(page.xref, "Resources")[1].split()[0])
    pdf.xref_set_key(resources, "ColorSpace", SPOT_CS)
    xref = page.get_contents()[0]
    pdf.update_stream(xref, pdf.xref_stream(xref) + b"\n" + content)
    path = tmp_path / "colours.pdf"
    pdf.save(path)
    return read_pdf(str(path), DEFAULT_LIMITS)


def names(findings: list) -> list[str]:
    return [f.name for f in findings]


def test_colour_parsing() -> None:
    assert parse_colour("#1e7b3c").hex == "#1E7B3C"
    assert parse_colour("rgb(30, 123, 60)").hex == "#1E7B3C"
    assert parse_colour("cmyk(0%, 0%, 0%, 100%)").rgb == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        parse_colour("#12345G")
    assert delta_e(lab(parse_colour("#FF0000")), lab(parse_colour("#FF0000"))) == 0


def test_lab_and_delta_e_match_coloraide() -> None:
    """The hand-written formulas (kept for start-up time) agree with the maintained library."""
    coloraide = pytest.importorskip("coloraide")
    generator = random.Random(7)
    for _ in range(500):
        first, second = (tuple(generator.random() for _ in range(3)) for _ in range(2))
        ours = rgb_to_lab(first), rgb_to_lab(second)
        reference = [
            coloraide.Color("srgb", list(c)).convert("lab").coords() for c in (first, second)
        ]
        assert ours[0] == pytest.approx(reference[0], abs=1e-6)
        expected = coloraide.Color("lab", reference[0]).delta_e(
            coloraide.Color("lab", reference[1]), method="2000", space="lab"
        )
        assert delta_e(*ours) == pytest.approx(expected, abs=1e-6)


def test_exact_rgb_text_on_and_off_palette(tmp_path: Path) -> None:
    green = tuple(c / 255 for c in (30, 123, 60))
    assert check(pdf_with(tmp_path, b"", text_colour=green)) == []
    findings = check(pdf_with(tmp_path, b"", text_colour=(0.89, 0.02, 0.07)))
    assert names(findings) == ["colour-off-palette"]
    finding = findings[0]
    assert "Ale kommun" in finding.message and "1×" in finding.message
    assert finding.measured["limit"] == 1.0 and finding.measured["value"] > 30
    assert finding.location.page == 1


def test_cmyk_fill_compared_by_inks(tmp_path: Path) -> None:
    on = check(pdf_with(tmp_path, b"q 0.76 0 0.51 0.52 k 100 100 50 50 re f Q"))
    assert on == []
    off = check(pdf_with(tmp_path, b"q 0 1 1 0 k 100 100 50 50 re f 200 100 50 50 re f Q"))
    assert names(off) == ["colour-off-palette"]
    assert "cmyk(0 100 100 0)" in off[0].message and "2× fill" in off[0].message


def test_spot_colours_by_name_and_unknown_spot(tmp_path: Path) -> None:
    known = check(pdf_with(tmp_path, b"q /Ale cs 1 scn 100 100 50 50 re f Q"))
    assert known == []
    unknown = check(pdf_with(tmp_path, b"q /Red cs 1 scn 100 100 50 50 re f Q"))
    assert sorted(names(unknown)) == ["colour-off-palette", "spot-colour-unknown"]
    assert any("PANTONE 485 C" in f.message for f in unknown)


def test_declared_text_colour_from_content_stream(tmp_path: Path) -> None:
    stream = b"BT /helv 12 Tf 0 1 1 0 k 50 400 Td (Rubrik) Tj ET"
    findings = check(pdf_with(tmp_path, stream))
    assert names(findings) == ["colour-off-palette"]
    assert "cmyk(0 100 100 0)" in findings[0].message and "Rubrik" in findings[0].message


def word_document(*spans: TextSpan) -> Document:
    page = Page(number=1, width=595, height=842, _load_spans=lambda: list(spans))
    return Document(path="memo.docx", format=Format.DOCX, pages=[page])


def test_word_runs_highlight_and_shading() -> None:
    ok = TextSpan("Hej", "Arial", 11, colour=Colour.from_hex("#0B5AA6"))
    assert check(word_document(ok)) == []
    red = TextSpan("Viktigt", "Arial", 11, colour=Colour.from_hex("#E30613"))
    yellow = TextSpan("Markerat", "Arial", 11, highlight=Colour.from_hex("#FFFF00"))
    findings = check(word_document(red, red, yellow))
    assert names(findings) == ["colour-off-palette", "colour-off-palette"]
    assert "2× text" in findings[0].message and "highlight" in findings[1].message
    assert findings[0].location.page is None  # Word pages are not laid out


def flat_graphic(colours: list[tuple[int, int, int]], size: int = 200) -> Image.Image:
    image = Image.new("RGB", (size, size), (255, 255, 255))
    step = size // (len(colours) + 1)
    for index, colour in enumerate(colours):
        box = (10 + index * step, 20, 10 + index * step + step - 10, size - 20)
        image.paste(colour, box)
    return image


@pytest.mark.parametrize("suffix", ["png", "jpg"])
def test_flat_graphics_in_image_files(tmp_path: Path, suffix: str) -> None:
    good = tmp_path / f"good.{suffix}"
    flat_graphic([(30, 123, 60), (11, 90, 166)]).save(good, quality=92)
    assert check(read_image(str(good), DEFAULT_LIMITS), {**PALETTE, "preflight": []}) == []
    bad = tmp_path / f"bad.{suffix}"
    flat_graphic([(30, 123, 60), (227, 6, 19)]).save(bad, quality=92)
    findings = check(read_image(str(bad), DEFAULT_LIMITS), {**PALETTE, "preflight": []})
    assert names(findings) == ["colour-off-palette"]
    assert findings[0].measured["limit"] == (5.0 if suffix == "jpg" else 3.0)


def test_antialiased_edges_are_not_colours() -> None:
    image = flat_graphic([(30, 123, 60)]).resize((97, 97), Image.Resampling.BICUBIC)
    found = image_colours(image)
    assert not found.photo
    swatches = [
        Swatch("green", Colour.from_hex("#1E7B3C")),
        Swatch("white", Colour.from_hex("#FFFFFF")),
    ]
    matches = [nearest(Colour("rgb", rgb), swatches) for rgb, _ in found.colours]
    assert sorted(m.swatch.name for m in matches) == ["green", "white"]  # no blended edges
    assert all(m.delta_e < 1 for m in matches)


def test_photo_like_images_are_exempt(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    noise = Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    ramp = np.linspace(0, 255, 200, dtype=np.uint8)
    gradient = Image.fromarray(
        np.dstack([np.tile(ramp, (100, 1))] * 2 + [np.zeros((100, 200), np.uint8)])
    )
    for name, image in (("noise.png", noise), ("gradient.jpg", gradient)):
        image.save(tmp_path / name)
        document = read_image(str(tmp_path / name), DEFAULT_LIMITS)
        assert image_colours(document.pages[0].images[0].pixels()).photo, name
        assert check(document, {**PALETTE, "preflight": []}) == [], name


def test_rgb_image_in_print_preflight(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    flat_graphic([(30, 123, 60)]).save(path)
    findings = check(read_image(str(path), DEFAULT_LIMITS))
    assert names(findings) == ["rgb-image-in-print"]


def test_bad_colour_in_rule_file_is_reported_by_key() -> None:
    table = {"colours": [{"name": "ok", "hex": "#000000"}, {"name": "bad", "hex": "#12"}]}
    params, problems = parse_params(PaletteRule.Params, table)
    assert not problems
    rule = Rule(id="palette", type="palette", source=ALE_RULES / "palette.toml", profile="t")
    problems = PaletteRule.validate(params, rule)
    assert [p.key for p in problems] == ["params.colours[1]"]


def test_ale_palette_rule_file_is_valid() -> None:
    import tomllib

    table = tomllib.loads((ALE_RULES / "palette.toml").read_text())["params"]
    params, problems = parse_params(PaletteRule.Params, table)
    assert not problems
    rule = Rule(id="palette", type="palette", source=ALE_RULES / "palette.toml", profile="ale")
    assert PaletteRule.validate(params, rule) == []
