"""Decoding pixels safely: one place that knows Pillow's limits and colour modes.

Memory is bounded by design (`core.limits`): an image larger than `max_image_pixels` or
`max_image_side` is refused from its header, before any decoding; one larger than
`max_decoded_pixels` is decoded reduced to that budget (a JPEG by DCT scaling, so it is never
decoded whole; other codecs are box-averaged right after decoding, before any conversion), and
the reader says so in a warning.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageOps

from profilecheck.core.errors import ReadError, is_out_of_memory
from profilecheck.core.limits import DEFAULT_LIMITS, Limits, hit
from profilecheck.core.model import Status
from profilecheck.core.timing import timed

# Pillow's own bomb check stays as a backstop for anything opened elsewhere; ours, below, comes
# first and names our limit (Pillow's error would quote twice it).
Image.MAX_IMAGE_PIXELS = DEFAULT_LIMITS.max_image_pixels


def open_image(source: str | bytes, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """Open an image without decoding it, refusing decompression bombs before any decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Image.DecompressionBombError:  # over twice Pillow's limit: over ours too
        message = f"image refused before decoding: it exceeds {hit('max_image_pixels', limits)}"
        raise ReadError(Status.UNREADABLE, "resource-limit", message)
    except Exception as error:
        if is_out_of_memory(error):
            raise MemoryError(str(error)) from error
        raise ReadError(Status.UNREADABLE, "unreadable-file", f"not a readable image: {error}")
    problem = oversized(image.width, image.height, limits)
    if problem:
        image.close()
        raise ReadError(Status.UNREADABLE, "resource-limit", problem)
    return image


def oversized(width: int, height: int, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """Why an image of this size is refused before decoding, or None."""
    size = f"image of {width:,}×{height:,} pixels refused before decoding"
    if width * height > limits.max_image_pixels:
        return f"{size}: it exceeds {hit('max_image_pixels', limits)} (a decompression bomb)"
    if max(width, height) > limits.max_image_side:
        return f"{size}: a side exceeds {hit('max_image_side', limits)}"
    return None


def reduction(width: int, height: int, budget: int) -> int:
    """The smallest whole factor k that brings ceil(width/k) × ceil(height/k) within `budget`."""
    if width * height <= budget:
        return 1
    low, high = max(1, math.isqrt(width * height // max(budget, 1))), max(width, height)
    while low < high:  # the area only shrinks as k grows
        middle = (low + high) // 2
        if -(-width // middle) * -(-height // middle) <= budget:
            high = middle
        else:
            low = middle + 1
    return low


def reduced_size(width: int, height: int, limits: Limits = DEFAULT_LIMITS) -> tuple[int, int]:
    """The size `decode` gives an image of `width`×`height`."""
    factor = reduction(width, height, limits.max_decoded_pixels)
    return -(-width // factor), -(-height // factor)


def reduced_note(name: str, width: int, height: int, limits: Limits = DEFAULT_LIMITS) -> str:
    """The warning for an image checked at reduced size."""
    small_w, small_h = reduced_size(width, height, limits)
    what = f"image {name}" if name else "the image"
    return (
        f"{what} ({width:,}×{height:,} pixels) was checked at {small_w:,}×{small_h:,}: "
        f"decoded reduced to stay within {hit('max_decoded_pixels', limits)}"
    )


def decode(image: Image.Image, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """The opened `image` decoded in RGB or RGBA, at `reduced_size` (see the module)."""
    with timed("decode", "image"):
        return _decoded(image, limits)


def _decoded(image: Image.Image, limits: Limits) -> Image.Image:
    target = reduced_size(image.width, image.height, limits)
    try:
        if target != image.size:
            if image.format in ("JPEG", "MPO"):  # decoded at 1/2, 1/4 or 1/8, never whole
                image.draft(image.mode, target)
            image.load()
            image = image.resize(target, Image.Resampling.BOX)  # palettes: nearest
        return to_display_rgb(image)
    except ReadError:
        raise
    except Exception as error:
        if is_out_of_memory(error):
            raise MemoryError(str(error)) from error
        raise ReadError(Status.UNREADABLE, "unreadable-file", f"image data broken: {error}")


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


def pdf_image_loader(
    pdf: Any, xref: int, size: tuple[int, int], note: Callable[[str], None], limits: Limits
) -> Callable[[], Image.Image]:
    """Decodes image `xref` of a PyMuPDF document within the limits: refused from its size
    before decoding; over the budget, decoded by MuPDF, subsampled in place by powers of two
    (MuPDF's `shrink`) before any colour conversion, then box-averaged to the budget."""

    noted: list[bool] = []

    def load() -> Image.Image:
        import pymupdf

        problem = oversized(*size, limits)
        if problem:
            raise ReadError(Status.UNREADABLE, "resource-limit", f"embedded {problem}")
        pix = pymupdf.Pixmap(pdf, xref)
        factor = reduction(pix.width, pix.height, limits.max_decoded_pixels)
        if factor > 1:
            if not noted:  # said once, however often a rule decodes it again
                noted.append(True)
                note(reduced_note(f"xref {xref}", pix.width, pix.height, limits))
            pix.shrink(int(math.log2(factor)))  # in place, before any colour conversion
        image = image_from_pixmap(pix)
        target = reduced_size(*size, limits) if factor > 1 else image.size
        return image if image.size == target else image.resize(target, Image.Resampling.BOX)

    return load


def image_from_pixmap(pix: Any) -> Image.Image:
    """A PyMuPDF Pixmap (any colour space, with or without alpha) as a Pillow image."""
    if pix.colorspace is None or pix.n - pix.alpha not in (1, 3):
        import pymupdf

        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[pix.n]
    image = Image.frombytes(mode, (pix.width, pix.height), pix.samples_mv)  # no extra copy
    return image if mode in ("RGB", "RGBA") else image.convert("RGBA" if pix.alpha else "RGB")
