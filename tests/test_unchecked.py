"""What a rule could not check is never passed (issue 15): each rule type's `*-unchecked`
finding, the silent skips it replaced, and text read by OCR as document text for every rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, make_pdf, run_rule
from PIL import Image

from profilecheck.analyses import ocr
from profilecheck.core.model import Box, Colour, Document, Format, Page, Paint, PlacedImage

RULES = ROOT / "rules" / "ale" / "rules"
VAPEN = ROOT / "rules" / "ale" / "artwork" / "png" / "vapen-colour-print.png"
needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="tesseract (with a language) is not installed: OCR cannot run"
)


def ale(name: str) -> tuple[dict, Path]:
    source = RULES / f"{name}.toml"
    return tomllib.loads(source.read_text("utf-8")).get("params", {}), source


def only_file(report: dict) -> dict:
    (entry,) = report["files"]
    assert entry["status"] == "checked"
    return entry


def names(entry: dict) -> list[str]:
    return sorted(f["name"] for f in entry["findings"])


def check(path: Path, *args: str, env: dict | None = None) -> tuple[int, dict]:
    """`profilecheck check --format json` on one file, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-m", "profilecheck", "check", "--format", "json", *args, str(path)],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert done.stdout, done.stderr
    return done.returncode, only_file(json.loads(done.stdout))


# --- palette: big pictures are looked at, broken ones are said to be unchecked ----------------


@pytest.mark.parametrize(("colour", "expected"), [((228, 0, 19), ["colour-off-palette"]),
                                                  ((0x1E, 0x7B, 0x3C), [])])  # fmt: skip
def test_a_large_flat_picture_is_analysed_not_taken_for_a_photo(tmp_path, colour, expected):
    path = tmp_path / "flat.png"
    Image.new("RGB", (2500, 2000), colour).save(path)  # 5 MP: over the 4 MP analysis size
    code, entry = check(path, "--lang", "en", "--ignore", "X603", "--fail-on", "warning")
    assert names(entry) == expected
    assert code == (1 if expected else 0)
    if expected:
        assert entry["findings"][0]["code"] == "C201"
        assert check(path, "--ignore", "X603")[0] == 0  # a warning: fails only at --fail-on warning


def broken_png(path: Path, size=(800, 600)) -> Path:
    """A PNG whose header reads but whose pixel data does not decode."""
    import io

    buffer = io.BytesIO()
    Image.new("RGB", size, (228, 0, 19)).save(buffer, "PNG")
    data = buffer.getvalue()
    start = data.index(b"IDAT") + 4
    path.write_bytes(data[:start] + bytes(b ^ 0x5A for b in data[start : start + 200])
                     + data[start + 200 :])  # fmt: skip
    return path


def test_an_undecodable_picture_is_unchecked_by_every_rule_that_looks_at_it(tmp_path):
    code, entry = check(broken_png(tmp_path / "broken.png"), "--lang", "en", "--fail-on", "warning")
    assert names(entry) == ["colour-unchecked", "logo-unchecked", "text-unchecked"]
    assert code == 1 and all(f["severity"] == "warning" for f in entry["findings"])
    by_name = {f["name"]: f for f in entry["findings"]}
    assert by_name["colour-unchecked"]["code"] == "C204"
    assert "could not be decoded" in by_name["colour-unchecked"]["message"]
    assert by_name["logo-unchecked"]["code"] == "L111"
    assert by_name["logo-unchecked"]["measured"]["reason"] == "picture-undecodable"
    good = tmp_path / "good.png"
    Image.new("RGB", (800, 600), (255, 255, 255)).save(good)
    code, entry = check(good, "--fail-on", "warning", "--ignore", "X603")
    assert (code, names(entry)) == (0, [])


def palette(document: Document, **changes) -> list:
    params, source = ale("palette")
    return run_rule(_rule_type("palette"), {**params, **changes}, document, source)


def _rule_type(name: str):
    from profilecheck.engine import registry

    return registry.load(name)


def picture_document(image: PlacedImage, fmt: Format = Format.DOCX) -> Document:
    page = Page(number=1, width=595, height=842, _load_images=lambda: [image])
    return Document(path=f"memo.{fmt.value}", format=fmt, pages=[page])


def placed(pixels: Image.Image, width: float = 200.0, **changes) -> PlacedImage:
    height = width * pixels.height / pixels.width
    return PlacedImage(
        box=Box(72, 72, 72 + width, 72 + height), pixel_width=pixels.width,
        pixel_height=pixels.height, name="picture.png", _loader=lambda: pixels, **changes,
    )  # fmt: skip


def test_colours_word_changes_on_display_are_unchecked_greys_are_judged():
    red = Image.new("RGB", (300, 200), (228, 0, 19))
    duotone = palette(picture_document(placed(red, effects=("duotone:#000000/#E30613",))))
    assert [(f.name, f.measured["reason"]) for f in duotone] == [
        ("colour-unchecked", "picture-recoloured")
    ]
    assert palette(picture_document(placed(red, effects=("grayscale",)))) == []
    assert [f.name for f in palette(picture_document(placed(red)))] == ["colour-off-palette"]


def test_a_colour_without_a_known_appearance_is_unchecked_unless_the_palette_names_it():
    def spot(name: str) -> Document:
        paint = Paint(Colour("separation", (1.0,), name=name), Box(72, 72, 200, 100), 1)
        page = Page(number=1, width=595, height=842, _load_paints=lambda: [paint])
        return Document(path="print.pdf", format=Format.PDF, pages=[page])

    (finding,) = palette(spot("Mystery Ink"))
    assert (finding.code, finding.measured["reason"]) == ("C204", "colour-unknown")
    assert "Mystery Ink" in finding.message
    named = [{"name": "grön", "hex": "#1E7B3C", "spot": "PANTONE 356 C"}]
    assert palette(spot("PANTONE 356 C"), colours=named) == []


# --- accessibility: a structure tree that cannot be read whole ---------------------------------


def tagged_pdf(path: Path, element: str | None = None, kids: int = 0) -> Path:
    """A tagged PDF whose structure tree holds `element` (source of a structure element), or a
    /Document with `kids` direct /P kids, or (neither) a root that is not a dictionary."""
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 72), "Ale kommun informerar", fontsize=11)
    catalog = pdf.pdf_catalog()
    root, node = pdf.get_new_xref(), pdf.get_new_xref()
    if element is None and not kids:
        pdf.update_object(root, "42")
    else:
        pdf.update_object(node, element or f"<</S/Document/K[{' '.join(['<</S/P>>'] * kids)}]>>")
        pdf.update_object(root, f"<</Type/StructTreeRoot/K {node} 0 R>>")
    pdf.xref_set_key(catalog, "StructTreeRoot", f"{root} 0 R")
    pdf.xref_set_key(catalog, "MarkInfo", "<</Marked true>>")
    pdf.xref_set_key(catalog, "Lang", pymupdf.get_pdf_str("sv-SE"))
    pdf.xref_set_key(catalog, "ViewerPreferences", "<</DisplayDocTitle true>>")
    pdf.set_metadata({"title": "Information"})
    pdf.save(path)
    return path


@pytest.mark.parametrize(
    ("element", "kids", "reason"),
    [
        ("<</S/Figure/K 0/X " + "[" * 80 + "]" * 80 + ">>", 0, "tree-broken"),
        (None, 20_050, "tree-truncated"),
        (None, 0, "tree-empty"),
        ("<</S/Figure/Alt(Ales vapen)/K 0>>", 0, None),
    ],
)
def test_a_structure_tree_that_cannot_be_read_whole_is_unchecked(tmp_path, element, kids, reason):
    path = tagged_pdf(tmp_path / "tagged.pdf", element, kids)
    code, entry = check(path, "--select", "A", "--lang", "en", "--fail-on", "warning")
    if reason is None:
        assert (code, names(entry)) == (0, [])
        return
    (finding,) = entry["findings"]
    assert (finding["code"], finding["severity"]) == ("A508", "warning")
    assert finding["measured"]["reason"] == reason and code == 1
    assert "alt text" in finding["message"]


def accessibility(document: Document, **changes) -> list:
    params, source = ale("accessibility")
    return run_rule(_rule_type("accessibility"), {**params, **changes}, document, source)


def text_over_picture(render) -> Document:
    from profilecheck.core.model import TextSpan

    span = TextSpan(text="Välkommen", font="Arial", size=11, box=Box(80, 80, 160, 92), page=1,
                    colour=Colour("rgb", (0.1, 0.1, 0.1)))  # fmt: skip
    image = PlacedImage(box=Box(72, 72, 300, 200), pixel_width=100, pixel_height=60)
    page = Page(number=1, width=595, height=842, _load_spans=lambda: [span],
                _load_images=lambda: [image], _render=render)  # fmt: skip
    document = Document(path="x.pdf", format=Format.PDF, pages=[page])
    document.metadata.tagged, document.metadata.language = True, "sv"
    document.metadata.title, document.metadata.display_title = "T", True
    return document


def test_text_whose_background_cannot_be_rendered_is_unchecked():
    def fails(dpi, clip):
        raise RuntimeError("cannot draw this page")

    (finding,) = accessibility(text_over_picture(fails))
    assert (finding.name, finding.measured["reason"]) == ("accessibility-unchecked",
                                                          "contrast-not-rendered")  # fmt: skip
    assert finding.measured["spans"] == 1 and "cannot draw" in finding.measured["detail"]
    (limited,) = accessibility(text_over_picture(fails), **{"contrast-max-pages": 0})
    assert limited.measured["reason"] == "contrast-limit"

    def white(dpi, clip):
        import numpy as np

        return np.full((round(842 * dpi / 72), round(595 * dpi / 72), 3), 255, np.uint8)

    assert accessibility(text_over_picture(white)) == []  # rendered: measured, and passes


# --- OCR: text in pixels is document text; without OCR it is unchecked -------------------------


def picture_of_text(path: Path, text: str, scanned_pdf: bool = False) -> Path:
    """`text` as pixels only: a PNG poster, or a PDF page that is a scan."""
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page(width=500, height=200)
    page.insert_textbox(pymupdf.Rect(20, 20, 480, 190), text, fontsize=18)
    pixmap = page.get_pixmap(dpi=200)
    if not scanned_pdf:
        pixmap.save(path)
        return path
    scan = pymupdf.open()
    scan.new_page(width=500, height=200).insert_image(pymupdf.Rect(0, 0, 500, 200), pixmap=pixmap)
    scan.save(path)
    return path


OLD = "Sommarfest i Nödinge!\nRing växeln 0303-33 00 00"
NEW = "Sommarfest i Nödinge!\nRing Kontaktcenter 0303-70 30 00"


@needs_tesseract
@pytest.mark.parametrize("scanned", [False, True], ids=["png-poster", "scanned-pdf"])
def test_the_old_number_in_pixels_is_flagged_by_the_text_rule(tmp_path, scanned):
    suffix = ".pdf" if scanned else ".png"
    old = picture_of_text(tmp_path / f"old{suffix}", OLD, scanned)
    code, entry = check(old, "--select", "X,K403", "--lang", "en")
    outdated = [f for f in entry["findings"] if f["code"] == "K403"]
    assert [f["rule"] for f in outdated] == ["ale/outdated-switchboard"]
    assert outdated[0]["measured"] == {"source": "ocr"}
    assert outdated[0]["location"]["part"] == "image" and code == 1
    new = picture_of_text(tmp_path / f"new{suffix}", NEW, scanned)
    code, entry = check(new, "--select", "X,K403", "--lang", "en")
    assert (code, names(entry)) == (0, [])


def without_tesseract(tmp_path: Path) -> dict:
    """The environment of a machine without Tesseract: nothing on the PATH."""
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(empty)}


def test_without_ocr_pixels_are_unchecked_by_the_contact_and_text_rules(tmp_path):
    scan = picture_of_text(tmp_path / "scan.pdf", "Handläggare\nPer Nilsson\n070-123 45 67", True)
    env = without_tesseract(tmp_path)
    code, entry = check(scan, "--select", "K,X", "--lang", "en", env=env)
    assert names(entry) == ["contact-unchecked", "text-unchecked"]
    assert {f["code"] for f in entry["findings"]} == {"K404", "X603"}
    assert all(f["severity"] == "warning" for f in entry["findings"]) and code == 0
    assert all("tesseract" in f["message"] for f in entry["findings"])
    assert check(scan, "--select", "K,X", "--fail-on", "warning", env=env)[0] == 1
    text = tmp_path / "text.pdf"
    make_pdf(text, ["Handläggare: Per Nilsson", "070-123 45 67"])
    code, entry = check(text, "--select", "K,X", "--fail-on", "warning", env=env)
    assert (code, names(entry)) == (0, [])  # a text layer needs no OCR


@needs_tesseract
def test_with_ocr_the_scan_is_read_and_passes(tmp_path):
    scan = picture_of_text(tmp_path / "scan.pdf", "Handläggare\nPer Nilsson\n070-123 45 67", True)
    code, entry = check(scan, "--select", "K,X", "--fail-on", "warning")
    assert (code, names(entry)) == (0, [])


def test_ocr_missing_in_process_is_text_unchecked_and_a_required_text_is_not_missing(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    image = placed(Image.new("RGB", (600, 200), (255, 255, 255)))
    table = {"required": [{"kind": "literal", "pattern": "Ale kommun"}]}
    findings = run_rule(_rule_type("text"), table, picture_document(image, Format.IMAGE),
                        RULES / "outdated-switchboard.toml")  # fmt: skip
    assert [(f.name, f.measured["reason"]) for f in findings] == [("text-unchecked", "no-ocr")]
    off = run_rule(_rule_type("text"), {**table, "ocr": False},
                   picture_document(image, Format.IMAGE), RULES / "outdated-switchboard.toml")  # fmt: skip
    assert [f.measured["reason"] for f in off] == ["ocr-off"]


# --- logo: a picture that cannot be looked at is not "no logo" ---------------------------------


def logo(document: Document) -> list:
    """The logo rule's findings, but for the clear space of a Word logo, which a document made
    here (no file to lay out) leaves unchecked (tests/test_office_logo.py)."""
    params, source = ale("logo")
    findings = run_rule(_rule_type("logo"), params, document, source)
    return [f for f in findings if f.measured.get("reason") != "clear-space-not-laid-out"]


def test_a_logo_picture_that_cannot_be_decoded_is_unchecked_not_missing():
    vapen = Image.open(VAPEN).convert("RGBA")

    def broken():
        raise OSError("broken data stream when reading image file")

    image = placed(vapen, width=25 * 72 / 25.4)
    image._loader = broken
    findings = logo(picture_document(image))
    assert [(f.name, f.measured["reason"]) for f in findings] == [
        ("logo-unchecked", "picture-undecodable")
    ]
    assert "broken data stream" in findings[0].message
    good = logo(picture_document(placed(vapen, width=25 * 72 / 25.4)))
    assert [f.name for f in good] == ["logo-found"]


def test_a_large_logo_picture_is_matched_on_a_reduced_copy():
    vapen = Image.open(VAPEN).convert("RGBA")
    scale = (5_000_000 / (vapen.width * vapen.height)) ** 0.5
    large = vapen.resize((round(vapen.width * scale), round(vapen.height * scale)))
    findings = logo(picture_document(placed(large, width=25 * 72 / 25.4)))
    assert [f.name for f in findings] == ["logo-found"]


def test_a_word_page_colour_is_the_background_of_its_logos():
    from profilecheck.core.facts import WordInfo

    vapen = Image.open(VAPEN).convert("RGBA")
    document = picture_document(placed(vapen, width=25 * 72 / 25.4))
    assert "logo-wrong-version" not in [f.name for f in logo(document)]
    document = picture_document(placed(vapen, width=25 * 72 / 25.4))
    document.metadata.word = WordInfo(page_colour="#0B3D1C")
    findings = logo(document)
    assert "logo-wrong-version" in [f.name for f in findings]
    found = next(f for f in findings if f.name == "logo-found")
    assert found.measured["background_from"] == "page-colour"


# --- typeface and text size: text whose font or size the file does not give --------------------


def spans_document(*spans) -> Document:
    page = Page(number=1, width=595, height=842, _load_spans=lambda: list(spans))
    return Document(path="x.pdf", format=Format.PDF, pages=[page])


def span(font: str = "Arial", size: float = 11.0):
    from profilecheck.core.model import TextSpan

    return TextSpan(text="Välkommen till Ale", font=font, size=size, box=Box(72, 72, 200, 84))


def test_text_without_a_font_name_or_a_size_is_unchecked():
    params, source = ale("typefaces")
    (font,) = run_rule(_rule_type("typeface"), params, spans_document(span(font="")), source)
    assert (font.code, font.measured["reason"]) == ("T304", "no-font-name")
    assert run_rule(_rule_type("typeface"), params, spans_document(span()), source) == []
    params, source = ale("text-size")
    (size,) = run_rule(_rule_type("text-size"), params, spans_document(span(size=0)), source)
    assert (size.code, size.measured["reason"]) == ("T305", "size-unknown")
    assert run_rule(_rule_type("text-size"), params, spans_document(span()), source) == []


def test_a_rule_type_without_an_unchecked_check_reports_rule_failed():
    from profilecheck.engine.ruletype import Report, RuleType
    from profilecheck.profile.rule import Rule

    class Silent(RuleType):
        name = "silent-test"

    rule = Rule(id="silent", type="silent-test", source=Path("silent.toml"), profile="t")
    report = Report(rule, Silent, spans_document(span()), "en")
    report.unchecked("no-pixels")
    (finding,) = report.findings
    assert finding.name == "rule-failed" and "no-pixels" in finding.message


def test_a_word_page_colour_is_read_and_is_the_paper_text_is_read_against(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.shared import RGBColor

    from profilecheck.core.limits import DEFAULT_LIMITS
    from profilecheck.readers.word.reader import read_docx

    def letter(path: Path, page_colour: str | None) -> Document:
        word = docx.Document()
        word.add_paragraph().add_run("Välkommen till Ale").font.color.rgb = RGBColor(0, 0, 0)
        if page_colour:
            ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            word.element.insert(0, parse_xml(f'<w:background {ns} w:color="{page_colour}"/>'))
        word.save(path)
        return read_docx(str(path), DEFAULT_LIMITS)

    def contrast(document: Document) -> list[str]:
        return [f.name for f in accessibility(document) if f.name == "text-contrast-low"]

    dark = letter(tmp_path / "dark.docx", "0B3D1C")
    assert dark.metadata.word.page_colour == "#0B3D1C"
    assert contrast(dark) == ["text-contrast-low"]  # black on dark green
    white = letter(tmp_path / "white.docx", None)
    assert white.metadata.word.page_colour is None and contrast(white) == []
