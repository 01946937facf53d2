"""Word text: the stories' paragraphs, runs and tables into text spans.

`TextWalker` is one pass over the XML of a story: each run becomes one TextSpan with the
formatting Word would give it (see `ooxml.styles` for the style resolution), and each span
records its paragraph's style and whether that style is a heading style — facts only, what
they mean is for the rules. Hidden text (w:vanish), deleted text and field codes are not
text. Drawings and VML met in a run are handed to `frame` and `vml`, which `drawing.Walker`
provides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from profilecheck.core.model import Colour, Part, TextSpan
from profilecheck.core.scripts import COMPLEX_SCRIPT, EAST_ASIAN
from profilecheck.readers.ooxml import package as ooxml
from profilecheck.readers.ooxml import styles as ooxml_styles
from profilecheck.readers.ooxml.package import (
    DEFAULT_FONT,
    DEFAULT_SIZE,
    FONT_SLOTS,
    HEX_COLOUR,
    HIGHLIGHTS,
    NS,
    Package,
    tag,
    w,
)
from profilecheck.readers.ooxml.styles import Styles, Theme, parse_ppr, parse_rpr

P, R, T, TBL, TR, TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
PPR, RPR = w("pPr"), w("rPr")
SDT, SDT_CONTENT, TXBX = w("sdt"), w("sdtContent"), w("txbxContent")
DRAWING, PICT, OBJECT = w("drawing"), w("pict"), w("object")
ALTERNATE, CHOICE = tag("mc", "AlternateContent"), tag("mc", "Choice")
INLINE, ANCHOR = tag("wp", "inline"), tag("wp", "anchor")
TRANSPARENT_BLOCKS = {SDT_CONTENT, w("customXml"), w("ins"), w("moveTo")}
TRANSPARENT_INLINE = TRANSPARENT_BLOCKS | {w("hyperlink"), w("fldSimple"), w("smartTag")}
TRANSPARENT_INLINE |= {w("bdo"), w("dir")}
RUN_TEXT = {T: None, w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n"}
RUN_TEXT[w("noBreakHyphen")] = "-"
OBJECTS = {DRAWING, PICT, OBJECT}


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where content sits: its part, the part whose relationships apply, table formatting."""

    part: Part
    source: str
    table_style: str | None = None
    cell_shading: Colour | None = None

    def inside(self, part: Part) -> Ctx:
        """Context for a table or text box in this context; headers and notes keep their part."""
        if part == Part.TABLE:
            return replace(self, part=Part.TABLE if self.part == Part.BODY else self.part)
        outer = self.part in (Part.BODY, Part.TABLE)
        # a text box's text stands on its shape's fill (`cell_shading`), where it has one
        return Ctx(part if outer else self.part, self.source, cell_shading=self.cell_shading)


@dataclass(slots=True)
class Para:
    """A paragraph being read: where it is, its style (id, name, heading or not), its spans."""

    ctx: Ctx
    style: str | None
    shading: Colour | None
    spans: list[TextSpan]
    number: int = 0  # TextSpan.line: spans of one paragraph share it
    style_name: str | None = None
    heading_style: bool = False


class TooManyRuns(Exception):
    """More runs than the limit max_word_runs: the rest of the document is not read."""


class TextWalker:
    """Paragraphs, runs and tables of every story, collected as spans in reading order."""

    def __init__(self, package: Package, styles: Styles, theme: Theme) -> None:
        self.package, self.styles, self.theme = package, styles, theme
        self.spans: list[TextSpan] = []
        self.paragraphs = 0
        self.runs = 0
        self.warnings: list[str] = []
        self.used_fonts: dict[str, None] = {}
        self._paragraph_styles: dict[str | None, tuple[str | None, bool]] = {}

    # --- what drawing.Walker adds --------------------------------------------------------------

    def frame(self, frame: etree._Element, ctx: Ctx) -> None:
        raise NotImplementedError

    def vml(self, element: etree._Element, ctx: Ctx) -> None:
        raise NotImplementedError

    # --- stories and blocks --------------------------------------------------------------------

    def headers_and_footers(self, main: str, sections: list[etree._Element], even: bool) -> None:
        """Each header and footer part Word shows, read once.

        A section without a reference of some type inherits the previous section's; first-page
        variants show only in sections with w:titlePg, even-page ones only with
        w:evenAndOddHeaders in the settings.
        """
        rels, seen = self.package.rels(main), set()
        current: dict[tuple[str, str], str] = {}
        for section in sections:
            for ref in section:
                if ref.tag in (w("headerReference"), w("footerReference")):
                    current[(ref.tag, ref.get(w("type"), "default"))] = ref.get(tag("r", "id"), "")
            shown = {"default"}
            if ooxml.on_off(section.find("w:titlePg", NS)):
                shown.add("first")
            if even:
                shown.add("even")
            for (kind, variant), rel_id in current.items():
                rel = rels.get(rel_id)
                if variant not in shown or rel is None or rel.external or rel.target in seen:
                    continue
                seen.add(rel.target)
                root = self.package.xml(rel.target)
                part = Part.HEADER if kind == w("headerReference") else Part.FOOTER
                if root is not None:
                    self.blocks(root, Ctx(part, rel.target))

    def blocks(self, container: etree._Element, ctx: Ctx) -> None:
        for child in container:
            kind = child.tag
            if kind == P:
                self.paragraph(child, ctx)
            elif kind == TBL:
                self.table(child, ctx)
            elif kind in TRANSPARENT_BLOCKS:
                self.blocks(child, ctx)
            elif kind == SDT:
                self.blocks(sdt_content(child), ctx)
            elif kind == ALTERNATE:
                self.blocks(mc_choice(child), ctx)

    def paragraph(self, p: etree._Element, ctx: Ctx) -> None:
        props = parse_ppr(p[0]) if len(p) and p[0].tag == PPR else {}
        style = self.styles.resolve(props.get("pStyle"), "paragraph")
        shd = props.get("shd") or self.styles.chain_ppr(style).get("shd")
        self.paragraphs += 1
        name, heading = self.paragraph_style(style)
        para = Para(ctx, style, self.shading(shd), [], self.paragraphs, name, heading)
        self.inline(p, para)

    def paragraph_style(self, style: str | None) -> tuple[str | None, bool]:
        """The style's name and whether it is a heading style, worked out once per style."""
        if style not in self._paragraph_styles:
            found = self.styles.styles.get(style) if style else None
            heading = self.styles.heading_name(style) is not None
            self._paragraph_styles[style] = (found.name if found else None, heading)
        return self._paragraph_styles[style]

    def table(self, table: etree._Element, ctx: Ctx) -> None:
        props = table.find("w:tblPr", NS)
        style_el = props.find("w:tblStyle", NS) if props is not None else None
        style = self.styles.resolve(
            style_el.get(ooxml.W_VAL) if style_el is not None else None, "table"
        )
        table_shd = props.find("w:shd", NS) if props is not None else None
        inner = replace(ctx.inside(Part.TABLE), table_style=style)
        for row in children_of(table, TR):
            for cell in children_of(row, TC):
                cell_props = cell.find("w:tcPr", NS)
                shd = cell_props.find("w:shd", NS) if cell_props is not None else None
                shading = self.shading(
                    ooxml_styles.parse_shd(shd if shd is not None else table_shd)
                )
                self.blocks(cell, replace(inner, cell_shading=shading or ctx.cell_shading))

    def inline(self, container: etree._Element, para: Para) -> None:
        for child in container:
            kind = child.tag
            if kind == R:
                self.run(child, para)
            elif kind in TRANSPARENT_INLINE:
                self.inline(child, para)
            elif kind == SDT:
                self.inline(sdt_content(child), para)
            elif kind == ALTERNATE:
                self.inline(mc_choice(child), para)

    # --- runs ----------------------------------------------------------------------------------

    def run(self, run: etree._Element, para: Para) -> None:
        self.runs += 1
        if self.runs > self.package.limits.max_word_runs:
            raise TooManyRuns
        direct: dict[str, Any] = {}
        texts: list[str] = []
        objects: list[etree._Element] = []
        for child in run:
            kind = child.tag
            if kind in RUN_TEXT:
                texts.append((child.text or "") if kind == T else RUN_TEXT[kind])
            elif kind == RPR:
                direct = parse_rpr(child)
            elif kind in OBJECTS:
                objects.append(child)
            elif kind == ALTERNATE:
                objects.extend(c for c in mc_choice(child) if c.tag in OBJECTS)
        text = "".join(texts)
        if text.strip():
            self.span(text, direct, para)
        for element in objects:
            if element.tag == DRAWING:
                for frame in element:
                    if frame.tag in (INLINE, ANCHOR):
                        self.frame(frame, para.ctx)
            else:
                self.vml(element, para.ctx)

    def span(self, text: str, direct: dict[str, Any], para: Para) -> None:
        styles = self.styles
        char = styles.resolve(direct.get("rStyle"), "character")
        props = styles.run_base(char, para.style, para.ctx.table_style)
        if direct:
            props = {**props, **direct}
        if props.get("vanish"):
            return
        slot = _slot(text, props)
        fonts = tuple(
            (s, styles.theme_font(props.get("font." + s)) or DEFAULT_FONT) for s in FONT_SLOTS
        )
        font = dict(fonts)[slot]
        complex_script = slot == "cs"
        half_points = props.get("szCs" if complex_script else "sz") or props.get("sz")
        language = props.get({"cs": "lang.bidi", "eastAsia": "lang.eastAsia"}.get(slot, "lang.val"))
        highlight = HIGHLIGHTS.get(props.get("highlight") or "")
        span = TextSpan(
            text=text,
            font=font,
            size=half_points / 2 if half_points else DEFAULT_SIZE,
            bold=bool(props.get("bCs" if complex_script else "b", props.get("b"))),
            italic=bool(props.get("iCs" if complex_script else "i", props.get("i"))),
            colour=self.colour(props.get("color")),
            part=para.ctx.part,
            line=para.number,
            font_slots=fonts,
            highlight=ooxml_styles.hex_colour(highlight) if highlight else None,
            shading=self.shading(props.get("shd")) or para.shading or para.ctx.cell_shading,
            language=language,
            style=para.style_name,
            heading_style=para.heading_style,
        )
        self.spans.append(span)
        para.spans.append(span)
        self.used_fonts[font] = None

    def colour(self, value: tuple[str | None, ...] | None) -> Colour | None:
        if value is None:
            return None
        hex_value, theme_name, tint, shade = value
        themed = self.theme.scheme_hex(theme_name) if theme_name else None
        if themed:
            return ooxml_styles.theme_colour(themed, tint, shade)
        if hex_value and HEX_COLOUR.match(hex_value):
            return ooxml_styles.hex_colour(hex_value)
        return None  # "auto": Word picks black or white against the background

    def shading(self, shd: tuple[str | None, ...] | None) -> Colour | None:
        if shd is None:
            return None
        pattern, colour, fill, theme_fill, tint, shade = shd
        if pattern == "nil":
            return None
        if pattern == "solid":
            return self.colour((colour, None, None, None))
        return self.colour((fill, theme_fill, tint, shade))


def children_of(element: etree._Element, wanted: str) -> list[etree._Element]:
    """Children with tag `wanted`, looking through content controls and custom XML."""
    found = []
    for child in element:
        if child.tag == wanted:
            found.append(child)
        elif child.tag in (SDT, SDT_CONTENT, w("customXml")):
            found.extend(children_of(child, wanted))
    return found


def sdt_content(sdt: etree._Element) -> etree._Element | tuple[()]:
    content = sdt.find(SDT_CONTENT)
    return content if content is not None else ()


def mc_choice(alternate: etree._Element) -> etree._Element | tuple[()]:
    """The first mc:Choice (what Word shows); the mc:Fallback copy is never read."""
    choice = alternate.find(CHOICE)
    if choice is None:
        choice = alternate.find(tag("mc", "Fallback"))
    return choice if choice is not None else ()


def _slot(text: str, props: dict[str, Any]) -> str:
    """The rFonts slot Word uses for the run's text (ECMA-376 §17.3.2.26)."""
    if props.get("cs") or props.get("rtl") or COMPLEX_SCRIPT.search(text):
        return "cs"
    if text.isascii():
        return "ascii"
    return "eastAsia" if EAST_ASIAN.search(text) else "hAnsi"
