"""The logo on Word and PowerPoint pages that only a render shows (checks/logo/uses.py).

A vapen kept as an EMF picture (old Word templates) or drawn as shapes is not decoded by the
structural search. Where the logo is required and the structure shows none, the page as
LibreOffice lays it out is searched; what is found there is measured on that page, keeps its page
number and box, and says it was measured on LibreOffice's layout. Without LibreOffice the logo
is unchecked there (not "missing"); a rendering that fails leaves the page unchecked.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, hanging_soffice, load_script, process_gone, run_json

from profilecheck.core.limits import Limits
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

LETTER = ROOT / "fixtures" / "docx" / "letter-compliant.docx"
SLIDES = ROOT / "fixtures" / "pptx" / "info-compliant.pptx"
VAPEN = ROOT / "rules" / "ale" / "artwork" / "png" / "vapen-colour-print.png"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
LOGO = {"logo-found", "logo-missing", "logo-unchecked"}

WPS_SHAPE = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:drawing>'
    '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' distT="0" distB="0" distL="0" distR="0"><wp:extent cx="900000" cy="1080000"/>'
    '<wp:docPr id="90" name="Shield"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="900000" cy="1080000"/>'
    '</a:xfrm><a:prstGeom prst="flowChartOffpageConnector"><a:avLst/></a:prstGeom>'
    '<a:solidFill><a:srgbClr val="1F5FA8"/></a:solidFill></wps:spPr><wps:bodyPr/></wps:wsp>'
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
)


def _emf_letter(folder: Path) -> Path:
    return load_script("fixture_emf").with_emf_logo(LETTER, folder / "letter-emf.docx", VAPEN)


def _shapes_letter(folder: Path) -> Path:
    """A letter with a blue shield-like shape drawn in Word and no logo picture."""
    from docx import Document
    from lxml import etree

    document = Document()
    paragraph = document.add_paragraph("Ale kommun")
    paragraph._p.append(etree.fromstring(WPS_SHAPE))
    document.add_paragraph("Handläggare: Anna Andersson, 0303-33 00 00")
    document.save(folder / "letter-shapes.docx")
    return folder / "letter-shapes.docx"


def _logo_findings(path: Path, env: dict[str, str] | None = None) -> list[dict]:
    _code, report = run_json("--isolated", "--lang", "en", "--select", "L", str(path), env=env)
    return [f for f in report["files"][0]["findings"] if f["name"] in LOGO]


@needs_soffice
def test_an_emf_vapen_is_found_on_the_rendered_word_page(tmp_path):
    findings = _logo_findings(_emf_letter(tmp_path))
    assert [f["name"] for f in findings] == ["logo-found"]
    found = findings[0]
    assert found["location"]["page"] == 1 and found["location"]["box_mm"]
    assert found["measured"]["source"] == "office-render"
    assert found["measured"]["shield_width_mm"] == pytest.approx(25, abs=1)
    assert "LibreOffice" in found["message"]  # measured on LibreOffice's layout, and says so


def test_an_emf_vapen_without_libreoffice_is_unchecked(tmp_path):
    (tmp_path / "empty").mkdir()
    letter, empty = _emf_letter(tmp_path), {"PATH": str(tmp_path / "empty")}
    findings = _logo_findings(letter, env=empty)
    assert [f["name"] for f in findings] == ["logo-unchecked"]
    code, _report = run_json(
        "--isolated", "--select", "L", "--fail-on", "warning", str(letter), env=empty
    )
    assert code == 1  # not "no logo found", and not a pass at the warning level


def test_shapes_drawn_in_word_without_libreoffice_leave_the_logo_unchecked(tmp_path):
    (tmp_path / "empty").mkdir()
    findings = _logo_findings(_shapes_letter(tmp_path), env={"PATH": str(tmp_path / "empty")})
    assert [f["name"] for f in findings] == ["logo-unchecked"]
    assert findings[0]["measured"]["reason"] == "not-examined"


@needs_soffice
def test_shapes_that_are_not_the_vapen_are_searched_and_the_logo_is_missing(tmp_path, renders):
    engine = Engine(load_profile("ale"), Settings(lang="en", select=("L",)))
    result = engine.check_file(str(_shapes_letter(tmp_path)))
    assert renders == ["letter-shapes.docx"]  # the page was rendered to be searched
    assert [f.name for f in result.findings if f.name in LOGO] == ["logo-missing"]


@needs_soffice
def test_a_logo_the_structure_shows_is_rendered_only_for_a_word_clear_space(renders):
    """A slide is laid out as read; a Word logo's clear space needs LibreOffice's layout."""
    checked = Engine(load_profile("ale"), Settings(lang="en", select=["L"]))
    unspaced = Engine(load_profile("ale"), Settings(select=["L"], ignore=["logo-clear-space"]))
    for engine in (unspaced, checked):
        for path in (LETTER, SLIDES):
            result = engine.check_file(str(path))
            assert "logo-found" in {f.name for f in result.findings}
    assert renders == [LETTER.name]


@needs_soffice
def test_a_word_logo_clear_space_is_measured_on_the_laid_out_page(tmp_path):
    """Text set right under the letter's vapen: too close on the laid-out page."""
    from docx import Document

    crowded = Document(str(LETTER))
    header = crowded.sections[0].header
    header.add_paragraph("Samhällsbyggnad").paragraph_format.space_before = 0
    crowded.save(tmp_path / "crowded.docx")
    for path, wanted in ((LETTER, []), (tmp_path / "crowded.docx", ["logo-clear-space"])):
        _code, report = run_json("--isolated", "--lang", "en", "--select", "L", str(path))
        findings = report["files"][0]["findings"]
        spaced = [f for f in findings if f["name"] == "logo-clear-space"]
        assert [f["name"] for f in spaced] == wanted
        for finding in spaced:
            assert finding["location"]["page"] == 1 and "LibreOffice" in finding["message"]


def test_without_libreoffice_a_word_logo_clear_space_is_unchecked(tmp_path):
    (tmp_path / "empty").mkdir()
    _code, report = run_json(
        "--isolated", "--select", "L", str(LETTER), env={"PATH": str(tmp_path / "empty")}
    )
    unchecked = [f for f in report["files"][0]["findings"] if f["name"] == "logo-unchecked"]
    assert [f["measured"]["reason"] for f in unchecked] == ["clear-space-not-laid-out"]
    assert "no LibreOffice" in unchecked[0]["message"]
    # a warning (DESIGN: an unchecked check fails in the score, and the run at --fail-on warning)
    assert _code == 0 and report["summary"]["findings"]["warning"] == 1
    code, _report = run_json(
        "--isolated", "--select", "L", "--fail-on", "warning", str(LETTER),
        env={"PATH": str(tmp_path / "empty")},
    )  # fmt: skip
    assert code == 1


@needs_soffice
def test_an_emf_vapen_on_a_slide_is_found_on_the_rendered_slide(tmp_path):
    slides = load_script("fixture_emf").with_emf_logo(SLIDES, tmp_path / "emf.pptx", VAPEN)
    findings = _logo_findings(slides)
    assert {f["name"] for f in findings} == {"logo-found"}
    assert {f["location"]["page"] for f in findings} <= {1, 4}  # the first or the last slide
    assert all(f["measured"]["source"] == "office-render" for f in findings)


def test_a_failed_rendering_leaves_the_page_unchecked(tmp_path, monkeypatch, renders):
    """LibreOffice hanging, stopped at the conversion's own time limit (no per-file timeout,
    so a loaded machine cannot stop the check first)."""
    bin_dir, pids = hanging_soffice(tmp_path)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    engine = Engine(load_profile("ale"), Settings(lang="en"), Limits(conversion_timeout=1.5))
    result = engine.check_file(str(_emf_letter(tmp_path)))
    assert renders == ["letter-emf.docx"]
    logo = [f for f in result.findings if f.name in LOGO]
    assert [f.name for f in logo] == ["logo-unchecked"]
    assert logo[0].measured["reason"] == "page-not-rendered"
    assert "conversion_timeout = 1.5 s" in logo[0].message
    assert process_gone(pids / "soffice.pid")


@needs_soffice
def test_word_findings_gain_the_page_of_a_rendering_made_for_a_rule(tmp_path):
    """Rendered for the logo search, the letter's text findings get the page LibreOffice lays
    their text on, keeping their part; without a rendering they have no page."""
    wrong_font = ROOT / "fixtures" / "docx" / "letter-wrong-font.docx"
    letter = load_script("fixture_emf").with_emf_logo(wrong_font, tmp_path / "wf.docx", VAPEN)
    _code, report = run_json("--isolated", "--lang", "en", str(letter))
    findings = {f["name"]: f for f in report["files"][0]["findings"]}
    small = findings["text-too-small"]
    assert small["location"]["page"] == 1 and small["location"]["part"] == "footer"
    assert small["location"]["box_mm"] and small["measured"]["page_from"] == "rendering"
    assert findings["font-not-allowed"]["location"]["page"] == 1
    _code, report = run_json(
        "--isolated", "--lang", "en", "--ignore", "logo-clear-space", str(wrong_font)
    )  # nothing needs its layout: not rendered
    assert all("page" not in f["location"] for f in report["files"][0]["findings"])
