"""`profilecheck fix` on Word documents: each fix on documents built here, the input never
touched, dry runs, refusals, and the fixed copies reopened (python-docx, LibreOffice)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from lxml import etree

from tests.bombs import pptx_zip_bomb
from tests.conftest import ROOT, run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLD, NEW = "0303-33 00 00", "0303-70 30 00"
FIXABLE = {"font-not-allowed", "colour-off-palette", "contact-outdated", "title-missing"}
FIXABLE |= {"language-missing"}
TEXTBOX = (
    f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:shape style="width:200pt;height:40pt"><v:textbox><w:txbxContent>'
    f"<w:p><w:r><w:t>Växel {OLD}</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fix(*args: str) -> tuple[int, dict]:
    done = run_cli("fix", "--format", "json", *args)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def rewrite(path: Path, part: str, edit) -> None:
    """Replace one part of a package (test fixtures only)."""
    with zipfile.ZipFile(path) as package:
        members = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in members:
            package.writestr(info, edit(data) if info.filename == part else data)


def letter(path: Path) -> Path:
    """A letter with every fixable problem: a font via a style, via direct formatting and via
    the theme (python-docx's template sets body text in Cambria), off-palette text and shading
    close to palette colours, a far-off colour, the old number split over runs, in a header and
    in a text box; no title; no language."""
    document = docx.Document()
    style = document.styles["Heading 1"]
    style.font.name = "Comic Sans MS"
    fonts = style.element.rPr.rFonts
    for theme in ("asciiTheme", "hAnsiTheme"):  # a theme font would win over the named one
        fonts.attrib.pop(f"{{{W}}}{theme}", None)
    heading = document.add_heading("Detaljplan vid Ale torg", level=1)
    heading.runs[0].font.color.rgb = RGBColor(0x0B, 0x5A, 0xA6)
    body = document.add_paragraph("Brödtext ")
    direct = body.add_run("i fel typsnitt")
    direct.font.name = "Papyrus"
    green = body.add_run(" nästan grön")
    green.font.color.rgb = RGBColor(0x20, 0x80, 0x40)
    far = body.add_run(" magenta")
    far.font.color.rgb = RGBColor(0xE4, 0x00, 0x7C)
    shaded = document.add_paragraph("Skuggat stycke")
    shading = etree.SubElement(shaded._p.get_or_add_pPr(), f"{{{W}}}shd")
    shading.set(f"{{{W}}}val", "clear")
    shading.set(f"{{{W}}}fill", "1566B8")
    split = document.add_paragraph("Ring växeln på ")
    split.add_run("0303-33").bold = True
    split.add_run(" 00 ")
    split.add_run("00 i dag.").italic = True
    document.add_paragraph("Kontakt: Anna Andersson, anna.andersson@ale.se")
    boxed = document.add_paragraph()
    boxed._p.append(etree.fromstring(TEXTBOX))
    document.sections[0].header.paragraphs[0].text = f"Ale kommun, {OLD}"
    document.save(path)
    rewrite(path, "word/styles.xml", lambda data: re.sub(rb"<w:lang [^>]*/>", b"", data))
    return path


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    return letter(tmp_path / "brev.docx")


def test_every_fix_on_a_built_letter(built: Path, tmp_path: Path) -> None:
    before = sha256(built)
    code, report = fix("--output", str(tmp_path / "out"), str(built))
    entry = report["files"][0]
    assert entry["status"] == "fixed", entry
    assert sha256(built) == before  # the input is never modified
    changes = entry["changes"]
    fonts = {(c["what"], c["before"], c["after"]) for c in changes if c["what"].startswith("font")}
    assert ("font (style)", "Comic Sans MS", "Arial") in fonts
    assert ("font (direct formatting)", "Papyrus", "Arial") in fonts
    assert ("font (theme)", "Cambria", "Arial") in fonts
    colours = {c["before"]: c for c in changes if c["what"].startswith("colour")}
    assert colours["#208040"]["done"] and colours["#208040"]["after"].startswith("vapengrön")
    assert colours["#1566B8"]["done"] and colours["#1566B8"]["what"] == "colour (shading)"
    assert not colours["#E4007C"]["done"] and "ΔE" in colours["#E4007C"]["reason"]
    numbers = [c for c in changes if c["what"] == "number"]
    assert {c["part"] for c in numbers} == {"word/document.xml", "word/header1.xml"}
    assert sum(c["count"] for c in numbers) == 3  # split over runs, text box, header
    assert {c["what"] for c in changes} >= {"title", "language"}

    fixed = Path(entry["output"])
    reopened = docx.Document(str(fixed))  # python-docx opens it
    assert reopened.core_properties.title == "Detaljplan vid Ale torg"
    assert reopened.core_properties.language == "sv-SE"
    texts = [p.text for p in reopened.paragraphs]
    assert "Ring växeln på 0303-70 30 00 i dag." in texts
    split = next(p for p in reopened.paragraphs if p.text.startswith("Ring"))
    assert [r.bold for r in split.runs[:2]] == [None, True]  # run formatting kept
    assert split.runs[1].text == NEW and split.runs[2].text == "" and split.runs[3].italic
    assert NEW in reopened.sections[0].header.paragraphs[0].text
    xml = zipfile.ZipFile(fixed).read("word/document.xml").decode()
    assert f"Växel {NEW}" in xml and OLD not in xml
    styles = zipfile.ZipFile(fixed).read("word/styles.xml").decode()
    assert 'w:lang w:val="sv-SE"' in styles
    assert 'w:eastAsiaTheme="minorEastAsia"' in styles  # east-Asian slots untouched

    remaining = {f["name"] for f in entry["remaining"]}
    assert remaining & FIXABLE == {"colour-off-palette"}  # only the far-off magenta
    assert entry["new"] == 0 and entry["removed"] >= 5
    assert code == 1  # a finding the fix could not fix remains


def test_unchanged_members_are_byte_identical(built: Path, tmp_path: Path) -> None:
    _, report = fix("--suffix", "-rättad", str(built))
    entry = report["files"][0]
    fixed = Path(entry["output"])
    assert fixed.name == "brev-rättad.docx"
    changed = {c["part"] for c in entry["changes"] if c["done"]}
    with zipfile.ZipFile(built) as old, zipfile.ZipFile(fixed) as new:
        assert [i.filename for i in old.infolist()] == [i.filename for i in new.infolist()]
        for info in old.infolist():
            twin = new.getinfo(info.filename)
            assert (twin.compress_type, twin.date_time) == (info.compress_type, info.date_time)
            if info.filename not in changed:
                assert old.read(info) == new.read(twin), info.filename


def test_dry_run_writes_nothing(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, report = fix("--dry-run", "--output", str(out), str(built))
    entry = report["files"][0]
    assert entry["status"] == "dry-run" and entry["output"] is None
    assert any(c["what"] == "number" for c in entry["changes"])
    assert not out.exists() and not list(tmp_path.glob("brev-fixed*"))
    assert code == 0 and report["summary"]["dry_run"]


def test_only_some_fixes(built: Path, tmp_path: Path) -> None:
    _, report = fix(
        "--only", "contact-outdated,metadata", "--output", str(tmp_path / "o"), str(built)
    )
    whats = {c["what"] for c in report["files"][0]["changes"]}
    assert whats <= {"number", "title", "language", "invalidated"} and "number" in whats


def test_existing_output_is_kept_unless_forced(built: Path) -> None:
    assert fix(str(built))[1]["files"][0]["status"] == "fixed"
    output = built.with_name("brev-fixed.docx")
    stamp = sha256(output)
    code, report = fix(str(built))
    assert report["files"][0]["status"] == "exists" and code == 1
    assert sha256(output) == stamp
    assert fix("--force", str(built))[1]["files"][0]["status"] == "fixed"


def test_usage_errors_exit_2(built: Path, tmp_path: Path) -> None:
    assert run_cli("fix", "--output", str(tmp_path), "--suffix", "-x", str(built)).returncode == 2
    assert run_cli("fix", "--only", "logo", str(built)).returncode == 2
    assert run_cli("fix", "--output", str(built.parent), str(built)).returncode == 2  # itself


def test_pdf_and_images_are_not_edited(tmp_path: Path) -> None:
    pdf = ROOT / "fixtures/pdf/letter-compliant.pdf"
    code, report = fix("--output", str(tmp_path), str(pdf))
    entry = report["files"][0]
    assert entry["status"] == "not-edited" and "not edited" in entry["message"]
    assert code == 1 and not list(tmp_path.iterdir())


def entity_bomb(path: Path) -> Path:
    """A .docx whose document declares a DTD with nested entities (a billion laughs)."""
    document = docx.Document()
    document.add_paragraph("&lol9;")
    document.save(path)
    dtd = (
        b'<!DOCTYPE w:document [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
            for n in range(1, 10)
        )
        + b"]>"
    )
    rewrite(
        path,
        "word/document.xml",
        lambda data: data.replace(b"<w:document", dtd + b"<w:document", 1),
    )
    return path


@pytest.mark.parametrize(
    ("bomb", "name", "finding"),
    [(pptx_zip_bomb, "bomb.pptx", "resource-limit"), (entity_bomb, "lol.docx", "unreadable-file")],
)
def test_hostile_input_is_refused(bomb, name: str, finding: str, tmp_path: Path) -> None:
    path = bomb(tmp_path / name)
    out = tmp_path / "out"
    code, report = fix("--output", str(out), str(path))
    entry = report["files"][0]
    assert entry["status"] == "refused" and entry["message"].startswith(finding)
    assert code == 1 and not (out / name).exists()
    checked = json.loads(run_cli("check", "--format", "json", str(path)).stdout)
    assert finding in {f["name"] for f in checked["files"][0]["findings"]}  # as check refuses it


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "fixtures/docx").glob("*.docx")))
def test_word_fixtures_lose_every_fixable_finding(name: str, tmp_path: Path) -> None:
    source = ROOT / "fixtures/docx" / name
    before = sha256(source)
    _, report = fix("--output", str(tmp_path), str(source))
    entry = report["files"][0]
    assert sha256(source) == before
    assert entry["new"] == 0, entry["remaining"]
    kept = {c["before"] for c in entry["changes"] if not c["done"]}
    for finding in entry["remaining"]:
        if finding["name"] in FIXABLE:  # only what the change list says it left alone
            assert any(value in finding["message"] for value in kept), finding
    if entry["output"]:
        docx.Document(entry["output"])


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_fixed_copy(built: Path, tmp_path: Path) -> None:
    _, report = fix("--output", str(tmp_path / "out"), str(built))
    fixed = Path(report["files"][0]["output"])
    converted = convert(fixed, tmp_path)
    assert converted.exists() and converted.stat().st_size > 1000


def convert(path: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    return tmp_path / "pdf" / (path.stem + ".pdf")


def test_text_report_and_exit_zero_when_all_is_fixed(tmp_path: Path) -> None:
    source = ROOT / "fixtures/docx/letter-old-number-textbox.docx"
    done = run_cli("fix", "--output", str(tmp_path), str(source))
    assert done.returncode == 0, done.stdout
    assert f"number: word/footer1.xml, paragraph 2: {OLD} → {NEW}" in done.stdout
    assert "invalidated: customXml/" in done.stdout  # kept, but listed
    assert "1 removed by the fix" in done.stdout.splitlines()[-1]


def test_numbers_are_replaced_across_runs_keeping_the_rest() -> None:
    from profilecheck.fix.edits import replace_numbers
    from profilecheck.fix.knowledge import Knowledge, Numbers

    knowledge = Knowledge(None, None, Numbers({"0303330000": NEW}), "sv-SE", "sv")
    pieces = ["Växel: 0303-3", "3 00", " 00 eller ", "+46 303 33 00 00", " (dygnet runt)"]
    runs = "".join(f"<w:r><w:t>{piece}</w:t></w:r>" for piece in pieces)
    paragraph = etree.fromstring(f'<w:p xmlns:w="{W}">{runs}</w:p>')
    replaced = replace_numbers(paragraph, f"{{{W}}}t", knowledge)
    assert [old for old, _ in replaced] == ["0303-33 00 00", "+46 303 33 00 00"]
    texts = [t.text for t in paragraph.iter(f"{{{W}}}t")]
    assert texts == [f"Växel: {NEW}", "", " eller ", NEW, " (dygnet runt)"]


def test_a_symbol_font_is_listed_and_left_alone(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Punkt ")
    paragraph.add_run("\uf0d8").font.name = "Wingdings"
    paragraph.add_run(" och text i fel typsnitt").font.name = "Papyrus"
    path = tmp_path / "symbol.docx"
    document.save(path)
    _code, report = fix("--output", str(tmp_path / "out"), str(path))
    changes = report["files"][0]["changes"]
    symbol = [c for c in changes if c["before"] == "Wingdings"]
    assert symbol and not symbol[0]["done"] and "symbol font" in symbol[0]["reason"]
    assert any(c["before"] == "Papyrus" and c["done"] for c in changes)
    fixed = zipfile.ZipFile(report["files"][0]["output"]).read("word/document.xml").decode()
    assert 'w:ascii="Wingdings"' in fixed and "Papyrus" not in fixed
