"""Work done once and only where it can matter, with the same findings: rules skip what serves
only findings nobody selected, OCR skips blank pictures, and Tesseract runs in this process with
the command's answer (issue 19)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from profilecheck.analyses import ocr, tesseract
from profilecheck.core.model import Page
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="tesseract (with a language) is not installed: OCR cannot run"
)


def text_over_picture(path: Path) -> Path:
    """Grey text on a photo-like picture: only a render tells what is behind the text."""
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page(width=300, height=200)
    noise = np.random.default_rng(1).integers(0, 255, (60, 90, 3), dtype=np.uint8)
    picture = pymupdf.Pixmap(pymupdf.csRGB, 90, 60, noise.tobytes(), False)
    page.insert_image(pymupdf.Rect(0, 0, 300, 200), pixmap=picture)
    page.insert_text((20, 100), "Text over a picture", fontsize=14, color=(0.6, 0.6, 0.6))
    pdf.save(path)
    return path


def checked(path: Path, select: list[str], monkeypatch) -> tuple[list[str], list[float]]:
    """(finding names, resolutions rendered) of the Ale profile on `path` with `select`."""
    renders: list[float] = []
    real = Page.render

    def render(page, dpi=72, clip=None):
        renders.append(dpi)
        return real(page, dpi, clip)

    monkeypatch.setattr(Page, "render", render)
    engine = Engine(load_profile("ale"), replace(Settings(), select=select))
    result = engine.check_file(str(path))
    return [finding.name for finding in result.findings], renders


def test_a_rule_skips_the_render_of_findings_not_selected(tmp_path, monkeypatch):
    path = text_over_picture(tmp_path / "over.pdf")
    names, renders = checked(path, ["A505"], monkeypatch)
    assert renders and "text-contrast-low" in names  # the contrast needs the render
    names, renders = checked(path, ["A501", "A502"], monkeypatch)
    assert renders == [] and names == ["pdf-untagged", "language-missing"]


def test_the_palette_skips_pictures_when_only_preflight_is_selected(tmp_path, monkeypatch):
    from profilecheck.checks.palette import sources

    looked = []
    real = sources._analyse
    monkeypatch.setattr(sources, "_analyse", lambda *a: looked.append(1) or real(*a))
    path = text_over_picture(tmp_path / "over.pdf")
    checked(path, ["C201"], monkeypatch)
    assert looked
    looked.clear()
    checked(path, ["C203"], monkeypatch)  # spot colours: declared, never in pictures
    assert not looked


def test_a_picture_of_one_grey_is_not_given_to_tesseract(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("tesseract was asked")

    monkeypatch.setattr(tesseract, "recognise", refuse)
    monkeypatch.setattr(subprocess, "run", refuse)
    results = ocr.OcrResults()
    for grey in (0, 128, 255):
        blank = np.full((300, 400, 3), grey, dtype=np.uint8)
        assert ocr._recognise(blank, ocr.OcrSettings(), results, 1, None, 1, 1) == []
    assert results.failures == []


@needs_tesseract
def test_tesseract_in_this_process_answers_as_the_command(tmp_path):
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page(width=400, height=150)
    page.insert_text((20, 60), "Handläggare Per Nilsson", fontsize=20)
    page.insert_text((20, 100), "Ring 0303-70 30 00", fontsize=16)
    pix = page.get_pixmap(dpi=200)
    pixels = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
    pgm = ocr._pgm(ocr._grey(pixels))
    languages = ocr.languages("swe+eng")
    binary = ocr.tesseract_path()
    answer = tesseract.recognise(pgm, languages, 60, binary)
    if answer is None:
        pytest.skip("libtesseract cannot stand in for the command here")
    done = subprocess.run(
        [binary, "stdin", "stdout", "-l", languages, "tsv"],
        input=pgm,
        capture_output=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    assert answer == (done.returncode, done.stdout.decode("utf-8", "replace"))
    assert "Nilsson" in answer[1]
    assert tesseract.recognise(pgm, languages, 60, binary) == answer  # nothing carried over


def test_another_tesseract_on_the_path_is_run_as_a_command():
    assert tesseract.recognise(b"P5\n1 1\n255\n\0", "eng", 60, "/bin/echo") is None


def test_the_box_index_finds_exactly_the_boxes_that_meet():
    from profilecheck.analyses.boxes import BoxIndex
    from profilecheck.core.model import Box

    rng = np.random.default_rng(7)
    boxes: list[Box | None] = []
    for _ in range(400):
        x0, y0 = rng.uniform(-50, 600, 2)
        w, h = rng.uniform(-5, 80), rng.choice([rng.uniform(0, 30), rng.uniform(0, 9000)])
        boxes.append(Box(x0, y0, x0 + w, y0 + h))
    boxes += [None, Box(0, float("-inf"), 10, float("inf")), Box(5, 30, 9, 30), Box(0, 50, 9, 10)]
    index = BoxIndex(boxes)
    queries = [*boxes[:200], Box(0, 0, 600, 900), Box(1, float("nan"), 2, 3), Box(5, 30, 9, 30)]
    for query in queries:
        if query is None:
            continue
        expected = [i for i, b in enumerate(boxes) if b is not None and b.intersects(query)]
        assert index.meeting(query) == expected
        assert index.first_meeting(query) == (expected[0] if expected else None)


@needs_tesseract
@pytest.mark.parametrize("grey", [True, False], ids=["flat", "noise"])
def test_a_picture_larger_than_tesseract_takes_fails_as_the_command_does(grey):
    """Tesseract refuses a side over 32,767 pixels: in this process as from the command, with
    the command's words, however flat the picture (it is not known to be blank to Tesseract)."""
    shape = (20, 40_000, 3)
    rng = np.random.default_rng(3)
    wide = np.zeros(shape, np.uint8) if grey else rng.integers(0, 255, shape, dtype=np.uint8)
    results = ocr.OcrResults()
    assert ocr._recognise(wide, ocr.OcrSettings(), results, 1, None, 1, 1) is None
    assert results.failures == ["page 1: tesseract failed (Error during processing.)"]


def test_each_image_xobject_is_decoded_once_per_document_to_find_it(tmp_path, monkeypatch):
    import pymupdf

    from profilecheck.readers.pdf import identities, raster

    pdf = pymupdf.open()
    rng = np.random.default_rng(5)
    logo = pymupdf.Pixmap(pymupdf.csRGB, 40, 30, rng.integers(0, 255, 3600, np.uint8).tobytes(), 0)
    photo = pymupdf.Pixmap(pymupdf.csRGB, 60, 50, rng.integers(0, 255, 9000, np.uint8).tobytes(), 0)
    xref = 0
    for number in range(3):
        page = pdf.new_page(width=300, height=300)
        if xref:
            page.insert_image(pymupdf.Rect(10, 10, 50, 40), xref=xref)
        else:
            xref = page.insert_image(pymupdf.Rect(10, 10, 50, 40), pixmap=logo)
        if number == 1:
            page.insert_image(pymupdf.Rect(100, 100, 220, 200), pixmap=photo)
            page.insert_image(pymupdf.Rect(10, 200, 50, 230), xref=xref)
    pdf.save(tmp_path / "shared.pdf")
    expected = [page.get_image_info(xrefs=True) for page in pymupdf.open(tmp_path / "shared.pdf")]
    decoded = []
    real = identities.decoded
    monkeypatch.setattr(identities, "decoded", lambda *a: decoded.append(a[1]) or real(*a))
    pdf = pymupdf.open(tmp_path / "shared.pdf")
    ids = identities.PixelIdentities(pdf)
    found = [raster.image_info(page, ids) for page in pdf]
    assert [[{**i, "digest": None} for i in page] for page in found] == [
        [{**i, "digest": None} for i in page] for page in expected
    ]  # PyMuPDF's images and xrefs; the pixels told apart by a token, equal where MD5s are
    tokens = [i["digest"] for page in found for i in page]
    md5s = [i["digest"] for page in expected for i in page]
    assert [[a == b for b in tokens] for a in tokens] == [[a == b for b in md5s] for a in md5s]
    assert sorted(decoded) == sorted(set(decoded)) and len(decoded) == 2
    assert not ids.md5s  # two pictures of different sizes: no MD5 was needed
