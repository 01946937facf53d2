"""Files that cost far more to read than they weigh: built small, for the resource-limit tests
and for measuring `profilecheck check` on them (`python tests/bombs.py FOLDER` writes them all).
"""

from __future__ import annotations

import base64
import io
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

CHUNK = 8 * 1024 * 1024


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(
    path: Path, width: int = 13_000, height: int = 13_000, colour: int = 2, depth: int = 8
) -> Path:
    """A valid all-black PNG of `width`×`height` (colour type 0: grey, 2: RGB, 6: RGBA; `depth`
    bits a sample) whose zeros compress about 1000:1 (13,000×13,000 RGB: about 0.5 MB)."""
    channels = {0: 1, 2: 3, 6: 4}[colour]
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    total = (width * channels * depth // 8 + 1) * height  # a filter byte before every row
    squeeze = zlib.compressobj(9)
    zeros = bytes(min(CHUNK, total))
    parts = []
    left = total
    while left:
        step = min(left, len(zeros))
        parts.append(squeeze.compress(zeros[:step]))
        left -= step
    parts.append(squeeze.flush())
    data = b"".join(parts)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )
    return path


def pdf_from_objects(path: Path, objects: list[bytes]) -> Path:
    """A PDF from its objects (1: catalog, 2: pages, 3: the page, ...), with an xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    )
    path.write_bytes(out.getvalue())
    return path


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    data = zlib.compress(content, 9)
    return (
        b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(data), extra)
        + data
        + (b"\nendstream")
    )


def _one_page(path: Path, content: bytes, resources: bytes = b"<< >>", more=()) -> Path:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 4 0 R >>"
    return pdf_from_objects(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page % resources,
            _stream(content),
            *more,
        ],
    )


def pdf_paths_bomb(path: Path, paths: int = 500_000) -> Path:
    """One page with `paths` filled rectangles in one compressed content stream."""
    return _one_page(path, b"0 0 1 rg\n" + b"10 10 5 5 re f\n" * paths)


def pdf_forms_bomb(path: Path, paths: int = 1000, uses: int = 1000) -> Path:
    """One page drawing a form XObject of `paths` rectangles `uses` times (fan-out)."""
    form = _stream(
        b"10 10 5 5 re f\n" * paths,
        b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << >> ",
    )
    return _one_page(path, b"/X0 Do\n" * uses, b"<< /XObject << /X0 5 0 R >> >>", more=[form])


def pdf_inflating_bomb(path: Path, megabytes: int = 100, ascii85: bool = False) -> Path:
    """One page whose content stream inflates to `megabytes` MB of spaces (about 1000:1),
    wrapped in ASCII85 if asked."""
    squeeze, spaces = zlib.compressobj(9), b" " * CHUNK
    data = b"".join(squeeze.compress(spaces) for _ in range(megabytes * 1024 * 1024 // CHUNK))
    data += squeeze.flush()
    filters = b"/FlateDecode"
    if ascii85:
        data, filters = base64.a85encode(data) + b"~>", b"[/ASCII85Decode /FlateDecode]"
    stream = b"<< /Length %d /Filter %s >>\nstream\n" % (len(data), filters)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    catalog, pages = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    )
    return pdf_from_objects(path, [catalog, pages, page, stream + data + b"\nendstream"])


def pdf_string_bomb(path: Path, megabytes: int = 50) -> Path:
    """One page showing a single string of `megabytes` MB of text."""
    content = b"BT /F1 12 Tf 72 700 Td (" + b"A" * (megabytes * 1024 * 1024) + b") Tj ET\n"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return _one_page(path, content, b"<< /Font << /F1 5 0 R >> >>", more=[font])


def pdf_image_bomb(path: Path, width: int = 13_000, height: int = 13_000) -> Path:
    """One page showing a black RGB image of `width`×`height` pixels (compressed zeros)."""
    squeeze, row = zlib.compressobj(9), bytes(width * 3)
    data = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (width, height, len(data))
        + data
        + b"\nendstream"
    )
    return _one_page(
        path, b"q 500 0 0 500 40 300 cm /I0 Do Q\n", b"<< /XObject << /I0 5 0 R >> >>", [image]
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_runs_bomb(path: Path, runs: int = 1_000_000, per_paragraph: int = 1000) -> Path:
    """A .docx whose body holds `runs` runs (a few characters each), compressed well under
    the zip-bomb ratio so that the package checks let it through."""
    rng = random.Random(16)
    words = [f"{rng.randrange(36**3):03x}".encode() for _ in range(16)]
    body = io.BytesIO()
    body.write(
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s"><w:body>' % W.encode()
    )
    for start in range(0, runs, per_paragraph):
        body.write(b"<w:p>")
        for _ in range(min(per_paragraph, runs - start)):
            body.write(b"<w:r><w:t>%s </w:t></w:r>" % rng.choice(words))
        body.write(b"</w:p>")
    body.write(b"</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", body.getvalue())
    return path


PPTX_TYPES = CONTENT_TYPES.replace("/word/document.xml", "/ppt/presentation.xml").replace(
    "wordprocessingml.document.main", "presentationml.presentation.main"
)
PPTX_RELS = RELS.replace("word/document.xml", "ppt/presentation.xml")
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def pptx_zip_bomb(path: Path, megabytes: int = 200) -> Path:
    """A .pptx whose one slide inflates to `megabytes` MB of spaces, about 1000:1."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", PPTX_TYPES)
        package.writestr("_rels/.rels", PPTX_RELS)
        package.writestr("ppt/presentation.xml", f'<p:presentation xmlns:p="{P}"/>')
        package.writestr("ppt/slides/slide1.xml", b" " * (megabytes * 1024 * 1024))
    return path


ALL = {
    "png-13000.png": png_bomb,
    "png-rgba16-6700.png": lambda p: png_bomb(p, 6700, 6700, colour=6, depth=16),
    "png-1x180M.png": lambda p: png_bomb(p, 180_000_000, 1, colour=2),
    "paths-500k.pdf": pdf_paths_bomb,
    "forms-1M.pdf": pdf_forms_bomb,
    "string-50MB.pdf": pdf_string_bomb,
    "inflate-1GB.pdf": lambda p: pdf_inflating_bomb(p, 1024),
    "image-13000.pdf": pdf_image_bomb,
    "runs-1M.docx": docx_runs_bomb,
    "zip-200MB.pptx": pptx_zip_bomb,
}


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in ALL.items():
        built = build(folder / name)
        print(f"{built.stat().st_size:>12,} {built}")
