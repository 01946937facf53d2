"""PowerPoint shape trees: a slide's (or notes page's) shapes into spans, pictures and paints.

One pass over p:spTree: text shapes (p:sp) give their text runs, with the effective formatting
of `styles`, and their fill and outline as vector paint; pictures (p:pic) become placed images
with crop, rotation, flips, recolour effects and alt text; groups (p:grpSp) map their children's
coordinates onto the slide; tables (a:tbl in a p:graphicFrame) give their cells' text and fills;
connectors (p:cxnSp) their lines. Placeholders without their own position take the layout's, else
the master's. Text boxes are as large as their shape: a span's box is its shape's; text that
PowerPoint shrinks to fit (a:normAutofit) has the size it is shown in. Each span's
`shading` is what it stands on: its shape's solid fill, else the topmost fill under it, else the
slide's background; None where that is a picture or a gradient (only a render could tell). The
master's and layout's own shapes (not their placeholders) are read onto every slide that shows
them, under the slide's: their pictures decorative, their text a header or footer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from profilecheck.core.model import Box, Colour, Paint, Part, PlacedImage, TextSpan
from profilecheck.readers.ooxml.package import NS, Package, tag, to_int
from profilecheck.readers.ooxml.pictures import (
    ImageParts,
    blip_effects,
    crop_of,
    is_decorative,
    placed_image,
)
from profilecheck.readers.ooxml.styles import Theme
from profilecheck.readers.pptx import styles
from profilecheck.readers.pptx.geometry import (
    SLIDE,
    Mapping,
    box_of,
    fill_colours,
    group_mapping,
    turn,
)
from profilecheck.readers.pptx.styles import (
    TITLE_TYPES,
    Levels,
    Master,
    Placeholder,
    Props,
    a,
    p,
)
from profilecheck.readers.pptx.tables import read_table

SP, PIC, GRP, FRAME, CXN = p("sp"), p("pic"), p("grpSp"), p("graphicFrame"), p("cxnSp")
ALTERNATE, CHOICE = tag("mc", "AlternateContent"), tag("mc", "Choice")
RUN, FIELD = a("r"), a("fld")
FOOTER_TYPES = frozenset({"dt", "ftr", "sldNum"})
UNREAD_GRAPHICS = {"chart": "chart", "diagram": "SmartArt graphic", "ole": "embedded object"}
DEFAULT_COLOUR = etree.Element(a("schemeClr"), val="tx1")
HYPERLINK = etree.Element(a("schemeClr"), val="hlink")
THEME_DEFAULTS: Props = {"latin": "+mn-lt", "ea": "+mn-ea", "cs": "+mn-cs", "fill": DEFAULT_COLOUR}


class TooManyRuns(Exception):
    """More runs than the limit max_word_runs: the rest of the presentation is not read."""


@dataclass(slots=True)
class Slide:
    """What a slide's (or notes page's) shapes resolve against."""

    page: int
    source: str  # the part whose relationships apply
    theme: Theme  # seen through the colour map in force
    master: Master
    layout: list[Placeholder]
    defaults: Levels  # the presentation's default text style
    part: Part = Part.BODY  # Part.NOTES: text only, not laid out
    background: Colour | None = None
    # the slide's box when these are the master's or layout's own shapes: shown on the slide
    # (placeholders are not), pictures decorative, text a header or footer
    inherited: Box | None = None


@dataclass(slots=True)
class Shapes:
    """Everything drawn on the slides, in reading order."""

    package: Package
    image_parts: ImageParts
    warnings: list[str]
    spans: list[TextSpan] = field(default_factory=list)
    images: list[PlacedImage] = field(default_factory=list)
    paints: list[Paint] = field(default_factory=list)
    table_styles: dict[str, etree._Element] = field(default_factory=dict)
    unread: list[tuple[str, str]] = field(default_factory=list)  # (finding, message)
    # what each page has painted so far, in order: (box, its colour; None for a picture or a
    # gradient, whose colour under a text only a render could tell)
    layers: dict[int, list[tuple[Box, Colour | None]]] = field(default_factory=dict)
    used_fonts: dict[str, None] = field(default_factory=dict)
    paragraphs: int = 0
    runs: int = 0

    def tree(self, tree: etree._Element, slide: Slide, mapping: Mapping = SLIDE) -> None:
        for shape in tree:
            kind = shape.tag
            if slide.inherited and shape.find("./*/p:nvPr/p:ph", NS) is not None:
                continue  # a layout's or master's placeholder: a prompt, not shown
            if kind == SP:
                self.shape(shape, slide, mapping)
            elif kind == PIC:
                self.picture(shape, slide, mapping)
            elif kind == GRP:
                self.tree(shape, slide, group_mapping(shape, mapping))
            elif kind == FRAME:
                self.frame(shape, slide, mapping)
            elif kind == CXN:
                self.outline(shape, slide, box_of(shape.find("p:spPr/a:xfrm", NS), mapping))
            elif kind == ALTERNATE:
                choice = shape.find(CHOICE)
                if choice is None:
                    choice = shape.find(tag("mc", "Fallback"))
                if choice is not None:
                    self.tree(choice, slide, mapping)

    # --- shapes with text ----------------------------------------------------------------------

    def shape(self, shape: etree._Element, slide: Slide, mapping: Mapping) -> None:
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        kind, idx = styles.placeholder_key(ph) if ph is not None else (None, None)
        inherited = self.inherited(slide, kind, idx)
        xfrm = shape.find("p:spPr/a:xfrm", NS)
        if xfrm is None:
            xfrm = next((i.xfrm for i in inherited if i.xfrm is not None), None)
        box = box_of(xfrm, mapping)
        behind = slide.background
        if slide.part is not Part.NOTES:
            behind = self.under(box, slide)
            filled, colour = self.fill(shape, slide, box)
            behind = colour if filled else behind
            self.outline(shape, slide, box)
            picture = shape.find("p:spPr/a:blipFill", NS)  # a shape filled with a picture
            if picture is not None:
                described = shape.find("p:nvSpPr/p:cNvPr", NS)
                self.place(picture, described, xfrm, box, slide, mapping)
        body = shape.find("p:txBody", NS)
        if body is None or (slide.part is Part.NOTES and kind != "body"):
            return
        if slide.part is Part.NOTES:
            part = Part.NOTES
        elif slide.inherited and box is not None:
            low = box.y0 + box.y1 > slide.inherited.height
            part = Part.FOOTER if low else Part.HEADER
        elif kind is None:
            part = Part.TEXT_BOX
        else:
            part = Part.FOOTER if kind in FOOTER_TYPES else Part.BODY
        chain = [slide.defaults, slide.master.text_style(kind)]
        chain += [i.levels for i in reversed(inherited)]
        refs = [i.font_ref for i in reversed(inherited)] + [styles.font_ref(shape)]
        where = box if slide.part is not Part.NOTES else None
        self.text(body, slide, chain, refs, part, where, behind, kind)

    def inherited(self, slide: Slide, kind: str | None, idx: str | None) -> list[Placeholder]:
        """The layout's and the master's placeholder this one inherits from, nearest first."""
        if kind is None:
            return []
        found = []
        layout = styles.match(slide.layout, kind, idx, master=False) if slide.layout else None
        if layout is not None:
            found.append(layout)
            kind, idx = layout.type, layout.idx
        master = styles.match(slide.master.placeholders, kind, idx, master=True)
        if master is not None:
            found.append(master)
        return found

    def text(
        self,
        body: etree._Element,
        slide: Slide,
        chain: list[Levels],
        refs: list[Props],
        part: Part,
        box: Box | None,
        behind: Colour | None,
        kind: str | None,
    ) -> None:
        own = styles.level_styles(body.find("a:lstStyle", NS))
        autofit = body.find("a:bodyPr/a:normAutofit", NS)  # "shrink text on overflow"
        scale = (to_int(autofit.get("fontScale")) or 100000) / 100000 if autofit is not None else 1
        for paragraph in body.iterfind("a:p", NS):
            ppr = paragraph.find("a:pPr", NS)
            level = (to_int(ppr.get("lvl")) or 0) + 1 if ppr is not None else 1
            props = dict(THEME_DEFAULTS)
            for levels in chain:
                props.update(styles.at_level(levels, level))
            for ref in refs:
                props.update(ref)
            props.update(styles.at_level(own, level))
            if ppr is not None:
                props.update(styles.parse_rpr(ppr.find("a:defRPr", NS)))
            props["scale"] = min(max(scale, 0.01), 1.0)
            self.paragraphs += 1
            for run in paragraph:
                if run.tag in (RUN, FIELD):
                    self.run(run, props, slide, part, box, behind, kind)

    def run(
        self,
        run: etree._Element,
        base: Props,
        slide: Slide,
        part: Part,
        box: Box | None,
        behind: Colour | None,
        kind: str | None,
    ) -> None:
        self.runs += 1
        if self.runs > self.package.limits.max_word_runs:
            raise TooManyRuns
        text = "".join(t.text or "" for t in run.iterfind("a:t", NS))
        if not text.strip():
            return
        rpr = run.find("a:rPr", NS)
        own = styles.parse_rpr(rpr)
        if rpr is not None and "fill" not in own and rpr.find("a:hlinkClick", NS) is not None:
            own["fill"] = HYPERLINK  # a link is shown in the theme's hyperlink colour
        props = {**base, **own}
        theme = slide.theme
        minor = theme.fonts.get("minorAscii") or ""
        fonts = tuple(
            (slot, styles.theme_font(props.get(key), theme) or (minor if slot == "ascii" else ""))
            for slot, key in (("ascii", "latin"), ("eastAsia", "ea"), ("cs", "cs"))
        )
        font = fonts[0][1]
        span = TextSpan(
            text=text,
            font=font,
            size=round((props.get("size") or styles.DEFAULT_SIZE) * props["scale"], 2),
            bold=bool(props.get("b")),
            italic=bool(props.get("i")),
            colour=styles.colour_of(props.get("fill"), theme),
            box=box,
            page=slide.page,
            part=part,
            line=self.paragraphs,
            font_slots=fonts,
            shading=behind,
            language=props.get("lang"),
            style=kind,
            heading_style=kind in TITLE_TYPES,
        )
        self.spans.append(span)
        if font:
            self.used_fonts[font] = None

    # --- paint ---------------------------------------------------------------------------------

    def fill(
        self, shape: etree._Element, slide: Slide, box: Box | None
    ) -> tuple[bool, Colour | None]:
        """The shape's fill as paint: whether it has one, and its colour when it is one solid
        colour (None for a gradient, a pattern or a picture)."""
        props = shape.find("p:spPr", NS)
        colours, solid = fill_colours(props, shape, "fillRef", slide.theme)
        for colour in colours:
            self.paint(colour, box, slide, "fill")
        filled = bool(colours) or (props is not None and props.find("a:blipFill", NS) is not None)
        colour = colours[0] if solid and colours else None
        if filled:
            self.layer(box, colour, slide)
        return filled, colour

    def layer(self, box: Box | None, colour: Colour | None, slide: Slide) -> None:
        if box is not None:
            self.layers.setdefault(slide.page, []).append((box, colour))

    def under(self, box: Box | None, slide: Slide) -> Colour | None:
        """What a text box stands on: the topmost fill painted before it that covers it, or the
        slide's background; None when that is a picture or a gradient, or only partly covers
        it (a render could tell)."""
        for below, colour in reversed(self.layers.get(slide.page, []) if box else []):
            if below.intersects(box):  # type: ignore[arg-type]
                return colour if below.contains(box) else None  # type: ignore[arg-type]
        return slide.background

    def outline(self, shape: etree._Element, slide: Slide, box: Box | None) -> None:
        if slide.part is Part.NOTES:
            return
        line = shape.find("p:spPr/a:ln", NS)
        colours, _ = fill_colours(line, shape, "lnRef", slide.theme)
        for colour in colours:
            self.paint(colour, box, slide, "stroke")

    def paint(self, colour: Colour, box: Box | None, slide: Slide, operation: str) -> None:
        if box is not None:
            self.paints.append(Paint(colour, box, slide.page, operation))

    # --- pictures and tables -------------------------------------------------------------------

    def picture(self, pic: etree._Element, slide: Slide, mapping: Mapping) -> None:
        if slide.part is Part.NOTES:
            return
        xfrm = pic.find("p:spPr/a:xfrm", NS)
        ph = pic.find("p:nvPicPr/p:nvPr/p:ph", NS)
        if xfrm is None and ph is not None:
            inherited = self.inherited(slide, *styles.placeholder_key(ph))
            xfrm = next((i.xfrm for i in inherited if i.xfrm is not None), None)
        box = box_of(xfrm, mapping)
        self.outline(pic, slide, box)
        fill = pic.find("p:blipFill", NS)
        self.place(fill, pic.find("p:nvPicPr/p:cNvPr", NS), xfrm, box, slide, mapping)

    def place(
        self,
        fill: etree._Element | None,
        described: etree._Element | None,
        xfrm: etree._Element | None,
        box: Box | None,
        slide: Slide,
        mapping: Mapping,
    ) -> None:
        """A picture (a p:pic's blip fill, or a shape filled with a picture) as placed."""
        blip = fill.find("a:blip", NS) if fill is not None else None
        if blip is None or box is None:
            return
        rel_id = blip.get(tag("r", "embed")) or blip.get(tag("r", "link")) or ""
        info = self.image_parts.related(slide.source, rel_id)
        if info is None:
            return
        rotation, flips = turn(xfrm, mapping)
        crop = crop_of(fill.find("a:srcRect", NS))
        alt = described.get("descr") if described is not None else None
        decorative = bool(slide.inherited) or (described is not None and is_decorative(described))
        effects = blip_effects(blip, slide.theme)
        image = placed_image(
            info, box, Part.IMAGE, rotation, flips, crop, alt, decorative, effects, slide.page
        )
        self.images.append(image)
        self.layer(box, None, slide)

    def frame(self, frame: etree._Element, slide: Slide, mapping: Mapping) -> None:
        if slide.part is Part.NOTES:
            return
        data = frame.find("a:graphic/a:graphicData", NS)
        kind = (data.get("uri", "") if data is not None else "").rsplit("/", 1)[-1]
        if kind == "table":
            read_table(self, frame, slide, mapping)
        elif kind in UNREAD_GRAPHICS:
            what = UNREAD_GRAPHICS[kind]
            self.warnings.append(f"slide {slide.page}: the text of a {what} is not read")
