"""Image reader: a PNG, JPEG, TIFF, WebP or GIF file is a one-page document holding one image."""

from __future__ import annotations

from typing import Any

from PIL import Image

from profilecheck.core.errors import ReadError
from profilecheck.core.facts import ImageInfo
from profilecheck.core.limits import Limits
from profilecheck.core.model import Box, Document, Format, Metadata, Page, Part, PlacedImage, Status
from profilecheck.readers.pixels import decode, open_image, reduced_note, reduced_size

ASSUMED_DPI = 72.0
ORIENTATION_TAG = 0x0112
SWAPS_AXES = {5, 6, 7, 8}


def read_image(path: str, limits: Limits) -> Document:
    """The image as stored, or, beyond `max_decoded_pixels`, as decoded reduced: the page keeps
    its size in points, the pixels (and the resolution) are those the rules get."""
    image = open_image(path, limits)
    stored = image.size
    width, height = reduced_size(*stored, limits)
    reduced = (width, height) != stored
    notes = [reduced_note("", *stored, limits)] if reduced else []
    orientation, exif_failed = _orientation(image, decodes=not reduced)
    shown = stored
    if orientation in SWAPS_AXES:
        (width, height), shown = (height, width), stored[::-1]
    stored_dpi, dpi_known = _dpi(image)
    dpi = stored_dpi * max(width, height) / max(stored)  # of the pixels the rules get
    box = Box(0, 0, shown[0] * 72 / stored_dpi, shown[1] * 72 / stored_dpi)
    cache: dict[str, Image.Image] = {}

    def pixels() -> Image.Image:
        if "rgb" not in cache:
            # reading the EXIF of some formats decodes the image; when that failed, the
            # image holds a blank buffer, so decode a fresh copy and let it fail loudly
            source = open_image(path, limits) if exif_failed else image
            try:
                source.seek(0)
            except Exception as error:
                raise ReadError(Status.UNREADABLE, "unreadable-file", f"image data broken: {error}")
            cache["rgb"] = decode(source, limits)
            if reduced:
                source.close()  # let the whole decode go: the rules get the reduced copy
        return cache["rgb"]

    placed = PlacedImage(
        box=box,
        pixel_width=width,
        pixel_height=height,
        part=Part.IMAGE,
        name=path,
        colour_mode=image.mode,
        _loader=pixels,
    )
    page = Page(
        number=1,
        width=box.width,
        height=box.height,
        _load_images=lambda: [placed],
        _render=lambda render_dpi, clip: _render(pixels(), dpi, render_dpi, clip),
    )
    metadata = Metadata(
        title=_text_info(image, "Title", "title"),
        image=ImageInfo(
            dpi=dpi,
            dpi_known=dpi_known,
            codec=image.format,
            frames=getattr(image, "n_frames", 1),
            icc_profile=bool(image.info.get("icc_profile")),
            orientation=orientation,
        ),
    )
    return Document(
        path=path,
        format=Format.IMAGE,
        pages=[page],
        metadata=metadata,
        warnings=notes,
        _close=image.close,
    )


def _orientation(image: Image.Image, decodes: bool = True) -> tuple[int, bool]:
    """The EXIF orientation (1 when unknown), and whether reading the EXIF failed. Pillow
    decodes a whole PNG to look for EXIF after its pixels: not for an image over the budget."""
    if not decodes and image.format == "PNG" and "exif" not in image.info:
        return 1, False
    try:
        return int(image.getexif().get(ORIENTATION_TAG, 1)), False
    except Exception:
        return 1, True


def _dpi(image: Image.Image) -> tuple[float, bool]:
    raw = image.info.get("dpi")
    try:
        dpi = float(raw[0]) if raw else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if 10.0 <= dpi <= 10000.0:
        return dpi, True
    return ASSUMED_DPI, False


def _text_info(image: Image.Image, *keys: str) -> str | None:
    for key in keys:
        value = image.info.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _render(rgb: Image.Image, native_dpi: float, dpi: float, clip: Box | None) -> Any:
    import numpy as np

    if rgb.mode == "RGBA":
        flat = Image.new("RGB", rgb.size, (255, 255, 255))
        flat.paste(rgb, mask=rgb.getchannel("A"))
        rgb = flat
    scale = dpi / native_dpi
    if clip is not None:
        left, top = clip.x0 * native_dpi / 72, clip.y0 * native_dpi / 72
        right, bottom = clip.x1 * native_dpi / 72, clip.y1 * native_dpi / 72
        rgb = rgb.crop((round(left), round(top), round(right), round(bottom)))
    if abs(scale - 1) > 1e-3:
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(rgb, dtype=np.uint8).copy()
