"""Shapes drawn in Word (readers/word/drawing.py): counted, and their fill behind text boxes.

A vapen drawn as Word shapes shows only on a rendered page, so the reader counts shapes that
draw (`WordInfo.drawn_shapes`): DrawingML shapes with a geometry and VML shapes, not text boxes,
pictures or horizontal rules. Text in a text box stands on its shape's solid fill (its own, else
its style's), which the contrast rule then measures against instead of the paper.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from lxml import etree

from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.readers.word.reader import read_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
VML, OFFICE = "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office"


def _wsp(inner: str) -> str:
    return (
        f'<w:r xmlns:w="{W}"><w:drawing><wp:inline xmlns:wp="{WP}"><wp:extent cx="900000" '
        'cy="600000"/><wp:docPr id="7" name="Shape"/>'
        f'<a:graphic xmlns:a="{A}"><a:graphicData uri="{WPS}">'
        f'<wps:wsp xmlns:wps="{WPS}">{inner}</wps:wsp></a:graphicData></a:graphic></wp:inline>'
        "</w:drawing></w:r>"
    )


def _text_box(fill: str, style: str = "") -> str:
    return _wsp(
        f'<wps:spPr><a:prstGeom prst="rect"/>{fill}</wps:spPr>{style}'
        f'<wps:txbx><w:txbxContent><w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
        "<w:t>Vit text i rutan</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/>"
    )


def _vml(inner: str) -> str:
    return f'<w:r xmlns:w="{W}"><w:pict xmlns:v="{VML}" xmlns:o="{OFFICE}">{inner}</w:pict></w:r>'


def _letter(tmp_path: Path, *runs: str):
    document = docx.Document()
    paragraph = document.add_paragraph("Ale kommun")
    for run in runs:
        paragraph._p.append(etree.fromstring(run))
    path = tmp_path / "shapes.docx"
    document.save(path)
    return read_docx(str(path), DEFAULT_LIMITS)


BLUE_FILL = '<a:solidFill><a:srgbClr val="1F3A68"/></a:solidFill>'
SHIELD = _wsp(f'<wps:spPr><a:prstGeom prst="rect"/>{BLUE_FILL}</wps:spPr><wps:bodyPr/>')


@pytest.mark.parametrize(
    ("runs", "count"),
    [
        ((SHIELD,), 1),
        ((SHIELD, _vml('<v:oval style="width:40pt;height:40pt" fillcolor="red"/>')), 2),
        ((_text_box(BLUE_FILL),), 0),  # a text box is read as text
        ((_vml('<v:rect style="width:0;height:1.5pt" o:hr="t"/>'),), 0),  # a horizontal rule
        ((), 0),
    ],
)
def test_shapes_that_draw_are_counted(tmp_path, runs, count):
    assert _letter(tmp_path, *runs).metadata.word.drawn_shapes == count


def _box_span(document):
    return next(s for s in document.spans() if "Vit text" in s.text)


def test_text_box_text_stands_on_the_shapes_solid_fill(tmp_path):
    shading = _box_span(_letter(tmp_path, _text_box(BLUE_FILL))).shading
    assert shading is not None and shading.rgb == pytest.approx(
        (0x1F / 255, 0x3A / 255, 0x68 / 255)
    )


def test_text_box_fill_from_the_shapes_style(tmp_path):
    style = '<wps:style><a:fillRef idx="1"><a:srgbClr val="000000"/></a:fillRef></wps:style>'
    shading = _box_span(_letter(tmp_path, _text_box("", style))).shading
    assert shading is not None and shading.rgb == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("fill", ["<a:noFill/>", ""])
def test_text_box_without_a_fill_stands_on_the_page(tmp_path, fill):
    assert _box_span(_letter(tmp_path, _text_box(fill))).shading is None


def test_contrast_of_text_box_text_is_measured_against_its_fill(tmp_path):
    from conftest import run_json

    files = {}
    for name, fill in (("filled", BLUE_FILL), ("unfilled", "<a:noFill/>")):
        document = docx.Document()
        document.add_paragraph("Ale kommun")._p.append(etree.fromstring(_text_box(fill)))
        document.save(tmp_path / f"{name}.docx")
        files[name] = str(tmp_path / f"{name}.docx")
    _code, report = run_json("--isolated", "--select", "text-contrast-low", *files.values())
    found = {Path(f["path"]).stem: [x["name"] for x in f["findings"]] for f in report["files"]}
    assert found == {"filled": [], "unfilled": ["text-contrast-low"]}  # white on blue; on white


def test_text_box_on_a_gradient_or_picture_is_not_measured_against_the_paper(tmp_path):
    """What lies behind text on a gradient or picture fill is known only from a render: the
    contrast is unchecked, saying so, never measured against the paper."""
    from conftest import run_json

    gradient = (
        '<a:gradFill><a:gsLst><a:gs pos="0"><a:srgbClr val="FFFFFF"/></a:gs>'
        '<a:gs pos="100000"><a:srgbClr val="1F3A68"/></a:gs></a:gsLst></a:gradFill>'
    )
    assert _box_span(_letter(tmp_path, _text_box(gradient))).shading.rgb is None
    document = docx.Document()
    document.add_paragraph("Ale kommun")._p.append(etree.fromstring(_text_box(gradient)))
    document.save(tmp_path / "gradient.docx")
    _code, report = run_json(
        "--isolated", "--lang", "en", "--select", "A", str(tmp_path / "gradient.docx")
    )
    findings = report["files"][0]["findings"]
    contrast = [f for f in findings if "contrast" in f["name"] + str(f.get("measured"))]
    assert [f["name"] for f in contrast] == ["accessibility-unchecked"]
    assert contrast[0]["measured"]["reason"] == "contrast-unknown-fill"
    assert "gradient" in contrast[0]["message"]
    only = ("--isolated", "--select", "text-contrast-low,accessibility-unchecked")
    assert run_json(*only, str(tmp_path / "gradient.docx"))[0] == 0  # a warning by default
    code, _report = run_json(*only, "--fail-on", "warning", str(tmp_path / "gradient.docx"))
    assert code == 1  # not measured is never a pass at the warning level
