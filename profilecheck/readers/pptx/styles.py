"""PowerPoint text styles: a run's effective font, size and colour, as PowerPoint resolves them.

A run's character properties come from, most specific first: the run (a:rPr), its paragraph
(a:pPr/a:defRPr), the shape's own list style for the paragraph's level (a:lstStyle/a:lvlNpPr),
the shape's style reference (p:style/a:fontRef), the matching placeholder on the slide layout
and then on the slide master, the master's text styles (p:titleStyle for titles, p:bodyStyle for
other placeholders, p:otherStyle for everything else; p:notesStyle on a notes master), the
presentation's default text style, and last the theme: the minor font (`+mn-lt`), 18 pt and the
`tx1` colour. Theme fonts (`+mj-lt`, `+mn-ea`, ...) resolve through the theme's font scheme and
scheme colours through the colour map in force (the master's p:clrMap, or a layout's or slide's
override), with lumMod/lumOff/tint/shade applied (`ooxml.styles.drawing_colour`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from profilecheck.core.model import Colour
from profilecheck.readers.ooxml.package import NS, to_int
from profilecheck.readers.ooxml.styles import Theme, drawing_colour

A, P = NS["a"], NS["p"]
DEFAULT_SIZE = 18.0  # points: PowerPoint's size when nothing sets one
COLOUR_TAGS = frozenset(
    f"{{{A}}}{name}" for name in ("srgbClr", "schemeClr", "sysClr", "prstClr", "scrgbClr", "hslClr")
)
MODIFIERS = frozenset({"lumMod", "lumOff", "tint", "shade", "satMod", "satOff", "hueMod"})
THEME_FONTS = {"mj": "major", "mn": "minor"}
THEME_SCRIPTS = {"lt": "Ascii", "ea": "EastAsia", "cs": "Bidi"}
# Placeholder types as the master has them: a layout's or slide's subtitle is a body, and so on.
MASTER_TYPES = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}
TITLE_TYPES = frozenset({"title", "ctrTitle"})
OTHER_TYPES = frozenset({"dt", "ftr", "sldNum", "hdr"})
DEFAULT_COLOUR_MAP = {
    "bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2",
    **{f"accent{n}": f"accent{n}" for n in range(1, 7)},
    "hlink": "hlink", "folHlink": "folHlink",
}  # fmt: skip

Props = dict[str, Any]  # "size", "b", "i", "lang", "latin", "ea", "cs", "fill" (an element)
Levels = dict[int, Props]  # paragraph level (1..9, 0: every level) -> character properties


def a(name: str) -> str:
    return f"{{{A}}}{name}"


def p(name: str) -> str:
    return f"{{{P}}}{name}"


def parse_rpr(element: etree._Element | None) -> Props:
    """Character properties of an a:rPr, a:defRPr or a:endParaRPr (only what rules read)."""
    props: Props = {}
    if element is None:
        return props
    size = to_int(element.get("sz"))
    if size and size > 0:
        props["size"] = size / 100
    for attr in ("b", "i"):
        if element.get(attr) is not None:
            props[attr] = element.get(attr) in ("1", "true")
    if element.get("lang"):
        props["lang"] = element.get("lang")
    for child in element:
        kind = child.tag
        if kind in (a("latin"), a("ea"), a("cs")) and child.get("typeface") is not None:
            props[etree.QName(child).localname] = child.get("typeface")
        elif kind == a("solidFill"):
            colour = first_colour(child)
            if colour is not None:
                props["fill"] = colour
        elif kind == a("gradFill"):
            colour = first_colour(child.find("a:gsLst/a:gs", NS))
            if colour is not None:
                props["fill"] = colour
        elif kind == a("noFill"):
            props["fill"] = None
    return props


def first_colour(element: etree._Element | None) -> etree._Element | None:
    for child in element if element is not None else ():
        if child.tag in COLOUR_TAGS:
            return child
    return None


def level_styles(element: etree._Element | None) -> Levels:
    """A list style (a:lstStyle, p:titleStyle, p:defaultTextStyle, ...) by paragraph level;
    a:defPPr, where present, is level 0 and applies under every level."""
    levels: Levels = {}
    for child in element if element is not None else ():
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "defPPr":
            level = 0
        elif local.startswith("lvl") and local.endswith("pPr") and local[3:-3].isdigit():
            level = int(local[3:-3])
        else:
            continue
        props = parse_rpr(child.find("a:defRPr", NS))
        if props:
            levels[level] = props
    return levels


def at_level(levels: Levels, level: int) -> Props:
    found = dict(levels.get(0, {}))
    found.update(levels.get(level, {}))
    return found


@dataclass(slots=True)
class Placeholder:
    """A placeholder of a layout or master: its type, index, geometry and list style."""

    type: str
    idx: str | None
    xfrm: etree._Element | None
    levels: Levels
    font_ref: Props = field(default_factory=dict)


def placeholder_key(ph: etree._Element) -> tuple[str, str | None]:
    return ph.get("type", "obj"), ph.get("idx")


def placeholders(tree: etree._Element | None) -> list[Placeholder]:
    """The placeholders of a layout's or master's shape tree, in document order."""
    found = []
    for shape in tree.iter(p("sp"), p("pic"), p("graphicFrame")) if tree is not None else ():
        ph = shape.find("./*/p:nvPr/p:ph", NS)
        if ph is None:
            continue
        kind, idx = placeholder_key(ph)
        xfrm = shape.find("p:spPr/a:xfrm", NS)
        if xfrm is None:
            xfrm = shape.find("p:xfrm", NS)
        levels = level_styles(shape.find("p:txBody/a:lstStyle", NS))
        found.append(Placeholder(kind, idx, xfrm, levels, font_ref(shape)))
    return found


def font_ref(shape: etree._Element) -> Props:
    """The shape's p:style/a:fontRef: a theme font ("minor"/"major") and a colour."""
    ref = shape.find("p:style/a:fontRef", NS)
    return font_ref_props(ref) if ref is not None else {}


def font_ref_props(ref: etree._Element) -> Props:
    """An a:fontRef as character properties: its theme font and its colour."""
    props: Props = {}
    if ref.get("idx") in ("major", "minor"):
        props["latin"] = "+mj-lt" if ref.get("idx") == "major" else "+mn-lt"
    colour = first_colour(ref)
    if colour is not None:
        props["fill"] = colour
    return props


def match(found: list[Placeholder], kind: str, idx: str | None, master: bool) -> Placeholder | None:
    """The placeholder a slide's (or layout's) placeholder inherits from: on a layout the one
    with the same index, else the same type; on a master the same type (titles are titles,
    every other content placeholder a body)."""
    if not master and idx is not None:
        for candidate in found:
            if candidate.idx == idx:
                return candidate
    wanted = MASTER_TYPES.get(kind, kind) if master else kind
    for candidate in found:
        if (
            MASTER_TYPES.get(candidate.type, candidate.type) if master else candidate.type
        ) == wanted:
            return candidate
    if master and wanted not in TITLE_TYPES | OTHER_TYPES:
        return next((c for c in found if c.type == "body"), None)
    return None


@dataclass(slots=True)
class Master:
    """A slide master (or notes master) with its theme, colour map and text styles."""

    theme: Theme
    colour_map: dict[str, str]
    title: Levels
    body: Levels
    other: Levels
    placeholders: list[Placeholder]
    background: etree._Element | None  # p:bg
    notes: bool = False
    name: str = ""  # the part, whose relationships its own shapes use
    tree: etree._Element | None = None  # p:spTree: its shapes show on its slides

    def text_style(self, kind: str | None) -> Levels:
        if self.notes:
            return self.body
        if kind is None or kind in OTHER_TYPES:
            return self.other
        return self.title if kind in TITLE_TYPES else self.body


def colour_map(element: etree._Element | None, base: dict[str, str]) -> dict[str, str]:
    """A p:clrMap (or a:overrideClrMapping) over `base`."""
    mapping = dict(base)
    if element is not None:
        mapping.update({key: value for key, value in element.attrib.items() if "}" not in key})
    return mapping


def themed(theme: Theme, mapping: dict[str, str]) -> Theme:
    """The theme seen through a colour map: "tx1" → "dk1" → its colour."""
    return Theme(fonts=theme.fonts, colours=theme.colours, mapping=mapping)


def theme_font(name: str | None, theme: Theme) -> str | None:
    """A typeface as written, or a theme font reference (+mj-lt, +mn-ea, ...) resolved."""
    if not name:
        return None
    if name.startswith("+") and len(name) == 6 and name[3] == "-":
        major, script = THEME_FONTS.get(name[1:3]), THEME_SCRIPTS.get(name[4:6])
        if major and script:
            return theme.fonts.get(major + script) or None
    return name


def colour_of(element: etree._Element | None, theme: Theme) -> Colour | None:
    """A DrawingML colour element as a Colour; exact unless modifiers changed it."""
    if element is None:
        return None
    value = drawing_colour(element, theme)
    if value is None:
        return None
    changed = any(etree.QName(m).localname in MODIFIERS for m in element if isinstance(m.tag, str))
    rgb = tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return Colour("rgb", rgb, exact=not changed)
