"""The PDF reader fills the document model and turns bad PDFs into clear errors."""

from __future__ import annotations

import io

import pymupdf
import pytest
from PIL import Image

from profilecheck.core.errors import ReadError
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Status
from profilecheck.readers.pdf.reader import placement_transform, read_pdf


def _png(width=40, height=20, colour=(255, 0, 0)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def sample_pdf(tmp_path):
    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    page.insert_text((72, 72), "Hej Ale", fontname="hebo", fontsize=14, color=(0, 0.5, 0))
    page.insert_image(pymupdf.Rect(100, 100, 200, 150), stream=_png())
    page.insert_image(pymupdf.Rect(100, 200, 300, 250), stream=_png(), keep_proportion=False)
    page.draw_rect(pymupdf.Rect(300, 300, 400, 400), color=(0, 0, 1), fill=(1, 0, 0))
    document.set_metadata({"title": "Tjänsteskrivelse", "creationDate": "D:20240105120000"})
    document.xref_set_key(document.pdf_catalog(), "Lang", "(sv-SE)")
    path = tmp_path / "sample.pdf"
    document.save(path)
    return path


def test_untagged_pdf_has_an_empty_structure_tree(sample_pdf):
    with read_pdf(str(sample_pdf), DEFAULT_LIMITS) as document:
        metadata = document.metadata
        tree = metadata.structure
        assert tree is not None and not tree.present and not tree.marked
        assert tree.figures == () and tree.elements == 0 and tree.error is None
        assert metadata.image is None and metadata.word is None


def test_spans_fonts_and_colours(sample_pdf):
    with read_pdf(str(sample_pdf), DEFAULT_LIMITS) as document:
        (span,) = document.pages[0].spans
        assert span.text == "Hej Ale"
        assert span.font == "Helvetica-Bold" and span.bold and span.size == 14
        assert span.colour.hex == "#008000"
        assert span.box.x0 == pytest.approx(72, abs=1)
        assert [f.name for f in document.fonts] == ["Helvetica-Bold"]
        assert document.fonts[0].embedded is False


def test_images_with_their_placement(sample_pdf):
    with read_pdf(str(sample_pdf), DEFAULT_LIMITS) as document:
        upright, stretched = document.pages[0].images
        assert (upright.pixel_width, upright.pixel_height) == (40, 20)
        assert upright.transform.aspect_ratio_change == pytest.approx(1.0)
        assert upright.transform.rotation == 0 and not upright.transform.mirrored
        assert stretched.transform.aspect_ratio_change == pytest.approx(2.0)
        assert upright.pixels().size == (40, 20)
        assert upright.digest == stretched.digest


def test_vector_paint_and_metadata(sample_pdf):
    with read_pdf(str(sample_pdf), DEFAULT_LIMITS) as document:
        fills = [p for p in document.pages[0].paints if p.operation == "fill"]
        assert fills[0].colour.hex == "#FF0000"
        meta = document.metadata
        assert meta.title == "Tjänsteskrivelse"
        assert meta.language == "sv-SE"
        assert meta.created == "2024-01-05"
        assert meta.tagged is False


def test_render_is_lazy_and_cached(sample_pdf):
    with read_pdf(str(sample_pdf), DEFAULT_LIMITS) as document:
        page = document.pages[0]
        assert "render:72:" not in str(page._cache)
        first = page.render(36)
        assert first.shape[2] == 3 and first is page.render(36)


@pytest.mark.parametrize(
    ("matrix", "rotation", "mirrored"),
    [((100, 0, 0, 50, 0, 0), 0, False), ((0, -50, 25, 0, 0, 0), 90, False),
     ((-100, 0, 0, 50, 0, 0), 180, True), ((100, 0, 0, -50, 0, 0), 0, True)],
)  # fmt: skip
def test_placement_transform(matrix, rotation, mirrored):
    transform = placement_transform(matrix, 100, 50)
    assert abs(transform.rotation) == rotation and transform.mirrored is mirrored


def test_password_protected_pdf_is_encrypted(tmp_path):
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "hemligt")
    path = tmp_path / "locked.pdf"
    document.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    with pytest.raises(ReadError) as caught:
        read_pdf(str(path), DEFAULT_LIMITS)
    assert caught.value.status is Status.ENCRYPTED and caught.value.finding == "encrypted-file"


def test_owner_password_only_opens(tmp_path):
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "öppet")
    path = tmp_path / "owner.pdf"
    document.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_128, owner_pw="o", permissions=0)
    with read_pdf(str(path), DEFAULT_LIMITS) as opened:
        assert opened.metadata.encrypted and opened.pages[0].spans[0].text == "öppet"


def test_truncated_pdf_is_unreadable_or_repaired(tmp_path):
    source = tmp_path / "whole.pdf"
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "text")
    document.save(source)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(source.read_bytes()[:60])
    with pytest.raises(ReadError) as caught:
        read_pdf(str(cut), DEFAULT_LIMITS).close()
    assert caught.value.finding == "unreadable-file"


def test_rotated_page_gives_boxes_as_shown(tmp_path):
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 100), "Roterad sida", fontsize=20)
    page.insert_image(pymupdf.Rect(300, 600, 400, 650), stream=_png())
    page.set_rotation(90)
    path = tmp_path / "rotated.pdf"
    document.save(path)
    with read_pdf(str(path), DEFAULT_LIMITS) as opened:
        shown = opened.pages[0]
        assert (shown.width, shown.height) == (842, 595)
        (span,) = shown.spans
        assert span.box.x1 <= shown.width and span.box.y1 <= shown.height
        assert span.box.height > span.box.width  # the line now runs downwards
        crop = shown.render(72, span.box)
        assert crop.size and crop.min() < 128  # the text is inside the crop
        (image,) = shown.images
        assert abs(image.transform.rotation) == 90
        assert image.box.x1 <= shown.width and image.box.y1 <= shown.height


NO_PAGES = b"""%PDF-1.7
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
trailer << /Root 1 0 R /Size 3 >>
%%EOF
"""
PAGE_TREE_CYCLE = b"""%PDF-1.7
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj
trailer << /Root 1 0 R /Size 3 >>
%%EOF
"""


@pytest.mark.parametrize(
    ("content", "reason"),
    [(NO_PAGES, "no pages"), (PAGE_TREE_CYCLE, "page(s) can be read")],
    ids=["no-pages", "page-tree-cycle"],
)
def test_a_pdf_without_a_readable_page_is_not_a_document(tmp_path, content, reason):
    """No viewer can show it, so it is `unreadable`, never `checked` with findings."""
    from conftest import run_json

    path = tmp_path / "empty.pdf"
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        read_pdf(str(path), DEFAULT_LIMITS)
    assert caught.value.status is Status.UNREADABLE and reason in caught.value.message
    code, report = run_json(str(path))
    (result,) = report["files"]
    assert code == 1 and result["status"] == "unreadable" and reason in result["message"]
    assert [f["name"] for f in result["findings"]] == ["unreadable-file"]


def test_real_pdfs_without_readable_pages(corpus):
    """Damaged files from qpdf's and MuPDF's test suites: none is reported as checked."""
    from conftest import run_json

    names = [
        "qpdffuzz__15390.fuzz",
        "qpdf__bad11.pdf",
        "qpdf__many-nulls.pdf",
        "qpdf__deep-pages.pdf",
    ]
    paths = [next(corpus.rglob(name)) for name in names]
    code, report = run_json(*map(str, paths))
    assert code == 1
    assert {r["status"] for r in report["files"]} == {"unreadable"}
