"""The `contact` rule type: contact blocks, phones, e-mails, names, Word parts, PDF and OCR."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import make_pdf, run_json, run_rule

from profilecheck.analyses import ocr
from profilecheck.analyses.phones import find_phones
from profilecheck.checks.contact import ContactParams, ContactRule, lexicon
from profilecheck.checks.contact.emails import find_emails
from profilecheck.checks.contact.names import Lexicon, find_names
from profilecheck.core.model import (
    Box,
    Document,
    Format,
    Page,
    Part,
    PlacedImage,
    Severity,
    TextSpan,
)

ALE_RULE = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "rules/ale/rules/contact.toml").read_text("utf-8")
)
ALE_PARAMS = {
    "generic-name": ALE_RULE["params"]["generic-name"],
    "generic-words": ALE_RULE["params"]["generic-words"],
    "generic-phones": ["0303-70 30 00"],
    "generic-emails": ["kommun@ale.se"],
    "kontaktcenter-only": "warn",
    "accepted-domains": ["ale.se"],
    "outdated": [{"number": "0303-33 00 00", "description": "old switchboard"}],
}
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed")


def document(*parts: tuple[Part, list[str]], fmt: Format = Format.PDF) -> Document:
    spans, line = [], 0
    for part, lines in parts:
        for text in lines:
            box = Box(72, 72 + line * 14, 400, 84 + line * 14)
            spans.append(TextSpan(text=text, font="Arial", size=11, box=box, part=part, line=line))
            line += 1
    page = Page(number=1, width=595, height=842, _load_spans=lambda: spans)
    return Document(path="test.pdf", format=fmt, pages=[page])


def check(doc: Document, **changes) -> list:
    return run_rule(ContactRule, {**ALE_PARAMS, **changes}, doc, Path("contact.toml"))


def names(findings) -> list[str]:
    return [f.name for f in findings]


def body(*lines: str) -> Document:
    return document((Part.BODY, list(lines)))


# --- phones, e-mails, names ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["0303-70 30 00", "0303-703000", "0303/70 30 00", "+46 303 70 30 00", "+46 (0)303-70 30 00",
     "070-123 45 67", "(0303) 70 30 00", "031-123 45 67", "08-123 456 78"],
)  # fmt: skip
def test_swedish_phone_formats(text):
    found = find_phones(f"Ring {text} idag.")
    assert [p.raw for p in found] == [text]


@pytest.mark.parametrize(
    "text", ["Org.nr 212000-1439", "Datum 2024-03-15", "449 80 Alafors", "Öppet 08.00-16.30"]
)
def test_not_phone_numbers(text):
    assert find_phones(text) == []


def test_number_followed_by_time_is_cut_to_the_valid_number():
    assert [p.raw for p in find_phones("tel. 0303-70 31 22 08.00")] == ["0303-70 31 22"]


@pytest.mark.parametrize(
    "text",
    ["anna.svensson@ale.se", "anna.svensson(at)ale.se", "anna.svensson[at]ale.se",
     "anna.svensson {at} ale.se", "anna.svensson at ale.se", "Anna.Svensson@Ale.se"],
)  # fmt: skip
def test_email_forms(text):
    (email,) = find_emails(f"Mejla {text}.")
    assert email.address == "anna.svensson@ale.se"


def test_spoken_at_needs_an_address_shape():
    assert find_emails("titta at www.ale.se och kom at Alafors") == []


def test_name_email_agreement():
    (name,) = find_names("Kontakt: Åsa Lindqvist", Lexicon())
    assert name.strong
    assert name.agrees_with("asa.lindqvist")
    assert name.agrees_with("a.lindqvist")
    assert not name.agrees_with("anna.svensson")


def test_generic_words_are_not_people():
    text = "Kundtjänst Ale, Kontaktcenter Nödinge, Socialtjänsten, Växeln, Ale Kommun, Reception"
    assert find_names(text, lexicon(ContactParams(generic_words=ALE_PARAMS["generic-words"]))) == []


# --- findings -------------------------------------------------------------------------------


def test_named_contact_passes():
    doc = body("Handläggare", "Anna Svensson", "Telefon 0303-70 31 24", "anna.svensson@ale.se")
    assert check(doc) == []


def test_name_in_running_text_is_not_a_contact():
    doc = body("Anna Svensson invigde parken i Nödinge.", "Ring Kontaktcenter 0303-70 30 00.")
    assert names(check(doc)) == ["contact-missing"]


def test_nothing_at_all_is_missing_at_rule_severity():
    (finding,) = check(body("Välkommen till biblioteket i Älvängen!"))
    assert finding.name == "contact-missing"
    assert finding.severity is Severity.ERROR
    assert "no contact details" in finding.message


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("warn", [Severity.WARNING]), ("fail", [Severity.ERROR]), ("accept", [])],
)
def test_kontaktcenter_only_is_the_profiles_choice(choice, expected):
    doc = body("Frågor? Ring Kontaktcenter 0303-70 30 00 eller mejla kommun@ale.se")
    findings = check(doc, **{"kontaktcenter-only": choice})
    assert [f.severity for f in findings] == expected
    if findings:
        assert "Kontaktcenter" in findings[0].message and "0303-70 30 00" in findings[0].message
        assert findings[0].location.page == 1 and findings[0].location.box is not None


def test_label_with_name_but_no_details_is_incomplete():
    findings = check(body("Kontaktperson: Anna Svensson"))
    assert names(findings) == ["contact-incomplete"]
    assert "Anna Svensson" in findings[0].message


def test_number_without_a_name_is_incomplete():
    filler = ["Ansökan om bygglov.", "Handlingar ska bifogas.", "Avgift enligt taxa.", "Beslut."]
    doc = body("Kontaktperson: Anna Svensson, 070-123 45 67", *filler, "Bygglov: 0303-70 44 44")
    findings = check(doc)
    assert names(findings) == ["contact-incomplete"]
    assert "0303-70 44 44" in findings[0].message


def test_kontaktcenter_number_beside_a_contact_is_not_incomplete():
    doc = body("Handläggare Anna Svensson, anna.svensson@ale.se", "Växel 0303-70 30 00")
    assert check(doc) == []


def test_outdated_number_and_foreign_domain():
    doc = body("Kontakt: Anna Svensson, 0303-33 00 00", "Privat: anna.svensson@gmail.com")
    findings = check(doc)
    assert sorted(names(findings)) == ["contact-outdated", "contact-outdated"]
    messages = " ".join(f.message for f in findings)
    assert "0303-33 00 00" in messages and "gmail.com" in messages


def test_subdomains_are_accepted():
    assert check(body("Kontakt: Per Nilsson, per.nilsson@skola.ale.se")) == []


def test_obfuscated_email_with_agreeing_name():
    assert check(body("Hälsningar Anna Svensson", "anna.svensson(at)ale.se")) == []


def test_weak_name_needs_a_label():
    assert check(body("Kontaktperson: Zlatan Andersson, 070-123 45 67")) == []
    assert names(check(body("Zlatan Andersson spelade, 070-123 45 67"))) == [
        "contact-incomplete",
        "contact-missing",
    ]


def test_word_parts_footer_and_table():
    doc = document(
        (Part.BODY, ["Beslut om bygglov för Kungsgatan 12."]),
        (Part.TABLE, ["Handläggare", "Lars Johansson"]),
        (Part.FOOTER, ["Ale kommun, 0303-70 30 00, lars.johansson@ale.se"]),
        fmt=Format.DOCX,
    )
    assert check(doc) == []


def test_word_footer_finding_names_its_part():
    doc = document(
        (Part.BODY, ["Kontaktperson: Eva Lind, eva.lind@ale.se"]),
        (Part.FOOTER, ["Gamla växeln 0303-33 00 00"]),
        fmt=Format.DOCX,
    )
    (finding,) = check(doc)
    assert finding.name == "contact-outdated"
    assert finding.location.part is Part.FOOTER
    assert finding.location.page is None  # Word flows: no page numbers


def test_real_docx_footer(tmp_path):
    import docx

    from profilecheck.core.limits import DEFAULT_LIMITS
    from profilecheck.readers.word.reader import read_docx

    path = tmp_path / "brev.docx"
    word = docx.Document()
    word.add_paragraph("Information om vattenavstängning i Surte.")
    footer = word.sections[0].footer
    footer.paragraphs[0].text = "Handläggare: Maria Karlsson"
    footer.add_paragraph("Telefon 0303-70 31 24")
    word.save(path)
    with read_docx(str(path), DEFAULT_LIMITS) as doc:
        assert check(doc) == []
    word.sections[0].footer.paragraphs[0].text = "Kontaktcenter"
    word.save(path)
    with read_docx(str(path), DEFAULT_LIMITS) as doc:
        assert names(check(doc)) == ["contact-incomplete", "contact-missing"]


def test_pdf_through_the_cli(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", ["Kontaktperson: Anna Svensson", "070-123 45 67"])
    bad = make_pdf(tmp_path / "bad.pdf", ["Anna Svensson invigde parken.", "Ring 0303-33 00 00"])
    _, result = run_json("--select", "K", "--lang", "en", str(good), str(bad))
    found = {Path(f["path"]).name: [x["name"] for x in f["findings"]] for f in result["files"]}
    assert found["good.pdf"] == []
    assert "contact-missing" in found["bad.pdf"]
    assert "contact-outdated" in found["bad.pdf"]
    outdated = [x for f in result["files"] for x in f["findings"] if x["code"] == "K403"]
    assert all(x["location"]["page"] == 1 and "box_mm" in x["location"] for x in outdated)


# --- OCR ------------------------------------------------------------------------------------


def image_document(lines: list[str]) -> Document:
    import pymupdf
    from PIL import Image

    pdf = pymupdf.open()
    page = pdf.new_page(width=500, height=200)
    page.insert_textbox(pymupdf.Rect(20, 20, 480, 190), "\n".join(lines), fontsize=14)
    pixmap = page.get_pixmap(dpi=200)
    picture = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    box = Box(0, 0, 500, 200)
    placed = PlacedImage(
        box=box, pixel_width=picture.width, pixel_height=picture.height, part=Part.IMAGE,
        _loader=lambda: picture,
    )  # fmt: skip
    doc_page = Page(number=1, width=500, height=200, _load_images=lambda: [placed])
    return Document(path="poster.png", format=Format.IMAGE, pages=[doc_page])


def test_without_tesseract_an_image_is_unchecked_never_passed(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    (finding,) = check(image_document(["Kontakt: Anna Svensson, 070-123 45 67"]))
    assert finding.name == "contact-unchecked"
    assert finding.severity is Severity.WARNING
    assert "tesseract" in finding.message and finding.measured["reason"] == "no-ocr"


@needs_tesseract
def test_ocr_reads_a_contact_from_an_image():
    doc = image_document(["Sommarfest i Nödinge!", "Kontakt: Anna Svensson", "070-123 45 67"])
    assert check(doc) == []
    spans = doc.analyses["ocr"].pages[(1, 0)]
    assert any("Svensson" in span.text for span in spans)
    assert all(span.part is Part.IMAGE and span.box is not None for span in spans)


@needs_tesseract
def test_ocr_of_an_image_without_contact_is_missing():
    doc = image_document(["Sommarfest i Nödinge!", "Välkomna alla."])
    assert names(check(doc)) == ["contact-missing"]


@needs_tesseract
def test_ocr_of_a_scanned_pdf_page(tmp_path):
    import pymupdf

    text_pdf = pymupdf.open()
    text_pdf.new_page(width=400, height=200).insert_textbox(
        pymupdf.Rect(20, 20, 380, 180), "Handläggare\nPer Nilsson\n070-123 45 67", fontsize=14
    )
    scan = text_pdf[0].get_pixmap(dpi=200)
    scanned = pymupdf.open()
    scanned.new_page(width=400, height=200).insert_image(pymupdf.Rect(0, 0, 400, 200), pixmap=scan)
    path = tmp_path / "scan.pdf"
    scanned.save(path)
    code, result = run_json("--select", "K", str(path))
    # `== []` under --select K: the file's own findings (rule-failed, ...) are never deselected
    assert result["files"][0]["findings"] == []
    assert code == 0 and result["files"][0]["status"] == "checked"


def test_fold_takes_ascii_as_it_is_and_strips_diacritics_from_the_rest():
    import unicodedata

    from profilecheck.checks.contact.names import fold

    def by_nfkd(text):
        decomposed = unicodedata.normalize("NFKD", text.lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    samples = ["Anna", "ANNA-LENA", "O'Brien", "Åsa", "Öberg", "Müller", "Ǆemal", "ﬁnn", ""]
    samples += [chr(code) for code in range(0x300)]
    assert [fold(s) for s in samples] == [by_nfkd(s) for s in samples]
    assert fold("Åsa Öberg") == "asa oberg"
