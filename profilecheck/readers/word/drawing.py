"""Word drawings: pictures, text boxes and shapes (DrawingML and VML) into placed images.

Images placed inline have their printed size at (0, 0); anchored images are positioned when
anchored to the page or the margins, else also at (0, 0). Text in text boxes is read as text
of the `TEXT_BOX` part. `Walker` is the whole pass over a story: `text.TextWalker` for the
paragraphs, this module for what is drawn in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from profilecheck.core.model import Box, Colour, Part, PlacedImage
from profilecheck.readers.ooxml.package import EMU_PER_POINT, NS, Package, tag, to_int, w
from profilecheck.readers.ooxml.pictures import (
    ImageParts,
    blip_effects,
    crop_of,
    is_decorative,
    placed_image,
)
from profilecheck.readers.ooxml.styles import Styles, Theme, drawing_colour, hex_colour
from profilecheck.readers.word.text import ALTERNATE, ANCHOR, TXBX, Ctx, TextWalker, mc_choice

A4 = (595.3, 841.9)
TWIPS_PER_POINT = 20
PIC, IMAGEDATA = tag("pic", "pic"), tag("v", "imagedata")
GROUPS = {tag("wpg", "wgp"), tag("wpg", "grpSp"), tag("a", "grpSp")}
WSP = tag("wps", "wsp")
UNKNOWN_FILLS = {"gradFill", "blipFill", "pattFill"}
# VML shapes that draw (pictures and text boxes are read as such; a horizontal rule is not art)
VML_SHAPES = {
    tag("v", k) for k in ("shape", "rect", "roundrect", "oval", "polyline", "arc", "curve")
}
CSS_UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "pc": 12.0}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a drawing's shapes go: the frame box and, inside groups, a child-to-page mapping."""

    box: Box
    docpr: etree._Element | None
    mapping: tuple[float, float, float, float, float, float] | None = None

    def child_box(self, xfrm: etree._Element | None) -> Box:
        if self.mapping is None or xfrm is None:
            return self.box
        x0, y0, cx, cy, sx, sy = self.mapping
        off, ext = _pair(xfrm, "a:off", "x", "y"), _pair(xfrm, "a:ext", "cx", "cy")
        left, top = x0 + (off[0] - cx) * sx, y0 + (off[1] - cy) * sy
        return Box(left, top, left + ext[0] * sx, top + ext[1] * sy)

    def group(self, group: etree._Element) -> Place:
        xfrm = group.find("wpg:grpSpPr/a:xfrm", NS)
        if xfrm is None:
            xfrm = group.find("a:grpSpPr/a:xfrm", NS)
        if xfrm is None:
            return self
        outer = self.child_box(xfrm)
        ch_off, ch_ext = _pair(xfrm, "a:chOff", "x", "y"), _pair(xfrm, "a:chExt", "cx", "cy")
        sx = outer.width / ch_ext[0] if ch_ext[0] else 1 / EMU_PER_POINT
        sy = outer.height / ch_ext[1] if ch_ext[1] else 1 / EMU_PER_POINT
        return Place(outer, self.docpr, (outer.x0, outer.y0, ch_off[0], ch_off[1], sx, sy))


def _pair(element: etree._Element, path: str, a: str, b: str) -> tuple[int, int]:
    found = element.find(path, NS)
    if found is None:
        return 0, 0
    return to_int(found.get(a)) or 0, to_int(found.get(b)) or 0


class Walker(TextWalker):
    """One pass over the XML of every story, collecting spans and images."""

    def __init__(
        self, package: Package, styles: Styles, theme: Theme, section: etree._Element | None
    ) -> None:
        super().__init__(package, styles, theme)
        self.images: list[PlacedImage] = []
        self.image_parts = ImageParts(package, self.warnings)
        size = section.find("w:pgSz", NS) if section is not None else None
        margins = section.find("w:pgMar", NS) if section is not None else None
        self.page_width = _twips(size, "w", A4[0])
        self.page_height = _twips(size, "h", A4[1])
        self.margins = tuple(_twips(margins, side, 72.0) for side in ("left", "top", "right"))
        self.margins += (_twips(margins, "bottom", 72.0),)
        # shapes drawn as vectors (not pictures, not text boxes): a vapen drawn in Word itself
        # is seen only on a rendered page
        self.drawn_shapes = 0

    # --- images --------------------------------------------------------------------------------

    def frame(self, frame: etree._Element, ctx: Ctx) -> None:
        cx, cy = _pair(frame, "wp:extent", "cx", "cy")
        width, height = cx / EMU_PER_POINT, cy / EMU_PER_POINT
        x = y = 0.0
        if frame.tag == ANCHOR:
            x = self.axis(frame.find("wp:positionH", NS), width, horizontal=True)
            y = self.axis(frame.find("wp:positionV", NS), height, horizontal=False)
        place = Place(Box(x, y, x + width, y + height), frame.find("wp:docPr", NS))
        graphic = frame.find("a:graphic/a:graphicData", NS)
        if graphic is not None:
            self.shapes(graphic, ctx, place)

    def axis(self, position: etree._Element | None, size: float, horizontal: bool) -> float:
        """An anchor's offset from the page edge, when it is relative to the page or margins."""
        if position is None:
            return 0.0
        left, top, right, bottom = self.margins
        page = self.page_width if horizontal else self.page_height
        start, end = (left, right) if horizontal else (top, bottom)
        frames = {
            "page": (0.0, page),
            "margin": (start, page - start - end),
            "column": (start, page - start - end),
            "leftMargin": (0.0, left),
            "topMargin": (0.0, top),
            "rightMargin": (page - right, right),
            "bottomMargin": (page - bottom, bottom),
        }
        origin, length = frames.get(position.get("relativeFrom", ""), (None, 0.0))
        if origin is None:
            return 0.0
        offset = position.find("wp:posOffset", NS)
        if offset is not None and to_int(offset.text) is not None:
            return origin + to_int(offset.text) / EMU_PER_POINT
        align = position.find("wp:align", NS)
        where = align.text if align is not None else ""
        if where == "center":
            return origin + (length - size) / 2
        if where in ("right", "bottom", "outside"):
            return origin + length - size
        return origin

    def shapes(self, container: etree._Element, ctx: Ctx, place: Place) -> None:
        for child in container:
            kind = child.tag
            if kind == PIC:
                self.picture(child, ctx, place)
            elif kind == TXBX:
                self.blocks(child, ctx.inside(Part.TEXT_BOX))
            elif kind == ALTERNATE:
                self.shapes(mc_choice(child), ctx, place)
            elif kind in GROUPS:
                self.shapes(child, ctx, place.group(child))
            elif kind == WSP:
                self.drawn_shapes += _draws(child, "wps:spPr/a:custGeom", "wps:spPr/a:prstGeom")
                fill = self.fill(child)  # what the text in its text box stands on
                self.shapes(child, replace(ctx, cell_shading=fill) if fill else ctx, place)
            elif isinstance(kind, str) and kind != tag("mc", "Fallback"):
                self.shapes(child, ctx, place)

    def fill(self, shape: etree._Element) -> Colour | None:
        """A shape's solid fill (its own, else its style's), as the theme resolves it; a
        colour of space "unknown" for a gradient, picture or pattern fill."""
        solid = shape.find("wps:spPr/a:solidFill", NS)
        if solid is None and shape.find("wps:spPr/*", NS) is not None:
            own = {etree.QName(e).localname for e in shape.find("wps:spPr", NS)}
            if own & UNKNOWN_FILLS:  # a gradient, a picture, a pattern: only a render tells
                return Colour("unknown", (), name=sorted(own & UNKNOWN_FILLS)[0])
            if own & {"noFill", "grpFill"}:
                return None
        if solid is None:
            ref = shape.find("wps:style/a:fillRef", NS)
            solid = ref if ref is not None and to_int(ref.get("idx")) else None
        colour = solid[0] if solid is not None and len(solid) else None
        value = drawing_colour(colour, self.theme) if colour is not None else None
        return hex_colour(value) if value else None

    def picture(self, pic: etree._Element, ctx: Ctx, place: Place) -> None:
        blip = pic.find("pic:blipFill/a:blip", NS)
        if blip is None:
            return
        rel_id = blip.get(tag("r", "embed")) or blip.get(tag("r", "link")) or ""
        xfrm = pic.find("pic:spPr/a:xfrm", NS)
        box = place.child_box(xfrm)
        flips = (False, False)
        rotation = 0.0
        if xfrm is not None:
            rotation = -(to_int(xfrm.get("rot")) or 0) / 60000
            flips = (xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true"))
        crop = crop_of(pic.find("pic:blipFill/a:srcRect", NS))
        own = pic.find("pic:nvPicPr/pic:cNvPr", NS)
        described = [e for e in (place.docpr, own) if e is not None]
        if place.mapping is not None:
            described.reverse()
        alt = next((e.get(k) for k in ("descr", "title") for e in described if e.get(k)), None)
        decorative = any(is_decorative(e) for e in described)
        effects = blip_effects(blip, self.theme)
        self.place(rel_id, ctx, box, rotation, flips, crop, alt, decorative, effects)

    def vml(self, element: etree._Element, ctx: Ctx) -> None:
        for child in element:
            kind = child.tag
            if kind == TXBX:
                self.blocks(child, ctx.inside(Part.TEXT_BOX))
            elif kind == IMAGEDATA:
                self.vml_image(child, element, ctx)
            elif kind in VML_SHAPES and child.get(tag("o", "hr")) not in ("t", "true"):
                self.drawn_shapes += _draws(child, "v:imagedata", "v:textbox", drawn_if_found=False)
                self.vml(child, ctx)
            elif kind == ALTERNATE:
                self.vml(mc_choice(child), ctx)
            elif isinstance(kind, str) and kind != tag("mc", "Fallback"):
                self.vml(child, ctx)

    def vml_image(self, data: etree._Element, shape: etree._Element, ctx: Ctx) -> None:
        rel_id = data.get(tag("r", "id")) or data.get(tag("o", "relid")) or ""
        style = dict(
            (k.strip().lower(), v.strip())
            for k, _, v in (d.partition(":") for d in shape.get("style", "").split(";"))
        )
        width, height = _css_length(style.get("width")), _css_length(style.get("height"))
        x = y = 0.0
        if style.get("mso-position-horizontal-relative") == "page":
            x = _css_length(style.get("margin-left"))
        if style.get("mso-position-vertical-relative") == "page":
            y = _css_length(style.get("margin-top"))
        flip = style.get("flip", "")
        rotation = -_vml_number(style.get("rotation"), 65536)
        crop = tuple(
            _vml_number(data.get(f"crop{side}"), 65536)
            for side in ("left", "top", "right", "bottom")
        )
        effects = tuple(_vml_effects(data))
        alt = shape.get("alt") or data.get(tag("o", "title")) or None
        box = Box(x, y, x + width, y + height)
        self.place(
            rel_id, ctx, box, rotation, ("x" in flip, "y" in flip), crop, alt, False, effects
        )

    def place(
        self,
        rel_id: str,
        ctx: Ctx,
        box: Box,
        rotation: float,
        flips: tuple[bool, bool],
        crop: tuple[float, ...],
        alt: str | None,
        decorative: bool,
        effects: tuple[str, ...],
    ) -> None:
        info = self.image_parts.related(ctx.source, rel_id)
        if info is not None:
            image = placed_image(
                info, box, ctx.part, rotation, flips, crop, alt, decorative, effects
            )
            self.images.append(image)


def _draws(shape: etree._Element, *paths: str, drawn_if_found: bool = True) -> int:
    """1 if `shape` draws: with a geometry (DrawingML), or with none of a picture or a text
    box (VML); text boxes are read as text."""
    found = any(shape.find(path, NS) is not None for path in paths)
    if shape.find("wps:txbx", NS) is not None:
        return 0
    return int(found == drawn_if_found)


def _twips(element: etree._Element | None, attr: str, default: float) -> float:
    value = to_int(element.get(w(attr))) if element is not None else None
    return value / TWIPS_PER_POINT if value and value > 0 else default


def _css_length(value: str | None) -> float:
    match = re.match(r"^\s*(-?[\d.]+)\s*([a-z]*)", value or "")
    if not match:
        return 0.0
    try:
        return float(match.group(1)) * CSS_UNITS.get(match.group(2), 1.0)
    except ValueError:
        return 0.0


def _vml_number(value: str | None, fixed: int) -> float:
    """A VML number: plain, or "f"-suffixed 16.16 fixed point ("6554f" = 0.1)."""
    if not value:
        return 0.0
    try:
        return float(value[:-1]) / fixed if value.endswith("f") else float(value)
    except ValueError:
        return 0.0


def _vml_effects(data: etree._Element) -> list[str]:
    """VML picture adjustments: grayscale, bilevel, gain, blacklevel, chromakey."""
    effects = []
    for attr in ("grayscale", "bilevel", "gain", "blacklevel", "chromakey"):
        value = data.get(attr)
        if not value or value in ("f", "false"):
            continue
        name = {"grayscale": "grayscale", "bilevel": "biLevel"}.get(attr)
        effects.append(name if name and value in ("t", "true") else f"{attr}={value}")
    return effects
