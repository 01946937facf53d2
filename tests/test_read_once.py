"""The PDF reader does each costly thing once per document, with the same facts (issue 19)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from profilecheck.analyses import ocr, tesseract
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Page
from profilecheck.readers.pdf import budget
from profilecheck.readers.pdf.budget import PageGuard
from profilecheck.readers.pdf.fonts import read_fonts

needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="tesseract (with a language) is not installed: OCR cannot run"
)


def letter_in_pieces(path: Path) -> Path:
    """Two pages whose text is drawn by several content streams each (as PyMuPDF writes one
    stream per insertion), one font used on both pages, another listed but never drawn."""
    pdf = pymupdf.open()
    for number in range(2):
        page = pdf.new_page()
        for line in range(4):
            page.insert_text((72, 72 + 20 * line), f"Rad {line} på sida {number + 1}", fontsize=11)
        page.insert_font(fontname="Cour", fontbuffer=pymupdf.Font("cour").buffer)
    pdf.save(path)
    return path


def test_the_font_walk_decodes_each_content_stream_once(tmp_path, monkeypatch):
    path = letter_in_pieces(tmp_path / "letter.pdf")
    expected = _fonts(path)  # as the walk found them decoding on its own
    decoded: Counter[int] = Counter()
    real = budget._Counter.decode
    monkeypatch.setattr(
        budget._Counter, "decode", lambda self, xref: decoded.update([xref]) or real(self, xref)
    )
    assert _fonts(path) == expected
    streams = [x for page in pymupdf.open(path) for x in page.get_contents()]
    assert len(streams) >= 8 and decoded == Counter(streams)  # once each: budget and walk


def test_the_decoded_content_is_handed_over_once(tmp_path):
    path = letter_in_pieces(tmp_path / "letter.pdf")
    pdf = pymupdf.open(path)
    guard = PageGuard(pdf, 0, DEFAULT_LIMITS, [])
    assert guard.allows("text") and guard.take_content()
    assert guard.take_content() is None  # taken once: not kept for the document's life


def _fonts(path: Path) -> list:
    pdf = pymupdf.open(path)
    guards = [PageGuard(pdf, i, DEFAULT_LIMITS, []) for i in range(pdf.page_count)]
    untaken = read_fonts(pdf, guards, [])
    assert all(guard.cost.content is None for guard in guards)
    return sorted((f.name, f.used, f.pages) for f in untaken)


@needs_tesseract
def test_tesseract_given_the_grey_pixels_answers_as_from_their_pgm():
    """The picture handed over as pixels is the one Leptonica reads from the PGM: the same TSV
    as the command's (tests/test_costs.py: the PGM's answer is the command's)."""
    page = pymupdf.open().new_page(width=400, height=150)
    page.insert_text((20, 60), "Handläggare Per Nilsson", fontsize=20)
    page.insert_text((20, 100), "Ring 0303-70 30 00", fontsize=16)
    page.draw_rect(pymupdf.Rect(300, 20, 390, 140), color=(0.3, 0.5, 0.2), fill=(0.8, 0.9, 0.7))
    pix = page.get_pixmap(dpi=150)
    rgb = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
    grey, languages, binary = ocr._grey(rgb), ocr.languages("swe+eng"), ocr.tesseract_path()
    assert grey.size == (pix.width, pix.height)
    from_pgm = tesseract.recognise(ocr._pgm(grey), languages, 60, binary)
    if from_pgm is None:
        pytest.skip("libtesseract cannot stand in for the command here")
    from_pixels = tesseract.recognise_grey(grey.tobytes(), *grey.size, languages, 60, binary)
    assert from_pixels == from_pgm and "Nilsson" in from_pixels[1]


def test_an_ocr_render_is_not_kept_on_the_page_unless_another_rule_made_it():
    renders = []
    page = Page(1, 100, 100, _render=lambda dpi, clip: renders.append(dpi) or np.zeros((2, 2, 3)))
    page.render(300, keep=False)
    page.render(300, keep=False)
    assert renders == [300, 300] and not page._cache  # read once by OCR, not kept
    page.render(100)
    page.render(100, keep=False)
    assert renders == [300, 300, 100]  # the logo's and the contrast's render is shared


def test_pymupdf_says_on_opening_whether_a_password_is_needed(tmp_path):
    """The reader takes `is_encrypted` after opening for `needs_pass`, which MuPDF answers by
    trying the empty password again each time it is asked (milliseconds with AES-256)."""
    paths = []
    for name, user in (("plain", None), ("empty-password", ""), ("password", "hemligt")):
        pdf = pymupdf.open()
        pdf.new_page().insert_text((72, 72), "Hej")
        options = {} if user is None else {"encryption": pymupdf.PDF_ENCRYPT_AES_256}
        if user is not None:
            options |= {"user_pw": user, "owner_pw": "ägare"}
        pdf.save(tmp_path / f"{name}.pdf", **options)
        paths.append(tmp_path / f"{name}.pdf")
    for path in paths:
        opened = pymupdf.open(path)
        assert opened.is_encrypted == bool(opened.needs_pass)
    assert [bool(pymupdf.open(p).needs_pass) for p in paths] == [False, False, True]


def test_a_render_keeps_the_pixmap_it_shows_without_copying_it(tmp_path):
    import gc

    from profilecheck.readers.pdf.pixmaps import render_page

    path = letter_in_pieces(tmp_path / "letter.pdf")
    pdf = pymupdf.open(path)
    pixels = render_page(pdf, 0, 50, None)
    expected = pdf[0].get_pixmap(dpi=50, alpha=False, colorspace=pymupdf.csRGB)
    gc.collect()
    for _ in range(5):  # memory freed under the array would now be written over
        pdf[1].get_pixmap(dpi=50)
        bytearray(4_000_000)
    assert pixels.shape == (expected.height, expected.width, 3) and pixels.flags.writeable
    assert pixels.tobytes() == expected.samples and pixels.flags.c_contiguous


def test_a_pages_text_takes_its_font_names_from_the_font_walk(tmp_path, monkeypatch):
    from profilecheck.readers.pdf.reader import read_pdf

    path = letter_in_pieces(tmp_path / "letter.pdf")
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        expected = [
            [(s.text, s.font, s.box, s.bold) for s in page.spans] for page in document.pages
        ]
    listings = []
    real = pymupdf.Page.get_fonts
    monkeypatch.setattr(
        pymupdf.Page, "get_fonts", lambda page, *a, **k: listings.append(1) or real(page, *a, **k)
    )
    with read_pdf(str(path), DEFAULT_LIMITS) as document:
        listed = len(listings)
        spans = [[(s.text, s.font, s.box, s.bold) for s in page.spans] for page in document.pages]
    assert spans == expected and listed == len(listings) == 2  # once per page, by the walk


def pictures_pdf(path: Path, pictures: list[pymupdf.Pixmap], as_png: tuple[int, ...] = ()):
    """One page drawing each picture as an image XObject of its own (`as_png`: those given as
    PNG files, stored apart from a pixmap of the same pixels); their xrefs in order."""
    pdf = pymupdf.open()
    page = pdf.new_page(width=600, height=200)
    xrefs = []
    for n, picture in enumerate(pictures):
        where = pymupdf.Rect(10 + 60 * n, 10, 60 + 60 * n, 60)
        if n in as_png:
            xrefs.append(page.insert_image(where, stream=picture.tobytes("png")))
        else:
            xrefs.append(page.insert_image(where, pixmap=picture))
    pdf.save(path)
    return pymupdf.open(path), xrefs


def test_pictures_are_the_same_exactly_when_their_pixels_md5s_are(tmp_path):
    from profilecheck.readers.pdf.identities import PixelIdentities

    rng = np.random.default_rng(11)
    noise = rng.integers(0, 255, (100, 200, 3), dtype=np.uint8)
    other = rng.integers(0, 255, (100, 200, 3), dtype=np.uint8)
    nearly = noise.copy()
    nearly[99, 199, 2] ^= 1  # one sample apart, the last, which the fingerprint does not read
    pictures = [pymupdf.Pixmap(pymupdf.csRGB, 200, 100, a.tobytes(), 0) for a in (noise, other)]
    pictures += [pictures[0], pymupdf.Pixmap(pymupdf.csRGB, 200, 100, nearly.tobytes(), 0)]
    pdf, xrefs = pictures_pdf(tmp_path / "pictures.pdf", pictures, as_png=(2,))
    assert len(set(xrefs)) == 4  # the PNG is an XObject of its own, with the same pixels
    ids = PixelIdentities(pdf)
    tokens = [ids.token(x) for x in xrefs]
    md5s = [pymupdf.Pixmap(pdf, x).digest for x in xrefs]
    assert [[a == b for b in tokens] for a in tokens] == [[a == b for b in md5s] for a in md5s]
    assert tokens[0] == tokens[2] != tokens[3] and tokens[1] not in (tokens[0], tokens[3])
    assert set(ids.md5s) == {xrefs[0], xrefs[2], xrefs[3]}  # the MD5 only where it decides
    assert ids.token_of_md5(md5s[1]) == tokens[1]  # an inline image of the same pixels
    assert ids.token_of_md5(b"\0" * 16) not in tokens


def test_pictures_of_their_own_sizes_are_told_apart_without_an_md5(tmp_path):
    from profilecheck.readers.pdf.identities import PixelIdentities

    rng = np.random.default_rng(12)
    sizes = ((40, 30), (30, 40), (64, 48))
    arrays = [rng.integers(0, 255, (h, w, 3), dtype=np.uint8) for w, h in sizes]
    arrays.append(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8))  # the size of the third
    pictures = [
        pymupdf.Pixmap(pymupdf.csRGB, a.shape[1], a.shape[0], a.tobytes(), 0) for a in arrays
    ]
    pdf, xrefs = pictures_pdf(tmp_path / "pictures.pdf", pictures)
    ids = PixelIdentities(pdf)
    assert len({ids.token(x) for x in xrefs}) == 4 and not ids.md5s
