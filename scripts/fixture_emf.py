"""Windows metafiles (EMF) for the Word fixtures: a picture that only a renderer can show.

Old Word templates often hold the logo as an EMF, which neither Pillow nor PyMuPDF decodes
here; LibreOffice draws it. `emf_of` wraps a picture's pixels in a minimal EMF (a header, one
EMR_STRETCHDIBITS record with the pixels as a 24-bit DIB on white, the end record), as Word
keeps a pasted bitmap; `with_emf_logo` puts one in place of a Word or PowerPoint file's pictures.

    python scripts/fixture_emf.py PICTURE OUT.emf
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

EMR_HEADER, EMR_STRETCHDIBITS, EMR_EOF = 1, 81, 14
SRCCOPY, DIB_RGB_COLORS = 0x00CC0020, 0
HEADER_SIZE, STRETCH_SIZE, INFO_SIZE, EOF_SIZE = 108, 80, 40, 20


def emf_of(picture: Path | bytes, dpi: float = 300.0) -> bytes:
    """An EMF showing the picture (flattened on white) at `dpi`."""
    from PIL import Image

    source = Image.open(io.BytesIO(picture) if isinstance(picture, bytes) else picture)
    rgba = source.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    rgb = Image.alpha_composite(white, rgba).convert("RGB")
    width, height = rgb.size
    stride = (width * 3 + 3) // 4 * 4
    rows = rgb.transpose(Image.Transpose.FLIP_TOP_BOTTOM).tobytes("raw", "BGR")
    bits = b"".join(
        rows[y * width * 3 : (y + 1) * width * 3].ljust(stride, b"\0") for y in range(height)
    )
    per_metre = round(dpi / 0.0254)
    info = struct.pack(
        "<IiiHHIIiiII", INFO_SIZE, width, height, 1, 24, 0, len(bits), per_metre, per_metre, 0, 0
    )
    bounds = (0, 0, width - 1, height - 1)
    stretch = struct.pack(
        "<II4iiiiiiiIIIIIIii",
        EMR_STRETCHDIBITS, STRETCH_SIZE + len(info) + len(bits), *bounds,
        0, 0, 0, 0, width, height,
        STRETCH_SIZE, len(info), STRETCH_SIZE + len(info), len(bits),
        DIB_RGB_COLORS, SRCCOPY, width, height,
    )  # fmt: skip
    end = struct.pack("<IIIII", EMR_EOF, EOF_SIZE, 0, 16, EOF_SIZE)
    size = HEADER_SIZE + len(stretch) + len(info) + len(bits) + len(end)
    mm = (round(width * 25.4 / dpi), round(height * 25.4 / dpi))
    frame = (0, 0, round(width * 2540 / dpi), round(height * 2540 / dpi))  # 0.01 mm
    header = struct.pack(
        "<II4i4iIIIIHHIIIiiiiIIIii",
        EMR_HEADER, HEADER_SIZE, *bounds, *frame, 0x464D4520, 0x10000, size, 3, 1, 0,
        0, 0, 0, width, height, *mm, 0, 0, 0, mm[0] * 1000, mm[1] * 1000,
    )  # fmt: skip
    return header + stretch + info + bits + end


def with_emf_logo(package: Path, out: Path, picture: Path) -> Path:
    """A copy of the Word or PowerPoint file `package` whose PNG pictures are EMFs of
    `picture`, named and typed as Office names them (media/imageN.emf, image/x-emf)."""
    emf = emf_of(picture)
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            name = item.filename
            if "/media/" in name and name.endswith(".png"):
                name, data = str(Path(name).with_suffix(".emf")), emf
            elif name.endswith(".rels"):
                data = data.replace(b".png", b".emf")
            elif name == "[Content_Types].xml":
                emf_type = b'<Default Extension="emf" ContentType="image/x-emf"/>'
                data = data.replace(b"<Default ", emf_type + b"<Default ", 1)
            target.writestr(zipfile.ZipInfo(name, item.date_time), data, zipfile.ZIP_DEFLATED)
    return out


if __name__ == "__main__":
    Path(sys.argv[2]).write_bytes(emf_of(Path(sys.argv[1])))
