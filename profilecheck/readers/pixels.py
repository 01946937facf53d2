"""Decoding pixels safely: one place that knows Pillow's limits and colour modes."""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image, ImageOps

from profilecheck.core.errors import ReadError
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Status

# Pillow's own bomb check warns at half this and raises above it; we raise at our limit.
Image.MAX_IMAGE_PIXELS = DEFAULT_LIMITS.max_image_pixels


def open_image(
    source: str | bytes, max_pixels: int = DEFAULT_LIMITS.max_image_pixels
) -> Image.Image:
    """Open an image without decoding it, refusing decompression bombs before any decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ReadError(Status.UNREADABLE, "resource-limit", f"image refused: {error}")
    except Exception as error:
        raise ReadError(Status.UNREADABLE, "unreadable-file", f"not a readable image: {error}")
    if image.width * image.height > max_pixels:
        raise ReadError(
            Status.UNREADABLE,
            "resource-limit",
            f"image of {image.width}×{image.height} pixels exceeds the limit of {max_pixels:,}",
        )
    return image


def to_display_rgb(image: Image.Image) -> Image.Image:
    """Decode and convert any Pillow mode (CMYK, Lab, palette, 16-bit, ...) to RGB or RGBA."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode == "P" and "transparency" in image.info:
        return image.convert("RGBA")
    has_alpha = image.mode in ("LA", "PA", "RGBa", "La")
    return image.convert("RGBA" if has_alpha else "RGB")


def image_from_pixmap(pix: Any) -> Image.Image:
    """A PyMuPDF Pixmap (any colour space, with or without alpha) as a Pillow image."""
    if pix.width * pix.height > DEFAULT_LIMITS.max_image_pixels:
        raise ReadError(Status.UNREADABLE, "resource-limit", "embedded image too large to decode")
    if pix.colorspace is None or pix.n - pix.alpha not in (1, 3):
        import pymupdf

        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[pix.n]
    image = Image.frombytes(mode, (pix.width, pix.height), pix.samples)
    return image if mode in ("RGB", "RGBA") else image.convert("RGBA" if pix.alpha else "RGB")
