"""Hostile names in every output: terminal escapes, names that are not UTF-8, live links in
Markdown, the size of a Markdown comment, and the HTML report's pictures made under the limits.

Each test reproduces an attack as a user meets it: a PDF whose font is named with ESC and a
newline or `https://evil.example/x`, a file and a folder named with terminal escapes, a file
whose name is not UTF-8, 1,400 files in one Markdown comment, a scan with an HTML report.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from click.testing import CliRunner
from conftest import FORBID_OLD, make_pdf, make_profile, run_cli

from profilecheck.cli.main import main
from profilecheck.core.model import Part, Severity, Status
from profilecheck.core.printable import printable, safe_json, valid_unicode
from profilecheck.core.results import FileResult, Finding, Location, RunResult
from profilecheck.reporters import Options, pictures, render
from profilecheck.reporters import html as html_reporter
from profilecheck.reporters import markdown as markdown_reporter

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
EVIL_FONT = b"Ev\x1b[31m\nINJECTED\x07"
URL_FONT = b"https://evil.example/x"
EVIL_NAME = "evil\x1b]0;owned\x07\nfake.pdf"
EVIL_FOLDER = "dir\x1b[2J\rX"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline
OLD_NUMBER = "Ring 0303-33 00 00"


def _pdf_name(raw: bytes) -> str:
    """A PDF name object: every byte that is not a letter or digit as #xx."""
    return "/" + "".join(chr(b) if chr(b).isalnum() else f"#{b:02x}" for b in raw)


def pdf_with_font(path: Path, font: bytes, text: str = "Hello there") -> Path:
    """A one-page PDF whose (not embedded) font is called `font`."""
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 100), text, fontname="helv")
    for xref in range(1, document.xref_length()):
        if document.xref_get_key(xref, "Type")[1] == "/Font":
            document.xref_set_key(xref, "BaseFont", _pdf_name(font))
    path.write_bytes(document.tobytes())
    document.close()
    return path


def _terminal_safe(text: str) -> None:
    assert not RAW_CONTROLS.search(text), repr(RAW_CONTROLS.search(text))


# --- item 6: terminal escapes -------------------------------------------------------------


def test_font_names_cannot_drive_the_terminal(tmp_path):
    pdf_with_font(tmp_path / "esc.pdf", EVIL_FONT)
    pdf_with_font(tmp_path / "url.pdf", URL_FONT)
    done = run_cli("check", "--isolated", "--lang", "en", "--select", "T301,T302", "esc.pdf",
                   "url.pdf", cwd=tmp_path)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    _terminal_safe(done.stdout)
    assert "Typeface Ev\\x1b[31m\\x0aINJECTED\\x07 is not" in done.stdout
    lines = done.stdout.splitlines()
    assert not any(line.startswith("INJECTED") for line in lines)  # no forged line
    assert [line for line in lines if not line.startswith(" ")][:2] == ["esc.pdf", "url.pdf"]


def test_file_and_folder_names_cannot_drive_the_terminal(tmp_path):
    folder = tmp_path / "share" / EVIL_FOLDER
    folder.mkdir(parents=True)
    make_pdf(folder / EVIL_NAME, [OLD_NUMBER])
    profile = make_profile(tmp_path / "tiny", {"old": FORBID_OLD})
    shown = "share/dir\\x1b[2J\\x0dX/evil\\x1b]0;owned\\x07\\x0afake.pdf"
    checked = run_cli("check", "--isolated", "--profile", str(profile), "share", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    _terminal_safe(checked.stdout)
    assert checked.stdout.splitlines()[0] == shown
    scanned = run_cli("scan", "--isolated", "--profile", str(profile), "--no-cache", "-j", "1",
                      "share", cwd=tmp_path)  # fmt: skip
    assert scanned.returncode == 1, scanned.stderr
    _terminal_safe(scanned.stdout)
    worst = scanned.stdout.splitlines()[2]  # the worst folders come first
    assert worst.endswith("  share/dir\\x1b[2J\\x0dX"), worst
    assert shown in scanned.stdout.splitlines()


def test_a_zip_member_name_in_a_message_forges_no_line(tmp_path):
    message = "zip member word/x\n\x1b[32mfake.pdf: checked\x1b[0m is damaged: bad CRC-32"
    broken = FileResult("a.docx", "docx", Status.UNREADABLE, [], message=message)
    finding = Finding("F001", "unreadable-file", Severity.ERROR, message, Location("a.docx"))
    broken.findings.append(finding)
    run = RunResult("0.1", "a", "1", "A", [broken])
    text = render("text", run, Options(verbose=True))
    _terminal_safe(text)
    assert len(text.splitlines()) == 2  # the file's line and the summary
    assert "word/x\\x0a\\x1b[32mfake.pdf: checked\\x1b[0m is damaged" in text
    for fmt in ("markdown", "junit", "html", "sarif", "json"):
        _terminal_safe(render(fmt, run, Options()))


def test_cli_error_lines_and_profile_validate_are_sanitised(tmp_path):
    done = run_cli("scan", "--isolated", str(tmp_path / "missing\x1b[31m\nX"))
    assert done.returncode == 2
    _terminal_safe(done.stderr)
    assert "missing\\x1b[31m\\x0aX" in done.stderr and len(done.stderr.splitlines()) == 1
    profile = make_profile(tmp_path / "p", {"bad\x1b]0;x\x07": 'type = "txt"\n'})
    validated = run_cli("profile", "validate", str(profile), cwd=tmp_path)
    assert validated.returncode == 2
    _terminal_safe(validated.stdout)
    assert "bad\\x1b]0;x\\x07.toml" in validated.stdout


def test_the_sanitiser():
    assert printable("a\x1b[31m\nb\x07\x9b\u202ec") == "a\\x1b[31m\\x0ab\\x07\\x9b\\u202ec"
    assert printable("caf\udce9.pdf") == "caf\\xe9.pdf"  # a name that is not UTF-8
    assert printable("Åsa\tö") == "Åsa\\x09ö" and printable("plain é ✓") == "plain é ✓"
    assert valid_unicode("caf\udce9") == "caf\ufffd"
    text = safe_json(json.dumps({"k": "x\x1b\x9b\u202e\udce9"}, ensure_ascii=False))
    assert json.loads(text) == {"k": "x\x1b\x9b\u202e\ufffd"}
    text.encode("utf-8")  # valid UTF-8
    _terminal_safe(text)


# --- item 7: names that are not UTF-8 -----------------------------------------------------


def _raw_name_tree(tmp_path: Path) -> bytes:
    root = tmp_path / "share"
    root.mkdir()
    raw = os.path.join(os.fsencode(root), b"caf\xe9.pdf")
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), OLD_NUMBER)
    Path(os.fsdecode(raw)).write_bytes(document.tobytes())  # PyMuPDF wants UTF-8 names
    return raw


def _validate_sarif(document: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if SARIF_SCHEMA.exists():
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(document))
        assert not errors, errors[0].message


@pytest.mark.parametrize("command", ["check", "scan"])
def test_a_name_that_is_not_utf8_in_every_report(tmp_path, command):
    _raw_name_tree(tmp_path)
    profile = make_profile(tmp_path / "tiny", {"old": FORBID_OLD})
    reports = {fmt: tmp_path / f"r.{fmt}" for fmt in ("sarif", "json", "junit", "markdown", "html")}
    args = [command, "--isolated", "--profile", str(profile), "share"]
    args += [f"--report={fmt}:{path}" for fmt, path in reports.items()]
    if command == "scan":
        args += ["--no-cache", "-j", "1"]
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # the finding, not a crash
    assert "Traceback" not in done.stderr and "caf\\xe9.pdf" in done.stdout
    texts = {fmt: path.read_bytes().decode("utf-8") for fmt, path in reports.items()}  # strict
    sarif = json.loads(texts["sarif"])
    (result,) = sarif["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "share/caf%E9.pdf" and result["partialFingerprints"]
    _validate_sarif(sarif)
    (entry,) = json.loads(texts["json"])["files"]
    assert bytes.fromhex(entry["path_bytes"]) == b"share/caf\xe9.pdf"
    assert entry["path"].endswith("caf\ufffd.pdf")
    assert entry["findings"][0]["location"]["path"] == entry["path"]
    suite = ET.fromstring(texts["junit"]).find("testsuite")
    assert suite is not None and suite.get("name") == "share/caf\\xe9.pdf"
    assert "`share/caf\\xe9.pdf`" in texts["markdown"]
    assert "share/caf\\xe9.pdf" in texts["html"]


def test_one_failing_reporter_does_not_take_the_others(tmp_path, monkeypatch):
    from profilecheck.reporters import sarif

    def broken(run, options):
        raise UnicodeEncodeError("utf-8", "\udce9", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(sarif, "render", broken)
    monkeypatch.chdir(tmp_path)
    make_pdf(tmp_path / "flyer.pdf", [OLD_NUMBER])
    args = ["check", "--isolated", "flyer.pdf", "--report", "sarif:r.sarif", "--report",
            "json:r.json", "--report", "markdown:r.md", "--format", "junit", "-o", "r.xml"]  # fmt: skip
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 2
    assert "the sarif report could not be made: UnicodeEncodeError" in outcome.stderr
    assert not (tmp_path / "r.sarif").exists()
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"]
    assert "flyer.pdf" in (tmp_path / "r.md").read_text(encoding="utf-8")
    ET.fromstring((tmp_path / "r.xml").read_text(encoding="utf-8"))


# --- item 8: Markdown ---------------------------------------------------------------------

LINKS = ("https://evil.example/x", "www.evil.example", "boss@evil.example", "#12", "mailto:x@y")


def _outside_code_spans(markdown: str) -> str:
    text = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", " ", markdown)  # code spans
    return re.sub(r"<code>.*?</code>", " ", text)  # in the HTML of <details>


def test_markdown_keeps_links_from_documents_as_text(tmp_path):
    pdf_with_font(tmp_path / "url.pdf", URL_FONT, text="See https://evil.example/page now")
    done = run_cli("check", "--isolated", "--lang", "en", "--select", "T301,T302", "--format",
                   "markdown", "url.pdf", cwd=tmp_path)  # fmt: skip
    assert "`https://evil.example/x`" in done.stdout, done.stderr
    assert "://" not in _outside_code_spans(done.stdout)
    path = "docs/www.evil.example/`odd`|name.pdf"
    message = f"zip member {' '.join(LINKS)} is damaged; font {URL_FONT.decode()} ```"
    found = Finding("F001", "unreadable-file", Severity.ERROR, message, Location(path))
    result = FileResult(path, "docx", Status.UNREADABLE, [found], message=message)
    text = render("markdown", RunResult("0.1", "a", "1", "A", [result]), Options())
    rest = _outside_code_spans(text)
    for link in LINKS:
        assert link not in rest, link
    assert "| ``docs/www.evil.example/`odd`\\|name.pdf`` |" in text  # a table cell
    cmarkgfm = pytest.importorskip("cmarkgfm")  # GitHub's own Markdown (cmark-gfm)
    for markdown in (text, done.stdout):
        shown = cmarkgfm.github_flavored_markdown_to_html(markdown)
        assert "<a " not in shown and "https://evil.example/x" in shown


def test_markdown_of_1400_files_stays_under_githubs_limit():
    files = []
    for n in range(1400):
        path = f"/share/avdelning-{n % 37:02d}/underlag/ett-ganska-langt-dokumentnamn-{n:05d}.pdf"
        location = Location(path, 1, None, Part.BODY)
        found = Finding("K403", "contact-outdated", Severity.ERROR, "Old number", location)
        files.append(FileResult(path, "pdf", Status.CHECKED, [found] * 3, pages=1))
    text = render("markdown", RunResult("0.1", "a", "1", "A", files), Options(cwd="/"))
    assert len(text) < markdown_reporter.GITHUB_LIMIT
    more = [line for line in text.splitlines() if "more files; see the full report." in line]
    assert len(more) == 1
    shown = text.count("| ❌ checked |")
    assert more[0] == f"… {1400 - shown} more files; see the full report."
    assert "The report was cut short here" in text  # and the findings stop in time too


# --- item 9: the HTML report's pictures under the scan's limits ---------------------------


def test_scan_html_pictures_are_made_in_the_workers(tmp_path, monkeypatch):
    from PIL import Image

    def not_here(request):
        raise AssertionError("a picture was made in the parent process")

    monkeypatch.setattr(pictures, "draw", not_here)  # the workers are spawned: not patched
    monkeypatch.setattr(html_reporter, "draw", not_here)
    root = tmp_path / "share"
    root.mkdir()
    for n in range(3):
        make_pdf(root / f"doc{n}.pdf", [OLD_NUMBER])
    Image.new("RGB", (3000, 2000), (200, 40, 40)).save(root / "big.png")
    profile = make_profile(tmp_path / "tiny", {"old": FORBID_OLD})
    out = tmp_path / "report.html"
    outcome = CliRunner().invoke(main, ["scan", "--isolated", "--profile", str(profile),
                                        "--no-cache", "-j", "2", str(root), "--format", "html",
                                        "-o", str(out)])  # fmt: skip
    assert outcome.exit_code == 1, outcome.output
    page = out.read_text(encoding="utf-8")
    uris = re.findall(r'href="(data:image/jpeg;base64,[^"]*)"', page)
    assert len(uris) == 3  # the three PDFs' pages with findings; the clean image needs none
    assert all(len(uri) <= 4 / 3 * pictures.MAX_PICTURE_BYTES + 100 for uri in uris)
    assert page.count('class="outline"') == 3


def test_pictures_are_bounded_in_size():
    noise = np.random.default_rng(7).integers(0, 256, (3000, 700, 3), dtype=np.uint8)
    uri = pictures.jpeg_data_uri(noise)
    assert uri is not None and uri.startswith(pictures.JPEG_URI)
    import base64
    import io

    from PIL import Image

    data = base64.b64decode(uri[len(pictures.JPEG_URI) :])
    assert len(data) <= pictures.MAX_PICTURE_BYTES
    image = Image.open(io.BytesIO(data))
    assert image.width <= pictures.THUMBNAIL_PX and image.height <= pictures.MAX_HEIGHT_PX


def test_html_report_plans_pictures_without_opening_files(tmp_path, monkeypatch):
    monkeypatch.setattr(html_reporter, "MAX_PICTURES", 5)
    files = []
    for n in range(4):
        path = str(tmp_path / f"gone{n}.pdf")  # never opened by the plan
        found = [
            Finding("K401", "contact-missing", Severity.ERROR, "x", Location(path, page))
            for page in (1, 2, 3)
        ]
        files.append(FileResult(path, "pdf", Status.CHECKED, found, pages=3))
    run = RunResult("0.1", "a", "1", "A", files)
    planned = html_reporter.requests(run)
    assert [len(r.pages) for r in planned] == [3, 2]
    run.pictures = {}  # made elsewhere: the reporter opens nothing either
    assert "data:image" not in render("html", run, Options())


def test_html_shows_names_as_visible_escapes_and_keeps_its_own_lines(tmp_path):
    path = str(tmp_path / EVIL_NAME)
    message = "Typeface Ev\x1b[31m\nINJECTED\x07 is not allowed"
    found = Finding("T301", "font-not-allowed", Severity.WARNING, message, Location(path, 1))
    result = FileResult(path, "pdf", Status.CHECKED, [found], pages=1)
    page = render("html", RunResult("0.1", "a", "1", "A", [result]), Options(cwd=str(tmp_path)))
    _terminal_safe(page)
    assert "evil\\x1b]0;owned\\x07\\x0afake.pdf" in page
    assert "Typeface Ev\\x1b[31m\\x0aINJECTED\\x07 is not allowed" in page
    explanation = page.split('class="explanation">', 1)[1].split("</div>", 1)[0]
    assert "\n" in explanation and "\\x0a" not in explanation  # the check's own text


def test_check_html_pictures_are_made_in_a_worker(tmp_path, monkeypatch):
    def not_here(request):
        raise AssertionError("a picture was made in the parent process")

    monkeypatch.setattr(pictures, "draw", not_here)  # the picture worker is spawned: not patched
    monkeypatch.setattr(html_reporter, "draw", not_here)
    pdf = make_pdf(tmp_path / "letter.pdf", [OLD_NUMBER])
    profile = make_profile(tmp_path / "tiny", {"old": FORBID_OLD})
    out = tmp_path / "report.html"
    outcome = CliRunner().invoke(main, ["check", "--isolated", "--profile", str(profile),
                                        "--timeout", "0", "--max-memory", "0", str(pdf),
                                        "--format", "html", "-o", str(out)])  # fmt: skip
    assert outcome.exit_code == 1, outcome.output
    assert len(re.findall(r'href="data:image/jpeg;base64,', out.read_text(encoding="utf-8"))) == 1
