"""The Word reader: effective formatting, parts, images, metadata, and hostile packages."""

from __future__ import annotations

import hashlib
import io
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from PIL import Image

from profilecheck.checks.accessibility.headings import fake_headings
from profilecheck.core.errors import ReadError
from profilecheck.core.facts import WordInfo
from profilecheck.core.limits import DEFAULT_LIMITS, Limits
from profilecheck.core.model import Format, Part, TextSpan
from profilecheck.readers.ooxml.package import NS
from profilecheck.readers.word.reader import read_docx

CORPUS = Path(__file__).parents[1].parent / "shared/corpus/docx"


def nsdecls(*prefixes: str) -> str:
    return " ".join(f'xmlns:{prefix}="{NS[prefix]}"' for prefix in prefixes)


def read(path: Path, limits: Limits = DEFAULT_LIMITS):
    return read_docx(str(path), limits)


def spans_with(document, text: str) -> list[TextSpan]:
    return [span for span in document.spans() if text in span.text]


def one_span(document, text: str) -> TextSpan:
    found = spans_with(document, text)
    assert len(found) == 1, [s.text for s in document.spans()]
    return found[0]


def headings(document) -> list[tuple[str | None, str]]:
    """(style name, text) of the body paragraphs in a heading style."""
    paragraphs: dict[int, list[TextSpan]] = {}
    for span in document.spans():
        if span.part == Part.BODY:
            paragraphs.setdefault(span.line, []).append(span)
    return [
        (spans[0].style, "".join(s.text for s in spans).strip())
        for spans in paragraphs.values()
        if spans[0].heading_style
    ]


def save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def rewrite_parts(path: Path, changes: dict[str, Callable[[bytes], bytes] | bytes | None]) -> None:
    """Rewrite members of a zip in place (the test's own file): bytes, a function, or delete."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    for name, change in changes.items():
        if change is None:
            members.pop(name, None)
        elif callable(change):
            members[name] = change(members[name])
        else:
            members[name] = change
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def png(path: Path, size: tuple[int, int] = (100, 100), colour: str = "green") -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def run_with_rpr(paragraph, text: str, rpr_xml: str):
    run = paragraph.add_run(text)
    run._r.insert(0, parse_xml(f"<w:rPr {nsdecls('w')}>{rpr_xml}</w:rPr>"))
    return run


# --- fonts and formatting -------------------------------------------------------------------------


def test_normal_style_with_theme_fonts_resolves_to_the_theme_font(tmp_path):
    document = docx.Document()
    document.add_paragraph("Hello")
    result = read(save(document, tmp_path / "a.docx"))
    span = one_span(result, "Hello")
    # python-docx's template: docDefaults rFonts asciiTheme="minorHAnsi", theme minor latin Cambria
    assert span.font == "Cambria"
    assert dict(span.font_slots)["ascii"] == "Cambria"
    assert span.size == 11.0  # docDefaults w:sz 22 half-points
    assert span.part == Part.BODY
    assert [font.name for font in result.fonts] == ["Cambria"]
    assert result.format == Format.DOCX and not result.paginated


def test_swedish_letters_use_the_hansi_slot(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    run_with_rpr(paragraph, "Hello ", '<w:rFonts w:ascii="Arial" w:hAnsi="Georgia"/>')
    run_with_rpr(paragraph, "Välkommen till Ale", '<w:rFonts w:ascii="Arial" w:hAnsi="Georgia"/>')
    result = read(save(document, tmp_path / "a.docx"))
    assert one_span(result, "Hello").font == "Arial"
    swedish = one_span(result, "Välkommen")
    assert swedish.font == "Georgia"
    assert dict(swedish.font_slots)["ascii"] == "Arial"
    assert {font.name for font in result.fonts} == {"Arial", "Georgia"}


def test_based_on_chain_and_direct_formatting(tmp_path):
    document = docx.Document()
    base = document.styles.add_style("Bas", 1)
    base.font.name, base.font.size = "Verdana", Pt(14)
    derived = document.styles.add_style("Härledd", 1)
    derived.base_style, derived.font.bold = base, True
    paragraph = document.add_paragraph(style=derived)
    paragraph.add_run("från stilen")
    direct = paragraph.add_run(" direkt")
    direct.font.bold, direct.font.size, direct.font.name = False, Pt(9), "Georgia"
    result = read(save(document, tmp_path / "a.docx"))
    styled = one_span(result, "från stilen")
    assert (styled.font, styled.size, styled.bold) == ("Verdana", 14.0, True)
    override = one_span(result, "direkt")
    assert (override.font, override.size, override.bold) == ("Georgia", 9.0, False)


def test_bold_in_paragraph_and_character_style_toggles_off(tmp_path):
    document = docx.Document()
    strong = document.styles.add_style("Stark", 2)
    strong.font.bold = True
    paragraph = document.add_paragraph(style="Heading 1")  # bold in the template
    paragraph.add_run("rubrik ")
    paragraph.add_run("stark", style=strong)
    result = read(save(document, tmp_path / "a.docx"))
    assert one_span(result, "rubrik").bold is True
    assert one_span(result, "stark").bold is False  # ECMA-376 §17.7.3 toggle property


def test_theme_colour_with_tint_and_shade(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    run_with_rpr(
        paragraph, "ljus", '<w:color w:val="000000" w:themeColor="accent1" w:themeTint="99"/>'
    )
    run_with_rpr(paragraph, "rgb", '<w:color w:val="1E7B3C"/>')
    run_with_rpr(paragraph, "auto", '<w:color w:val="auto"/>')
    document.add_heading("Rubrik", level=1)  # accent1, themeShade BF; Word caches 365F91
    result = read(save(document, tmp_path / "a.docx"))
    tinted = one_span(result, "ljus").colour
    assert tinted.hex == "#95B3D7"  # Word's "Accent 1, lighter 40%" of 4F81BD
    assert not tinted.exact
    plain = one_span(result, "rgb").colour
    assert plain.hex == "#1E7B3C" and plain.exact and plain.space == "rgb"
    assert one_span(result, "auto").colour is None
    shaded = one_span(result, "Rubrik").colour.rgb
    assert all(abs(a * 255 - b) <= 1.01 for a, b in zip(shaded, (0x36, 0x5F, 0x91), strict=True))


def test_highlight_and_shading(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("markerad")
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    run_with_rpr(paragraph, "skuggad", '<w:shd w:val="clear" w:color="auto" w:fill="E2EFD9"/>')
    shaded_paragraph = document.add_paragraph("stycke")
    shaded_paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="DDDDDD"/>')
    )
    result = read(save(document, tmp_path / "a.docx"))
    assert one_span(result, "markerad").highlight.hex == "#FFFF00"
    assert one_span(result, "skuggad").shading.hex == "#E2EFD9"
    assert one_span(result, "stycke").shading.hex == "#DDDDDD"
    assert one_span(result, "markerad").shading is None


def test_table_cells_nested_tables_and_cell_shading(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 0)
    cell.paragraphs[0].add_run("i cellen")
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="1E7B3C"/>')
    )
    inner = table.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).paragraphs[0].add_run("inre tabell")
    result = read(save(document, tmp_path / "a.docx"))
    in_cell = one_span(result, "i cellen")
    assert in_cell.part == Part.TABLE
    assert in_cell.shading.hex == "#1E7B3C"
    nested = one_span(result, "inre tabell")
    assert nested.part == Part.TABLE and nested.shading is None


TABLE_STYLE = f"""<w:style {nsdecls("w")} w:type="table" w:styleId="AleTabell">
  <w:name w:val="Ale tabell"/>
  <w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:color w:val="1E7B3C"/></w:rPr>
</w:style>"""


def test_table_style_run_properties_apply_in_cells(tmp_path):
    document = docx.Document()
    document.styles.element.append(parse_xml(TABLE_STYLE))
    table = document.add_table(rows=1, cols=1)
    table._tbl.tblPr.append(parse_xml(f'<w:tblStyle {nsdecls("w")} w:val="AleTabell"/>'))
    table.cell(0, 0).paragraphs[0].add_run("cell text")
    document.add_paragraph("body text")
    result = read(save(document, tmp_path / "a.docx"))
    cell = one_span(result, "cell text")
    assert (cell.font, cell.colour.hex) == ("Georgia", "#1E7B3C")
    assert one_span(result, "body text").font == "Cambria"


def test_headers_and_footers_of_every_kind(tmp_path):
    document = docx.Document()
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "Ale kommun sidhuvud"
    section.footer.paragraphs[0].text = "0303-70 30 00"
    section.first_page_header.paragraphs[0].text = "Första sidan"
    section.even_page_footer.paragraphs[0].text = "Jämn sidfot"
    document.add_paragraph("Brödtext")
    second = document.add_section()  # linked to the previous: the same parts, read once
    assert second.header.is_linked_to_previous
    result = read(save(document, tmp_path / "a.docx"))
    assert one_span(result, "Ale kommun sidhuvud").part == Part.HEADER
    assert one_span(result, "Första sidan").part == Part.HEADER
    assert one_span(result, "0303-70 30 00").part == Part.FOOTER
    assert one_span(result, "Jämn sidfot").part == Part.FOOTER
    assert result.metadata.word.sections == 2


def test_first_page_header_is_not_text_when_the_section_does_not_show_it(tmp_path):
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Osynlig"
    section.different_first_page_header_footer = False  # the part stays, Word does not show it
    result = read(save(document, tmp_path / "a.docx"))
    assert spans_with(result, "Osynlig") == []


TEXT_BOX_RUN = f"""<w:r {nsdecls("w", "wp", "a", "mc", "v")}
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
 <mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing>
   <wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1"
      behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
    <wp:simplePos x="0" y="0"/>
    <wp:positionH relativeFrom="page"><wp:posOffset>914400</wp:posOffset></wp:positionH>
    <wp:positionV relativeFrom="page"><wp:posOffset>914400</wp:posOffset></wp:positionV>
    <wp:extent cx="1828800" cy="457200"/><wp:wrapNone/>
    <wp:docPr id="5" name="Textruta 5"/>
    <a:graphic><a:graphicData
      uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
     <wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/>
      <wps:txbx><w:txbxContent><w:p><w:r><w:t>Kontakt: Anna Andersson</w:t></w:r></w:p>
      </w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>
    </a:graphicData></a:graphic>
   </wp:anchor></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape style="width:144pt;height:36pt"><v:textbox><w:txbxContent>
   <w:p><w:r><w:t>Kontakt: Anna Andersson</w:t></w:r></w:p></w:txbxContent></v:textbox>
  </v:shape></w:pict></mc:Fallback>
 </mc:AlternateContent></w:r>"""


def test_text_box_is_read_once_not_from_the_fallback(tmp_path):
    document = docx.Document()
    document.add_paragraph()._p.append(parse_xml(TEXT_BOX_RUN))
    result = read(save(document, tmp_path / "a.docx"))
    span = one_span(result, "Anna Andersson")
    assert span.part == Part.TEXT_BOX


FIELDS_PARAGRAPH = f"""<w:p {nsdecls("w", "r")}>
  <w:hyperlink r:id="rId99"><w:r><w:t>www.ale.se</w:t></w:r></w:hyperlink>
  <w:r><w:fldChar w:fldCharType="begin"/></w:r>
  <w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
  <w:r><w:fldChar w:fldCharType="separate"/></w:r>
  <w:r><w:t>2(4)</w:t></w:r>
  <w:r><w:fldChar w:fldCharType="end"/></w:r>
  <w:r><w:t></w:t></w:r>
  <w:del><w:r><w:delText>borttaget</w:delText></w:r></w:del>
  <w:r><w:rPr><w:vanish/></w:rPr><w:t>dold</w:t></w:r>
</w:p>"""


def test_hyperlinks_and_field_results_are_text_codes_and_deletions_are_not(tmp_path):
    document = docx.Document()
    document.element.body.insert(0, parse_xml(FIELDS_PARAGRAPH))
    result = read(save(document, tmp_path / "a.docx"))
    assert [span.text for span in result.spans()] == ["www.ale.se", "2(4)"]


# --- images --------------------------------------------------------------------------------------


def test_inline_image_stretched_two_to_one(tmp_path):
    image = png(tmp_path / "vapen.png")
    document = docx.Document()
    shape = document.add_picture(str(image), width=Inches(2), height=Inches(1))
    shape._inline.docPr.set("descr", "Ales vapen")
    result = read(save(document, tmp_path / "a.docx"))
    (placed,) = result.images()
    assert (placed.pixel_width, placed.pixel_height) == (100, 100)
    assert placed.box.width == pytest.approx(144) and placed.box.height == pytest.approx(72)
    assert placed.transform.aspect_ratio_change == pytest.approx(2.0)
    assert placed.transform.rotation == 0 and not placed.transform.mirrored
    assert placed.alt_text == "Ales vapen"
    assert placed.part == Part.BODY
    assert placed.digest == hashlib.sha1(image.read_bytes()).hexdigest()
    pixels = placed.pixels()
    assert pixels.mode == "RGB" and pixels.size == (100, 100)


def anchor_xml(rel_id: str, rot: int = 0, flip: str = "", crop: str = "", effects: str = "") -> str:
    return f"""<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="0" distR="0"
      simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1"
      allowOverlap="1">
     <wp:simplePos x="0" y="0"/>
     <wp:positionH relativeFrom="page"><wp:posOffset>914400</wp:posOffset></wp:positionH>
     <wp:positionV relativeFrom="page"><wp:posOffset>1828800</wp:posOffset></wp:positionV>
     <wp:extent cx="1270000" cy="635000"/><wp:wrapNone/>
     <wp:docPr id="7" name="Bild 7" title="Logotyp">
      <a:extLst><a:ext uri="{{C183D7F6-B498-43B3-948B-1728B52AA6E4}}">
       <adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"
         val="1"/></a:ext></a:extLst>
     </wp:docPr>
     <a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
      <pic:pic><pic:nvPicPr><pic:cNvPr id="7" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr>
       <pic:blipFill><a:blip r:embed="{rel_id}">{effects}</a:blip>{crop}
        <a:stretch><a:fillRect/></a:stretch></pic:blipFill>
       <pic:spPr><a:xfrm rot="{rot}" {flip}><a:off x="0" y="0"/><a:ext cx="1270000" cy="635000"/>
        </a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>
      </pic:pic></a:graphicData></a:graphic>
    </wp:anchor>"""


def document_with_anchor(tmp_path: Path, size=(200, 100), **kwargs) -> Path:
    image = png(tmp_path / "logo.png", size)
    document = docx.Document()
    shape = document.add_picture(str(image))
    inline = shape._inline
    rel_id = inline.graphic.graphicData.pic.blipFill.blip.embed
    inline.getparent().replace(inline, parse_xml(anchor_xml(rel_id, **kwargs)))
    return save(document, tmp_path / "a.docx")


def test_anchored_image_rotated_and_flipped(tmp_path):
    result = read(document_with_anchor(tmp_path, rot=90 * 60000, flip='flipH="1"'))
    (placed,) = result.images()
    assert (placed.box.x0, placed.box.y0) == pytest.approx((72, 144))
    assert (placed.box.width, placed.box.height) == pytest.approx((100, 50))
    assert placed.transform.rotation == pytest.approx(-90)  # Word turns clockwise
    assert placed.transform.mirrored
    assert placed.transform.aspect_ratio_change == pytest.approx(1.0)
    assert placed.alt_text == "Logotyp"  # title, as there is no description
    assert placed.decorative


GROUP = f"""<wp:anchor {nsdecls("wp", "a", "pic", "r", "wpg")} simplePos="0" relativeHeight="3"
    behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1" distT="0" distB="0" distL="0"
    distR="0">
  <wp:simplePos x="0" y="0"/>
  <wp:positionH relativeFrom="page"><wp:posOffset>914400</wp:posOffset></wp:positionH>
  <wp:positionV relativeFrom="page"><wp:posOffset>1828800</wp:posOffset></wp:positionV>
  <wp:extent cx="2540000" cy="1270000"/><wp:wrapNone/><wp:docPr id="9" name="Grupp 9"/>
  <a:graphic><a:graphicData
      uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup">
   <wpg:wgp><wpg:cNvGrpSpPr/>
    <wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2540000" cy="1270000"/>
     <a:chOff x="0" y="0"/><a:chExt cx="5080000" cy="2540000"/></a:xfrm></wpg:grpSpPr>
    <pic:pic><pic:nvPicPr><pic:cNvPr id="10" name="vapen" descr="Vapnet i gruppen"/>
      <pic:cNvPicPr/></pic:nvPicPr>
     <pic:blipFill><a:blip r:embed="RID"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
     <pic:spPr><a:xfrm><a:off x="2540000" y="0"/><a:ext cx="2540000" cy="2540000"/></a:xfrm>
      <a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>
   </wpg:wgp></a:graphicData></a:graphic></wp:anchor>"""


def test_picture_in_a_group_is_placed_through_the_group_mapping(tmp_path):
    image = png(tmp_path / "logo.png")
    document = docx.Document()
    inline = document.add_picture(str(image))._inline
    rel_id = inline.graphic.graphicData.pic.blipFill.blip.embed
    inline.getparent().replace(inline, parse_xml(GROUP.replace("RID", rel_id)))
    result = read(save(document, tmp_path / "a.docx"))
    (placed,) = result.images()
    # child coordinates are twice the group's size: the picture is the right half, 100×100 pt
    assert placed.box.as_list() == [172, 144, 272, 244]
    assert placed.alt_text == "Vapnet i gruppen"


def test_both_flips_are_a_half_turn_not_a_mirror(tmp_path):
    result = read(document_with_anchor(tmp_path, flip='flipH="1" flipV="1"'))
    (placed,) = result.images()
    assert placed.transform.rotation == pytest.approx(
        180
    ) or placed.transform.rotation == pytest.approx(-180)
    assert not placed.transform.mirrored


def test_crop_enters_the_aspect_ratio(tmp_path):
    # 200×100 pixels with the right half cropped off, shown 100×50 pt: 2:1 stretch of 100×100
    crop = '<a:srcRect r="50000"/>'
    result = read(document_with_anchor(tmp_path, crop=crop))
    (placed,) = result.images()
    assert placed.transform.crop == pytest.approx((0, 0, 0.5, 0))
    assert placed.transform.aspect_ratio_change == pytest.approx(2.0)


def test_recolour_effects(tmp_path):
    effects = (
        '<a:grayscl/><a:duotone><a:prstClr val="black"/><a:srgbClr val="1E7B3C"/></a:duotone>'
        '<a:lum bright="40000"/>'
    )
    result = read(document_with_anchor(tmp_path, effects=effects))
    (placed,) = result.images()
    assert placed.effects == ("grayscale", "duotone:#000000/#1E7B3C", "lum:bright=40000")


def test_vml_picture_in_header_with_grayscale(tmp_path):
    image = png(tmp_path / "logo.png")
    document = docx.Document()
    header = document.sections[0].header
    shape = header.paragraphs[0].add_run().add_picture(str(image))
    rel_id = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    drawing = shape._inline.getparent()
    pict = parse_xml(
        f'<w:pict {nsdecls("w", "v", "o", "r")}><v:shape id="vapen" alt="Vapnet"'
        ' style="position:absolute;margin-left:20pt;margin-top:30pt;width:60pt;height:90pt;'
        'mso-position-horizontal-relative:page;mso-position-vertical-relative:page">'
        f'<v:imagedata r:id="{rel_id}" o:title="" grayscale="t"/></v:shape></w:pict>'
    )
    drawing.getparent().replace(drawing, pict)
    result = read(save(document, tmp_path / "a.docx"))
    (placed,) = result.images()
    assert placed.part == Part.HEADER
    assert placed.box.as_list() == [20, 30, 80, 120]
    assert placed.effects == ("grayscale",)
    assert placed.alt_text == "Vapnet"
    assert placed.transform.aspect_ratio_change == pytest.approx(60 / 90)


def test_image_over_the_pixel_limit_is_a_warning_not_a_crash(tmp_path):
    path = document_with_anchor(tmp_path, size=(200, 100))
    result = read(path, Limits(max_image_pixels=1000))
    (placed,) = result.images()
    assert placed.pixel_width == 0 and placed._loader is None
    assert any("exceeds" in warning or "refused" in warning for warning in result.warnings)


def test_vector_image_part_is_recorded_without_pixels(tmp_path):
    path = document_with_anchor(tmp_path)
    emf = b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + b"\x00" * 64
    rewrite_parts(path, {"word/media/image1.png": emf})
    result = read(path)
    (placed,) = result.images()
    assert placed.pixel_width == 0 and placed._loader is None
    assert any("vector" in warning for warning in result.warnings)


def test_linked_image_is_recorded_without_pixels(tmp_path):
    path = document_with_anchor(tmp_path)
    rewrite_parts(
        path,
        {
            "word/_rels/document.xml.rels": lambda d: d.replace(
                b'Target="media/image1.png"',
                b'Target="file:///C:/bilder/logo.png" TargetMode="External"',
            )
        },
    )
    result = read(path)
    (placed,) = result.images()
    assert placed.pixel_width == 0 and placed.name == "file:///C:/bilder/logo.png"
    assert any("linked image" in warning for warning in result.warnings)


# --- package and metadata ---------------------------------------------------------------------


MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def test_macro_enabled_content_type_opens(tmp_path):
    document = docx.Document()
    document.add_paragraph("Makrodokument")
    path = save(document, tmp_path / "a.docm")
    rewrite_parts(
        path, {"[Content_Types].xml": lambda d: d.replace(DOCX_MAIN.encode(), MACRO_MAIN.encode())}
    )
    with pytest.raises(ValueError):
        docx.Document(str(path))  # python-docx refuses it; the reader does not need python-docx
    result = read(path)
    assert one_span(result, "Makrodokument").font == "Cambria"


def test_core_properties_language_headings_and_fake_headings(tmp_path):
    document = docx.Document()
    document.core_properties.title = "Riktlinjer för kommunikation"
    document.core_properties.author = "Kommunikationsenheten"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")
    document.add_heading("Inledning", level=1)
    fake = document.add_paragraph().add_run("Ser ut som en rubrik")
    fake.bold, fake.font.size = True, Pt(16)
    document.add_paragraph("Vanlig brödtext som är längre än rubriken, i normal storlek.")
    result = read(save(document, tmp_path / "a.docx"))
    meta = result.metadata
    assert meta.title == "Riktlinjer för kommunikation"
    assert meta.author == "Kommunikationsenheten"
    assert meta.language == "sv-SE"
    assert meta.tagged is None
    assert meta.created and meta.created[:2] == "20"
    assert headings(result) == [("heading 1", "Inledning")]
    assert fake_headings(result) == 1
    assert one_span(result, "brödtext").language == "sv-SE"


def test_spans_record_their_paragraph_style_and_the_package_facts(tmp_path):
    document = docx.Document()
    document.core_properties.language = "sv-SE"
    document.add_heading("Inledning", level=1)
    document.add_paragraph("Brödtext")
    result = read(save(document, tmp_path / "a.docx"))
    heading, body = one_span(result, "Inledning"), one_span(result, "Brödtext")
    assert heading.style == "heading 1" and heading.heading_style
    assert body.style == "Normal" and not body.heading_style
    assert result.metadata.word == WordInfo(core_language="sv-SE", sections=1, macros=False)
    assert result.metadata.image is None and result.metadata.structure is None


FOOTNOTES = f"""<w:footnotes {nsdecls("w")}>
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:id="1"><w:p><w:r><w:t>Källa: Ale kommun</w:t></w:r></w:p></w:footnote>
</w:footnotes>""".encode()
FOOTNOTES_REL = (
    b'<Relationship Id="rId90" Target="footnotes.xml" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/footnotes"/></Relationships>'
)
FONT_TABLE = f"""<w:fonts {nsdecls("w", "r")}>
  <w:font w:name="Inbäddad Sans"><w:embedRegular r:id="rId1" w:fontKey="{{00000000-0000}}"/></w:font>
  <w:font w:name="Arial"/>
</w:fonts>""".encode()


def test_footnotes_and_embedded_fonts(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    run_with_rpr(
        paragraph, "inbäddad", '<w:rFonts w:ascii="Inbäddad Sans" w:hAnsi="Inbäddad Sans"/>'
    )
    run_with_rpr(paragraph, " arial", '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>')
    path = save(document, tmp_path / "a.docx")
    rewrite_parts(
        path,
        {
            "word/footnotes.xml": FOOTNOTES,
            "word/fontTable.xml": FONT_TABLE,
            "word/_rels/document.xml.rels": lambda d: d.replace(b"</Relationships>", FOOTNOTES_REL),
        },
    )
    result = read(path)
    assert one_span(result, "Källa").part == Part.FOOTNOTE
    fonts = {font.name: font.embedded for font in result.fonts}
    assert fonts == {"Inbäddad Sans": True, "Arial": None, "Cambria": None}  # Cambria: footnote


def test_page_size_from_the_first_section(tmp_path):
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.27), Inches(11.69)
    result = read(save(document, tmp_path / "a.docx"))
    (page,) = result.pages
    assert page.number == 1
    assert (page.width, page.height) == pytest.approx((595.4, 841.7), abs=0.2)
    assert not page.can_render


# --- hostile input -------------------------------------------------------------------------------


def plain_docx(tmp_path: Path, name: str = "base.docx") -> Path:
    document = docx.Document()
    document.add_paragraph("Hej")
    return save(document, tmp_path / name)


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of raw deflate streams: (name, deflated bytes, declared size, crc)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, size, crc in members:
        offset, encoded = out.tell(), name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0
        )
        out.write(header + encoded + data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(central.getvalue())
    out.write(
        struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            len(members),
            len(members),
            len(central.getvalue()),
            start,
            0,
        )
    )
    path.write_bytes(out.getvalue())


def deflated_zeros(total: int) -> bytes:
    """A raw deflate stream of `total` zero bytes, built from one repeated full-flush block."""
    chunk_size = 16 * 1024 * 1024
    assert total % chunk_size == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(chunk_size)) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return block * (total // chunk_size) + end


def bomb_docx(tmp_path: Path, total: int) -> Path:
    with zipfile.ZipFile(plain_docx(tmp_path)) as source:
        members = []
        for info in source.infolist():
            data = source.read(info)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append(
                (
                    info.filename,
                    compressor.compress(data) + compressor.flush(),
                    len(data),
                    zlib.crc32(data),
                )
            )
    members.append(("word/media/bomb.bin", deflated_zeros(total), total, 0))
    path = tmp_path / "bomb.docx"
    raw_zip(path, members)
    return path


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    started = time.perf_counter()
    path = bomb_docx(tmp_path, 2 * 1024**3)
    assert path.stat().st_size < 5 * 1024**2
    with zipfile.ZipFile(path) as check:  # the synthesised zip is well-formed as a directory
        assert check.getinfo("word/media/bomb.bin").file_size == 2 * 1024**3
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "resource-limit"
    assert "zip bomb" in error.value.message
    assert time.perf_counter() - started < 2


def test_member_with_a_bomb_ratio_is_refused_even_under_the_total(tmp_path):
    path = bomb_docx(tmp_path, 256 * 1024**2)
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "resource-limit"
    assert "compressed" in error.value.message


def test_too_many_members(tmp_path):
    with pytest.raises(ReadError) as error:
        read(plain_docx(tmp_path), Limits(max_zip_members=3))
    assert error.value.finding == "resource-limit"


def test_member_count_is_checked_before_the_directory_is_parsed(tmp_path, monkeypatch):
    path = plain_docx(tmp_path)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 65000, 65000)  # claims 65,000 members
    path.write_bytes(bytes(data))

    def never(*args, **kwargs):
        raise AssertionError("zipfile must not parse a directory that claims too many members")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    with pytest.raises(ReadError) as error:
        read(path, Limits(max_zip_members=20_000))
    assert error.value.finding == "resource-limit"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

XXE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused(tmp_path, payload):
    path = plain_docx(tmp_path)
    rewrite_parts(path, {"word/document.xml": payload})
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "unreadable-file"
    assert "DTD" in error.value.message and "refused" in error.value.message


def test_dtd_behind_a_long_comment_is_still_refused_and_never_resolved(tmp_path):
    payload = XXE.replace(b"<!DOCTYPE", b"<!--" + b" " * 10_000 + b"-->\n<!DOCTYPE", 1)
    path = plain_docx(tmp_path)
    rewrite_parts(path, {"word/document.xml": payload})
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "unreadable-file"
    assert "DTD" in error.value.message
    assert "root:" not in error.value.message


def test_dtd_in_a_header_or_rels_part_is_refused(tmp_path):
    path = plain_docx(tmp_path)
    rewrite_parts(
        path, {"word/_rels/document.xml.rels": lambda d: d.replace(b"?>", b"?><!DOCTYPE x>", 1)}
    )
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "unreadable-file"


def test_python_docx_parser_does_not_resolve_entities():
    from docx.oxml.parser import oxml_parser

    element = docx.oxml.parser.parse_xml(XXE)
    text = "".join(element.itertext())
    assert "root:" not in text
    assert oxml_parser is not None


def test_truncated_docx(tmp_path):
    path = plain_docx(tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "unreadable-file"


def test_zip_without_a_main_document(tmp_path):
    path = plain_docx(tmp_path)
    rewrite_parts(path, {"word/document.xml": None})
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "unreadable-file"
    assert "word/document.xml" in error.value.message


def test_broken_main_xml(tmp_path):
    path = plain_docx(tmp_path)
    rewrite_parts(path, {"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(ReadError) as error:
        read(path)
    assert error.value.finding == "unreadable-file"


def test_broken_optional_part_is_a_warning(tmp_path):
    path = plain_docx(tmp_path)
    rewrite_parts(path, {"word/styles.xml": b"<w:styles"})
    result = read(path)
    assert one_span(result, "Hej").font == "Times New Roman"
    assert any("styles.xml" in warning for warning in result.warnings)


# --- real files ----------------------------------------------------------------------------------


CORPUS_FILES = sorted(CORPUS.glob("*.docx")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_file_reads(path):
    with read(path) as result:
        assert len(result.pages) == 1
        for span in result.spans():
            assert span.text.strip() and span.font and span.size > 0
        for image in result.images():
            assert image.box.width >= 0
        assert result.metadata.word.sections >= 1
