"""Where a document's colours come from, for the palette rule: one `ColourUse` per coloured thing.

Text colours (as declared in PDFs where the reader could tell, else the spans' sRGB), vector
fills and strokes, Word highlighting and shading, and the flat colours of graphics. The list is a
shared document analysis, so another rule that needs the colours does not extract them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from profilecheck.analyses.boxes import BoxIndex
from profilecheck.analyses.pictures import ANALYSIS_PIXELS, picture
from profilecheck.core.colour import ImageColours, image_colours
from profilecheck.core.errors import ReadError
from profilecheck.core.model import Box, Colour, Document, Format, Page, Part, PlacedImage

JPEG_NAMES = (".jpg", ".jpeg", ".jfif")


@dataclass(frozen=True)
class ColourUse:
    colour: Colour
    source: str  # tolerance class: "exact", "converted", "png", "jpeg"
    what: str  # text, fill, stroke, highlight, shading, image
    page: int
    box: Box | None = None
    part: Part = Part.BODY
    text: str = ""
    photo: bool = False

    @property
    def key(self) -> tuple:
        components = tuple(round(c, 3) for c in self.colour.components)
        return (self.colour.space, components, self.colour.name, self.page)

    @property
    def label(self) -> str:
        return describe(self.colour)


def describe(colour: Colour) -> str:
    """'#E30613', 'cmyk(0 100 100 0) ≈ #FF0000', 'PANTONE 485 C ≈ #DA291C'."""
    if colour.space == "rgb":
        return colour.hex or str(colour)
    percent = " ".join(f"{round(c * 100):g}" for c in colour.components)
    declared = colour.name or f"{colour.space}({percent})"
    return f"{declared} ≈ {colour.hex}" if colour.hex else declared


@dataclass(frozen=True)
class Unseen:
    """A picture whose colours could not be looked at, and why: "picture-undecodable" (its
    data cannot be decoded) or "picture-recoloured" (Word changes its colours on display)."""

    image: PlacedImage
    why: str
    detail: str


@dataclass
class Colours:
    uses: list[ColourUse]
    unseen: list[Unseen]


def colour_uses(
    document: Document, images: bool, min_area: float, max_pixels: int = ANALYSIS_PIXELS
) -> Colours:
    def compute(doc: Document) -> list[ColourUse]:
        uses: list[ColourUse] = []
        for page in doc.pages:
            uses += page_uses(doc, page)
        return uses

    uses = document.analysis("palette.vector-and-text", compute)
    if not images:
        return Colours(uses, [])
    key = f"palette.images:{min_area}:{max_pixels}"
    found = document.analysis(key, _images(min_area, max_pixels))
    return Colours(uses + found.uses, found.unseen)


def group_uses(uses: Iterable[ColourUse]) -> list[list[ColourUse]]:
    """One group per colour and page, in first-use order."""
    groups: dict[tuple, list[ColourUse]] = {}
    for use in uses:
        groups.setdefault(use.key, []).append(use)
    return list(groups.values())


def page_uses(document: Document, page: Page) -> list[ColourUse]:
    uses: list[ColourUse] = []
    text_paints = []
    if document.format in (Format.PDF, Format.PPTX):  # Word's shapes are not read as paint
        for paint in page.paints:
            if paint.operation == "text":
                text_paints.append(paint)
                continue
            source = _source(paint.colour)
            uses.append(ColourUse(paint.colour, source, paint.operation, page.number, paint.box))
    uses += _text_uses(page, text_paints)
    return uses


def _text_uses(page: Page, text_paints: list) -> list[ColourUse]:
    spans = page.spans
    uses = []
    if text_paints:  # declared colours: name the text by the (first) span under the paint
        index = BoxIndex([span.box for span in spans])
        for paint in text_paints:
            under = index.first_meeting(paint.box)
            text = spans[under].text if under is not None else ""
            colour = paint.colour
            uses.append(
                ColourUse(colour, _source(colour), "text", page.number, paint.box, text=text)
            )
    for span in spans:
        if span.colour is not None and not text_paints:
            uses.append(_span_use(span, span.colour, "text"))
        for what in ("highlight", "shading"):
            colour = getattr(span, what)
            if colour is not None:
                uses.append(_span_use(span, colour, what))
    return uses


def _span_use(span: object, colour: Colour, what: str) -> ColourUse:
    return ColourUse(
        colour,
        _source(colour),
        what,
        span.page,  # type: ignore[attr-defined]
        span.box,  # type: ignore[attr-defined]
        span.part,  # type: ignore[attr-defined]
        span.text.strip(),  # type: ignore[attr-defined]
    )


def _source(colour: Colour) -> str:
    return "exact" if colour.exact else "converted"


def _images(min_area: float, max_pixels: int):
    def compute(document: Document) -> Colours:
        analysed: dict[str, ImageColours | Unseen] = {}
        found = Colours([], [])
        for image in document.images():
            key = image.digest or f"{image.name}:{id(image)}"
            if key not in analysed:
                analysed[key] = _analyse(image, min_area, max_pixels)
                if isinstance(analysed[key], Unseen):
                    found.unseen.append(analysed[key])  # type: ignore[arg-type]
            result = analysed[key]
            if isinstance(result, ImageColours):
                found.uses += _image_uses(document, image, result)
        return found

    return compute


SHOWN_GREY = {"grayscale", "biLevel"}  # Word effects that show a picture in greys only


def _analyse(image: PlacedImage, min_area: float, max_pixels: int) -> ImageColours | Unseen:
    """The picture's flat colours, read on a copy of at most `max_pixels` (a large graphic is
    still a graphic), or why they cannot be known."""
    recolour = [effect for effect in image.effects if effect not in SHOWN_GREY]
    if recolour:  # Word recolours the picture on display: its pixels are not what shows
        return Unseen(image, "picture-recoloured", ", ".join(recolour))
    try:
        pixels = picture(image, max_pixels)
        if image.effects:  # shown in greys: judge the greys Word shows
            pixels = pixels.convert("LA" if "A" in pixels.mode else "L")
        return image_colours(pixels, min_area=min_area)
    except (LookupError, ReadError, OSError, ValueError, MemoryError) as error:
        return Unseen(image, "picture-undecodable", str(error) or type(error).__name__)


def _image_uses(document: Document, image: PlacedImage, found: ImageColours) -> list[ColourUse]:
    source = "jpeg" if _lossy(document, image) else "png"
    return [
        ColourUse(
            Colour("rgb", rgb),
            source,
            "image",
            image.page,
            image.box,
            image.part,
            image.name,
            photo=found.photo,
        )
        for rgb, _share in found.colours
    ]


def _lossy(document: Document, image: PlacedImage) -> bool:
    if document.format is Format.IMAGE:
        info = document.metadata.image
        return info is not None and (info.codec or "").upper() == "JPEG"
    if document.format is Format.PDF:
        return True  # the reader does not say which filter; DCT is the common case
    return image.name.lower().endswith(JPEG_NAMES)
