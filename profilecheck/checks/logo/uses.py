"""Where the logo is used in a document: placed images first, page renders where needed.

Shared per document through `Document.analysis`, so every rule that cares about logo uses (the
logo rule, an accessibility rule skipping the logo's alt text...) runs the search once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profilecheck.core.model import Box, Document, Format, Page, Part, PlacedImage

if TYPE_CHECKING:
    from profilecheck.checks.logo.artwork import Detection, MarkModel
    from profilecheck.checks.logo.params import LogoParams

MAX_STRUCTURE_PIXELS = 4_000_000  # bigger placed images are photos, not logo files


@dataclass
class Use:
    """One use of the logo, measured. Boxes in points (image files: pixels × 72 / dpi)."""

    version: str
    kind: str  # "vapen", "horizontal" or "stacked"
    page: int
    box: Box
    mark_width_pt: float | None  # the shield's printed width, when the size is known
    mark_width_px: float
    aspect: float  # 1.0 = as drawn
    rotation: float  # degrees, counter-clockwise
    mirrored: bool
    delta_e: float  # ΔE2000 to the nearest version
    background_lightness: float | None
    source: str  # "placed-image", "render" or "image"
    part: Part | None = None
    effects: tuple[str, ...] = ()
    image: PlacedImage | None = None
    margins: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # empty image border
    covered: tuple[str, ...] = ()  # found by pixels: sides of the mark hidden by something


def find_uses(document: Document, params: LogoParams, folder: Path) -> list[Use]:
    if not _worth_looking(document, params):
        return []  # no pictures and nothing to render: not even the artwork needs loading
    from profilecheck.checks.logo import artwork

    versions = tuple(
        (v.name, str((folder / v.file).resolve()), v.background) for v in params.versions
    )
    model = artwork.load_model(str((folder / params.mark).resolve()), versions)
    if document.format is Format.IMAGE:
        return _image_file(document, model)
    uses: list[Use] = []
    rendered = 0
    for page in document.pages:
        found = [u for image in page.images if (u := _placed(page, image, model, params))]
        searchable = page.can_render and rendered < params.max_rendered_pages
        if not found and searchable and _search_page(page, params) and _has_pictures(page):
            rendered += 1
            found = _rendered(page, model, params.render_dpi)
        uses += found
    return uses


def _worth_looking(document: Document, params: LogoParams) -> bool:
    if document.format is Format.IMAGE:
        return True
    return any(
        page.images or (page.can_render and _search_page(page, params)) for page in document.pages
    )


def _has_pictures(page: Page) -> bool:
    """Whether anything but text is painted: a page of text alone cannot show the vapen."""
    return bool(page.images) or any(drawn.kind != "text" for drawn in page.drawn)


def _search_page(page: Page, params: LogoParams) -> bool:
    if params.search == "every-page" or params.required == "every-page":
        return True
    return page.number == 1 and params.required == "first-page"


def _placed(page: Page, image: PlacedImage, model: MarkModel, params: Any) -> Use | None:
    """The placed image when it is an artwork version, measured from its placement."""
    from profilecheck.checks.logo import artwork, raster

    if not image.pixel_width or not image.pixel_height:
        return None
    if image.pixel_width * image.pixel_height > MAX_STRUCTURE_PIXELS:
        return None
    pixel_aspect = image.pixel_width / image.pixel_height
    if not any(abs(pixel_aspect / v.aspect - 1) < 0.35 for v in model.versions):
        return None
    try:
        pixels = image.pixels()
    except Exception:
        return None
    version, _ = artwork.match_whole(pixels, model)
    if version is None:
        return None
    array = _array(pixels)
    rgb = raster.flatten(array)
    height, width = rgb.shape[:2]
    sx, sy = width / version.width, height / version.rgba.shape[0]
    mx, my, mw, mh = version.mark
    observed = artwork.observed_colours(rgb, model, (mx * sx, my * sy, mw * sx, mh * sy))
    nearest, distance = artwork.nearest_version(model, observed, version.kind)
    transform = image.transform
    aspect = (pixel_aspect / version.aspect) * transform.aspect_ratio_change
    logo_width = _printed_width(
        image.box, pixel_aspect * transform.aspect_ratio_change, transform.rotation
    )
    return Use(
        version=nearest.name,
        kind=version.kind,
        page=page.number,
        box=image.box,
        mark_width_pt=logo_width * mw / version.width,
        mark_width_px=mw * sx,
        aspect=aspect,
        rotation=transform.rotation,
        mirrored=transform.mirrored,
        delta_e=distance,
        background_lightness=_page_background(page, image.box, params.render_dpi),
        source="placed-image",
        part=image.part,
        effects=image.effects,
        image=image,
        margins=raster.drawn_margins(array),
    )


def _printed_width(box: Box, shown_aspect: float, rotation: float) -> float:
    """The image's own printed width, from its bounding box on the page and its rotation."""
    c, s = abs(math.cos(math.radians(rotation))), abs(math.sin(math.radians(rotation)))
    return box.width / (c + s / shown_aspect) if shown_aspect else box.width


def _page_background(page: Page, box: Box, dpi: float) -> float | None:
    """L* of a ring of the page around the box (None when the page cannot be rendered)."""
    if not page.can_render:
        return 100.0  # Word: a page without a render is white paper
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
    except Exception:
        return None
    scale = dpi / 72
    inner = (
        (box.x0 - clip.x0) * scale,
        (box.y0 - clip.y0) * scale,
        (box.x1 - clip.x0) * scale,
        (box.y1 - clip.y0) * scale,
    )
    return raster.ring_lightness(render, inner, margin * scale)


def _rendered(page: Page, model: MarkModel, dpi: float) -> list[Use]:
    from profilecheck.checks.logo import mark_search

    try:
        render = page.render(round(dpi))
    except Exception:
        return []
    scale = 72 / dpi
    return [
        _from_detection(d, model, page.number, scale, "render")
        for d in mark_search.find_marks(render, model)
    ]


def _image_file(document: Document, model: MarkModel) -> list[Use]:
    from profilecheck.checks.logo import mark_search, raster

    page = document.pages[0]
    image = page.images[0] if page.images else None
    if image is None:
        return []
    pixels = _array(image.pixels())
    info = document.metadata.image
    dpi = (info.dpi if info else None) or 72.0
    known = info is not None and info.dpi_known
    rgb = raster.flatten(pixels)
    uses = [
        _from_detection(d, model, 1, 72 / dpi, "image", size_known=known)
        for d in mark_search.find_marks(rgb, model)
    ]
    if not uses:
        whole = _placed(page, image, model, _NoRender())
        if whole is not None:
            whole.source = "image"
            whole.mark_width_pt = whole.mark_width_pt if known else None
            whole.background_lightness = None
            uses.append(whole)
    return uses


class _NoRender:
    render_dpi = 72.0


def _from_detection(
    detection: Detection,
    model: MarkModel,
    page: int,
    scale: float,
    source: str,
    size_known: bool = True,
) -> Use:
    from profilecheck.checks.logo import artwork

    version, distance = artwork.nearest_version(model, detection.observed, detection.kind)
    x0, y0, x1, y1 = detection.box
    return Use(
        version=version.name,
        kind=detection.kind,
        page=page,
        box=Box(x0 * scale, y0 * scale, x1 * scale, y1 * scale),
        mark_width_pt=detection.mark_width * scale if size_known else None,
        mark_width_px=detection.mark_width,
        aspect=detection.aspect_change,
        rotation=detection.rotation,
        mirrored=detection.mirrored,
        delta_e=distance,
        background_lightness=detection.background_lightness,
        source=source,
        covered=detection.covered,
    )


def _array(pixels: Any) -> Any:
    import numpy as np

    if pixels.mode not in ("RGB", "RGBA"):
        pixels = pixels.convert("RGB")
    return np.asarray(pixels)
