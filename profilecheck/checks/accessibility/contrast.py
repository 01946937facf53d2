"""WCAG 2.1 contrast: relative luminance, contrast ratio, and what lies behind a piece of text.

Colours are sRGB triples in 0..1. `background_of` looks at rendered pixels (an RGB uint8 array)
around a text span and returns the colour the text is read against: the commonest colour among
the pixels that are not the text's own colour, so glyph pixels and their anti-aliased edges do
not count as background.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profilecheck.analyses.boxes import BoxIndex
from profilecheck.core.model import Box, Document, Page, Paint, TextSpan
from profilecheck.engine.ruletype import pick_language

if TYPE_CHECKING:
    import numpy as np

RGB = tuple[float, float, float]
WHITE: RGB = (1.0, 1.0, 1.0)

# Pixels closer than this (Euclidean, 0..255 per channel) to the text colour are taken as glyph.
GLYPH_DISTANCE = 40.0
# Background pixels are grouped in bins of this many levels per channel before taking the mode.
BIN = 16


def _linear(channel: float) -> float:
    if channel <= 0.04045:
        return channel / 12.92
    return ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    r, g, b = (_linear(min(max(c, 0.0), 1.0)) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: RGB, second: RGB) -> float:
    """(L1 + 0.05) / (L2 + 0.05) with L1 the lighter: 1.0 (none) to 21.0 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def is_large_text(size: float, bold: bool, large: float = 18.0, large_bold: float = 14.0) -> bool:
    """WCAG's large text: at least 18 pt, or at least 14 pt and bold."""
    return size >= large or (bold and size >= large_bold)


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in rgb)


def background_of(region: np.ndarray, text: RGB) -> RGB:
    """The dominant colour of `region` (H x W x 3, uint8) that is not the text colour.

    When every pixel is (near) the text colour the text is invisible against its background,
    so the text colour itself is returned and the contrast comes out as 1:1.
    """
    import numpy as np

    pixels = region.reshape(-1, region.shape[-1])[:, :3].astype(np.int32)
    if not len(pixels):
        return WHITE
    ink = np.array([round(c * 255) for c in text], dtype=np.int32)
    # squared distances against the squared limit: the same pixels, no square roots
    behind = pixels[((pixels - ink) ** 2).sum(axis=1) > GLYPH_DISTANCE**2]
    if not len(behind):
        return text
    bins = behind // BIN
    keys = bins[:, 0] * 4096 + bins[:, 1] * 64 + bins[:, 2]
    # the commonest bin, the lowest key of equally common ones (as np.unique's argmax gave)
    chosen = behind[keys == np.bincount(keys).argmax()]
    mean = chosen.mean(axis=0) / 255.0
    return (float(mean[0]), float(mean[1]), float(mean[2]))


@dataclass(frozen=True, slots=True)
class Measured:
    """A text span, the colour measured behind it and the WCAG ratio between the two."""

    span: TextSpan
    background: RGB
    ratio: float
    rendered: bool = False  # the background is read from LibreOffice's rendering of the slide


@dataclass(frozen=True, slots=True)
class Unmeasured:
    """Spans of a page whose background only a render could tell, and no render was had:
    `why` is "contrast-not-rendered" (the page cannot be drawn), "contrast-limit" (beyond
    the pages the rule renders) or "contrast-unknown-fill" (Word text on a gradient or picture
    fill)."""

    page: int
    spans: int
    why: str
    detail: str = ""


@dataclass
class PageContrasts:
    measured: list[Measured]
    unmeasured: Unmeasured | None = None


def page_contrasts(page: Page, dpi: int, may_render: bool = True) -> PageContrasts:
    """Every coloured text span of `page` with the background it is read against.

    Where the background is certain from the vector content (nothing under the span: the white
    page; only solid fills that cover the whole span: the last of them) no render is needed.
    Otherwise the page is rendered once at `dpi` (cached on the page, so a logo rule rendering
    at the same resolution reuses it) and each span's background is read from its box. Spans
    that need a render when `may_render` is False, or whose page cannot be rendered, are
    counted in `unmeasured` with the reason.
    """
    spans = [s for s in page.spans if s.colour and s.colour.rgb and s.box and s.box.area > 0]
    if not spans:
        return PageContrasts([])
    images = [image.box for image in page.images]
    paints = [paint for paint in page.paints if paint.operation != "text"]
    under = BoxIndex([paint.box for paint in paints])  # each span tries only the paints it meets
    render = None
    why, detail = ("" if may_render else "contrast-limit"), ""
    measured, unmeasured = [], 0
    for span in spans:
        text = span.colour.rgb  # type: ignore[union-attr]
        meeting = [paints[i] for i in under.meeting(span.box)]  # type: ignore[arg-type]
        background = flat_background(span.box, images, meeting)  # type: ignore[arg-type]
        if background is None:
            if render is None and not why:
                try:
                    render = page.render(dpi) if page.can_render else None
                except Exception as error:  # measure only what needs no render
                    detail = str(error) or type(error).__name__
                if render is None:
                    why = "contrast-not-rendered"
            region = crop(render, span.box, dpi) if render is not None else None  # type: ignore[arg-type]
            if region is None:
                unmeasured += render is None  # a box off the rendered page is not text shown
                continue
            background = background_of(region, text)
        measured.append(Measured(span, background, contrast_ratio(text, background)))
    missed = Unmeasured(page.number, unmeasured, why, detail) if unmeasured else None
    return PageContrasts(measured, missed)


def flat_background(box: Box, images: list[Box], paints: list[Paint]) -> RGB | None:
    """The background known without rendering, or None when only pixels can tell."""
    if any(box.intersects(image) for image in images):
        return None
    background = WHITE
    for paint in paints:
        if not box.intersects(paint.box):
            continue
        rgb = paint.colour.rgb
        covers = (
            paint.box.x0 <= box.x0
            and paint.box.y0 <= box.y0
            and paint.box.x1 >= box.x1
            and paint.box.y1 >= box.y1
        )
        if paint.operation != "fill" or not covers or rgb is None:
            return None
        background = rgb
    return background


def crop(render: np.ndarray, box: Box, dpi: float) -> np.ndarray | None:
    scale = dpi / 72
    height, width = render.shape[:2]
    x0, y0 = max(int(box.x0 * scale), 0), max(int(box.y0 * scale), 0)
    x1, y1 = min(math.ceil(box.x1 * scale), width), min(math.ceil(box.y1 * scale), height)
    if x1 <= x0 or y1 <= y0:
        return None
    return render[y0:y1, x0:x1]


def word_contrast(span: TextSpan, paper: RGB = WHITE) -> Measured | None:
    """Word text against its highlight, else its shading, else the page: its page colour or
    white (no render)."""
    if span.colour is None or span.colour.rgb is None:
        return None  # "auto" colour: Word picks black or white against the background
    behind = span.highlight or span.shading
    background = behind.rgb if behind is not None and behind.rgb is not None else paper
    return Measured(span, background, contrast_ratio(span.colour.rgb, background))


def word_contrasts(spans: Iterable[TextSpan], paper: RGB) -> PageContrasts:
    """A Word document's text against what stands behind it (`word_contrast`); text on a fill
    only a render shows (a text box with a gradient or a picture) is unmeasured."""
    measured, unknown = [], 0
    for span in spans:
        behind = span.highlight or span.shading
        if behind is not None and behind.rgb is None and span.colour is not None:
            unknown += span.colour.rgb is not None
        elif (found := word_contrast(span, paper)) is not None:
            measured.append(found)
    missed = Unmeasured(1, unknown, "contrast-unknown-fill") if unknown else None
    return PageContrasts(measured, missed)


# a slide's page as LibreOffice renders it, or None and why not ("" when there is no renderer)
Rendered = Callable[[], tuple[Page | None, str]]


def slide_contrasts(page: Page, rendered: Rendered | None = None, dpi: int = 100) -> PageContrasts:
    """A slide's text against what the PowerPoint reader found behind it (`shading`: the fill
    of its shape or of what lies under it, else the slide's background). Text over a picture or
    a gradient has none: it is read from the slide as LibreOffice renders it (`rendered`, asked
    only then; `Measured.rendered`), else it is unmeasured. Speaker notes are not shown on the
    slide: not measured."""
    measured, unknown = [], []
    for span in page.spans:
        if span.colour is None or span.colour.rgb is None or span.part == "notes":
            continue
        behind = span.highlight or span.shading
        if behind is None or behind.rgb is None:
            unknown.append(span)
            continue
        measured.append(Measured(span, behind.rgb, contrast_ratio(span.colour.rgb, behind.rgb)))
    detail = ""
    if unknown and rendered is not None:
        unknown, detail = _from_rendering(unknown, rendered, dpi, measured)
    missed = Unmeasured(page.number, len(unknown), "contrast-not-rendered", detail)
    return PageContrasts(measured, missed if unknown else None)


def _from_rendering(
    spans: list[TextSpan], rendered: Rendered, dpi: int, measured: list[Measured]
) -> tuple[list[TextSpan], str]:
    """Spans measured against the rendered slide (added to `measured`): those left, and why."""
    page, detail = rendered()
    if page is None:
        return spans, detail
    try:
        render = page.render(dpi)
    except Exception as error:  # measure only what needs no render
        return spans, str(error) or type(error).__name__
    left = []
    for span in spans:
        region = crop(render, span.box, dpi) if span.box and span.box.area > 0 else None
        if region is None:
            left.append(span)
            continue
        text = span.colour.rgb  # type: ignore[union-attr]
        background = background_of(region, text)
        measured.append(Measured(span, background, contrast_ratio(text, background), True))
    return left, ""


def rendered_slide(document: Document, number: int) -> Rendered:
    """Slide `number` as LibreOffice renders it, asked for on first use (`Rendered`)."""

    def get() -> tuple[Page | None, str]:
        rendering = document.rendered_pages()
        if rendering is None:
            return None, ""
        if number <= len(rendering.pages):
            return rendering.pages[number - 1], ""
        return None, rendering.problem or f"LibreOffice rendered {len(rendering.pages)} slides"

    return get


def rendering_note(document: Document, lang: str) -> str:
    """What a finding measured on the rendering adds to its message (`Rendering.note`)."""
    rendering = document.rendered_pages()
    note = rendering.note if rendering is not None else {}
    return pick_language(note, lang) or ""
