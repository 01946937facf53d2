"""Pictures at a size a check can afford: the palette and logo rules look at big pictures on a
copy scaled down to a few megapixels rather than not at all."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from profilecheck.core.model import PlacedImage

if TYPE_CHECKING:
    from PIL import Image

ANALYSIS_PIXELS = 4_000_000  # larger pictures are looked at on a box-averaged copy this big


def picture(image: PlacedImage, max_pixels: int = ANALYSIS_PIXELS) -> Image.Image:
    """The image's pixels in RGB or RGBA, scaled down to at most `max_pixels` by averaging
    (a flat colour stays that colour). A large image's full decode is not kept on the image.
    Raises what decoding raises (LookupError, ReadError, OSError, ValueError, ...)."""
    large = image.pixel_width * image.pixel_height > max_pixels
    return reduced(image.pixels(keep=not large), max_pixels)


def reduced(pixels: Image.Image, max_pixels: int = ANALYSIS_PIXELS) -> Image.Image:
    """`pixels` box-averaged by a whole factor until at most `max_pixels` remain."""
    area = pixels.width * pixels.height
    if area <= max_pixels:
        return pixels
    factor = math.ceil(math.sqrt(area / max_pixels))
    if pixels.mode not in ("RGB", "RGBA", "L", "LA"):
        pixels = pixels.convert("RGBA" if "A" in pixels.mode else "RGB")
    return pixels.reduce(factor)
