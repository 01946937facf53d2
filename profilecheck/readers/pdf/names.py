"""Font names as people read them, from the bytes a PDF writes.

A PDF name is bytes (`#xx` escapes included); the spec advises UTF-8, and older producers wrote
their platform's 8-bit text. So: UTF-8 where the bytes are valid UTF-8, else PDFDocEncoding
(Latin-1 but for 0x18–0x1F and 0x80–0xA0, where it has typographic marks and letters such as
Ł, Œ, Š). Subset prefixes (`ABCDEF+`) are removed for display.
"""

from __future__ import annotations

import re

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")

# PDFDocEncoding where it differs from Latin-1 (PDF 2.0, Annex D.3); 0x9F and 0xAD are undefined.
_PDFDOC = dict(
    zip(
        [*range(0x18, 0x20), *range(0x80, 0x9F), 0xA0],
        "˘ˇˆ˙˝˛˚˜•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž€",
        strict=True,
    )
)
PDFDOC = "".join(_PDFDOC.get(byte, chr(byte)) for byte in range(256))


def pdfdoc(data: bytes) -> str:
    return "".join(PDFDOC[byte] for byte in data)


def decode_name(raw: str) -> str:
    """A PDF name as written (`Caf#E9`, `#E5#BE#AE...`) to text: UTF-8 where valid, else
    PDFDocEncoding; characters MuPDF already decoded are kept."""
    data = bytearray()
    position = 0
    for match in ESCAPE.finditer(raw):
        data += raw[position : match.start()].encode("utf-8", "surrogateescape")
        data.append(int(match.group(1), 16))
        position = match.end()
    data += raw[position:].encode("utf-8", "surrogateescape")
    return _text(bytes(data))


def fix_mupdf_name(name: str) -> str:
    """MuPDF gives non-ASCII font names as their bytes read as Latin-1 ("å¾®è½¯é..."): decode
    those bytes again as a PDF name is decoded."""
    if name.isascii():
        return name
    try:
        return _text(name.encode("latin-1"))
    except UnicodeEncodeError:
        return name


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return pdfdoc(data)


def strip_subset(name: str) -> str:
    return SUBSET_PREFIX.sub("", name)
