"""Word styles and theme: effective run and paragraph properties, as Word resolves them.

Style resolution follows ECMA-376 §17.7.2: document defaults, then the table, paragraph and
character style (each with its basedOn chain), then direct formatting. Toggle properties (bold,
italic) are absolute in direct formatting and in document defaults, and flip the inherited value
when a table, paragraph or character style sets them (§17.7.3); inside one basedOn chain the
nearest definition wins. Theme colours take their tint and shade in HSL, as Word does.
"""

from __future__ import annotations

import colorsys
import math
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from profilecheck.core.model import Colour
from profilecheck.readers.ooxml.package import (
    DEFAULT_COLOUR_MAPPING,
    FONT_SLOTS,
    HEX_COLOUR,
    MAPPING_ATTRS,
    NS,
    SCHEME_NAMES,
    SYSTEM_COLOURS,
    THEME_FONT_ATTRS,
    TOGGLES,
    W_VAL,
    W,
    on_off,
    to_int,
    w,
)


@dataclass(slots=True)
class Theme:
    fonts: dict[str, str] = field(default_factory=dict)  # "minorHAnsi" → "Calibri"
    colours: dict[str, str] = field(default_factory=dict)  # "accent1" → "4472C4"
    mapping: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOUR_MAPPING))

    @classmethod
    def parse(cls, root: etree._Element | None, settings: etree._Element | None) -> Theme:
        theme = cls()
        if root is not None:
            scheme = root.find("a:themeElements/a:clrScheme", NS)
            for entry in scheme if scheme is not None else ():
                if not isinstance(entry.tag, str) or not len(entry):
                    continue
                value = _plain_colour(entry[0])
                if value:
                    theme.colours[etree.QName(entry).localname] = value
            fonts = root.find("a:themeElements/a:fontScheme", NS)
            for major in ("major", "minor"):
                group = fonts.find(f"a:{major}Font", NS) if fonts is not None else None
                if group is None:
                    continue
                for script, names in (
                    ("latin", ("Ascii", "HAnsi")),
                    ("ea", ("EastAsia",)),
                    ("cs", ("Bidi",)),
                ):
                    face = group.find(f"a:{script}", NS)
                    typeface = face.get("typeface", "") if face is not None else ""
                    for name in names if typeface else ():
                        theme.fonts[major + name] = typeface
        mapping = settings.find("w:clrSchemeMapping", NS) if settings is not None else None
        if mapping is not None:
            for attr, name in MAPPING_ATTRS.items():
                value = mapping.get(w(attr))
                if value:
                    theme.mapping[name] = value
                    theme.mapping[{"t1": "tx1", "t2": "tx2"}.get(attr, attr)] = value
        return theme

    def scheme_hex(self, name: str) -> str | None:
        name = self.mapping.get(name, name)
        return self.colours.get(SCHEME_NAMES.get(name, name))


def _plain_colour(element: etree._Element) -> str | None:
    """The hex of an a:srgbClr or a:sysClr element (a theme's dk1, a duotone stop, ...)."""
    local = etree.QName(element).localname if isinstance(element.tag, str) else ""
    value = ""
    if local == "srgbClr":
        value = element.get("val", "")
    elif local == "sysClr":
        value = element.get("lastClr") or SYSTEM_COLOURS.get(element.get("val", ""), "")
    return value.upper() if HEX_COLOUR.match(value) else None


def drawing_colour(element: etree._Element, theme: Theme) -> str | None:
    """A DrawingML colour element (srgbClr, schemeClr, prstClr, sysClr) with lumMod/lumOff."""
    local = etree.QName(element).localname
    if local == "schemeClr":
        base = theme.scheme_hex(element.get("val", ""))
    elif local == "prstClr":
        base = {"black": "000000", "white": "FFFFFF"}.get(element.get("val", ""))
    else:
        base = _plain_colour(element)
    if base is None:
        return None
    mods = {etree.QName(m).localname: to_int(m.get("val")) for m in element}
    hue, light, sat = colorsys.rgb_to_hls(*(int(base[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    if mods.get("lumMod") is not None:
        light *= mods["lumMod"] / 100000
    if mods.get("lumOff") is not None:
        light += mods["lumOff"] / 100000
    if mods.get("tint") is not None:
        light = light * mods["tint"] / 100000 + (1 - mods["tint"] / 100000)
    if mods.get("shade") is not None:
        light *= mods["shade"] / 100000
    rgb = colorsys.hls_to_rgb(hue, min(max(light, 0.0), 1.0), sat)
    return "".join(f"{round(c * 255):02X}" for c in rgb)


def theme_colour(hex_value: str, tint: str | None, shade: str | None) -> Colour:
    """A theme colour with Word's w:themeTint / w:themeShade applied to HSL luminance.

    ECMA-376 §17.3.2.6: tint moves luminance towards white (L·t + 1 − t), shade towards black
    (L·s), with t and s the hex byte / 255, computed in HSL and truncated to 8 bits as Word does.
    It matches Word's palette to within one step per channel, so it is marked inexact.
    """
    rgb = tuple(int(hex_value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    factors = [(kind, _hex_byte(value)) for kind, value in (("tint", tint), ("shade", shade))]
    factors = [(kind, value) for kind, value in factors if value is not None]
    if not factors:
        return Colour("rgb", rgb, exact=True)
    hue, light, sat = colorsys.rgb_to_hls(*rgb)
    for kind, value in factors:
        light = light * value + (1 - value) if kind == "tint" else light * value
    rgb = colorsys.hls_to_rgb(hue, min(max(light, 0.0), 1.0), sat)
    return Colour("rgb", tuple(math.floor(c * 255 + 1e-6) / 255 for c in rgb), exact=False)


def _hex_byte(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(max(int(value, 16), 0), 255) / 255
    except ValueError:
        return None


def hex_colour(value: str) -> Colour:
    return Colour("rgb", tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)), exact=True)


# --- properties and styles ---------------------------------------------------------------------

Props = dict[str, Any]


def parse_rpr(rpr: etree._Element | None) -> Props:
    """Run properties of one w:rPr as a flat dict (only what profilecheck uses)."""
    props: Props = {}
    if rpr is None:
        return props
    for child in rpr:
        if not isinstance(child.tag, str) or not child.tag.startswith("{" + W):
            continue
        local = child.tag[len(W) + 2 :]
        if local in TOGGLES or local in ("rtl", "cs"):
            props[local] = on_off(child)
        elif local == "rFonts":
            for slot in FONT_SLOTS:
                ref, name = child.get(w(THEME_FONT_ATTRS[slot])), child.get(w(slot))
                if ref or name:
                    props["font." + slot] = (ref, name)
            if child.get(w("hint")):
                props["hint"] = child.get(w("hint"))
        elif local in ("sz", "szCs"):
            size = to_int(child.get(W_VAL))
            if size is not None and size > 0:
                props[local] = size
        elif local == "color":
            props["color"] = (
                child.get(W_VAL),
                child.get(w("themeColor")),
                child.get(w("themeTint")),
                child.get(w("themeShade")),
            )
        elif local == "highlight":
            props["highlight"] = child.get(W_VAL)
        elif local == "shd":
            props["shd"] = parse_shd(child)
        elif local == "lang":
            for attr in ("val", "eastAsia", "bidi"):
                if child.get(w(attr)):
                    props["lang." + attr] = child.get(w(attr))
        elif local == "rStyle":
            props["rStyle"] = child.get(W_VAL)
    return props


def parse_shd(element: etree._Element | None) -> tuple[str | None, ...] | None:
    if element is None:
        return None
    return (
        element.get(W_VAL),
        element.get(w("color")),
        element.get(w("fill")),
        element.get(w("themeFill")),
        element.get(w("themeFillTint")),
        element.get(w("themeFillShade")),
    )


def parse_ppr(ppr: etree._Element | None) -> Props:
    props: Props = {}
    if ppr is None:
        return props
    style = ppr.find("w:pStyle", NS)
    if style is not None:
        props["pStyle"] = style.get(W_VAL)
    shd = ppr.find("w:shd", NS)
    if shd is not None:
        props["shd"] = parse_shd(shd)
    level = ppr.find("w:outlineLvl", NS)
    if level is not None:
        props["outlineLvl"] = to_int(level.get(W_VAL))
    return props


@dataclass(slots=True)
class Style:
    id: str
    kind: str
    name: str
    based_on: str | None
    rpr: Props
    ppr: Props
    default: bool


HEADING_ID = re.compile(r"^(heading|rubrik|berschrift|titre|kop|overskrift|otsikko)\s*\d$", re.I)


class Styles:
    """styles.xml with its document defaults, resolved per style id once."""

    def __init__(self, root: etree._Element | None, theme: Theme) -> None:
        self.theme = theme
        self.styles: dict[str, Style] = {}
        self.defaults: dict[str, str | None] = {"paragraph": None, "character": None, "table": None}
        self.default_rpr: Props = {}
        self.default_ppr: Props = {}
        self._cache: dict[tuple[str | None, ...], Props] = {}
        if root is None:
            return
        defaults = root.find("w:docDefaults", NS)
        if defaults is not None:
            self.default_rpr = parse_rpr(defaults.find("w:rPrDefault/w:rPr", NS))
            self.default_ppr = parse_ppr(defaults.find("w:pPrDefault/w:pPr", NS))
        for element in root.iterfind("w:style", NS):
            style_id = element.get(w("styleId"))
            if not style_id:
                continue
            name = element.find("w:name", NS)
            based = element.find("w:basedOn", NS)
            style = Style(
                id=style_id,
                kind=element.get(w("type"), "paragraph"),
                name=name.get(W_VAL, style_id) if name is not None else style_id,
                based_on=based.get(W_VAL) if based is not None else None,
                rpr=parse_rpr(element.find("w:rPr", NS)),
                ppr=parse_ppr(element.find("w:pPr", NS)),
                default=element.get(w("default")) in ("1", "true", "on"),
            )
            self.styles.setdefault(style_id, style)
            if style.default and self.defaults.get(style.kind) is None:
                self.defaults[style.kind] = style_id

    def chain_rpr(self, style_id: str | None) -> Props:
        key = ("r", style_id)
        if key not in self._cache:
            merged: Props = {}
            for style in self.chain(style_id):
                merged.update(style.rpr)
            merged.pop("rStyle", None)
            self._cache[key] = merged
        return self._cache[key]

    def chain_ppr(self, style_id: str | None) -> Props:
        key = ("p", style_id)
        if key not in self._cache:
            merged: Props = dict(self.default_ppr)
            for style in self.chain(style_id):
                merged.update(style.ppr)
            self._cache[key] = merged
        return self._cache[key]

    def run_base(self, char: str | None, para: str | None, table: str | None) -> Props:
        """Run properties from defaults and styles, before direct formatting. Do not mutate."""
        key = ("run", char, para, table)
        if key not in self._cache:
            props = dict(self.default_rpr)
            for style_id in (table, para, char):
                for name, value in self.chain_rpr(style_id).items():
                    if name in TOGGLES:
                        if value:
                            props[name] = not props.get(name, False)
                    else:
                        props[name] = value
            self._cache[key] = props
        return self._cache[key]

    def resolve(self, style_id: str | None, kind: str) -> str | None:
        """The id that applies: `style_id` if it exists, else the default style of `kind`."""
        if style_id and style_id in self.styles:
            return style_id
        return self.defaults.get(kind)

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and its basedOn ancestors, base first; loops are cut."""
        found: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen and len(seen) < 64:
            seen.add(style_id)
            style = self.styles[style_id]
            found.append(style)
            style_id = style.based_on
        return found[::-1]

    def heading_name(self, style_id: str | None) -> str | None:
        """The style's name if it (or its basedOn chain) is a built-in heading style."""
        chain = self.chain(style_id)
        for style in chain:
            level = style.ppr.get("outlineLvl")
            if (level is not None and 0 <= level < 9) or HEADING_ID.match(style.id):
                return chain[-1].name
            if re.match(r"^heading \d$", style.name, re.I):
                return chain[-1].name
        return None

    def theme_font(self, value: tuple[str | None, str | None] | None) -> str | None:
        if value is None:
            return None
        ref, name = value
        return (self.theme.fonts.get(ref) if ref else None) or name


# --- images ------------------------------------------------------------------------------------
