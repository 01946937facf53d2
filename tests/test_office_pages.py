"""Pages of Word and PowerPoint files as pictures (readers/convert/render.py).

Where LibreOffice is installed, a Word or PowerPoint file is rendered to PDF once per file in
the run, only when something needs pixels: the HTML report shows each finding on its page (a
Word finding where its excerpt is found, else page 1, said so), and the contrast rule reads
slide text over a picture from the rendering, saying so. Without LibreOffice nothing changes;
a LibreOffice that hangs is killed at the limit and the report is written without pictures.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT, hanging_soffice, process_gone, run_cli, run_json

from profilecheck.core.limits import Limits
from profilecheck.core.model import Document, Format
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile
from profilecheck.readers.convert import render, soffice
from profilecheck.reporters import Options
from profilecheck.reporters import html as html_reporter

LETTER = ROOT / "fixtures" / "docx" / "letter-wrong-font.docx"
SLIDES = ROOT / "fixtures" / "pptx" / "info-off-palette-theme.pptx"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")


def _sections(report: str) -> dict[str, str]:
    """The HTML report's section of each file, by file name."""
    parts = re.split(r'<section class="file"', report)[1:]
    return {
        re.search(r"<h3>([^<]*)</h3>", part).group(1).rsplit("/", 1)[-1]: part for part in parts
    }


@needs_soffice
def test_rendered_once_and_only_when_pixels_are_needed(renders):
    # the letter's logo clear space would need its layout (tests/test_office_logo.py)
    engine = Engine(load_profile("ale"), Settings(lang="en", ignore=["logo-clear-space"]))
    files = [engine.check_file(str(LETTER)), engine.check_file(str(SLIDES))]
    assert renders == []  # no rule of the check needed pixels: nothing rendered
    run = engine.run_result(files)
    report = html_reporter.render(run, Options())
    assert sorted(renders) == sorted([LETTER.name, SLIDES.name])
    html_reporter.render(run, Options())  # the same run's report again: no new rendering
    assert len(renders) == 2
    sections = _sections(report)
    assert "<image id=" in sections[LETTER.name] and "<image id=" in sections[SLIDES.name]


@needs_soffice
def test_document_keeps_its_rendering(renders):
    from profilecheck.core.limits import DEFAULT_LIMITS
    from profilecheck.readers import read_document, sniff

    for path in (LETTER, SLIDES):
        sniffed = sniff(str(path))
        with read_document(str(path), sniffed) as document:
            render.attach(document, sniffed.format, DEFAULT_LIMITS)
            rendering = document.rendered_pages()
            assert rendering is document.rendered_pages() and not rendering.problem
            assert rendering.pages[0].can_render and Path(rendering.pdf).is_file()
            pixels = rendering.pages[0].render(36)
            assert pixels.ndim == 3 and pixels.shape[2] == 3
            folder = Path(rendering.pdf).parent
        assert not folder.exists()  # removed with the document
    assert len(document.pages) == len(rendering.pages) == 4  # one page per slide
    assert renders == [LETTER.name, SLIDES.name]


def test_without_libreoffice_nothing_is_rendered(monkeypatch):
    monkeypatch.setattr(soffice, "soffice", lambda: None)
    document = Document(path=str(LETTER), format=Format.DOCX, pages=())
    render.attach(document, Format.DOCX, Limits())
    assert document.rendered_pages() is None
    engine = Engine(load_profile("ale"), Settings(lang="en"))
    run = engine.run_result([engine.check_file(str(LETTER)), engine.check_file(str(SLIDES))])
    requests = html_reporter.requests(run)
    assert [(Path(r.path).name, r.excerpt, r.pages) for r in requests] == [(LETTER.name, True, ())]


@needs_soffice
def test_html_report_shows_word_and_slide_findings_on_their_pages(tmp_path):
    done = run_cli(
        "check", "--lang", "en", "--report", f"html:{tmp_path / 'r.html'}", str(LETTER), str(SLIDES)
    )
    assert done.returncode in (0, 1), done.stderr
    sections = _sections((tmp_path / "r.html").read_text(encoding="utf-8"))
    letter, slides = sections[LETTER.name], sections[SLIDES.name]
    assert "Pages as LibreOffice lays them out" in letter
    # the footer's small text is found on page 1 and outlined there
    small = letter[letter.index("Text too small") - 2000 : letter.index("Text too small")]
    assert '<rect class="outline"' in small and "Page 1" in small
    assert "<h4>Content</h4>" not in letter  # pictures instead of the excerpt
    for page in (1, 2, 3, 4):  # a slide finding on each slide
        assert f'aria-label="Page {page}"' in slides


def test_hanging_rendering_leaves_the_report_written_without_pictures(tmp_path):
    bin_dir, pids = hanging_soffice(tmp_path)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    report = tmp_path / "r.html"
    started = time.monotonic()
    done = run_cli(
        "check", "--lang", "en", "--timeout", "3", "--ignore", "logo-clear-space",
        "--report", f"html:{report}", str(LETTER), env=env,
    )  # fmt: skip
    assert time.monotonic() - started < 60
    assert done.returncode in (0, 1), done.stderr
    letter = _sections(report.read_text(encoding="utf-8"))[LETTER.name]
    assert "<image id=" not in letter
    assert "The pages could not be shown as pictures" in letter
    assert "stopped at 80% of the time limit of 3 s per file" in letter
    assert "<h4>Content</h4>" in letter  # the text excerpt, as without LibreOffice
    assert process_gone(pids / "soffice.pid") and process_gone(pids / "child.pid")


def _slide_text_over_picture(path: Path) -> Path:
    """A slide whose dark grey title stands on a dark photo-like picture: only pixels tell."""
    from io import BytesIO

    from PIL import Image
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    picture = BytesIO()
    Image.new("RGB", (64, 36), (40, 40, 48)).save(picture, "PNG")
    picture.seek(0)
    width, height = presentation.slide_width, presentation.slide_height
    slide.shapes.add_picture(picture, 0, 0, width, height).name = "Bakgrund"
    box = slide.shapes.add_textbox(width // 10, height // 3, width * 8 // 10, height // 4)
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "Välkommen till Ale"
    run.font.size, run.font.name = Pt(28), "Arial"
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x5E)
    presentation.save(path)
    return path


def _contrast(result: dict) -> list[dict]:
    names = ("text-contrast-low", "accessibility-unchecked")
    return [f for f in result["findings"] if f["name"] in names]


@needs_soffice
def test_slide_text_over_a_picture_is_measured_on_the_rendering(tmp_path):
    path = _slide_text_over_picture(tmp_path / "kväll.pptx")
    _code, report = run_json("--exit-zero", "--lang", "en", str(path))
    (finding,) = _contrast(report["files"][0])
    assert finding["name"] == "text-contrast-low", finding
    assert finding["location"]["page"] == 1 and "box_pt" in finding["location"]
    assert "from LibreOffice's rendering" in finding["message"]
    assert finding["measured"]["value"] < 3


def test_slide_text_over_a_picture_without_libreoffice_is_unchecked(tmp_path):
    path = _slide_text_over_picture(tmp_path / "kväll.pptx")
    env = {"PATH": str(tmp_path / "empty")}
    _code, report = run_json("--exit-zero", "--lang", "en", str(path), env=env)
    (finding,) = _contrast(report["files"][0])
    assert finding["name"] == "accessibility-unchecked"
    assert finding["measured"]["reason"] == "contrast-not-rendered"


def test_the_engine_and_the_renderer_agree_on_what_is_rendered():
    from profilecheck.engine.engine import RENDERED_FORMATS
    from profilecheck.readers.convert.render import SOURCES

    assert set(SOURCES) == RENDERED_FORMATS


def test_a_check_that_needs_no_pixels_never_loads_the_converter(tmp_path):
    """The pre-commit path: a .docx checked without its logo's clear space (which needs the
    page as LibreOffice lays it out) loads no LibreOffice code."""
    import subprocess
    import sys

    docx = ROOT / "fixtures" / "docx" / "letter-compliant.docx"
    probe = (
        "import sys; from profilecheck.cli.main import main\n"
        "try:\n    main(['check', '--isolated', '--timeout', '0', '--max-memory', '0',"
        " '--ignore', 'logo-clear-space', sys.argv[1]])\n"
        "except SystemExit: pass\n"
        "print('profilecheck.readers.convert' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(docx)], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr
