"""Word reader: a .docx (or .docm, .dotx, .dotm) into the document model.

Word has no laid-out pages: the whole document is one Page the size of its first section, holding
every text span and image with `box=None` for text. Each run becomes one TextSpan with the
formatting Word would give it (see `ooxml` for the style resolution). Images placed inline have
their printed size at (0, 0); anchored images are positioned when anchored to the page or the
margins, else also at (0, 0). Hidden text (w:vanish), deleted text and field codes are not text.
The package is read directly with a guarded zip and a non-resolving XML parser; python-docx is
not used, so macro-enabled and template content types need no special handling.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from profilecheck.core.errors import ReadError
from profilecheck.core.limits import Limits
from profilecheck.core.model import (
    Box,
    Colour,
    Document,
    Font,
    Format,
    Metadata,
    Page,
    Part,
    PlacedImage,
    Status,
    TextSpan,
    Transform,
)
from profilecheck.readers.ooxml import package as ooxml
from profilecheck.readers.ooxml import styles as ooxml_styles
from profilecheck.readers.ooxml.package import (
    DEFAULT_FONT,
    DEFAULT_SIZE,
    EMU_PER_POINT,
    FONT_SLOTS,
    HEX_COLOUR,
    HIGHLIGHTS,
    NS,
    ImagePart,
    Package,
    tag,
    to_int,
    w,
)
from profilecheck.readers.ooxml.styles import Styles, Theme, parse_ppr, parse_rpr

A4 = (595.3, 841.9)
TWIPS_PER_POINT = 20
FAKE_HEADING_MAX_CHARS = 120
P, R, T, TBL, TR, TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
PPR, RPR = w("pPr"), w("rPr")
SDT, SDT_CONTENT, TXBX = w("sdt"), w("sdtContent"), w("txbxContent")
DRAWING, PICT, OBJECT = w("drawing"), w("pict"), w("object")
ALTERNATE, CHOICE = tag("mc", "AlternateContent"), tag("mc", "Choice")
INLINE, ANCHOR = tag("wp", "inline"), tag("wp", "anchor")
PIC, IMAGEDATA = tag("pic", "pic"), tag("v", "imagedata")
GROUPS = {tag("wpg", "wgp"), tag("wpg", "grpSp"), tag("a", "grpSp")}
TRANSPARENT_BLOCKS = {SDT_CONTENT, w("customXml"), w("ins"), w("moveTo")}
TRANSPARENT_INLINE = TRANSPARENT_BLOCKS | {w("hyperlink"), w("fldSimple"), w("smartTag")}
TRANSPARENT_INLINE |= {w("bdo"), w("dir")}
RUN_TEXT = {T: None, w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n"}
RUN_TEXT[w("noBreakHyphen")] = "-"
OBJECTS = {DRAWING, PICT, OBJECT}
SKIPPED_NOTES = {"separator", "continuationSeparator", "continuationNotice"}
A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
COMPLEX_SCRIPT = re.compile("[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\ufb1d-\ufdff\ufe70-\ufeff]")
EAST_ASIAN = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff]"
)
CSS_UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "pc": 12.0}


def read_docx(path: str, limits: Limits) -> Document:
    package = Package(path, limits)
    try:
        return _read(package, path, limits)
    except ReadError:
        package.close()
        raise
    except RecursionError:
        package.close()
        raise ooxml.refuse("unreadable-file", "the Word file is nested too deeply to read")
    except Exception as error:  # anything else a hostile or odd file provokes
        package.close()
        message = f"the Word file is damaged ({type(error).__name__}: {error})"
        raise ReadError(Status.UNREADABLE, "unreadable-file", message)


def _read(package: Package, path: str, limits: Limits) -> Document:
    main = package.main_part()
    root = package.xml(main, required=True)
    body = root.find("w:body", NS) if root is not None else None
    if body is None:
        raise ooxml.refuse("unreadable-file", f"{main} is not a Word document body")
    settings = _first_xml(package, main, "settings")
    theme = Theme.parse(_first_xml(package, main, "theme"), settings)
    styles = Styles(_first_xml(package, main, "styles"), theme)
    sections = [s for s in body.iter(w("sectPr")) if s.getparent().tag in (PPR, body.tag)]
    walker = Walker(package, styles, theme, sections[0] if sections else None)
    walker.blocks(body, Ctx(Part.BODY, main))
    even_odd = settings is not None and settings.find("w:evenAndOddHeaders", NS) is not None
    walker.headers_and_footers(main, sections, even_odd)
    for kind in ("footnotes", "endnotes"):
        for name in package.related(main, kind):
            notes = package.xml(name)
            for note in notes if notes is not None else ():
                if note.get(w("type")) not in SKIPPED_NOTES:
                    walker.blocks(note, Ctx(Part.FOOTNOTE, name))
    spans, images = walker.spans, walker.images
    page = Page(
        number=1,
        width=walker.page_width,
        height=walker.page_height,
        _load_spans=lambda: spans,
        _load_images=lambda: images,
    )
    metadata = _metadata(package, styles)
    metadata.extra.update(
        headings=walker.headings,
        fake_headings=walker.fake_headings(),
        sections=max(len(sections), 1),
        macros=bool(package.related(main, "vbaProject")),
    )
    found = package.problems + walker.warnings
    warnings = found[: limits.max_warnings]
    if len(found) > limits.max_warnings:
        warnings.append(f"{len(found) - limits.max_warnings} more warnings not kept")
    return Document(
        path=path,
        format=Format.DOCX,
        pages=[page],
        fonts=_fonts(package, main, walker.used_fonts),
        metadata=metadata,
        warnings=warnings,
        _close=package.close,
    )


def _first_xml(package: Package, source: str, kind: str) -> etree._Element | None:
    for name in package.related(source, kind):
        return package.xml(name)
    return None


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
        return Ctx(part if outer else self.part, self.source)


@dataclass(slots=True)
class Para:
    ctx: Ctx
    style: str | None
    shading: Colour | None
    spans: list[TextSpan]
    number: int = 0  # TextSpan.line: spans of one paragraph share it


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


class Walker:
    """One pass over the XML of every story, collecting spans, images and heading facts."""

    def __init__(
        self, package: Package, styles: Styles, theme: Theme, section: etree._Element | None
    ) -> None:
        self.package, self.styles, self.theme = package, styles, theme
        self.spans: list[TextSpan] = []
        self.paragraphs = 0
        self.images: list[PlacedImage] = []
        self.warnings: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.heading_candidates: list[tuple[float, str]] = []
        self.used_fonts: dict[str, None] = {}
        self._image_parts: dict[str, ImagePart] = {}
        size = section.find("w:pgSz", NS) if section is not None else None
        margins = section.find("w:pgMar", NS) if section is not None else None
        self.page_width = _twips(size, "w", A4[0])
        self.page_height = _twips(size, "h", A4[1])
        self.margins = tuple(_twips(margins, side, 72.0) for side in ("left", "top", "right"))
        self.margins += (_twips(margins, "bottom", 72.0),)

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
                self.blocks(_content(child), ctx)
            elif kind == ALTERNATE:
                self.blocks(_choice(child), ctx)

    def paragraph(self, p: etree._Element, ctx: Ctx) -> None:
        props = parse_ppr(p[0]) if len(p) and p[0].tag == PPR else {}
        style = self.styles.resolve(props.get("pStyle"), "paragraph")
        shd = props.get("shd") or self.styles.chain_ppr(style).get("shd")
        self.paragraphs += 1
        para = Para(ctx, style, self.shading(shd), [], self.paragraphs)
        self.inline(p, para)
        if ctx.part != Part.BODY or not para.spans:
            return
        text = "".join(span.text for span in para.spans).strip()
        heading = self.styles.heading_name(style)
        if heading:
            self.headings.append((heading, text))
        elif len(text) <= FAKE_HEADING_MAX_CHARS and all(span.bold for span in para.spans):
            self.heading_candidates.append((min(span.size for span in para.spans), text))

    def table(self, table: etree._Element, ctx: Ctx) -> None:
        props = table.find("w:tblPr", NS)
        style_el = props.find("w:tblStyle", NS) if props is not None else None
        style = self.styles.resolve(
            style_el.get(ooxml.W_VAL) if style_el is not None else None, "table"
        )
        table_shd = props.find("w:shd", NS) if props is not None else None
        inner = replace(ctx.inside(Part.TABLE), table_style=style)
        for row in _children(table, TR):
            for cell in _children(row, TC):
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
                self.inline(_content(child), para)
            elif kind == ALTERNATE:
                self.inline(_choice(child), para)

    # --- runs ----------------------------------------------------------------------------------

    def run(self, run: etree._Element, para: Para) -> None:
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
                objects.extend(c for c in _choice(child) if c.tag in OBJECTS)
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

    def fake_headings(self) -> int:
        """Short all-bold body paragraphs in a size above the body text's, not in a heading style."""
        sizes: Counter[float] = Counter()
        for span in self.spans:
            if span.part == Part.BODY:
                sizes[span.size] += len(span.text)
        if not sizes:
            return 0
        body_size = sizes.most_common(1)[0][0]
        return sum(1 for size, _ in self.heading_candidates if size > body_size)

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
                self.shapes(_choice(child), ctx, place)
            elif kind in GROUPS:
                self.shapes(child, ctx, place.group(child))
            elif isinstance(kind, str) and kind != tag("mc", "Fallback"):
                self.shapes(child, ctx, place)

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
        rect = pic.find("pic:blipFill/a:srcRect", NS)
        crop = tuple(
            (to_int(rect.get(side)) or 0) / 100000 if rect is not None else 0.0 for side in "ltrb"
        )
        own = pic.find("pic:nvPicPr/pic:cNvPr", NS)
        described = [e for e in (place.docpr, own) if e is not None]
        if place.mapping is not None:
            described.reverse()
        alt = next((e.get(k) for k in ("descr", "title") for e in described if e.get(k)), None)
        decorative = any(_decorative(e) for e in described)
        effects = _blip_effects(blip, self.theme)
        self.place(rel_id, ctx, box, rotation, flips, crop, alt, decorative, effects)

    def vml(self, element: etree._Element, ctx: Ctx) -> None:
        for child in element:
            kind = child.tag
            if kind == TXBX:
                self.blocks(child, ctx.inside(Part.TEXT_BOX))
            elif kind == IMAGEDATA:
                self.vml_image(child, element, ctx)
            elif kind == ALTERNATE:
                self.vml(_choice(child), ctx)
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
        rel = self.package.rels(ctx.source).get(rel_id)
        if rel is None:
            self.warnings.append(f"{ctx.source}: image relationship {rel_id!r} is missing")
            return
        if rel.external:
            self.warnings.append(f"{ctx.source}: linked image {rel.target} is not in the file")
            info = ImagePart(rel.target, 0, 0, "", "", None, "linked image")
        else:
            info = self.image_part(rel.target)
        flip_h, flip_v = flips
        if flip_h and flip_v:
            rotation += 180
        left, top, right, bottom = (min(max(c, -10.0), 0.99) for c in crop)
        shown_w = info.width * (1 - left - right)
        shown_h = info.height * (1 - top - bottom)
        change = 1.0
        if shown_w > 0 and shown_h > 0 and box.width > 0 and box.height > 0:
            change = (box.width / shown_w) / (box.height / shown_h)
        rotation = round(180 - (180 - rotation) % 360, 2) + 0.0  # in (-180, 180]
        transform = Transform(
            rotation=rotation,
            mirrored=flip_h != flip_v,
            aspect_ratio_change=change,
            crop=(left, top, right, bottom),
        )
        self.images.append(
            PlacedImage(
                box=box,
                pixel_width=info.width,
                pixel_height=info.height,
                part=ctx.part,
                transform=transform,
                name=info.name,
                alt_text=(alt.strip() or None) if alt else None,
                colour_mode=info.mode,
                digest=info.digest,
                effects=effects,
                decorative=decorative,
                _loader=info.loader,
            )
        )

    def image_part(self, name: str) -> ImagePart:
        if name not in self._image_parts:
            try:
                if not self.package.has(name):
                    raise ooxml.refuse("unreadable-file", "the part is missing")
                info = ooxml.image_part(self.package, name, _decode)
            except ReadError as error:
                info = ImagePart(name, 0, 0, "", "", None, error.message)
            if info.problem:
                self.warnings.append(f"image {name}: {info.problem}")
            self._image_parts[name] = info
        return self._image_parts[name]


def _decode(data: bytes) -> Any:
    try:
        from profilecheck.readers.pixels import open_image, to_display_rgb  # Pillow on demand

        return to_display_rgb(open_image(data))
    except ReadError:
        raise
    except Exception as error:
        raise ReadError(Status.UNREADABLE, "unreadable-file", f"image data broken: {error}")


def _children(element: etree._Element, wanted: str) -> list[etree._Element]:
    """Children with tag `wanted`, looking through content controls and custom XML."""
    found = []
    for child in element:
        if child.tag == wanted:
            found.append(child)
        elif child.tag in (SDT, SDT_CONTENT, w("customXml")):
            found.extend(_children(child, wanted))
    return found


def _content(sdt: etree._Element) -> etree._Element | tuple[()]:
    content = sdt.find(SDT_CONTENT)
    return content if content is not None else ()


def _choice(alternate: etree._Element) -> etree._Element | tuple[()]:
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


def _decorative(element: etree._Element) -> bool:
    return any(ext.get("val") in ("1", "true") for ext in element.iter("{*}decorative"))


def _blip_effects(blip: etree._Element, theme: Theme) -> tuple[str, ...]:
    """Word's recolour and picture-colour settings on a picture, as short strings."""
    effects = []
    for child in blip:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "extLst":
            for effect in child.iter(f"{{{A14}}}imgEffect"):
                effects.extend(_effect(e) for e in effect if isinstance(e.tag, str))
            continue
        colours = [ooxml_styles.drawing_colour(c, theme) for c in child.iter() if c is not child]
        colours = ["#" + c for c in colours if c]
        if local == "grayscl":
            effects.append("grayscale")
        elif local in ("duotone", "clrChange", "clrRepl") and colours:
            effects.append(f"{local}:{'/'.join(colours)}")
        else:
            effects.append(_effect(child))
    return tuple(effects)


def _effect(element: etree._Element) -> str:
    local = etree.QName(element).localname
    attrs = ",".join(f"{etree.QName(k).localname}={v}" for k, v in sorted(element.attrib.items()))
    return f"{local}:{attrs}" if attrs else local


def _text(root: etree._Element | None, path: str) -> str | None:
    found = root.find(path, NS) if root is not None else None
    return (found.text or "").strip() or None if found is not None else None


def _metadata(package: Package, styles: Styles) -> Metadata:
    core = _first_xml(package, "", "core-properties")
    app = _first_xml(package, "", "extended-properties")
    normal = styles.defaults.get("paragraph")
    language = styles.default_rpr.get("lang.val") or styles.chain_rpr(normal).get("lang.val")
    application = _text(app, "ep:Application")
    return Metadata(
        title=_text(core, "dc:title"),
        language=language,
        tagged=None,
        author=_text(core, "dc:creator"),
        created=_text(core, "dcterms:created"),
        modified=_text(core, "dcterms:modified"),
        producer=application,
        extra={"core_language": _text(core, "dc:language")},
    )


def _fonts(package: Package, main: str, used: dict[str, None]) -> list[Font]:
    embedded: set[str] = set()
    table = _first_xml(package, main, "fontTable")
    for font in table if table is not None else ():
        if any(c.tag.startswith(w("embed")) for c in font if isinstance(c.tag, str)):
            embedded.add(font.get(w("name"), ""))
    return [Font(name=name, embedded=True if name in embedded else None) for name in used]
