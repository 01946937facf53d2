"""Which of the images PyMuPDF reports on a page are raster images.

`Page.get_image_info` reports image XObjects (with their xref), inline images (xref 0) and also
shadings (`sh`, shading patterns, mesh shadings, also inside a soft mask's group), which MuPDF
turns into pictures, as xref-0 "images". The page's painting log (`Page.get_bboxlog`) tells them
apart: raster images are "fill-image" or "fill-imgmask" (stencil masks), shadings "fill-shade".
"""

from __future__ import annotations

from typing import Any

import pymupdf

from profilecheck.readers.pdf.content import operators
from profilecheck.readers.pdf.identities import PixelIdentities

RASTER_KINDS = ("fill-image", "fill-imgmask")
# What PyMuPDF may report as an image without its being an image XObject drawn: inline images
# (BI ... ID ... EI) and shadings (sh); patterns and soft masks show up as a count that differs.
UNSURE_OPERATORS = frozenset({"BI", "ID", "sh"})
MAX_FORM_DEPTH = 8
# Content walked to pair images (some 10 ms of tokenizing); past it, hashing them is cheaper
MAX_WALK_BYTES = 256 * 1024


def raster_boxes(page: pymupdf.Page) -> dict[tuple[float, ...], int]:
    """Where raster images are painted on `page`, counted per box (PyMuPDF's coordinates)."""
    boxes: dict[tuple[float, ...], int] = {}
    for kind, rect in page.get_bboxlog():
        if kind in RASTER_KINDS:
            key = _rounded(rect)
            boxes[key] = boxes.get(key, 0) + 1
    return boxes


def is_raster(info: dict, unclaimed: dict[tuple[float, ...], int]) -> bool:
    """An image XObject is raster; an image without an xref is an inline image when a raster
    image is painted in its box (each painted box of `unclaimed` is claimed once), else a
    shading."""
    key = _rounded(info["bbox"])
    if unclaimed.get(key, 0) > 0:
        unclaimed[key] -= 1
        return True
    return bool(info.get("xref"))


def _rounded(rect: Any) -> tuple[float, ...]:
    return tuple(round(float(v), 1) for v in rect)


def image_info(page: pymupdf.Page, identities: PixelIdentities) -> list[dict]:
    """`page.get_image_info(xrefs=True)`, without decoding every image the page draws, and
    with a token for the pixels (`identities`) where PyMuPDF gives their MD5 as "digest".

    PyMuPDF finds an image's XObject by decoding every image drawn on the page to hash it
    (`hashes=True`, the costly part) and matching the hashes with those of the XObjects the page
    lists, each decoded again on every page listing it. Here the image XObjects the page's
    content draws (`Do`, through Form XObjects) are paired in drawing order with the images
    MuPDF reports, which come in the same order; each listed XObject is decoded once per
    document (`identities`), so an image's xref is what PyMuPDF's matching gives, the last
    listed XObject of the same pixels winning, and its token is equal to another's exactly when
    their MD5s are. Where the pairing cannot be sure (inline images, shadings, patterns,
    annotations, sizes that differ, content over the budget, a picture that cannot be decoded)
    the page's images are hashed as before."""
    if not page.parent.is_pdf:
        return page.get_image_info(xrefs=True)
    listed = page.get_images(full=True)
    if not listed:  # inline images and shadings only: known by their pixels' MD5
        return _hashed(page, listed, identities)
    infos = page.get_image_info()
    if not infos:  # nothing drawn; the listed images are decoded as ever (a bad one raises)
        _by_token(listed, identities)
        return infos
    paired = _paired(page, infos, listed, identities)
    return _hashed(page, listed, identities) if paired is None else paired


def _hashed(page: pymupdf.Page, listed: list, identities: PixelIdentities) -> list[dict]:
    """The images matched by their pixels' MD5 (PyMuPDF's way, each XObject decoded once)."""
    infos = page.get_image_info(hashes=True)
    xrefs: dict[bytes, int] = {}
    for item in listed:  # as PyMuPDF: the last XObject of the same pixels wins
        xrefs[identities.md5(item[0])] = item[0]
    for info in infos:
        info["xref"] = xref = xrefs.get(info["digest"], 0)
        if xref:
            info["digest"] = identities.token(xref)
        elif info["digest"]:  # an inline image, a shading: the same as an XObject or not
            info["digest"] = identities.token_of_md5(info["digest"])
    return infos


def _by_token(listed: list, identities: PixelIdentities) -> dict[bytes, int]:
    """Token -> xref of the listed image XObjects, each decoded once per document."""
    xrefs: dict[bytes, int] = {}
    for item in listed:
        xrefs[identities.token(item[0])] = item[0]  # the last XObject of the same pixels wins
    return xrefs


def _paired(
    page: pymupdf.Page, infos: list[dict], listed: list, identities: PixelIdentities
) -> list[dict] | None:
    """The images with xref and token from the content's drawing order; None when unsure."""
    sizes = {item[0]: (item[2], item[3]) for item in listed}
    drawn = drawn_images(page)
    if drawn is None or len(drawn) != len(infos):
        return None
    if any(xref not in sizes for xref in drawn):
        return None
    if any((i["width"], i["height"]) != sizes[x] for i, x in zip(infos, drawn, strict=True)):
        return None
    if sum(raster_boxes(page).values()) != len(infos):  # a shading among them, or a mask
        return None
    try:
        xrefs = _by_token(listed, identities)
    except Exception:  # a picture that cannot be decoded: PyMuPDF's way, which raises its error
        return None
    for info, xref in zip(infos, drawn, strict=True):
        info["digest"] = identities.token(xref)
        info["xref"] = xrefs[info["digest"]]
    return infos


def drawn_images(page: pymupdf.Page) -> list[int] | None:
    """The image XObjects `page`'s content draws, in drawing order, each time it is drawn (Form
    XObjects followed); None when the content draws what is not an image XObject but may be
    reported as an image (inline images, shadings), or is too large or too deep to follow."""
    walk = _ImageWalk(page.parent)
    try:
        walk.run(page.read_contents(), page.xref, 0)
    except Exception:  # _Unsure, or content MuPDF cannot give: PyMuPDF's own way then
        return None
    return walk.drawn


class _Unsure(Exception):
    pass


class _ImageWalk:
    def __init__(self, pdf: pymupdf.Document) -> None:
        self.pdf = pdf
        self.drawn: list[int] = []
        self.bytes = 0
        self.kinds: dict[tuple[int, str], tuple[str, int]] = {}

    def run(self, stream: bytes, owner: int, depth: int) -> None:
        self.bytes += len(stream)
        if self.bytes > MAX_WALK_BYTES or depth > MAX_FORM_DEPTH:
            raise _Unsure
        for op, args in operators(stream):
            if op in UNSURE_OPERATORS:
                raise _Unsure
            if op == "Do":
                if not (args and isinstance(args[-1], str)):
                    raise _Unsure
                self._do(owner, args[-1], depth)

    def _do(self, owner: int, name: str, depth: int) -> None:
        key = (owner, name)
        if key not in self.kinds:
            kind, value = self.pdf.xref_get_key(owner, f"Resources/XObject/{name}")
            if kind != "xref":
                raise _Unsure
            xref = int(value.split()[0])
            self.kinds[key] = (self.pdf.xref_get_key(xref, "Subtype")[1], xref)
        subtype, xref = self.kinds[key]
        if subtype == "/Image":
            self.drawn.append(xref)
        elif subtype == "/Form":
            own = self.pdf.xref_get_key(xref, "Resources")[0] != "null"
            self.run(self.pdf.xref_stream(xref) or b"", xref if own else owner, depth + 1)
        else:
            raise _Unsure
