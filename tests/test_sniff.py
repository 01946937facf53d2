"""The format is decided by the bytes, not the name."""

from __future__ import annotations

import zipfile

import pytest
from conftest import make_pdf

from profilecheck.core.model import Format
from profilecheck.readers.sniffer import OLE2_MAGIC, sniff


@pytest.mark.parametrize("name", ["report.fuzz", "REPORT.Pdf", "no-extension", "letter.docx"])
def test_pdf_is_a_pdf_whatever_its_name(tmp_path, name):
    path = make_pdf(tmp_path / name, ["Hej"])
    assert sniff(path).format is Format.PDF


def test_pdf_without_header_is_still_a_pdf(tmp_path):
    path = tmp_path / "broken.bin"
    path.write_bytes(b"\x00garbage 1 0 obj<</Type/Catalog>>endobj trailer<</Root 1 0 R>>")
    assert sniff(path).format is Format.PDF


def _ole(path, stream_name: str):
    path.write_bytes(OLE2_MAGIC + b"\x00" * 504 + stream_name.encode("utf-16-le") + b"\x00" * 64)
    return path


def test_ole2_encrypted_named_docx(tmp_path):
    sniffed = sniff(_ole(tmp_path / "secret.docx", "EncryptedPackage"))
    assert sniffed.format is Format.OLE_ENCRYPTED


def test_ole2_word_97_named_docx(tmp_path):
    assert sniff(_ole(tmp_path / "old.docx", "WordDocument")).format is Format.LEGACY_DOC


def test_docx_by_its_parts_not_its_name(tmp_path):
    path = tmp_path / "document.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert sniff(path).format is Format.DOCX


def test_xlsx_is_not_a_docx(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    sniffed = sniff(path)
    assert sniffed.format is Format.UNKNOWN and "Excel" in sniffed.detail


@pytest.mark.parametrize(
    ("head", "detail"),
    [(b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff\xe0", "jpeg"), (b"GIF89a", "gif"),
     (b"II*\x00", "tiff"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp")],
)  # fmt: skip
def test_images_by_magic(tmp_path, head, detail):
    path = tmp_path / "picture.txt"
    path.write_bytes(head + b"\x00" * 32)
    sniffed = sniff(path)
    assert (sniffed.format, sniffed.detail) == (Format.IMAGE, detail)


def test_text_and_empty_files_are_unknown(tmp_path):
    text = tmp_path / "notes.pdf"
    text.write_text("just some notes\n")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert sniff(text).format is Format.UNKNOWN
    assert sniff(empty).detail == "empty file"


def test_ole2_powerpoint_97_is_ppt(tmp_path):
    assert sniff(_ole(tmp_path / "old.pptx", "PowerPoint Document")).format is Format.PPT


def test_rtf_by_its_header(tmp_path):
    path = tmp_path / "letter.doc"
    path.write_bytes(b"{\\rtf1\\ansi Hej}")
    assert sniff(path).format is Format.RTF


@pytest.mark.parametrize(
    ("mimetype", "expected"),
    [("application/vnd.oasis.opendocument.text", Format.ODT),
     ("application/vnd.oasis.opendocument.text-template", Format.ODT),
     ("application/vnd.oasis.opendocument.presentation", Format.ODP),
     ("application/vnd.oasis.opendocument.spreadsheet", Format.UNKNOWN)],
)  # fmt: skip
def test_opendocument_by_its_mimetype(tmp_path, mimetype, expected):
    path = tmp_path / "document.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    assert sniff(path).format is expected
