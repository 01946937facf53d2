"""Where the logo is used in a document: placed images first, page renders where needed.

Shared per document through `Document.analysis`, so every rule that cares about logo uses (the
logo rule, an accessibility rule skipping the logo's alt text...) runs the search once.

What the search could not look at is kept beside what it found (`Search.unexamined`): a picture
that may be the logo but cannot be decoded, a page or a logo's surroundings that cannot be
rendered. The logo rule reports those as `logo-unchecked`, never as "no logo". Pictures larger
than a few megapixels are looked at on a scaled-down copy. Word pages are not rendered: the
background behind a logo in Word is the document's page colour where it sets one, else white
paper (`Use.background_from` says which).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profilecheck.analyses.pictures import picture
from profilecheck.core.colour import lab, parse_colour
from profilecheck.core.model import Box, Document, Format, Page, Part, PlacedImage

if TYPE_CHECKING:
    from profilecheck.checks.logo.artwork import Detection, MarkModel
    from profilecheck.checks.logo.params import LogoParams

MAX_STRUCTURE_PIXELS = 4_000_000  # bigger placed images are matched on a copy this size


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
    # where background_lightness comes from: "render", "pixels", "page-colour" (Word's),
    # "white-paper" (Word without a page colour) or "" (not known)
    background_from: str = ""


@dataclass(frozen=True)
class Unexamined:
    """Something the search could not look at: `why` is "picture-undecodable" (a picture
    that may be the logo), "page-not-rendered" (a page searched by its render),
    "background-not-rendered" (what lies around a logo found) or "mark-unmeasured" (something
    the search takes for the vapen but cannot measure; `detail` says why)."""

    page: int
    why: str
    what: str = ""  # the picture's name
    detail: str = ""  # the decoder's or renderer's words
    box: Box | None = None


@dataclass
class Search:
    uses: list[Use]
    unexamined: list[Unexamined]


def find_uses(document: Document, params: LogoParams, folder: Path) -> Search:
    search = Search([], [])
    if not _worth_looking(document, params):
        return search  # no pictures and nothing to render: not even the artwork needs loading
    from profilecheck.checks.logo import artwork

    versions = tuple(
        (v.name, str((folder / v.file).resolve()), v.background) for v in params.versions
    )
    model = artwork.load_model(str((folder / params.mark).resolve()), versions)
    if document.format is Format.IMAGE:
        search.uses = _image_file(document, model, search.unexamined)
        return search
    rendered = 0
    for page in document.pages:
        unseen: list[Unexamined] = []
        found = [u for image in page.images if (u := _placed(page, image, model, params, unseen))]
        searchable = page.can_render and rendered < params.max_rendered_pages
        if not found and searchable and _search_page(page, params) and _has_pictures(page):
            rendered += 1
            found = _rendered(page, model, params.render_dpi, unseen)
            if not any(u.why == "page-not-rendered" for u in unseen):
                # the render showed every picture MuPDF can draw, undecodable ones included
                unseen = [u for u in unseen if u.why != "picture-undecodable"]
        search.uses += found
        search.unexamined += unseen
    _word_paper(document, search.uses)
    return search


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


def _placed(
    page: Page, image: PlacedImage, model: MarkModel, params: Any, unseen: list[Unexamined]
) -> Use | None:
    """The placed image when it is an artwork version, measured from its placement. A picture
    shaped like a version that cannot be decoded is noted in `unseen`."""
    from profilecheck.checks.logo import artwork, raster

    if not image.pixel_width or not image.pixel_height:
        return None
    pixel_aspect = image.pixel_width / image.pixel_height
    if not any(abs(pixel_aspect / v.aspect - 1) < 0.35 for v in model.versions):
        return None
    try:
        pixels = picture(image, MAX_STRUCTURE_PIXELS)
    except Exception as error:  # any decoder error: the picture is not examined, not absent
        detail = str(error) or type(error).__name__
        unseen.append(Unexamined(page.number, "picture-undecodable", image.name, detail, image.box))
        return None
    version, _ = artwork.match_whole(pixels, model)
    if version is None:
        return None
    array = _array(pixels)
    rgb = raster.flatten(array)
    height, width = rgb.shape[:2]
    sx, sy = width / version.width, height / version.rgba.shape[0]
    back = image.pixel_width / width if width < image.pixel_width else 1.0  # a reduced copy
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
        mark_width_px=mw * sx * back,
        aspect=aspect,
        rotation=transform.rotation,
        mirrored=transform.mirrored,
        delta_e=distance,
        background_lightness=_page_background(page, image.box, params.render_dpi, unseen),
        background_from="render" if page.can_render else "white-paper",
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


def _page_background(
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


def _rendered(page: Page, model: MarkModel, dpi: float, unseen: list[Unexamined]) -> list[Use]:
    from profilecheck.checks.logo import mark_search

    try:
        render = page.render(round(dpi))
    except Exception as error:
        detail = str(error) or type(error).__name__
        unseen.append(Unexamined(page.number, "page-not-rendered", "", detail))
        return []
    scale = 72 / dpi
    search = mark_search.search_marks(render, model)
    unseen += [_unmeasured(item, page.number, scale) for item in search.unmeasured]
    return [_from_detection(d, model, page.number, scale, "render") for d in search.found]


def _image_file(document: Document, model: MarkModel, unseen: list[Unexamined]) -> list[Use]:
    from profilecheck.checks.logo import mark_search, raster

    page = document.pages[0]
    image = page.images[0] if page.images else None
    if image is None:
        return []
    try:
        pixels = _array(image.pixels())
    except Exception as error:  # the picture is not examined, which is not "no logo"
        detail = str(error) or type(error).__name__
        unseen.append(Unexamined(1, "picture-undecodable", image.name, detail, image.box))
        return []
    info = document.metadata.image
    dpi = (info.dpi if info else None) or 72.0
    known = info is not None and info.dpi_known
    rgb = raster.flatten(pixels)
    search = mark_search.search_marks(rgb, model)
    unseen += [_unmeasured(item, 1, 72 / dpi) for item in search.unmeasured]
    uses = [_from_detection(d, model, 1, 72 / dpi, "image", size_known=known) for d in search.found]
    if not uses:
        whole = _placed(page, image, model, _NoRender(), unseen)
        if whole is not None:
            whole.source = "image"
            whole.mark_width_pt = whole.mark_width_pt if known else None
            whole.background_lightness = None  # the artwork file itself: nothing around it
            whole.background_from = ""
            uses.append(whole)
    return uses


def _word_paper(document: Document, uses: list[Use]) -> None:
    """A Word document's page colour, where it sets one, behind the logos on its pages."""
    word = document.metadata.word
    colour = word.page_colour if word is not None else None
    if not colour:
        return
    try:
        lightness = lab(parse_colour(colour))
    except ValueError:
        return
    for use in uses:
        if use.background_from == "white-paper" and lightness is not None:
            use.background_lightness = lightness[0]
            use.background_from = "page-colour"


def _unmeasured(item: Any, page: int, scale: float) -> Unexamined:
    """Something the mark search takes for the vapen but could not measure (its `why`:
    "shape", "no-alignment"): the logo there is not checked."""
    x0, y0, x1, y1 = item.box
    box = Box(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
    return Unexamined(page, "mark-unmeasured", "", item.why, box)


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
        background_from="render" if source == "render" else "pixels",
        source=source,
        covered=detection.covered,
    )


def _array(pixels: Any) -> Any:
    import numpy as np

    if pixels.mode not in ("RGB", "RGBA"):
        pixels = pixels.convert("RGB")
    return np.asarray(pixels)
