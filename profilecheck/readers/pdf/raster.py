"""Which of the images PyMuPDF reports on a page are raster images.

`Page.get_image_info` reports image XObjects (with their xref), inline images (xref 0) and also
shadings (`sh`, shading patterns, mesh shadings, also inside a soft mask's group), which MuPDF
turns into pictures, as xref-0 "images". The page's painting log (`Page.get_bboxlog`) tells them
apart: raster images are "fill-image" or "fill-imgmask" (stencil masks), shadings "fill-shade".
"""

from __future__ import annotations

from typing import Any

import pymupdf

RASTER_KINDS = ("fill-image", "fill-imgmask")


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


def image_info(page: pymupdf.Page, digests: dict[int, bytes]) -> list[dict]:
    """`page.get_image_info(xrefs=True)`, but each image XObject decoded once per document to
    find its digest (PyMuPDF decodes every image a page lists, again on every page listing it,
    to tell which XObject each image drawn is). A decoding that fails is tried again, as ever."""
    if not page.parent.is_pdf:
        return page.get_image_info(xrefs=True)
    infos = page.get_image_info(hashes=True)
    xrefs: dict[bytes, int] = {}
    for item in page.get_images():
        xref = item[0]
        if xref not in digests:
            digests[xref] = xref_digest(page.parent, xref)
        xrefs[digests[xref]] = xref  # as PyMuPDF: the last XObject of the same pixels wins
    for info in infos:
        info["xref"] = xrefs.get(info["digest"], 0)
    return infos


def xref_digest(pdf: pymupdf.Document, xref: int) -> bytes:
    """The MD5 of image XObject `xref`'s pixels, as PyMuPDF finds an image's XObject by."""
    return pymupdf.Pixmap(pdf, xref).digest
