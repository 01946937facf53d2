"""The accessibility rule type (DOS-lagen / WCAG 2.1 AA) on built fixtures and the veraPDF files."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from conftest import run_rule

from profilecheck.checks.accessibility import AccessibilityParams, AccessibilityRule
from profilecheck.checks.accessibility.contrast import background_of, contrast_ratio, is_large_text
from profilecheck.core.facts import Figure, StructureTree
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.results import Finding
from profilecheck.readers import read_document
from profilecheck.readers.pdf.tags import parse_object, read_structure
from profilecheck.readers.sniffer import sniff

CORPUS_PDF = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdf"
A4 = (595.28, 841.89)


def check(path: Path, **params) -> list[Finding]:
    table = {key.replace("_", "-"): value for key, value in params.items()}
    with read_document(str(path), sniff(path), DEFAULT_LIMITS) as document:
        return run_rule(AccessibilityRule, table, document, path)


def names(findings: list[Finding]) -> list[str]:
    return sorted(f.name for f in findings)


def named(findings: list[Finding], name: str) -> list[Finding]:
    return [f for f in findings if f.name == name]


def accessible_pdf(
    path: Path,
    *,
    figures: tuple[str | None, ...] = (),
    lang: str | None = "sv-SE",
    title: str | None = "Årsredovisning",
    display_title: bool = True,
    marked: bool = True,
    draw=None,
) -> Path:
    """A one-page PDF with a hand-made structure tree: a /Document with /P and /Figure kids."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=A4[0], height=A4[1])
    if draw is None:
        page.insert_text((72, 72), "Ale kommun informerar", fontsize=11)
    else:
        draw(page)
    catalog, page_ref = pdf.pdf_catalog(), f"{pdf.page_xref(0)} 0 R"
    root, document = pdf.get_new_xref(), pdf.get_new_xref()
    kids = []
    for alt in figures:
        xref = pdf.get_new_xref()
        alt_entry = f"/Alt({alt})" if alt is not None else ""
        pdf.update_object(xref, f"<</Type/StructElem/S/Figure/P {document} 0 R{alt_entry}/K 1>>")
        kids.append(f"{xref} 0 R")
    kids.append("<</S/P/K 0>>")  # a direct kid, as some producers write them
    pdf.update_object(
        document, f"<</Type/StructElem/S/Document/P {root} 0 R/Pg {page_ref}/K[{' '.join(kids)}]>>"
    )
    pdf.update_object(root, f"<</Type/StructTreeRoot/K {document} 0 R>>")
    pdf.xref_set_key(catalog, "StructTreeRoot", f"{root} 0 R")
    if marked:
        pdf.xref_set_key(catalog, "MarkInfo", "<</Marked true>>")
    if lang:
        pdf.xref_set_key(catalog, "Lang", pymupdf.get_pdf_str(lang))
    if display_title:
        pdf.xref_set_key(catalog, "ViewerPreferences", "<</DisplayDocTitle true>>")
    if title:
        pdf.set_metadata({"title": title})
    pdf.save(path)
    return path


def text_on(page, text: str, colour: tuple, size: float = 11, at=(72, 120)) -> None:
    page.insert_text(at, text, fontsize=size, color=colour)


# --- PDF structure ------------------------------------------------------------------------------


def test_accessible_pdf_passes(tmp_path):
    assert check(accessible_pdf(tmp_path / "ok.pdf", figures=("Ales vapen",))) == []


def test_untagged_pdf_is_reported_once_not_per_image(tmp_path):
    path = tmp_path / "untagged.pdf"
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 72), "Hej", fontsize=11)
    png = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False)
    page.insert_image(pymupdf.Rect(72, 100, 140, 168), pixmap=png)
    pdf.save(path)
    findings = check(path)
    assert "pdf-untagged" in names(findings)
    assert "image-alt-missing" not in names(findings)
    assert "no structure tree" in named(findings, "pdf-untagged")[0].message


def test_structure_tree_without_marked_true_is_untagged(tmp_path):
    findings = check(accessible_pdf(tmp_path / "unmarked.pdf", marked=False))
    assert names(findings) == ["pdf-untagged"]
    assert "not marked" in findings[0].message


def test_language_missing(tmp_path):
    assert names(check(accessible_pdf(tmp_path / "nolang.pdf", lang=None))) == ["language-missing"]


def test_title_missing_and_title_not_displayed_say_which(tmp_path):
    no_title = check(accessible_pdf(tmp_path / "notitle.pdf", title=None))
    assert names(no_title) == ["title-missing"]
    assert "no title" in no_title[0].message
    hidden = check(accessible_pdf(tmp_path / "hidden.pdf", display_title=False))
    assert names(hidden) == ["title-missing"]
    assert "DisplayDocTitle" in hidden[0].message
    assert (
        check(accessible_pdf(tmp_path / "h2.pdf", display_title=False), require_display_title=False)
        == []
    )


def test_figure_without_alt_is_reported_with_its_page(tmp_path):
    findings = check(accessible_pdf(tmp_path / "fig.pdf", figures=("Karta", None)))
    assert names(findings) == ["image-alt-missing"]
    assert findings[0].location.page == 1


def test_structure_walk_is_bounded_and_survives_loops(tmp_path):
    path = accessible_pdf(tmp_path / "loop.pdf", figures=(None,))
    pdf = pymupdf.open(path)
    root = int(pdf.xref_get_key(pdf.pdf_catalog(), "StructTreeRoot")[1].split()[0])
    document = int(pdf.xref_get_key(root, "K")[1].split()[0])
    pdf.xref_set_key(document, "K", f"[{document} 0 R {root} 0 R {document} 0 R]")  # cycles
    summary = read_structure(pdf)
    assert summary.elements == 1 and not summary.truncated
    assert read_structure(
        pymupdf.open(accessible_pdf(tmp_path / "b.pdf", figures=(None,) * 5)), 3
    ).truncated


def test_structure_tree_is_typed_and_walked_once_when_first_read(tmp_path, monkeypatch):
    import profilecheck.readers.pdf.tags as tags

    path = accessible_pdf(tmp_path / "t.pdf", figures=("Karta", None))
    walks: list[int] = []
    walk = tags.read_structure
    monkeypatch.setattr(tags, "read_structure", lambda pdf: walks.append(1) or walk(pdf))
    with read_document(str(path), sniff(path), DEFAULT_LIMITS) as document:
        tree = document.metadata.structure
        assert isinstance(tree, StructureTree) and tree.present and tree.marked
        assert walks == []  # the catalog facts cost no walk
        assert tree.figures == (Figure(page=1, alt="Karta"), Figure(page=1, alt=None))
        assert tree.tags["Figure"] == 2 and tree.tags["Document"] == 1
        assert tree.elements == 4 and not tree.truncated and tree.error is None
        assert walks == [1]


def test_parse_object_reads_direct_kids_strings_and_references():
    parsed = parse_object("<</S/Figure/Alt<FEFF00C5006C0065>/K[3 0 R<</MCID 0>>(a\\(b\\))]>>")
    assert parsed["S"] == "Figure" and parsed["Alt"] == "Åle"
    assert parsed["K"][1] == {"MCID": 0} and parsed["K"][2] == "a(b)"


def test_scanned_page_without_text(tmp_path):
    path = tmp_path / "scan.pdf"
    pdf = pymupdf.open()
    scan = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 60, 85), False)
    scan.clear_with(230)
    for number in range(3):
        page = pdf.new_page(width=A4[0], height=A4[1])
        page.insert_image(page.rect, pixmap=scan)
        if number == 2:
            page.insert_text((72, 72), "OCR-text finns här", fontsize=11)
    pdf.save(path)
    findings = named(check(path), "scanned-without-text")
    assert len(findings) == 1
    assert "1–2" in findings[0].message and findings[0].location.page == 1


def test_page_with_a_small_image_and_no_text_is_not_a_scan(tmp_path):
    def draw(page):
        logo = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 10, 10), False)
        page.insert_image(pymupdf.Rect(72, 72, 172, 172), pixmap=logo)

    findings = check(accessible_pdf(tmp_path / "image.pdf", draw=draw))
    assert "scanned-without-text" not in names(findings)


def test_documents_before_the_exempt_date_are_not_checked(tmp_path):
    path = tmp_path / "old.pdf"
    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), "Gammal", fontsize=11)
    pdf.set_metadata({"creationDate": "D:20170101000000"})
    pdf.save(path)
    assert check(path, exempt_before="2018-09-23") == []
    assert "pdf-untagged" in names(check(path))
    problems = AccessibilityRule.validate(AccessibilityParams(exempt_before="sept"), None)
    assert problems and problems[0].key == "params.exempt-before"


# --- contrast -----------------------------------------------------------------------------------


def test_wcag_maths():
    assert contrast_ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert contrast_ratio((0xAA / 255,) * 3, (1, 1, 1)) == pytest.approx(2.32, abs=0.01)
    assert is_large_text(18, False) and is_large_text(14, True) and not is_large_text(14, False)


def test_background_ignores_the_glyph_pixels():
    import numpy as np

    region = np.zeros((10, 40, 3), dtype=np.uint8)
    region[:] = (20, 40, 110)
    region[3:7, 5:30] = 255  # "text"
    assert background_of(region, (1.0, 1.0, 1.0)) == pytest.approx((20 / 255, 40 / 255, 110 / 255))
    assert background_of(np.full((4, 4, 3), 255, np.uint8), (1.0, 1.0, 1.0)) == (1.0, 1.0, 1.0)


def contrast_pdf(tmp_path: Path, name: str, draw, **params) -> list[Finding]:
    return named(check(accessible_pdf(tmp_path / name, draw=draw), **params), "text-contrast-low")


def test_light_grey_text_on_white_is_low_contrast(tmp_path):
    def draw(page):
        for line in range(3):
            text_on(page, f"Grå text {line}", (0xAA / 255,) * 3, at=(72, 120 + 20 * line))

    findings = contrast_pdf(tmp_path, "grey.pdf", draw)
    assert len(findings) == 1  # one per colour pair per page
    finding = findings[0]
    assert finding.measured == {"value": pytest.approx(2.32, abs=0.01), "limit": 4.5}
    assert "#AAAAAA on #FFFFFF" in finding.message and "3 span" in finding.message


def test_black_text_on_white_passes(tmp_path):
    assert contrast_pdf(tmp_path, "black.pdf", lambda p: text_on(p, "Svart text", (0, 0, 0))) == []


def test_white_text_on_dark_blue_rectangle_passes(tmp_path):
    def draw(page):
        page.draw_rect(pymupdf.Rect(60, 90, 400, 140), color=None, fill=(0.1, 0.17, 0.42))
        text_on(page, "Vit text på blått", (1, 1, 1), size=14)

    assert contrast_pdf(tmp_path, "blue.pdf", draw) == []


def test_grey_text_on_a_grey_rectangle_is_measured_against_the_rectangle(tmp_path):
    def draw(page):
        page.draw_rect(pymupdf.Rect(60, 90, 400, 140), color=None, fill=(0.6, 0.6, 0.6))
        text_on(page, "Mörkgrå på grått", (0.3, 0.3, 0.3))

    findings = contrast_pdf(tmp_path, "greyrect.pdf", draw)
    assert len(findings) == 1 and "on #999999" in findings[0].message


def image_behind_text(page, colour: tuple, text_colour: tuple) -> None:
    photo = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 50, 10), False)
    photo.set_rect(photo.irect, tuple(round(c * 255) for c in colour))
    page.insert_image(pymupdf.Rect(60, 95, 400, 135), pixmap=photo, keep_proportion=False)
    text_on(page, "Text på en bild", text_colour)


def test_text_over_an_image_is_measured_from_the_render(tmp_path):
    dark = (0.05, 0.15, 0.4)
    ok = contrast_pdf(tmp_path, "img-ok.pdf", lambda p: image_behind_text(p, dark, (1, 1, 1)))
    assert ok == []
    low = contrast_pdf(tmp_path, "img-low.pdf", lambda p: image_behind_text(p, dark, (0.3,) * 3))
    assert len(low) == 1 and low[0].measured["value"] < 2


def test_white_text_on_white_is_invisible_and_reported(tmp_path):
    findings = contrast_pdf(tmp_path, "white.pdf", lambda p: text_on(p, "Osynlig", (1, 1, 1)))
    assert findings and findings[0].measured["value"] == pytest.approx(1.0)


def test_large_text_needs_only_three_to_one(tmp_path):
    grey = (0x8F / 255,) * 3  # 3.23:1 on white
    assert contrast_pdf(tmp_path, "large.pdf", lambda p: text_on(p, "Rubrik", grey, size=20)) == []
    small = contrast_pdf(tmp_path, "small.pdf", lambda p: text_on(p, "Brödtext", grey, size=11))
    assert small and small[0].measured["limit"] == 4.5


def test_logotype_text_next_to_the_vapen_is_exempt(tmp_path):
    def draw(page, with_vapen: bool):
        if with_vapen:
            vapen = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 10, 12), False)
            page.insert_image(pymupdf.Rect(40, 100, 70, 136), pixmap=vapen)
        text_on(page, "Ale kommun", (0.6, 0.8, 0.6), size=12)  # pale green: 1.6:1

    ale = {"logo_texts": ["Ale kommun"]}  # as the Ale profile's rule file gives them
    assert contrast_pdf(tmp_path, "logo.pdf", lambda p: draw(p, True), **ale) == []
    assert contrast_pdf(tmp_path, "nologo.pdf", lambda p: draw(p, False), **ale)


# --- Word ---------------------------------------------------------------------------------------


def word(
    path: Path, *, title="Rapport", language="sv-SE", alt="Karta", fake_heading=False, grey=False
) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor
    from PIL import Image

    document = docx.Document()
    document.core_properties.title = title or ""
    for existing in list(document.styles.element.iter(qn("w:lang"))):
        existing.getparent().remove(existing)  # the default template says en-US
    if language:
        rpr = document.styles["Normal"].element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        rpr.append(lang)
    document.add_heading("Inledning", level=1)
    for _ in range(3):
        run = document.add_paragraph().add_run("Brödtext i dokumentet, lång nog för en rad. " * 3)
        if grey:
            run.font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)
    if fake_heading:
        fake = document.add_paragraph().add_run("Bakgrund")
        fake.bold, fake.font.size = True, Pt(16)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "green").save(buffer, "PNG")
    buffer.seek(0)
    picture = document.add_paragraph().add_run().add_picture(buffer)
    doc_pr = picture._inline.docPr
    if alt:
        doc_pr.set("descr", alt)
    document.save(path)
    return path


def test_accessible_word_document_passes(tmp_path):
    assert check(word(tmp_path / "ok.docx")) == []


def test_word_findings(tmp_path):
    assert names(check(word(tmp_path / "t.docx", title=None))) == ["title-missing"]
    assert names(check(word(tmp_path / "l.docx", language=None))) == ["language-missing"]
    assert names(check(word(tmp_path / "a.docx", alt=None))) == ["image-alt-missing"]
    assert names(check(word(tmp_path / "h.docx", fake_heading=True))) == ["headings-not-marked"]
    grey = check(word(tmp_path / "g.docx", grey=True))
    assert names(grey) == ["text-contrast-low"] and grey[0].location.page is None


# --- the veraPDF files --------------------------------------------------------------------------


def corpus_file(name: str) -> Path:
    path = CORPUS_PDF / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} is not present")
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # tagged, /Lang, one /Figure with /Alt; no title in Info
        ("vera__8.2.5.28.2-t01-pass-b.pdf", {"title-missing"}),
        # tagged, no /Lang, a role-mapped /Figure without /Alt
        (
            "vera__veraPDF test suite 6-1-7-t01-fail-d.pdf",
            {"language-missing", "title-missing", "image-alt-missing"},
        ),
        # untagged PDF/A-1 file
        (
            "vera__veraPDF test suite 6-1-2-t01-pass-a.pdf",
            {"pdf-untagged", "language-missing", "title-missing"},
        ),
    ],
)
def test_verapdf_files(name, expected):
    found = set(names(check(corpus_file(name))))
    assert expected <= found
    structural = {"pdf-untagged", "language-missing", "title-missing", "image-alt-missing"}
    assert found & structural == expected
