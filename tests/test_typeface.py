"""The typeface rule: family matching with aliases, grouping per family, embedding in PDFs."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from conftest import run_rule

from profilecheck.checks.typeface import TypefaceRule, family_of
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Document, Font, Format, Page, TextSpan
from profilecheck.readers.pdf.reader import read_pdf
from profilecheck.readers.word.reader import read_docx

ALE_RULES = Path(__file__).resolve().parents[1] / "rules" / "ale" / "rules"
ALE = {"families": ["Arial", "Georgia", "Calibri"], "replacement": "Arial"}


def check(document: Document, table: dict | None = None) -> list:
    return run_rule(TypefaceRule, table or ALE, document, ALE_RULES / "typefaces.toml")


def document(*spans: TextSpan, fmt: Format = Format.DOCX, fonts: list[Font] = ()) -> Document:
    pages = {}
    for span in spans:
        pages.setdefault(span.page, []).append(span)
    built = [Page(n, 595, 842, _load_spans=lambda s=s: s) for n, s in sorted(pages.items())]
    return Document(path="doc", format=fmt, pages=built, fonts=list(fonts))


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("ArialMT", "Arial"),
        ("Arial-BoldMT", "Arial"),
        ("Arial,Bold", "Arial"),
        ("Arial Bold", "Arial"),
        ("ABCDEF+Georgia-BoldItalic", "Georgia"),
        ("Calibri Light", "Calibri"),
        ("TimesNewRomanPSMT", "TimesNewRoman"),
        ("Times-Roman", "Times"),
        ("Comic Sans MS", "Comic Sans MS"),
    ],
)
def test_family_names_are_normalised(name: str, family: str) -> None:
    assert family_of(name) == family


def test_allowed_fonts_pass() -> None:
    spans = [TextSpan("Hej", f, 11) for f in ("ArialMT", "Arial,Bold", "Georgia-Italic", "Calibri")]
    assert check(document(*spans)) == []


def test_one_finding_per_family_with_count_and_pages() -> None:
    spans = [
        TextSpan("Välkommen", "ComicSansMS", 11, page=1, bold=False),
        TextSpan("till Ale", "ComicSansMS-Bold", 11, page=3),
        TextSpan("Hej", "Arial", 11, page=2),
    ]
    findings = check(document(*spans, fmt=Format.PDF))
    assert [f.name for f in findings] == ["font-not-allowed"]
    assert "2×" in findings[0].message and "1, 3" in findings[0].message
    assert "Välkommen" in findings[0].message
    assert findings[0].suggestion == "Arial"


def test_word_east_asian_slot_and_theme_font() -> None:
    slots = (("ascii", "Calibri"), ("hAnsi", "Calibri"), ("eastAsia", "MS Mincho"))
    plain = TextSpan("Hej på dig", "Calibri", 11, font_slots=slots)
    assert check(document(plain)) == []
    asian = TextSpan("日本", "Calibri", 11, font_slots=(("eastAsia", "MS Mincho"),))
    findings = check(document(asian))
    assert len(findings) == 1 and "MS Mincho" in findings[0].message


def test_weights_and_styles_when_the_profile_limits_them() -> None:
    table = {**ALE, "styles": ["normal"]}
    italic = TextSpan("Citat", "Georgia-Italic", 11, italic=True)
    findings = check(document(italic), table)
    assert [f.name for f in findings] == ["font-not-allowed"]
    assert "italic" in findings[0].message


def test_embedding_counts_only_fonts_that_text_uses() -> None:
    fonts = [Font("Calibri", embedded=False), Font("Verdana", embedded=False)]
    spans = [TextSpan("Hej", "Calibri", 11)]
    findings = check(document(*spans, fmt=Format.PDF, fonts=fonts))
    assert [(f.name, "Calibri" in f.message) for f in findings] == [("font-not-embedded", True)]


def test_base14_setting(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    pdf.new_page().insert_text((50, 50), "Ale kommun", fontname="helv")
    path = tmp_path / "helv.pdf"
    pdf.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as doc:
        warn = check(doc, {**ALE, "aliases": {"Helvetica": "Arial"}})
        ignore = check(doc, {**ALE, "aliases": {"Helvetica": "Arial"}, "base14": "ignore"})
        strict = check(doc)
    assert [f.name for f in warn] == ["font-not-embedded"]
    assert ignore == []
    assert sorted(f.name for f in strict) == ["font-not-allowed", "font-not-embedded"]


def test_embedded_allowed_font_in_pdf_passes(tmp_path: Path) -> None:
    fontfile = next(iter(Path("/usr/share/fonts").rglob("*.ttf")), None)
    if fontfile is None:
        pytest.skip("no TrueType font installed")
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_font(fontname="F0", fontfile=str(fontfile))
    page.insert_text((50, 50), "Ale kommun", fontname="F0")
    path = tmp_path / "embedded.pdf"
    pdf.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as doc:
        used = doc.pages[0].spans[0].font
        findings = check(doc, {**ALE, "families": [*ALE["families"], used]})
    assert findings == []


def test_real_docx_direct_formatting(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")  # python-docx, a test dependency, builds the file
    word = docx.Document()
    paragraph = word.add_paragraph()
    paragraph.add_run("Rätt typsnitt ").font.name = "Arial"
    paragraph.add_run("fel typsnitt").font.name = "Comic Sans MS"
    path = tmp_path / "memo.docx"
    word.save(path)
    with read_docx(str(path), DEFAULT_LIMITS) as doc:
        findings = check(doc)
    assert [f.name for f in findings] == ["font-not-allowed"]
    assert "Comic Sans MS" in findings[0].message
