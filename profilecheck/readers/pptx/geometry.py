"""PowerPoint geometry and paint: where a shape sits on its slide (inside groups too), how it is
turned, and the colours of its fill and outline.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from profilecheck.core.model import Box, Colour
from profilecheck.readers.ooxml.package import EMU_PER_POINT, NS, to_int
from profilecheck.readers.ooxml.styles import Theme
from profilecheck.readers.pptx import styles


@dataclass(frozen=True, slots=True)
class Mapping:
    """A shape tree's coordinates (EMU) onto the slide (points): x = x0 + (emu - child_x) * sx;
    inside groups, with the groups' rotation and flips, which their children add to theirs."""

    x0: float = 0.0
    y0: float = 0.0
    child_x: float = 0.0
    child_y: float = 0.0
    sx: float = 1 / EMU_PER_POINT
    sy: float = 1 / EMU_PER_POINT
    rotation: float = 0.0
    flips: tuple[bool, bool] = (False, False)


SLIDE = Mapping()


def fill_colours(
    props: etree._Element | None, shape: etree._Element | None, ref: str, theme: Theme
) -> tuple[list[Colour], bool]:
    """The colours of a fill (spPr, tcPr, bgPr) or a line (a:ln): solid, gradient stops or a
    pattern's two; else the shape's style reference (fillRef, lnRef) when nothing is said.
    Returns (colours, whether it is one solid colour)."""
    for child in props if props is not None else ():
        local = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if local == "noFill":
            return [], False
        if local == "solidFill":
            colour = styles.colour_of(styles.first_colour(child), theme)
            return ([colour] if colour else []), True
        if local == "gradFill":
            stops = [styles.first_colour(gs) for gs in child.iterfind("a:gsLst/a:gs", NS)]
            return [c for c in (styles.colour_of(s, theme) for s in stops) if c], False
        if local == "pattFill":
            found = [styles.first_colour(child.find(f"a:{g}", NS)) for g in ("fgClr", "bgClr")]
            return [c for c in (styles.colour_of(s, theme) for s in found) if c], False
        if local in ("blipFill", "grpFill"):
            return [], False
    found = shape.find(f"p:style/a:{ref}", NS) if shape is not None and ref else None
    if found is None or found.get("idx") in ("0", None):
        return [], False
    colour = styles.colour_of(styles.first_colour(found), theme)
    return ([colour] if colour else []), True


def group_mapping(group: etree._Element, mapping: Mapping) -> Mapping:
    xfrm = group.find("p:grpSpPr/a:xfrm", NS)
    if xfrm is None:
        return mapping
    outer = box_of(xfrm, mapping)
    ch_off, ch_ext = pair(xfrm, "a:chOff", "x", "y"), pair(xfrm, "a:chExt", "cx", "cy")
    if outer is None:
        return mapping
    sx = outer.width / ch_ext[0] if ch_ext[0] else mapping.sx
    sy = outer.height / ch_ext[1] if ch_ext[1] else mapping.sy
    rotation, flips = turn(xfrm, mapping)
    return Mapping(outer.x0, outer.y0, ch_off[0], ch_off[1], sx, sy, rotation, flips)


def box_of(xfrm: etree._Element | None, mapping: Mapping) -> Box | None:
    if xfrm is None:
        return None
    (x, y), (cx, cy) = pair(xfrm, "a:off", "x", "y"), pair(xfrm, "a:ext", "cx", "cy")
    return box_of_emu(x, y, cx, cy, mapping)


def box_of_emu(x: int, y: int, cx: int, cy: int, mapping: Mapping) -> Box:
    m = mapping
    left, top = m.x0 + (x - m.child_x) * m.sx, m.y0 + (y - m.child_y) * m.sy
    return Box(left, top, left + cx * m.sx, top + cy * m.sy)


def pair(element: etree._Element, path: str, first: str, second: str) -> tuple[int, int]:
    found = element.find(path, NS)
    if found is None:
        return 0, 0
    return to_int(found.get(first)) or 0, to_int(found.get(second)) or 0


def turn(xfrm: etree._Element | None, mapping: Mapping) -> tuple[float, tuple[bool, bool]]:
    """Rotation (degrees, counter-clockwise) and flips of a shape, its groups' included."""
    rotation, (flip_h, flip_v) = mapping.rotation, mapping.flips
    if xfrm is not None:
        rotation -= (to_int(xfrm.get("rot")) or 0) / 60000
        flip_h ^= xfrm.get("flipH") in ("1", "true")
        flip_v ^= xfrm.get("flipV") in ("1", "true")
    return rotation, (flip_h, flip_v)
