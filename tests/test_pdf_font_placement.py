"""Which PDF fonts draw visible text: text outside the crop box, forms and annotations placed
off the page, over-budget pages, and names as the file writes them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from test_pdf_fonts import _page_with, _simple_font, _stream

from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.readers.pdf.content import operators
from profilecheck.readers.pdf.names import decode_name, fix_mupdf_name
from profilecheck.readers.pdf.reader import read_pdf
from profilecheck.readers.pdf.textspace import TextSpace


def _fonts(path: Path, limits=DEFAULT_LIMITS) -> dict[str, bool | None]:
    with read_pdf(str(path), limits) as document:
        return {font.name: font.used for font in document.fonts}


def _cropped(tmp_path: Path, content: bytes, crop: str = "[100 100 400 500]") -> Path:
    """A page 600×800 whose visible part is `crop`, Helvetica as F1 and Courier as F2."""
    pdf = pymupdf.open()
    fonts = {"F1": _simple_font(pdf, "Helvetica"), "F2": _simple_font(pdf, "Courier")}
    page = _page_with(pdf, fonts, content)
    pdf.xref_set_key(page.xref, "MediaBox", "[0 0 600 800]")
    pdf.xref_set_key(page.xref, "CropBox", crop)
    path = tmp_path / "cropped.pdf"
    pdf.save(path)
    return path


def test_text_outside_the_crop_box_does_not_use_its_font(tmp_path: Path) -> None:
    content = b"BT /F1 12 Tf 150 300 Td (inside) Tj ET BT /F2 12 Tf 450 700 Td (outside) Tj ET"
    assert _fonts(_cropped(tmp_path, content)) == {"Helvetica": True, "Courier": False}


def test_text_moved_in_by_the_matrix_counts(tmp_path: Path) -> None:
    content = b"q 1 0 0 1 -400 -450 cm BT /F2 12 Tf 600 800 Td (moved in) Tj ET Q"
    assert _fonts(_cropped(tmp_path, content))["Courier"] is True


def test_a_long_line_reaching_into_the_crop_box_counts(tmp_path: Path) -> None:
    content = b"BT /F2 10 Tf 40 300 Td (a line that starts left of the visible part) Tj ET"
    assert _fonts(_cropped(tmp_path, content))["Courier"] is True


def test_the_line_advance_and_leading_are_followed(tmp_path: Path) -> None:
    # ten lines down from 520: the first is above the crop box, the last inside
    lines = b" T* ".join(b"(line)'" for _ in range(3))
    content = b"BT /F2 12 Tf 14 TL 150 560 Td (above) Tj " + lines + b" ET"
    assert _fonts(_cropped(tmp_path, content))["Courier"] is True
    assert (
        _fonts(_cropped(tmp_path, b"BT /F2 12 Tf 14 TL 150 600 Td (above) Tj ET"))["Courier"]
        is False
    )


def test_without_a_crop_box_the_media_box_is_the_page(tmp_path: Path) -> None:
    path = _cropped(tmp_path, b"BT /F2 12 Tf 700 300 Td (beside the page) Tj ET", "null")
    assert _fonts(path)["Courier"] is False


def test_a_form_drawn_outside_the_crop_box_uses_nothing(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    font = _simple_font(pdf, "Courier")
    form = _stream(
        pdf,
        b"BT /F2 12 Tf 10 10 Td (in a form) Tj ET",
        f"<</Type/XObject/Subtype/Form/BBox[0 0 100 50]/Resources<</Font<</F2 {font} 0 R>>>>>>",
    )
    page = pdf.new_page(width=600, height=800)
    pdf.xref_set_key(page.xref, "Resources", f"<</XObject<</Fm {form} 0 R>>>>")
    pdf.xref_set_key(page.xref, "CropBox", "[100 100 400 500]")
    out = b"q 1 0 0 1 450 600 cm /Fm Do Q"
    pdf.xref_set_key(page.xref, "Contents", f"{_stream(pdf, out)} 0 R")
    second = pdf.new_page(width=600, height=800)
    pdf.xref_set_key(second.xref, "Resources", f"<</XObject<</Fm {form} 0 R>>>>")
    pdf.xref_set_key(second.xref, "CropBox", "[100 100 400 500]")
    inside = b"q 1 0 0 1 450 600 cm /Fm Do Q q 1 0 0 1 200 200 cm /Fm Do Q"
    pdf.xref_set_key(second.xref, "Contents", f"{_stream(pdf, inside)} 0 R")
    path = tmp_path / "forms.pdf"
    pdf.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        (courier,) = [f for f in document.fonts if f.name == "Courier"]
    assert (courier.used, courier.pages) == (True, (2,))  # drawn on page 2 only


def test_an_annotation_off_the_visible_page_uses_nothing(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page(width=600, height=800)
    page.add_freetext_annot(pymupdf.Rect(450, 50, 580, 90), "hidden", fontname="TiRo")
    pdf.xref_set_key(page.xref, "CropBox", "[0 400 300 800]")  # the top left quarter
    path = tmp_path / "annot.pdf"
    pdf.save(path)
    assert _fonts(path).get("Times-Roman") is False


def test_an_over_budget_page_leaves_only_its_own_fonts_unknown(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    helvetica, courier = _simple_font(pdf, "Helvetica"), _simple_font(pdf, "Courier")
    times = _simple_font(pdf, "Times-Roman")  # listed on page 1, never drawn
    _page_with(pdf, {"F1": helvetica, "F3": times}, b"BT /F1 12 Tf 100 100 Td (small) Tj ET")
    _page_with(pdf, {"F1": helvetica, "F2": courier}, b"BT /F1 12 Tf 100 100 Td (x) Tj ET")
    big = b"BT /F2 12 Tf 100 100 Td " + b"(many) Tj " * 4000 + b"ET"
    _page_with(pdf, {"F2": courier}, big)
    path = tmp_path / "budget.pdf"
    pdf.save(path)
    assert _fonts(path) == {"Helvetica": True, "Courier": True, "Times-Roman": False}
    tight = replace(DEFAULT_LIMITS, max_page_text_bytes=5_000)
    assert _fonts(path, tight) == {"Helvetica": True, "Courier": None, "Times-Roman": False}


def test_a_nameless_font_is_named_from_its_descriptor(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    named, nameless = pdf.get_new_xref(), pdf.get_new_xref()
    descriptor = pdf.get_new_xref()
    pdf.update_object(descriptor, "<</Type/FontDescriptor/FontName/Verdana#20Bold/Flags 32>>")
    pdf.update_object(named, f"<</Type/Font/Subtype/TrueType/FontDescriptor {descriptor} 0 R>>")
    pdf.update_object(nameless, "<</Type/Font/Subtype/TrueType>>")
    _page_with(
        pdf, {"F1": named, "F2": nameless}, b"BT /F1 9 Tf 50 50 Td (a) Tj /F2 9 Tf (b) Tj ET"
    )
    path = tmp_path / "nameless.pdf"
    pdf.save(path)
    assert set(_fonts(path)) == {"Verdana Bold", f"unnamed TrueType ({nameless} 0 R)"}


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Caf#E9", "Café"),  # Latin-1 letters are PDFDocEncoding's too
        ("#95#F3d#9Ez", "Łódžz"),  # where PDFDocEncoding is not Latin-1
        ("#E5#BE#AE#E8#BD#AF#E9#9B#85#E9#BB#91", "微软雅黑"),  # UTF-8
        ("Plain", "Plain"),
    ],
)
def test_font_names_are_decoded_as_utf8_else_pdfdocencoding(written: str, read: str) -> None:
    assert decode_name(written) == read


def test_mupdf_names_are_decoded_the_same_way() -> None:
    assert fix_mupdf_name("A\x95B") == "AŁB"
    assert fix_mupdf_name("å¾®è½¯é\x9b\x85é»\x91") == "微软雅黑"


def test_text_space_follows_the_text_matrix() -> None:
    space = TextSpace()
    shown = []
    for op, args in operators(
        b"2 0 0 2 10 20 cm BT /F1 10 Tf 5 5 Td (ab) Tj 0 -10 Td <4142> Tj ET"
    ):
        space.place(op, args)
        if op == "Tj":
            shown.append(space.shown(args))
    first, second = shown
    assert first[0] <= 2 * 5 + 10 <= first[2] and first[1] <= 2 * 5 + 20 <= first[3]
    assert second[1] < first[1]  # the next line is lower
