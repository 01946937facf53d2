"""PowerPoint reader: a .pptx (or .potx, .ppsx, .pptm) into the document model.

One page per slide, in the presentation's order, the size of the slide (p:sldSz); hidden slides
are read like the others and listed in `PresentationInfo.hidden`. Each slide's shapes are read by
`shapes` against its layout, master and theme (`styles`); its speaker notes are text of the
slide's page in the part `NOTES`, without a box: there for the rules that read text (an old
phone number in the notes is found), not laid out on the slide. The package is opened with the
Word reader's guarded zip and non-resolving XML parser (`ooxml.package`); python-pptx is not used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from lxml import etree

from profilecheck.core.facts import PresentationInfo
from profilecheck.core.limits import Limits, hit
from profilecheck.core.model import (
    Box,
    Colour,
    Document,
    Font,
    Format,
    Metadata,
    Page,
    Paint,
    Part,
)
from profilecheck.readers.ooxml import package as ooxml
from profilecheck.readers.ooxml.package import EMU_PER_POINT, NS, Package, tag
from profilecheck.readers.ooxml.parts import CONTENT_TYPES, main_presentation_part, part_key
from profilecheck.readers.ooxml.pictures import ImageParts
from profilecheck.readers.ooxml.properties import properties
from profilecheck.readers.ooxml.styles import Theme
from profilecheck.readers.pptx import styles
from profilecheck.readers.pptx.geometry import fill_colours
from profilecheck.readers.pptx.shapes import Shapes, Slide, TooManyRuns
from profilecheck.readers.pptx.styles import DEFAULT_COLOUR_MAP, Master, Placeholder, p
from profilecheck.readers.pptx.tables import table_styles

DEFAULT_SLIDE = (9144000, 6858000)  # EMU: PowerPoint's 4:3 default, 254 × 190.5 mm
LABEL = "PowerPoint file"


def read_pptx(path: str, limits: Limits) -> Document:
    package = Package(path, limits, LABEL)
    return ooxml.read_guarded(package, lambda package: _read(package, path, limits))


@dataclass(slots=True)
class _Layout:
    placeholders: list[Placeholder]
    colour_map: etree._Element | None  # a:overrideClrMapping
    background: etree._Element | None
    master: Master
    name: str = ""
    tree: etree._Element | None = None
    show_master: bool = True  # the master's own shapes show on the layout's slides


class _Parts:
    """Masters and layouts, each read once."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.masters: dict[str, Master] = {}
        self.layouts: dict[str, _Layout | None] = {}

    def first(self, source: str, kind: str) -> str | None:
        return next(iter(self.package.related(source, kind)), None)

    def master(self, name: str | None, notes: bool = False) -> Master:
        key = f"{name or ''}:{notes}"
        if key not in self.masters:
            root = self.package.xml(name) if name else None
            theme_name = self.first(name, "theme") if name else None
            theme = Theme.parse(self.package.xml(theme_name) if theme_name else None, None)
            mapping = styles.colour_map(find(root, "p:clrMap"), DEFAULT_COLOUR_MAP)
            text = find(root, "p:txStyles")
            levels = {
                kind: styles.level_styles(find(text, f"p:{kind}Style"))
                for kind in ("title", "body", "other")
            }
            if notes:
                levels["body"] = styles.level_styles(find(root, "p:notesStyle"))
            self.masters[key] = Master(
                theme=theme,
                colour_map=mapping,
                title=levels["title"],
                body=levels["body"],
                other=levels["other"],
                placeholders=styles.placeholders(find(root, "p:cSld/p:spTree")),
                background=find(root, "p:cSld/p:bg"),
                notes=notes,
                name=name or "",
                tree=find(root, "p:cSld/p:spTree"),
            )
        return self.masters[key]

    def layout(self, name: str | None) -> _Layout | None:
        if name is None:
            return None
        if name not in self.layouts:
            root = self.package.xml(name)
            self.layouts[name] = _Layout(
                styles.placeholders(find(root, "p:cSld/p:spTree")),
                find(root, "p:clrMapOvr/a:overrideClrMapping"),
                find(root, "p:cSld/p:bg"),
                self.master(self.first(name, "slideMaster")),
                name,
                find(root, "p:cSld/p:spTree"),
                _shows_master(root),
            )
        return self.layouts[name]


def _shows_master(root: etree._Element | None) -> bool:
    return root is None or root.get("showMasterSp") not in ("0", "false")


def find(root: etree._Element | None, path: str) -> etree._Element | None:
    return root.find(path, NS) if root is not None else None


def _read(package: Package, path: str, limits: Limits) -> Document:
    main = main_presentation_part(package.xml, _Names(package))
    root = package.xml(main, required=True) if main else None
    if root is None or root.tag != p("presentation"):
        raise ooxml.refuse("unreadable-file", "the zip has no PowerPoint presentation part")
    size = find(root, "p:sldSz")
    width, height = (
        _positive(size.get(key) if size is not None else None, default) / EMU_PER_POINT
        for key, default in zip(("cx", "cy"), DEFAULT_SLIDE, strict=True)
    )
    defaults = styles.level_styles(find(root, "p:defaultTextStyle"))
    rels = package.rels(main)
    slides = []
    for slide_id in root.iterfind("p:sldIdLst/p:sldId", NS):
        rel = rels.get(slide_id.get(tag("r", "id"), ""))
        if rel is not None and not rel.external and rel.kind == "slide":
            slides.append(rel.target)
    warnings: list[str] = []
    shapes = Shapes(package, ImageParts(package, warnings), warnings)
    table_part = next(iter(package.related(main, "tableStyles")), None)
    shapes.table_styles = table_styles(package.xml(table_part) if table_part else None)
    parts = _Parts(package)
    hidden, noted, unread = [], [], shapes.unread
    if len(slides) > limits.max_pages:
        message = f"only the first {limits.max_pages:,} of {len(slides):,} slides were read"
        unread.append(("resource-limit", f"{message} ({hit('max_pages', limits)})"))
        slides = slides[: limits.max_pages]
    try:
        for number, name in enumerate(slides, start=1):
            if _slide(package, parts, shapes, name, number, defaults, Box(0, 0, width, height)):
                hidden.append(number)
            if _notes(package, parts, shapes, name, number, defaults):
                noted.append(number)
    except TooManyRuns:
        message = f"only the first {limits.max_word_runs:,} runs of text were read"
        unread.append(("resource-limit", f"{message} ({hit('max_word_runs', limits)})"))
    pages = _pages(shapes, len(slides), width, height)
    metadata = _metadata(package, shapes)
    metadata.presentation = PresentationInfo(
        slides=len(slides),
        hidden=tuple(hidden),
        notes=tuple(noted),
        core_language=metadata.presentation.core_language if metadata.presentation else None,
        macros=bool(package.related(main, "vbaProject")),
        kind=_kind(package, main),
    )
    found = package.problems + warnings
    kept = found[: limits.max_warnings]
    if len(found) > limits.max_warnings:
        kept.append(f"{len(found) - limits.max_warnings} more warnings not kept")
    return Document(
        path=path,
        format=Format.PPTX,
        pages=pages,
        fonts=_fonts(root, shapes.used_fonts),
        metadata=metadata,
        warnings=kept,
        unread=unread,
        _close=package.close,
    )


def _positive(value: str | None, default: int) -> int:
    number = ooxml.to_int(value)
    return number if number is not None and number > 0 else default


class _Names:
    def __init__(self, package: Package) -> None:
        self.package = package

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.package.has(name)


def _slide(
    package: Package,
    parts: _Parts,
    shapes: Shapes,
    name: str,
    number: int,
    defaults: styles.Levels,
    page: Box,
) -> bool:
    """Reads one slide into `shapes`; whether it is hidden."""
    root = package.xml(name)
    if root is None:
        state = "damaged" if package.has(name) else "missing"
        shapes.unread.append(("unreadable-file", f"slide {number} ({name}) is {state}: not read"))
        return False
    layout = parts.layout(parts.first(name, "slideLayout"))
    master = layout.master if layout is not None else parts.master(None)
    mapping = master.colour_map
    for override in (
        layout.colour_map if layout else None,
        find(root, "p:clrMapOvr/a:overrideClrMapping"),
    ):
        mapping = styles.colour_map(override, mapping)
    theme = styles.themed(master.theme, mapping)
    backgrounds = (
        find(root, "p:cSld/p:bg"),
        layout.background if layout else None,
        master.background,
    )
    background = next((bg for bg in backgrounds if bg is not None), None)
    colour = _background(background, theme, shapes, number, page)
    placeholders = layout.placeholders if layout is not None else []
    slide = Slide(number, name, theme, master, placeholders, defaults, Part.BODY, colour)
    if _shows_master(root):  # the master's and the layout's own shapes, under the slide's
        show_master = layout is None or layout.show_master
        for owner in (master if show_master else None, layout):
            if owner is not None and owner.tree is not None:
                shapes.tree(owner.tree, replace(slide, source=owner.name, inherited=page))
    tree = find(root, "p:cSld/p:spTree")
    if tree is not None:
        shapes.tree(tree, slide)
    return root.get("show") in ("0", "false")


def _background(
    background: etree._Element | None, theme: Theme, shapes: Shapes, number: int, page: Box
) -> Colour | None:
    """The slide's background as paint over the whole slide; its colour when it is one colour
    (what text without a filled shape under it stands on), None for a picture or a gradient."""
    if background is None:
        return Colour("rgb", (1.0, 1.0, 1.0))  # none anywhere: PowerPoint shows white
    props = find(background, "p:bgPr")
    if props is not None:
        colours, solid = fill_colours(props, None, "", theme)
    else:
        ref = find(background, "p:bgRef")
        colour = styles.colour_of(styles.first_colour(ref), theme) if ref is not None else None
        colours, solid = ([colour] if colour else []), True
    for colour in colours:
        shapes.paints.append(Paint(colour, page, number, "fill"))
    return colours[0] if solid and colours else None


def _notes(
    package: Package, parts: _Parts, shapes: Shapes, name: str, number: int, defaults: styles.Levels
) -> bool:
    """Reads the slide's speaker notes, if it has any; whether it has."""
    notes = parts.first(name, "notesSlide")
    root = package.xml(notes) if notes else None
    tree = find(root, "p:cSld/p:spTree")
    if tree is None:
        return False
    master = parts.master(parts.first(notes, "notesMaster"), notes=True)
    theme = styles.themed(master.theme, master.colour_map)
    before = len(shapes.spans)
    slide = Slide(number, notes, theme, master, [], defaults, Part.NOTES)
    shapes.tree(tree, slide)
    return len(shapes.spans) > before


def _pages(shapes: Shapes, count: int, width: float, height: float) -> list[Page]:
    spans: dict[int, list] = {n: [] for n in range(1, count + 1)}
    images: dict[int, list] = {n: [] for n in range(1, count + 1)}
    paints: dict[int, list] = {n: [] for n in range(1, count + 1)}
    for span in shapes.spans:
        spans[span.page].append(span)
    for image in shapes.images:
        images[image.page].append(image)
    for paint in shapes.paints:
        paints[paint.page].append(paint)
    return [
        Page(
            number=n,
            width=width,
            height=height,
            _load_spans=lambda n=n: spans[n],
            _load_images=lambda n=n: images[n],
            _load_paints=lambda n=n: paints[n],
        )
        for n in range(1, count + 1)
    ]


def _metadata(package: Package, shapes: Shapes) -> Metadata:
    """The core properties, with the language the slides' text is marked in (the commonest
    `lang` of their runs), else the one the core properties declare (dc:language)."""
    languages = Counter(s.language for s in shapes.spans if s.language and s.part != Part.NOTES)
    found = languages.most_common(1)[0][0] if languages else None
    metadata, core_language = properties(package, found)
    metadata.language = metadata.language or core_language
    metadata.presentation = PresentationInfo(core_language=core_language)
    return metadata


def _kind(package: Package, main: str) -> str:
    """ "presentation", "template" (.potx) or "slide show" (.ppsx), by the main part's type."""
    types = package.xml(CONTENT_TYPES)
    for override in types if types is not None else ():
        if part_key(override.get("PartName", "")) == part_key(main):
            content = override.get("ContentType", "").lower()
            if "template" in content:
                return "template"
            if "slideshow" in content:
                return "slide show"
    return "presentation"


def _fonts(root: etree._Element, used: dict[str, None]) -> list[Font]:
    embedded = {
        font.get("typeface", "")
        for font in root.iterfind("p:embeddedFontLst/p:embeddedFont/p:font", NS)
    }
    return [Font(name=name, embedded=True if name in embedded else None) for name in used]
