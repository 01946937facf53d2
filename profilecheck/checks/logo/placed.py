"""Images placed in a PDF or Word file that are an artwork version: recognised from their
pixels and measured from their placement (profilecheck.checks.logo.uses runs it on every image).

A file with an empty margin around its drawing is trimmed to its ink first, so the shield's width
and the clear space are measured from the drawing, not the file. A picture with transparency is
composited over paper its ink shows on. The PDF reader gives an image without its soft mask
(SMask): a transparent field then decodes as black, which reads as recoloured or redrawn; such a
picture is measured again on the page's render of its box, which shows it as printed.

What the pixels say (decode, trim, whole-image match, colours, likeness, margins) is computed
once per image identity in a document (digest, pixel size, colour mode): a vapen on a slide
master, placed on every slide, is read once and reported on each slide.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from profilecheck.analyses.pictures import picture
from profilecheck.checks.logo.found import Unexamined, Use
from profilecheck.core.model import Box, Page, PlacedImage

if TYPE_CHECKING:
    from profilecheck.checks.logo.artwork import MarkModel

MAX_STRUCTURE_PIXELS = 4_000_000  # bigger placed images are matched on a copy this size
PLACED_ASPECT = 0.6  # placed images this far from every version's proportions are not tried


def placed_use(
    page: Page,
    image: PlacedImage,
    model: MarkModel,
    params: Any,
    unseen: list[Unexamined],
    memo: dict | None = None,
) -> Use | None:
    """The placed image when it is an artwork version, measured from its placement. A picture
    shaped like a version that cannot be decoded is noted in `unseen`. `memo` (one per
    document) keeps what the pixels say per image identity (its digest and pixel size), so an
    image placed on every slide (a master's vapen) is decoded and matched once."""
    from profilecheck.checks.logo import originality

    if not image.pixel_width or not image.pixel_height:
        return None
    pixel_aspect = image.pixel_width / image.pixel_height
    # a file with a margin around its drawing is wider or narrower than the drawing
    if not any(abs(pixel_aspect / v.aspect - 1) < PLACED_ASPECT for v in model.versions):
        return None
    key = (image.digest, image.pixel_width, image.pixel_height, image.colour_mode)
    key = key if image.digest else None
    if memo is not None and key is not None and key in memo:
        seen = memo[key]
    else:
        seen = _pixels_seen(image, model)
        if memo is not None and key is not None:
            memo[key] = seen
    if isinstance(seen, str):  # any decoder error: the picture is not examined, not absent
        unseen.append(Unexamined(page.number, "picture-undecodable", image.name, seen, image.box))
        return None
    if seen is None:
        return None
    version, ink, size, (width, height), shield, first, margins = seen
    nearest, distance, likeness = first
    box = _drawing_box(image, ink, size[:2])
    unlike = likeness is not None and likeness < originality.ORIGINAL_LIKENESS
    limit = getattr(params, "recolour_delta_e", math.inf)
    upright = image.transform.rotation % 360.0 == 0.0 and not any(image.transform.crop)
    if (unlike or distance > limit) and size[2] == 3 and upright:
        shown = _as_printed(page, box, (width, height))  # a soft mask the decoder left out
        if shown is not None:
            again = _measured(shown, shown, model, version, shield)
            if again[2] is None or likeness is None or again[2] > likeness:
                nearest, distance, likeness = again
    transform = image.transform
    drawn_aspect = width / height
    aspect = (drawn_aspect / version.aspect) * transform.aspect_ratio_change
    image_width = _printed_width(
        image.box, pixel_aspect * transform.aspect_ratio_change, transform.rotation
    )
    logo_width = image_width * width / size[0]
    back = image.pixel_width / size[0]  # a reduced copy
    mw = version.mark[2]
    return Use(
        version=nearest.name,
        kind=version.kind,
        page=page.number,
        box=box,
        mark_width_pt=logo_width * mw / version.width,
        mark_width_px=shield[2] * back,
        aspect=aspect,
        rotation=transform.rotation,
        mirrored=transform.mirrored,
        delta_e=distance,
        background_lightness=page_background(page, image.box, params.render_dpi, unseen),
        background_from="render" if page.can_render else "white-paper",
        source="placed-image",
        part=image.part,
        effects=image.effects,
        image=image,
        margins=margins,
        likeness=likeness,
    )


def _pixels_seen(image: PlacedImage, model: MarkModel) -> tuple | str | None:
    """What the placed image's pixels say, whatever its placement: the version it is, its ink
    bounds, the decoded size (width, height, channels), the drawing's size, the shield in the
    drawing, the colours and likeness measured, and the empty margins; None when it is no
    version; the decoder's message when it cannot be decoded."""
    import numpy as np

    from profilecheck.checks.logo import artwork, raster, versions

    try:
        pixels = picture(image, MAX_STRUCTURE_PIXELS)
    except Exception as error:  # any decoder error: the picture is not examined, not absent
        return str(error) or type(error).__name__
    array = as_array(pixels)
    x0, y0, x1, y1 = versions.ink_bounds(array)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    drawing = np.ascontiguousarray(array[y0:y1, x0:x1])  # the drawing, without its margin
    version, _ = artwork.match_whole(drawing, model)
    if version is None:
        return None
    rgb = raster.flatten(drawing)
    height, width = rgb.shape[:2]
    sx, sy = width / version.width, height / version.rgba.shape[0]
    mx, my, mw, mh = version.mark
    shield = (mx * sx, my * sy, mw * sx, mh * sy)
    first = _measured(rgb, _on_contrast(drawing, rgb), model, version, shield)
    size = (array.shape[1], array.shape[0], drawing.shape[2])
    margins = raster.drawn_margins(array)
    return version, (x0, y0, x1, y1), size, (width, height), shield, first, margins


def _measured(rgb: Any, seen: Any, model: MarkModel, version: Any, shield: tuple) -> tuple:
    from profilecheck.checks.logo import artwork, originality

    observed = artwork.observed_colours(rgb, model, shield)
    nearest, distance = artwork.nearest_version(model, observed, version.kind)
    return nearest, distance, originality.placed_likeness(seen, model, version, shield)


def _as_printed(page: Page, box: Box, size: tuple[int, int]) -> Any | None:
    """The page's render of a placed drawing's box at `size` pixels: the picture as printed,
    soft mask and all (None when the page cannot be rendered)."""
    import cv2

    if not page.can_render or box.width <= 0 or box.height <= 0:
        return None
    dpi = min(300.0, max(72.0, size[0] / (box.width / 72)))
    try:
        render = page.render(round(dpi), box)
    except Exception:  # measured from the decoded image, as without a render
        return None
    return cv2.resize(render, size, interpolation=cv2.INTER_AREA)


def _on_contrast(drawing: Any, on_white: Any) -> Any:
    """A picture with transparency composited over paper its ink shows on: white, or black
    for a white drawing (what is behind is not the drawing's)."""
    import numpy as np

    from profilecheck.checks.logo import raster

    if drawing.shape[2] != 4 or drawing[..., 3].min() >= 250:
        return on_white
    ink = drawing[..., 3] > 128
    if not ink.any() or np.median(raster.gray(drawing[..., :3])[ink]) < 160:
        return on_white
    return raster.flatten(drawing, (0, 0, 0))


def _drawing_box(image: PlacedImage, ink: tuple[int, ...], size: tuple[int, int]) -> Box:
    """Where the drawing (the image without its empty margin) is on the page: the clear space
    is measured from it. An image turned by other than a half turn, or cropped, keeps its own
    box."""
    box, transform = image.box, image.transform
    turn = transform.rotation % 180.0
    if min(turn, 180.0 - turn) > 0.5 or ink == (0, 0, *size) or any(transform.crop):
        return box
    left, top = ink[0] / size[0], ink[1] / size[1]
    right, bottom = 1 - ink[2] / size[0], 1 - ink[3] / size[1]
    if transform.mirrored:
        left, right = right, left
    if abs(transform.rotation % 360.0 - 180.0) < 0.5:
        left, top, right, bottom = right, bottom, left, top
    w, h = box.width, box.height
    return Box(box.x0 + left * w, box.y0 + top * h, box.x1 - right * w, box.y1 - bottom * h)


def _printed_width(box: Box, shown_aspect: float, rotation: float) -> float:
    """The image's own printed width, from its bounding box on the page and its rotation."""
    c, s = abs(math.cos(math.radians(rotation))), abs(math.sin(math.radians(rotation)))
    return box.width / (c + s / shown_aspect) if shown_aspect else box.width


def page_background(
    page: Page, box: Box, dpi: float, unseen: list[Unexamined] | None = None
) -> float | None:
    """L* of a ring of the page around the box; None when the render fails (noted in
    `unseen`). A page without a render (Word) is white paper (`_word_paper` may colour it)."""
    if not page.can_render:
        return 100.0
    from profilecheck.checks.logo import raster

    margin = max(2.0, 0.1 * max(box.width, box.height))
    clip = Box(
        max(0.0, box.x0 - margin),
        max(0.0, box.y0 - margin),
        min(page.width, box.x1 + margin),
        min(page.height, box.y1 + margin),
    )
    try:
        render = page.render(round(dpi), clip)
    except Exception as error:
        if unseen is not None:
            detail = str(error) or type(error).__name__
            unseen.append(Unexamined(page.number, "background-not-rendered", "", detail, box))
        return None
    scale = dpi / 72
    inner = (
        (box.x0 - clip.x0) * scale,
        (box.y0 - clip.y0) * scale,
        (box.x1 - clip.x0) * scale,
        (box.y1 - clip.y0) * scale,
    )
    return raster.ring_lightness(render, inner, margin * scale)


def as_array(pixels: Any) -> Any:
    import numpy as np

    if pixels.mode not in ("RGB", "RGBA"):
        pixels = pixels.convert("RGB")
    return np.asarray(pixels)
