"""Which images of a PDF hold the same pixels, without an MD5 of every picture.

PyMuPDF tells images apart by the MD5 of their decoded samples; the rules need only to know
which images are the same picture (the palette and logo rules look at each picture once). Here
each image XObject is decoded once, when a page first lists it (a picture that cannot be decoded
raises, as PyMuPDF's matching does), and gets a token; tokens are equal exactly when the MD5s
are. The MD5 itself is computed only where two pictures could be the same: the same number of
sample bytes and the same fingerprint (a CRC of samples spread over the picture), or a picture
known only by its MD5 (an inline image or a shading, which PyMuPDF hashes itself). An MD5 costs
as much as the decoding (1.4 ms for a 720 x 480 photo; 50 ms for 12 megapixels).
"""

from __future__ import annotations

import zlib
from typing import Any

import pymupdf

FINGERPRINT_BYTES = 4096  # samples read, evenly spaced, for the fingerprint


class PixelIdentities:
    """Tokens of a document's pictures, equal exactly when their pixels' MD5s are."""

    def __init__(self, pdf: pymupdf.Document) -> None:
        self.pdf = pdf
        self.tokens: dict[int, bytes] = {}  # image XObject -> its token
        self.md5s: dict[int, bytes] = {}  # image XObject -> its pixels' MD5, where computed
        self.prints: dict[int, tuple[int, int] | None] = {}  # xref -> (sample bytes, CRC)
        self.by_md5: dict[bytes, bytes] = {}  # MD5 -> token, for every MD5 computed
        self.hashed = False  # a picture known only by its MD5: every XObject needs its MD5

    def token(self, xref: int) -> bytes:
        """The token of image XObject `xref`, decoded on first use (raises what MuPDF raises)."""
        if xref not in self.tokens:
            pixmap = decoded(self.pdf, xref)
            mark = fingerprint(pixmap)
            rivals = [
                x for x, other in self.prints.items() if None in (mark, other) or other == mark
            ]
            if mark is None or rivals or self.hashed:
                md5 = self.md5s[xref] = pixmap.digest
                for rival in rivals:
                    self.md5(rival)
                self.tokens[xref] = self.by_md5.setdefault(md5, b"xref %d" % xref)
            else:
                self.tokens[xref] = b"xref %d" % xref
            self.prints[xref] = mark
        return self.tokens[xref]

    def md5(self, xref: int) -> bytes:
        """The MD5 of image XObject `xref`'s pixels, as PyMuPDF finds an image's XObject by."""
        token = self.token(xref)
        if xref not in self.md5s:
            self.md5s[xref] = decoded(self.pdf, xref).digest  # MuPDF keeps the decoded image
            self.by_md5.setdefault(self.md5s[xref], token)
        return self.md5s[xref]

    def token_of_md5(self, md5: bytes) -> bytes:
        """The token of a picture known by its MD5 (an inline image, a shading)."""
        if not self.hashed:
            self.hashed = True
            for xref in list(self.tokens):
                self.md5(xref)
        return self.by_md5.setdefault(md5, b"md5 " + md5)


def decoded(pdf: pymupdf.Document, xref: int) -> Any:
    """Image XObject `xref` decoded whole, as PyMuPDF decodes it to hash it."""
    return pymupdf.Pixmap(pdf, xref)


def fingerprint(pixmap: Any) -> tuple[int, int] | None:
    """(sample bytes, CRC of samples spread over them), equal for equal samples; None when the
    rows are padded (the padding is not hashed by MD5, so it must not tell pictures apart)."""
    size = pixmap.width * pixmap.n * pixmap.height
    if pixmap.stride != pixmap.width * pixmap.n:
        return None
    samples = pixmap.samples_mv
    step = max(1, size // FINGERPRINT_BYTES)
    return size, zlib.crc32(samples[::step].tobytes())
