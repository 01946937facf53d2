"""PDF fonts by object: annotations, form fields, two fonts of one name, Type 3, decoded names."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from conftest import run_json
from test_typeface import ALE, check

from profilecheck.checks.typeface import TypefaceRule
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.readers.pdf.names import decode_name, fix_mupdf_name
from profilecheck.readers.pdf.reader import _span_font, read_pdf

NAMED = {"TimesNewRoman": "Georgia", "DejaVuSans": "Georgia"}  # MuPDF names spans by the font file
FONTFILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _cli(path: Path, select: str = "T301,T302") -> tuple[int, list[tuple[str, str]]]:
    code, report = run_json("--isolated", "--lang", "en", "--select", select, str(path))
    (entry,) = report["files"]
    assert entry["status"] == "checked"
    return code, [(f["code"], f["message"]) for f in entry["findings"]]


def _stream(pdf: pymupdf.Document, data: bytes, head: str = "<<>>") -> int:
    xref = pdf.get_new_xref()
    pdf.update_object(xref, head)
    pdf.update_stream(xref, data)
    return xref


def _page_with(pdf: pymupdf.Document, fonts: dict[str, int], content: bytes) -> pymupdf.Page:
    page = pdf.new_page()
    entries = "".join(f"/{name} {xref} 0 R" for name, xref in fonts.items())
    pdf.xref_set_key(page.xref, "Resources", f"<</Font<<{entries}>>>>")
    pdf.xref_set_key(page.xref, "Contents", f"{_stream(pdf, content)} 0 R")
    return page


def _simple_font(pdf: pymupdf.Document, basefont: str, subtype: str = "TrueType") -> int:
    xref = pdf.get_new_xref()
    pdf.update_object(
        xref,
        f"<</Type/Font/Subtype/{subtype}/BaseFont/{basefont}/FirstChar 32/LastChar 126"
        "/Encoding/WinAnsiEncoding>>",
    )
    return xref


def _pdffonts(path: Path) -> dict[int, tuple[str, str]]:
    """object number -> (name, emb) as poppler's pdffonts lists them."""
    done = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    found = {}
    for line in done.stdout.splitlines()[2:]:
        match = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+(\d+)\s+\d+\s*$", line)
        if match:
            found[int(match.group(4))] = (line.split()[0], match.group(1))
    return found


def test_a_font_only_in_a_form_field_is_checked(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page()
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name, widget.field_value = "name", "world"
    widget.rect, widget.text_font = pymupdf.Rect(100, 100, 300, 130), "Helv"
    page.add_widget(widget)
    path = tmp_path / "widget.pdf"
    pdf.save(path)
    code, findings = _cli(path, "T302")
    assert code == 0  # a warning
    assert findings == [("T302", "Font Helvetica is not embedded in the PDF")]
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        (font,) = [font for font in document.fonts if font.used]
    assert (font.name, font.embedded, font.pages) == ("Helvetica", False, (1,))
    if shutil.which("pdffonts"):
        assert _pdffonts(path)[font.xref] == ("Helvetica", "no")


def test_a_font_only_in_a_freetext_annotation_is_checked(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.add_freetext_annot(pymupdf.Rect(100, 100, 300, 150), "hello", fontname="TiRo")
    path = tmp_path / "freetext.pdf"
    pdf.save(path)
    _code, findings = _cli(path)
    assert ("T302", "Font Times-Roman is not embedded in the PDF") in findings
    assert any(code == "T301" and "Times" in message for code, message in findings)


def _two_of_one_name(tmp_path: Path, shown: bytes) -> Path:
    if not FONTFILE.exists():
        pytest.skip("DejaVuSans.ttf is not installed")
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_font(fontname="F0", fontfile=str(FONTFILE))
    embedded = next(xref for xref, *_ in page.get_fonts())
    pdf.xref_set_key(embedded, "BaseFont", "/XDPSZZ+TimesNewRoman")
    plain = _simple_font(pdf, "TimesNewRoman")
    content = b"BT /F1 12 Tf 50 50 Td (Embedded) Tj /F2 12 Tf 0 20 Td " + shown + b" ET"
    pdf.xref_set_key(page.xref, "Resources", f"<</Font<</F1 {embedded} 0 R/F2 {plain} 0 R>>>>")
    pdf.xref_set_key(page.xref, "Contents", f"{_stream(pdf, content)} 0 R")
    path = tmp_path / "two.pdf"
    pdf.save(path)
    return path


def test_two_fonts_of_one_name_are_told_apart(tmp_path: Path) -> None:
    path = _two_of_one_name(tmp_path, b"(plain text) Tj")
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        fonts = sorted((f.name, f.embedded, f.subset, f.used) for f in document.fonts)
        findings = check(document, {**ALE, "aliases": NAMED})
    assert fonts == [("TimesNewRoman", False, False, True), ("TimesNewRoman", True, True, True)]
    assert [(f.name, "TimesNewRoman" in f.message) for f in findings] == [
        ("font-not-embedded", True)
    ]
    if shutil.which("pdffonts"):
        assert sorted(_pdffonts(path).values()) == [
            ("TimesNewRoman", "no"),
            ("XDPSZZ+TimesNewRoman", "yes"),
        ]


@pytest.mark.parametrize("shown", [b"() Tj", b"3 Tr (hidden) Tj", b""])
def test_a_listed_font_that_draws_nothing_visible_is_unused(tmp_path: Path, shown) -> None:
    path = _two_of_one_name(tmp_path, shown)
    table = {**ALE, "aliases": NAMED}
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        plain = next(f for f in document.fonts if not f.embedded)
        ignored = check(document, table)
        reported = check(document, {**table, "unused_fonts": "report"})
    assert plain.used is False
    assert ignored == []
    assert [f.name for f in reported] == ["font-not-embedded"]


def _type3(tmp_path: Path, name: str = "") -> Path:
    pdf = pymupdf.open()
    glyph = _stream(pdf, b"1000 0 0 0 750 750 d1 0 0 750 750 re f")
    font = pdf.get_new_xref()
    basefont = f"/BaseFont/{name}" if name else ""
    pdf.update_object(
        font,
        f"<</Type/Font/Subtype/Type3{basefont}/FontBBox[0 0 750 750]"
        f"/FontMatrix[0.001 0 0 0.001 0 0]/CharProcs<</a {glyph} 0 R>>"
        "/Encoding<</Type/Encoding/Differences[97/a]>>/FirstChar 97/LastChar 97/Widths[1000]>>",
    )
    _page_with(pdf, {"T3": font}, b"BT /T3 12 Tf 50 50 Td (aaa) Tj ET")
    path = tmp_path / "type3.pdf"
    pdf.save(path)
    return path


def test_a_type3_font_is_embedded_by_definition(tmp_path: Path) -> None:
    path = _type3(tmp_path)
    code, findings = _cli(path, "T301,T302,T306")
    assert (code, findings) == (0, [])
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        (font,) = document.fonts
        reported = check(document, {**ALE, "type3": "report"})
    assert (font.kind, font.embedded, font.used) == ("Type3", True, True)
    assert [(f.name, f.code) for f in reported] == [("type3-font", "T306")]
    if shutil.which("pdffonts"):
        assert _pdffonts(path)[font.xref][1] == "yes"


def test_a_named_type3_font_is_judged_by_name_only_when_reported(tmp_path: Path) -> None:
    with read_pdf(str(_type3(tmp_path, "ComicSans")), DEFAULT_LIMITS) as document:
        allowed = check(document)
        reported = check(document, {**ALE, "type3": "report"})
    assert allowed == []
    assert sorted(f.name for f in reported) == ["font-not-allowed", "type3-font"]


def test_a_cjk_font_name_is_decoded(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    font = _simple_font(pdf, "#E5#BE#AE#E8#BD#AF#E9#9B#85#E9#BB#91")
    latin = _simple_font(pdf, "Caf#E9#20Sans", "Type1")
    _page_with(pdf, {"F1": font, "F2": latin}, b"BT /F1 12 Tf 50 50 Td (abc) Tj /F2 9 Tf (d) Tj ET")
    path = tmp_path / "cjk.pdf"
    pdf.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        names = sorted(f.name for f in document.fonts)
        spans = [span.font for span in document.spans()]
    assert names == ["Café Sans", "微软雅黑"]
    assert spans == ["微软雅黑", "Café Sans"]
    _code, findings = _cli(path, "T301")
    assert any("微软雅黑" in message for _, message in findings)


def test_names_are_decoded_as_the_spec_says() -> None:
    assert decode_name("#E5#BE#AE#E8#BD#AF") == "微软"
    assert decode_name("Caf#E9") == "Café"  # not UTF-8: Latin-1
    assert decode_name("Times#20New") == "Times New"
    assert fix_mupdf_name("å¾®è½¯é\x9b\x85é»\x91") == "微软雅黑"
    assert fix_mupdf_name("Café") == "Café"


def test_a_truncated_name_matches_its_family() -> None:
    full = "ABCDEF+HelveticaNeue LT 45 Light"
    cut = full.encode()[:31].decode()
    assert _span_font(cut, {full: full}) == "HelveticaNeue LT 45 Light"
    assert _span_font(cut, {}) == "HelveticaNeue LT 45 Ligh"
    rule = TypefaceRule.__new__(TypefaceRule)
    rule.allowed, rule.full_names = {}, ["helveticaneue lt 45 light"]
    assert rule.is_allowed("HelveticaNeue LT 45 Ligh")
    assert not rule.is_allowed("HelveticaNeue")


def _raw_pdf(objects: list[bytes], trailer: bytes) -> bytes:
    """A PDF written by hand: objects 1..n, a classic xref table, the trailer's extra keys."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % table
    return bytes(out)


def _stream_object(head: bytes, data: bytes) -> bytes:
    return b"<<%s/Length %d>>\nstream\n%s\nendstream" % (head, len(data), data)


def _attachment_encrypted(stream_filter: bytes) -> bytes:
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Names<</EmbeddedFiles<</Names[(a.txt) 5 0 R]>>>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>"
        b"/Contents 6 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Type/Filespec/F(a.txt)/EF<</F 7 0 R>>>>",
        _stream_object(b"", b"BT /F1 12 Tf 50 700 Td (Ale kommun) Tj ET"),
        _stream_object(b"/Type/EmbeddedFile", bytes(range(48))),  # "encrypted" bytes
        b"<</Filter/Standard/V 4/R 4/Length 128/P -4/CF<</StdCF<</CFM/V2/Length 16"
        b"/AuthEvent/EFOpen>>>>/EFF/StdCF/StmF/" + stream_filter + b"/StrF/Identity"
        b"/O<" + b"11" * 32 + b">/U<" + b"22" * 32 + b">>>",  # no empty password opens it
    ]
    return _raw_pdf(objects, b"/Encrypt 8 0 R/ID[<0123456789abcdef><0123456789abcdef>]")


def test_a_pdf_whose_only_encrypted_part_is_an_attachment_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "attachment.pdf"
    path.write_bytes(_attachment_encrypted(b"Identity"))
    assert pymupdf.open(path).needs_pass  # MuPDF alone asks for the password
    code, report = run_json("--isolated", "--lang", "en", "--select", "T302,F008", str(path))
    (entry,) = report["files"]
    assert entry["status"] == "checked" and code == 0
    found = sorted((f["code"], f["severity"]) for f in entry["findings"])
    assert found == [("F008", "info"), ("T302", "warning")]
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        assert [span.text for span in document.spans()] == ["Ale kommun"]
        assert [name for name, _ in document.unread] == ["attachment-encrypted"]


def test_a_pdf_whose_pages_are_encrypted_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "pages.pdf"
    path.write_bytes(_attachment_encrypted(b"StdCF"))
    code, report = run_json("--isolated", "--lang", "en", str(path))
    (entry,) = report["files"]
    assert entry["status"] == "encrypted" and code != 0
    assert [f["code"] for f in entry["findings"]] == ["F002"]


def test_fonts_in_nested_forms_are_followed_and_cycles_end(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    font = _simple_font(pdf, "Verdana")
    form = pdf.get_new_xref()
    pdf.update_object(form, "<<>>")
    head = (
        f"<</Type/XObject/Subtype/Form/BBox[0 0 500 500]"
        f"/Resources<</Font<</F9 {font} 0 R>>/XObject<</Me {form} 0 R>>>>>>"
    )
    pdf.update_object(form, head)
    pdf.update_stream(form, b"/Me Do BT /F9 10 Tf 10 10 Td (inside) Tj ET")  # draws itself
    page = pdf.new_page()
    pdf.xref_set_key(page.xref, "Resources", f"<</XObject<</X1 {form} 0 R>>>>")
    pdf.xref_set_key(page.xref, "Contents", f"{_stream(pdf, b'/X1 Do')} 0 R")
    path = tmp_path / "forms.pdf"
    pdf.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        (verdana,) = document.fonts
    assert (verdana.name, verdana.used, verdana.pages) == ("Verdana", True, (1,))


def test_a_hidden_annotation_draws_nothing(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page()
    annot = page.add_freetext_annot(pymupdf.Rect(100, 100, 300, 150), "hidden", fontname="Cour")
    pdf.xref_set_key(annot.xref, "F", "2")
    path = tmp_path / "hidden.pdf"
    pdf.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        (courier,) = document.fonts
        findings = check(document, {**ALE, "base14": "warn", "aliases": {"Courier": "Arial"}})
    assert (courier.name, courier.used) == ("Courier", False)
    assert findings == []


def test_a_font_drawn_inside_a_type3_glyph_is_used(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    inner = _simple_font(pdf, "Verdana")
    glyph = _stream(pdf, b"1000 0 0 0 750 750 d1 BT /G1 500 Tf (x) Tj ET")
    font = pdf.get_new_xref()
    pdf.update_object(
        font,
        f"<</Type/Font/Subtype/Type3/FontBBox[0 0 750 750]/FontMatrix[0.001 0 0 0.001 0 0]"
        f"/CharProcs<</a {glyph} 0 R>>/Resources<</Font<</G1 {inner} 0 R>>>>"
        "/Encoding<</Type/Encoding/Differences[97/a]>>/FirstChar 97/LastChar 97/Widths[1000]>>",
    )
    _page_with(pdf, {"T3": font}, b"BT /T3 12 Tf 50 50 Td (a) Tj ET")
    path = tmp_path / "glyph.pdf"
    pdf.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        used = sorted((f.kind, f.name, f.used) for f in document.fonts)
    assert used == [("TrueType", "Verdana", True), ("Type3", f"unnamed Type3 ({font} 0 R)", True)]


def test_invisible_text_counts_when_the_profile_asks(tmp_path: Path) -> None:
    path = _two_of_one_name(tmp_path, b"3 Tr (OCR layer) Tj")
    table = {**ALE, "aliases": NAMED}
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        plain = next(f for f in document.fonts if not f.embedded)
        ignored = check(document, table)
        reported = check(document, {**table, "invisible_text": "report"})
    assert (plain.used, plain.invisible) == (False, True)
    assert ignored == []
    assert [f.name for f in reported] == ["font-not-embedded"]
