"""A506 `scanned-without-text` counts raster images only: image XObjects and inline images,
never shadings (`sh`, shading patterns, mesh shadings) or soft-masked fills, which PyMuPDF's
image info reports as xref-0 "images". Each PDF is written object by object with PyMuPDF."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from conftest import run_json

from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.readers import read_document
from profilecheck.readers.sniffer import sniff

SIZE = 200
AXIAL = (
    "<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 200 0] /Extend [true true]"
    " /Function << /FunctionType 2 /Domain [0 1] /C0 [1 0 0] /C1 [0 0 1] /N 1 >> >>"
)
# A free-form triangle mesh (type 4) covering the page's lower right half, 8-bit data.
MESH = (
    "<< /ShadingType 4 /ColorSpace /DeviceRGB /BitsPerCoordinate 8 /BitsPerComponent 8"
    " /BitsPerFlag 8 /Decode [0 200 0 200 0 1 0 1 0 1] >>"
)
MESH_DATA = bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255])
GRAY_2X2 = bytes([0, 255, 255, 0])


def write_page(path: Path, content: bytes, resources: str = "", objects=()) -> Path:
    """A one-page PDF whose content stream is `content`. `objects` are (dictionary, stream or
    None) written in order; `{0}`, `{1}`… in a dictionary or in `resources` name the numbers
    of the objects written before it."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=SIZE, height=SIZE)
    numbers: list[int] = []
    for dictionary, stream in objects:
        number = pdf.get_new_xref()
        pdf.update_object(number, dictionary.format(*numbers))
        if stream is not None:
            pdf.update_stream(number, stream)
        numbers.append(number)
    contents = pdf.get_new_xref()
    pdf.update_object(contents, "<< >>")
    pdf.update_stream(contents, content)
    pdf.xref_set_key(page.xref, "Contents", f"{contents} 0 R")
    pdf.xref_set_key(page.xref, "Resources", resources.format(*numbers) or "<< >>")
    pdf.save(path)
    return path


def shading_sh(path: Path) -> Path:
    return write_page(path, b"q /Sh1 sh Q", "<< /Shading << /Sh1 {0} 0 R >> >>", [(AXIAL, None)])


def shading_pattern(path: Path) -> Path:
    return write_page(
        path,
        b"/Pattern cs /P1 scn 0 0 200 200 re f",
        "<< /Pattern << /P1 {1} 0 R >> >>",
        [(AXIAL, None), ("<< /PatternType 2 /Shading {0} 0 R >>", None)],
    )


def mesh_shading(path: Path) -> Path:
    return write_page(path, b"/Sh1 sh", "<< /Shading << /Sh1 {0} 0 R >> >>", [(MESH, MESH_DATA)])


def soft_masked_rectangle(path: Path) -> Path:
    """A blue rectangle over the page whose soft mask is a gradient (a luminosity group that
    paints a shading): how gradient transparency is exported."""
    group = (
        "<< /Type /XObject /Subtype /Form /BBox [0 0 200 200]"
        " /Group << /S /Transparency /CS /DeviceRGB >> /Resources << /Shading << /Sh1 {0} 0 R >> >> >>"
    )
    mask = "<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G {1} 0 R >> >>"
    return write_page(
        path,
        b"q /GS1 gs 0 0 1 rg 0 0 200 200 re f Q",
        "<< /ExtGState << /GS1 {2} 0 R >> >>",
        [(AXIAL, None), (group, b"/Sh1 sh"), (mask, None)],
    )


def inline_scan(path: Path) -> Path:
    return write_page(
        path, b"q 200 0 0 200 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
    )


def inline_stencil_scan(path: Path) -> Path:
    """A fax-like scan: a 1-bit stencil mask (/ImageMask), painted inline."""
    return write_page(path, b"q 0 g 200 0 0 200 0 0 cm BI /W 8 /H 2 /IM true ID \x0f\xf0 EI Q")


def xobject_scan(path: Path) -> Path:
    image = (
        "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
        " /BitsPerComponent 8 >>"
    )
    return write_page(
        path,
        b"q 200 0 0 200 0 0 cm /Im1 Do Q",
        "<< /XObject << /Im1 {0} 0 R >> >>",
        [(image, GRAY_2X2)],
    )


def shading_beside_inline_image(path: Path) -> Path:
    """A full-page shading and, over it, a small inline image: one raster image, one not."""
    return write_page(
        path,
        b"q /Sh1 sh Q q 40 0 0 40 10 10 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q",
        "<< /Shading << /Sh1 {0} 0 R >> >>",
        [(AXIAL, None)],
    )


VECTOR_ART = [shading_sh, shading_pattern, mesh_shading, soft_masked_rectangle]
SCANS = [inline_scan, inline_stencil_scan, xobject_scan]


def images(path: Path) -> list:
    with read_document(str(path), sniff(path), DEFAULT_LIMITS) as document:
        return [(image.raster, image.name) for image in document.pages[0].images]


@pytest.mark.parametrize("build", VECTOR_ART, ids=lambda build: build.__name__)
def test_shadings_are_not_raster_images(tmp_path, build):
    assert all(not raster for raster, _ in images(build(tmp_path / "art.pdf")))


@pytest.mark.parametrize("build", SCANS, ids=lambda build: build.__name__)
def test_image_xobjects_and_inline_images_are_raster(tmp_path, build):
    found = images(build(tmp_path / "scan.pdf"))
    assert found and all(raster for raster, _ in found)


def test_an_inline_image_over_a_shading_is_told_apart(tmp_path):
    found = images(shading_beside_inline_image(tmp_path / "both.pdf"))
    assert sorted(found) == [(False, "shading"), (True, "inline image")]


def scanned(folder: Path) -> dict[str, list[dict]]:
    _, report = run_json("--exit-zero", "--select", "A506", str(folder))
    return {Path(entry["path"]).stem: entry["findings"] for entry in report["files"]}


def test_scanned_without_text_only_for_raster_pages(tmp_path):
    for build in VECTOR_ART + SCANS:
        build(tmp_path / f"{build.__name__}.pdf")
    found = scanned(tmp_path)
    assert {stem for stem, findings in found.items() if findings} == {b.__name__ for b in SCANS}
    for build in SCANS:
        assert [f["code"] for f in found[build.__name__]] == ["A506"]


def test_cover_is_measured_exactly_overlaps_once():
    from profilecheck.checks.accessibility import _covered
    from profilecheck.core.model import Box

    page = Box(0, 0, 612, 792)
    # qpdf's large-inline-image test page: 48.4 % covered, which a 32 × 32 grid put over half
    boxes = [
        Box(100, 80, 198, 192),
        Box(6, 227.25, 606, 564.75),
        Box(400, 80, 498, 192),
        Box(256, 620, 356, 720),
    ]
    assert _covered(page, boxes) == pytest.approx(234452 / (612 * 792))
    halves = [Box(0, 0, 612, 396), Box(0, 0, 612, 396), Box(-50, 300, 700, 396)]
    assert _covered(page, halves) == pytest.approx(0.5)
