"""Rendering a PDF page to pixels for the rules (`Page.render`)."""

from __future__ import annotations

from typing import Any

import pymupdf

from profilecheck.core.model import Box


def render_page(pdf: pymupdf.Document, index: int, dpi: float, clip: Box | None) -> Any:
    """Page `index` (or `clip` of it, in points) at `dpi` as an RGB uint8 array (H x W x 3)."""
    import numpy as np

    page = pdf.load_page(index)
    dpi = max(1, round(dpi))
    rotated_clip = clip is not None and page.rotation
    area = pymupdf.Rect(clip.x0, clip.y0, clip.x1, clip.y1) if clip and not rotated_clip else None
    pix = page.get_pixmap(dpi=dpi, clip=area, alpha=False, colorspace=pymupdf.csRGB)
    # the pixmap's own memory, not copied (a copy costs a third of the render: fresh pages)
    pixels = np.asarray(_Held(pix))
    if rotated_clip:  # clips are in unrotated space: cut the shown page instead
        scale = dpi / 72
        top, bottom = round(clip.y0 * scale), round(clip.y1 * scale)
        pixels = pixels[
            max(top, 0) : bottom, max(round(clip.x0 * scale), 0) : round(clip.x1 * scale)
        ].copy()
    return pixels


class _Held:
    """A pixmap's samples as an array (H x W x n uint8) that keeps the pixmap alive."""

    __slots__ = ("__array_interface__", "pixmap")

    def __init__(self, pixmap: Any) -> None:
        import numpy as np

        shape = (pixmap.height, pixmap.width, pixmap.n)
        view = np.frombuffer(pixmap.samples_mv, dtype=np.uint8).reshape(shape)
        self.pixmap, self.__array_interface__ = pixmap, view.__array_interface__
