"""The PowerPoint reader: effective formatting through every level of inheritance, slides as
pages, speaker notes, pictures, groups, tables, paint, metadata, and hostile packages; and
`profilecheck check` on the presentation fixtures."""

from __future__ import annotations

import colorsys
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli, run_json
from lxml import etree

from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Format, Part, TextSpan
from profilecheck.readers import sniff
from profilecheck.readers.ooxml.package import NS
from profilecheck.readers.pptx.reader import read_pptx

pptx = pytest.importorskip("pptx")
from pptx.util import Inches, Mm, Pt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
VAPEN = ROOT / "rules/ale/artwork/png/vapen-colour-screen.png"  # 214 × 256 px
A = NS["a"]


def a(name: str) -> str:
    return f"{{{A}}}{name}"


def build(path: Path, edit: Callable | None = None) -> Path:
    """A one-slide presentation (Title and Content) with a title, a bullet and a text box,
    its theme fonts MajorFont and MinorFont; `edit(prs, slide)` changes it before saving."""
    prs = pptx.Presentation()
    _theme(prs, {r'<a:majorFont><a:latin typeface="[^"]*"': '<a:majorFont><a:latin typeface="MajorFont"',
                 r'<a:minorFont><a:latin typeface="[^"]*"': '<a:minorFont><a:latin typeface="MinorFont"'})  # fmt: skip
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Rubrik"
    slide.placeholders[1].text = "Punkt"
    slide.shapes.add_textbox(Mm(10), Mm(150), Mm(100), Mm(20)).text_frame.text = "Ruta"
    if edit is not None:
        edit(prs, slide)
    prs.save(path)
    return path


def _theme(prs, replacements: dict[str, str]) -> None:
    for part in prs.part.package.iter_parts():
        if str(part.partname).startswith("/ppt/theme/"):
            blob = part.blob.decode("utf-8")
            for pattern, value in replacements.items():
                blob = re.sub(pattern, value, blob)
            part._blob = blob.encode("utf-8")


def rewritten(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the package `source` with one member's bytes changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == member else data)
    return target


def read(path: Path):
    return read_pptx(str(path), DEFAULT_LIMITS)


def one_span(document, text: str) -> TextSpan:
    found = [span for span in document.spans() if span.text == text]
    assert len(found) == 1, [s.text for s in document.spans()]
    return found[0]


def level_rpr(container: etree._Element, level: int = 1) -> etree._Element:
    """The a:defRPr of level `level` in a list style (lstStyle, bodyStyle, ...), made if needed."""
    name = a(f"lvl{level}pPr")
    ppr = container.find(name)
    if ppr is None:
        ppr = etree.SubElement(container, name)
    rpr = ppr.find(a("defRPr"))
    return rpr if rpr is not None else etree.SubElement(ppr, a("defRPr"))


def set_font(rpr: etree._Element, typeface: str | None = None, colour: str | None = None,
             size: int | None = None) -> None:  # fmt: skip
    if typeface is not None:
        for old in rpr.findall(a("latin")):
            rpr.remove(old)
        etree.SubElement(rpr, a("latin"), typeface=typeface)
    if colour is not None:
        for old in rpr.findall(a("solidFill")):
            rpr.remove(old)
        fill = etree.Element(a("solidFill"))
        etree.SubElement(fill, a("srgbClr"), val=colour)
        rpr.insert(0, fill)
    if size is not None:
        rpr.set("sz", str(size))


def lst_style(shape_element: etree._Element) -> etree._Element:
    body = shape_element.find("{*}txBody")
    found = body.find(a("lstStyle"))
    if found is None:
        found = etree.Element(a("lstStyle"))
        body.insert(1, found)
    return found


def placeholder(shapes, idx: int):
    return next(s for s in shapes if s.is_placeholder and s.placeholder_format.idx == idx)


# --- effective formatting ------------------------------------------------------------------------


def _master_body_style(prs, slide):
    return level_rpr(prs.slide_master._element.find("{*}txStyles/{*}bodyStyle"))


def _master_placeholder(prs, slide):
    return level_rpr(lst_style(placeholder(prs.slide_master.placeholders, 1)._element))


def _layout_placeholder(prs, slide):
    return level_rpr(lst_style(placeholder(slide.slide_layout.placeholders, 1)._element))


def _shape_list_style(prs, slide):
    return level_rpr(lst_style(slide.placeholders[1]._element))


def _paragraph(prs, slide):
    ppr = slide.placeholders[1].text_frame.paragraphs[0]._p.get_or_add_pPr()
    return (
        ppr.find(a("defRPr"))
        if ppr.find(a("defRPr")) is not None
        else etree.SubElement(ppr, a("defRPr"))
    )


def _run(prs, slide):
    return slide.placeholders[1].text_frame.paragraphs[0].runs[0]._r.get_or_add_rPr()


LEVELS = [
    ("master text style", _master_body_style),
    ("master placeholder", _master_placeholder),
    ("layout placeholder", _layout_placeholder),
    ("shape list style", _shape_list_style),
    ("paragraph", _paragraph),
    ("run", _run),
]


@pytest.mark.parametrize("depth", range(len(LEVELS)), ids=[name for name, _ in LEVELS])
def test_the_nearest_level_sets_font_size_and_colour(tmp_path: Path, depth: int) -> None:
    def edit(prs, slide):
        for number, (_, where) in enumerate(LEVELS[: depth + 1]):
            set_font(where(prs, slide), f"Font{number}", f"0000{number:02X}", 1000 + 100 * number)

    span = one_span(read(build(tmp_path / "levels.pptx", edit)), "Punkt")
    assert span.font == f"Font{depth}"
    assert span.colour is not None and span.colour.hex == f"#0000{depth:02X}"
    assert span.colour.exact
    assert span.size == 10 + depth
    assert span.part == Part.BODY and not span.heading_style


def test_theme_fonts_and_colours_when_nothing_else_says(tmp_path: Path) -> None:
    document = read(build(tmp_path / "theme.pptx"))
    title, body, box = (one_span(document, t) for t in ("Rubrik", "Punkt", "Ruta"))
    assert (title.font, title.size, title.heading_style) == ("MajorFont", 44.0, True)
    assert (body.font, body.size) == ("MinorFont", 32.0)  # the master's body style, level 1
    assert (box.font, box.size, box.part) == ("MinorFont", 18.0, Part.TEXT_BOX)
    assert {span.colour.hex for span in (title, body, box)} == {"#000000"}  # tx1 → dk1


def test_text_boxes_take_the_other_style_then_the_presentation_default(tmp_path: Path) -> None:
    def edit(prs, slide):
        default = prs.part._element.find("{*}defaultTextStyle")
        set_font(level_rpr(default), "DefaultStyle", size=2000)
        other = level_rpr(prs.slide_master._element.find("{*}txStyles/{*}otherStyle"))
        set_font(other, "OtherStyle")
        other.attrib.pop("sz", None)  # the size comes from the presentation's default

    box = one_span(read(build(tmp_path / "other.pptx", edit)), "Ruta")
    assert (box.font, box.size) == ("OtherStyle", 20.0)


def test_paragraph_levels_and_theme_font_references(tmp_path: Path) -> None:
    def edit(prs, slide):
        body = prs.slide_master._element.find("{*}txStyles/{*}bodyStyle")
        set_font(level_rpr(body, 2), "+mj-lt", size=1234)
        paragraph = slide.placeholders[1].text_frame.add_paragraph()
        paragraph.text, paragraph.level = "Underpunkt", 1

    document = read(build(tmp_path / "level2.pptx", edit))
    span = one_span(document, "Underpunkt")
    assert (span.font, span.size) == ("MajorFont", 12.34)
    assert one_span(document, "Punkt").size == 32.0


def test_scheme_colours_go_through_the_colour_map_and_their_modifiers(tmp_path: Path) -> None:
    def edit(prs, slide):
        prs.slide_master._element.find("{*}clrMap").set("tx1", "dk2")  # dk2 = 1F497D
        rpr = _run(prs, slide)
        fill = etree.SubElement(rpr, a("solidFill"))
        scheme = etree.SubElement(fill, a("schemeClr"), val="accent1")  # 4F81BD
        etree.SubElement(scheme, a("lumMod"), val="50000")

    document = read(build(tmp_path / "map.pptx", edit))
    assert one_span(document, "Rubrik").colour.hex == "#1F497D"
    hue, light, sat = colorsys.rgb_to_hls(0x4F / 255, 0x81 / 255, 0xBD / 255)
    expected = "#" + "".join(
        f"{round(c * 255):02X}" for c in colorsys.hls_to_rgb(hue, light / 2, sat)
    )
    colour = one_span(document, "Punkt").colour
    assert colour.hex == expected and not colour.exact


def test_a_slide_overrides_the_masters_colour_map(tmp_path: Path) -> None:
    def edit(prs, slide):
        override = slide._element.find("{*}clrMapOvr")
        if override is None:
            override = etree.SubElement(slide._element, f"{{{NS['p']}}}clrMapOvr")
        mapping = prs.slide_master._element.find("{*}clrMap").attrib
        etree.SubElement(override, a("overrideClrMapping"), {**mapping, "tx1": "accent1"})

    assert one_span(read(build(tmp_path / "ovr.pptx", edit)), "Ruta").colour.hex == "#4F81BD"


# --- slides, notes, metadata ----------------------------------------------------------------------


def test_one_page_per_slide_the_size_of_the_slide(tmp_path: Path) -> None:
    def edit(prs, slide):
        prs.slide_width, prs.slide_height = Mm(338.67), Mm(190.5)
        prs.slides.add_slide(prs.slide_layouts[6])
        prs.slides.add_slide(prs.slide_layouts[5]).shapes.title.text = "Tre"

    document = read(build(tmp_path / "size.pptx", edit))
    assert document.format is Format.PPTX and document.paginated
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert document.pages[0].box.in_mm()[2:] == (338.67, 190.5)
    assert one_span(document, "Tre").page == 3


def test_speaker_notes_are_text_of_their_slide_but_not_laid_out(tmp_path: Path) -> None:
    def edit(prs, slide):
        slide.notes_slide.notes_text_frame.text = "Ring 0303-33 00 00"

    document = read(build(tmp_path / "notes.pptx", edit))
    span = one_span(document, "Ring 0303-33 00 00")
    assert (span.part, span.page, span.box) == (Part.NOTES, 1, None)
    assert span.font  # the notes master's style and theme
    assert document.metadata.presentation.notes == (1,)
    assert "0303-33 00 00" in document.pages[0].text


def test_title_language_and_hidden_slides(tmp_path: Path) -> None:
    def edit(prs, slide):
        prs.core_properties.title = "Informationskväll"
        prs.core_properties.language = "sv-SE"
        _run(prs, slide).set("lang", "sv-SE")
        hidden = prs.slides.add_slide(prs.slide_layouts[5])
        hidden.shapes.title.text = "Dold"
        hidden._element.set("show", "0")

    document = read(build(tmp_path / "meta.pptx", edit))
    metadata = document.metadata
    assert metadata.title == "Informationskväll"
    assert metadata.presentation.hidden == (2,)
    assert metadata.presentation.core_language == "sv-SE"
    assert one_span(document, "Punkt").language == "sv-SE"
    assert one_span(document, "Dold").page == 2  # included, and marked


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/vnd.openxmlformats-officedocument.presentationml.template.main+xml", "template"),
        ("application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml", "slide show"),
        ("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", "presentation"),
    ],
    ids=["potx", "ppsx", "pptm"],
)  # fmt: skip
def test_templates_slide_shows_and_macro_enabled_files_are_presentations(
    tmp_path: Path, content_type: str, kind: str
) -> None:
    pattern = rb'(PartName="/ppt/presentation.xml" ContentType=")[^"]*"'
    target = rewritten(
        build(tmp_path / "base.pptx"),
        tmp_path / "renamed.bin",
        "[Content_Types].xml",
        lambda data: re.sub(pattern, rb"\g<1>" + content_type.encode() + b'"', data),
    )
    assert sniff(target).format is Format.PPTX
    document = read(target)
    assert document.metadata.presentation.kind == kind
    assert one_span(document, "Rubrik").page == 1


def test_an_excel_workbook_is_not_a_presentation(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff(path).format is Format.UNKNOWN


# --- pictures, groups, tables, paint --------------------------------------------------------------


def test_pictures_with_alt_text_crop_rotation_and_flip(tmp_path: Path) -> None:
    def edit(prs, slide):
        picture = slide.shapes.add_picture(str(VAPEN), Mm(20), Mm(20), Mm(21.4), Mm(25.6))
        picture._element.nvPicPr.cNvPr.set("descr", "Ale kommuns vapen")
        plain = slide.shapes.add_picture(str(VAPEN), Mm(100), Mm(20), Mm(21.4 * 0.8), Mm(25.6))
        plain._element.nvPicPr.cNvPr.set("descr", "")  # python-pptx writes the file name
        plain.crop_left = 0.2
        plain.rotation = 30
        plain._element.spPr.find(a("xfrm")).set("flipH", "1")
        blip = plain._element.blipFill.find(a("blip"))
        etree.SubElement(blip, a("grayscl"))

    document = read(build(tmp_path / "pictures.pptx", edit))
    first, second = document.pages[0].images
    assert first.alt_text == "Ale kommuns vapen" and first.part == Part.IMAGE
    assert (first.pixel_width, first.pixel_height) == (214, 256)
    assert first.box.in_mm()[:2] == (20.0, 20.0)
    assert abs(first.transform.aspect_ratio_change - 1) < 0.01
    assert second.alt_text is None
    assert second.transform.crop[0] == pytest.approx(0.2)
    assert abs(second.transform.aspect_ratio_change - 1) < 0.01  # cropped, not stretched
    assert second.transform.rotation == -30.0 and second.transform.mirrored
    assert second.effects == ("grayscale",)
    assert first.pixels().size == (214, 256)


def test_groups_map_their_childrens_coordinates_rotation_and_flips(tmp_path: Path) -> None:
    def edit(prs, slide):
        group = slide.shapes.add_group_shape()
        group.shapes.add_picture(str(VAPEN), Inches(1), Inches(1), Inches(1), Inches(1.2))
        xfrm = group._element.grpSpPr.find(a("xfrm"))
        for name, values in (("off", (Inches(2), Inches(2))), ("ext", (Inches(2), Inches(1.2))),
                             ("chOff", (Inches(1), Inches(1))), ("chExt", (Inches(1), Inches(1.2)))):  # fmt: skip
            element = xfrm.find(a(name))
            keys = ("x", "y") if name.endswith("Off") or name == "off" else ("cx", "cy")
            for key, value in zip(keys, values, strict=True):
                element.set(key, str(int(value)))
        xfrm.set("rot", str(90 * 60000))
        xfrm.set("flipV", "1")

    image = read(build(tmp_path / "group.pptx", edit)).pages[0].images[0]
    assert image.box.as_list() == [144.0, 144.0, 288.0, 230.4]  # twice as wide in the group
    assert image.transform.aspect_ratio_change == pytest.approx(2.0, rel=0.01)
    assert image.transform.rotation == -90.0 and image.transform.mirrored


def test_tables_give_cell_text_boxes_and_fills(tmp_path: Path) -> None:
    def edit(prs, slide):
        frame = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1))
        table = frame.table
        table.cell(1, 1).text = "Antagande"
        table.cell(1, 1).fill.solid()
        table.cell(1, 1).fill.fore_color.rgb = pptx.dml.color.RGBColor(0x1E, 0x7B, 0x3C)

    document = read(build(tmp_path / "table.pptx", edit))
    span = one_span(document, "Antagande")
    assert span.part == Part.TABLE
    assert span.box.as_list() == [216.0, 324.0, 360.0, 360.0]
    assert span.shading.hex == "#1E7B3C"
    fills = [p for p in document.pages[0].paints if p.colour.hex == "#1E7B3C"]
    assert [p.box for p in fills] == [span.box]


def test_a_tables_style_gives_its_header_row_and_bands_their_look(tmp_path: Path) -> None:
    def edit(prs, slide):
        table = slide.shapes.add_table(3, 1, Inches(1), Inches(4), Inches(4), Inches(1.5)).table
        for row, text in enumerate(("Rubrikrad", "Band ett", "Band två")):
            table.cell(row, 0).text = text

    document = read(build(tmp_path / "styled.pptx", edit))
    header, first, second = (one_span(document, t) for t in ("Rubrikrad", "Band ett", "Band två"))
    assert header.bold and header.colour.hex == "#FFFFFF" and header.shading.hex == "#4F81BD"
    assert not first.bold and first.colour.hex == "#000000"
    assert first.shading != second.shading  # band 1 (accent 1, 40 % tint), band 2 (20 %)
    assert header.font == "MinorFont"


def test_shape_fills_and_lines_are_vector_paint(tmp_path: Path) -> None:
    def edit(prs, slide):
        shape = slide.shapes.add_shape(1, Inches(1), Inches(1), Inches(2), Inches(1))
        shape.fill.solid()
        shape.fill.fore_color.rgb = pptx.dml.color.RGBColor(0xE4, 0x00, 0x7C)
        shape.line.color.rgb = pptx.dml.color.RGBColor(0x0B, 0x5A, 0xA6)
        shape.text_frame.text = "Etikett"
        themed = slide.shapes.add_shape(1, Inches(4), Inches(1), Inches(1), Inches(1))
        themed.text_frame.text = "Tema"

    document = read(build(tmp_path / "paint.pptx", edit))
    paints = {(p.operation, p.colour.hex) for p in document.pages[0].paints}
    assert {("fill", "#E4007C"), ("stroke", "#0B5AA6"), ("fill", "#4F81BD")} <= paints
    label = one_span(document, "Etikett")
    assert label.shading.hex == "#E4007C" and label.part == Part.TEXT_BOX
    assert one_span(document, "Tema").colour.hex == "#FFFFFF"  # the style's fontRef: lt1


# --- hostile packages ------------------------------------------------------------------------------


def test_a_zip_bomb_ends_in_a_clean_status(tmp_path: Path) -> None:
    import bombs

    path = bombs.pptx_zip_bomb(tmp_path / "bomb.pptx")
    code, report = run_json(str(path))
    (entry,) = report["files"]
    assert code == 1 and entry["status"] == "unreadable" and entry["format"] == "pptx"
    assert [f["name"] for f in entry["findings"]] == ["resource-limit"]
    assert "zip bomb" in entry["findings"][0]["message"]


def test_a_dtd_in_a_slide_is_refused(tmp_path: Path) -> None:
    dtd = b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
    target = rewritten(
        build(tmp_path / "base.pptx"),
        tmp_path / "dtd.pptx",
        "ppt/slides/slide1.xml",
        lambda data: data.replace(b"?>", dtd, 1),
    )
    code, report = run_json(str(target))
    (entry,) = report["files"]
    assert code == 1 and entry["status"] == "unreadable"
    assert "DTD" in entry["findings"][0]["message"]


def test_a_damaged_presentation_part_is_unreadable(tmp_path: Path) -> None:
    source = build(tmp_path / "base.pptx")
    target = rewritten(source, tmp_path / "damaged.pptx", "ppt/presentation.xml", lambda d: d[:40])
    code, report = run_json(str(target))
    assert code == 1 and report["files"][0]["status"] == "unreadable"


def test_a_damaged_slide_is_not_read_and_says_so(tmp_path: Path) -> None:
    def edit(prs, slide):
        prs.slides.add_slide(prs.slide_layouts[5]).shapes.title.text = "Två"

    source = build(tmp_path / "base.pptx", edit)
    target = rewritten(source, tmp_path / "slide.pptx", "ppt/slides/slide1.xml", lambda d: d[:60])
    code, report = run_json(str(target))
    (entry,) = report["files"]
    assert code == 1 and entry["status"] == "checked"
    unread = [f for f in entry["findings"] if f["name"] == "unreadable-file"]
    assert len(unread) == 1 and "slide 1" in unread[0]["message"]


# --- the fixtures, through the command line --------------------------------------------------------


def _manifest() -> dict[str, dict]:
    entries = tomllib.loads((FIXTURES / "manifest.toml").read_text("utf-8"))["fixture"]
    return {e["file"]: e for e in entries if e["file"].startswith("pptx/")}


def test_check_gives_each_presentation_fixture_its_findings() -> None:
    expected = _manifest()
    assert len(expected) == 7
    _, report = run_json("--exit-zero", str(FIXTURES / "pptx"))
    for entry in report["files"]:
        file = Path(entry["path"]).relative_to(FIXTURES).as_posix()
        found = {finding["name"] for finding in entry["findings"]}
        assert entry["status"] == "checked" and entry["format"] == "pptx", file
        assert set(expected[file]["expect"]) <= found, file
        assert not set(expected[file]["expect_not"]) & found, file
        if expected[file].get("exact"):
            above_info = [f["name"] for f in entry["findings"] if f["severity"] != "info"]
            assert above_info == [], file
    assert len(report["files"]) == len(expected)


def test_checking_a_word_file_does_not_load_the_powerpoint_reader() -> None:
    code = (
        "import sys\n"
        "from profilecheck.engine.engine import Engine\n"
        "from profilecheck.profile.config import Settings\n"
        "from profilecheck.profile.loading import load_profile\n"
        "Engine(load_profile('ale'), Settings(profile='ale')).check_file(sys.argv[1])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pptx', 'profilecheck.readers.pptx'))))\n"
    )
    docx = FIXTURES / "docx" / "letter-compliant.docx"
    done = subprocess.run([sys.executable, "-c", code, str(docx)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_command_line_reads_a_presentation_named_anything(tmp_path: Path) -> None:
    path = build(tmp_path / "slides.fuzz")
    done = run_cli("check", "--exit-zero", "--format", "json", str(path))
    assert '"format": "pptx"' in done.stdout


def test_a_contact_only_on_an_earlier_slide_is_not_on_the_last_one(tmp_path: Path) -> None:
    contact = "Kontaktperson: Anna Lindqvist, 0303-70 31 45, anna.lindqvist@ale.se"

    def edit(prs, slide):
        slide.placeholders[1].text = contact
        prs.slides.add_slide(prs.slide_layouts[5]).shapes.title.text = "Frågor?"

    early = build(tmp_path / "early.pptx", edit)
    late = build(
        tmp_path / "late.pptx",
        lambda prs, slide: setattr(
            prs.slides.add_slide(prs.slide_layouts[1]).placeholders[1], "text", contact
        ),
    )
    _, report = run_json("--exit-zero", "--select", "K", "--lang", "en", str(early), str(late))
    by_file = {Path(e["path"]).name: e["findings"] for e in report["files"]}
    (finding,) = by_file["early.pptx"]
    assert finding["name"] == "contact-missing" and finding["severity"] == "warning"
    assert finding["location"]["page"] == 2 and "not on the last slide" in finding["message"]
    assert by_file["late.pptx"] == []


def test_small_text_on_slides_is_too_small_but_speaker_notes_are_not_judged(tmp_path: Path) -> None:
    def edit(prs, slide):
        slide.placeholders[1].text_frame.paragraphs[0].runs[0].font.size = Pt(10)
        notes = slide.notes_slide.notes_text_frame
        notes.text = "Små anteckningar för talaren"
        notes.paragraphs[0].runs[0].font.size = Pt(8)

    _, report = run_json("--exit-zero", "--select", "T303", str(build(tmp_path / "s.pptx", edit)))
    (finding,) = report["files"][0]["findings"]
    assert finding["name"] == "text-too-small" and finding["measured"]["size_pt"] == 10


def test_shape_colours_are_judged_by_the_palette(tmp_path: Path) -> None:
    def edit(prs, slide):
        shape = slide.shapes.add_shape(1, Inches(1), Inches(1), Inches(2), Inches(1))
        shape.fill.solid()
        shape.fill.fore_color.rgb = pptx.dml.color.RGBColor(0xE4, 0x00, 0x7C)

    _, report = run_json("--exit-zero", "--select", "C201", str(build(tmp_path / "p.pptx", edit)))
    messages = [f["message"] for f in report["files"][0]["findings"]]
    assert any("#E4007C" in message for message in messages), messages


def test_slides_beyond_the_page_limit_are_not_read_and_that_is_said(tmp_path: Path) -> None:
    from dataclasses import replace

    def edit(prs, slide):
        for number in (2, 3):
            prs.slides.add_slide(prs.slide_layouts[5]).shapes.title.text = f"Bild {number}"

    document = read_pptx(
        str(build(tmp_path / "three.pptx", edit)), replace(DEFAULT_LIMITS, max_pages=2)
    )
    assert len(document.pages) == 2
    ((name, message),) = document.unread
    assert name == "resource-limit" and "max_pages = 2" in message


def test_a_shape_filled_with_a_picture_places_the_picture(tmp_path: Path) -> None:
    def edit(prs, slide):
        shape = slide.shapes.add_shape(1, Inches(1), Inches(1), Inches(1), Inches(1.2))
        shape._element.nvSpPr.cNvPr.set("descr", "Vapnet som fyllning")
        _, rel_id = slide.part.get_or_add_image_part(str(VAPEN))
        fill = etree.fromstring(
            f'<a:blipFill xmlns:a="{A}" xmlns:r="{NS["r"]}"><a:blip r:embed="{rel_id}"/>'
            "<a:stretch><a:fillRect/></a:stretch></a:blipFill>"
        )
        geometry = shape._element.spPr.find(a("prstGeom"))
        geometry.addnext(fill)

    (image,) = read(build(tmp_path / "filled.pptx", edit)).pages[0].images
    assert image.alt_text == "Vapnet som fyllning"
    assert image.box.as_list() == [72.0, 72.0, 144.0, 158.4]
    assert (image.pixel_width, image.pixel_height) == (214, 256)


def test_contrast_is_measured_against_what_lies_under_the_text(tmp_path: Path) -> None:
    rgb = pptx.dml.color.RGBColor

    def edit(prs, slide):
        dark = slide.shapes.add_shape(1, Inches(1), Inches(4), Inches(4), Inches(1))
        dark.fill.solid()
        dark.fill.fore_color.rgb = rgb(0x1A, 0x1A, 0x1A)
        low = slide.shapes.add_textbox(Inches(1.2), Inches(4.1), Inches(3), Inches(0.5))
        low.text_frame.text = "Mörk text på mörk yta"
        low.text_frame.paragraphs[0].runs[0].font.color.rgb = rgb(0x33, 0x33, 0x33)
        slide.shapes.add_picture(str(VAPEN), Inches(6), Inches(4), Inches(2), Inches(2.4))
        over = slide.shapes.add_textbox(Inches(6.2), Inches(4.5), Inches(1.5), Inches(0.5))
        over.text_frame.text = "Text på bild"
        over.text_frame.paragraphs[0].runs[0].font.color.rgb = rgb(0xFF, 0xFF, 0xFF)

    path = build(tmp_path / "contrast.pptx", edit)
    assert one_span(read(path), "Mörk text på mörk yta").shading.hex == "#1A1A1A"
    assert one_span(read(path), "Text på bild").shading is None
    _, report = run_json("--exit-zero", "--select", "A505,A508", str(path))
    found = {f["name"]: f for f in report["files"][0]["findings"]}
    assert "Mörk text" in found["text-contrast-low"]["message"]
    if shutil.which("soffice") is None:  # only a render could tell
        assert found["accessibility-unchecked"]["measured"]["spans"] == 1
    else:  # measured on LibreOffice's rendering of the slide (tests/test_office_pages.py)
        assert "accessibility-unchecked" not in found


def test_the_masters_and_layouts_own_shapes_show_on_their_slides(tmp_path: Path) -> None:
    def edit(prs, slide):
        master = prs.slide_master
        _, rel_id = master.part.get_or_add_image_part(str(VAPEN))
        logo = slide.shapes.add_picture(str(VAPEN), Mm(5), Mm(5), Mm(10), Mm(12))
        logo._element.nvPicPr.cNvPr.set("descr", "")
        logo._element.blipFill.find(a("blip")).set(f"{{{NS['r']}}}embed", rel_id)
        note = slide.shapes.add_textbox(Mm(5), Mm(170), Mm(100), Mm(10))
        note.text_frame.text = "Ale kommun, 0303-33 00 00"
        tree = master._element.find("{*}cSld/{*}spTree")
        tree.append(logo._element)  # moved from the slide to the master
        tree.append(note._element)
        hidden = prs.slides.add_slide(prs.slide_layouts[6])  # Blank
        hidden._element.set("showMasterSp", "0")

    document = read(build(tmp_path / "master.pptx", edit))
    first, second = document.pages
    (image,) = first.images
    assert image.decorative and image.page == 1 and second.images == []
    footer = [s for s in first.spans if "0303-33" in s.text]
    assert len(footer) == 1 and footer[0].part == Part.FOOTER
    assert not any("0303-33" in s.text for s in second.spans)


def test_a_link_takes_the_themes_hyperlink_colour(tmp_path: Path) -> None:
    def edit(prs, slide):
        run = slide.shapes.add_textbox(Mm(10), Mm(100), Mm(100), Mm(10)).text_frame.paragraphs[0]
        link = run.add_run()
        link.text = "www.ale.se"
        link.hyperlink.address = "https://www.ale.se"

    assert one_span(read(build(tmp_path / "link.pptx", edit)), "www.ale.se").colour.hex == "#0000FF"


def test_text_shrunk_to_fit_has_the_size_it_is_shown_in(tmp_path: Path) -> None:
    def edit(prs, slide):
        body = slide.placeholders[1]._element.find("{*}txBody/" + a("bodyPr"))
        etree.SubElement(body, a("normAutofit"), fontScale="62500", lnSpcReduction="20000")

    assert one_span(read(build(tmp_path / "fit.pptx", edit)), "Punkt").size == 20.0  # 32 × 62.5 %


def test_a_presentation_with_damaged_content_types_is_still_a_presentation(tmp_path: Path) -> None:
    source = build(tmp_path / "base.pptx")
    path = rewritten(source, tmp_path / "types.pptx", "[Content_Types].xml", lambda d: d[:50])
    assert sniff(path).format is Format.PPTX  # not a Word file whose body is missing
    assert one_span(read(path), "Rubrik").page == 1
