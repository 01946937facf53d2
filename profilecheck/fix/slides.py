"""The fixes of a presentation (.pptx): theme and masters first, then layouts, slides and
their notes; then the properties."""

from __future__ import annotations

import functools
import re

from profilecheck.fix.edits import (
    Changes,
    fix_colour_attribute,
    fix_font_attributes,
    fix_metadata,
    recorder,
    replace_numbers,
    scripts_present,
)
from profilecheck.fix.knowledge import Knowledge
from profilecheck.fix.package import EditedPackage
from profilecheck.readers.ooxml.package import NS, tag
from profilecheck.readers.ooxml.parts import part_key

PARTS = re.compile(
    r"^ppt/(theme/theme|slideMasters/slideMaster|slideLayouts/slideLayout|slides/slide"
    r"|notesSlides/notesSlide|notesMasters/notesMaster|handoutMasters/handoutMaster)\d+\.xml$",
    re.IGNORECASE,
)
TITLES = ("title", "ctrTitle")
SLOT_TAGS = {"eastAsia": "ea", "cs": "cs"}


def fix_slides(
    edited: EditedPackage, knowledge: Knowledge, fixes: set[str], changes: Changes
) -> None:
    names = [n for n in edited.names() if PARTS.match(n)]
    names.sort(key=lambda n: (_order(n), n))
    places = _slide_places(edited)
    texts = [t.text or "" for name in names for t in _iter(edited, name, tag("a", "t"))]
    slots = scripts_present(texts)
    kinds = ["latin", *(SLOT_TAGS[s] for s in sorted(slots))]
    for name in names:
        root = edited.xml(name)
        if root is None:
            continue
        where = places.get(part_key(name), _describe(name))
        if "fonts" in fixes:
            _fonts(edited, name, root, kinds, where, knowledge, changes)
        if "colours" in fixes:
            _colours(edited, name, root, where, knowledge, changes)
        if "numbers" in fixes:
            for paragraph in list(root.iter(tag("a", "p"))):
                for before, after in replace_numbers(paragraph, tag("a", "t"), knowledge):
                    changes.add("number", name, where, before, after)
                    edited.mark(name)
    if "metadata" in fixes:
        find = functools.partial(_first_title, edited, places)
        fix_metadata(edited, knowledge, changes, find, "presentation", "slide title")


def _order(name: str) -> int:
    lowered = name.lower()
    for index, word in enumerate(("theme", "master", "layout", "slides/", "notes")):
        if word in lowered:
            return index
    return 9


def _iter(edited: EditedPackage, name: str, element_tag: str) -> list:
    root = edited.xml(name)
    return [] if root is None else list(root.iter(element_tag))


def _describe(name: str) -> str:
    base = name.rsplit("/", 1)[-1].removesuffix(".xml")
    return re.sub(r"(\D+)(\d+)", r"\1 \2", base)


def _slide_places(edited: EditedPackage) -> dict[str, str]:
    """Each slide's part (and its notes') by the slide's number in the presentation."""
    package = edited.package
    found: dict[str, str] = {}
    main = next(iter(package.related("", "officeDocument")), None)
    root = edited.xml(main) if main else None
    if root is None:
        return found
    rels = package.rels(main)
    ids = root.iterfind("p:sldIdLst/p:sldId", NS)
    for number, slide in enumerate(ids, start=1):
        rel = rels.get(slide.get(tag("r", "id")) or "")
        if rel is None or rel.external:
            continue
        found[part_key(rel.target)] = f"slide {number}"
        for notes in package.related(rel.target, "notesSlide"):
            found[part_key(notes)] = f"slide {number} (notes)"
    return found


def _fonts(edited, name, root, kinds, where, knowledge, changes) -> None:
    what = "font (theme)" if "/theme/" in name.lower() else "font"
    for kind in kinds:
        for element in root.iter(tag("a", kind)):
            record = recorder(changes, what, name, where)
            if fix_font_attributes(element, ["typeface"], knowledge, record):
                edited.mark(name)


def _colours(edited, name, root, where, knowledge, changes) -> None:
    for element in root.iter(tag("a", "srgbClr")):
        if len(element):  # lumMod, tint, alpha...: the colour shown is another one
            continue

        def record(before, after, done, reason) -> None:
            changes.add("colour", name, where, before, after, done=done, reason=reason)

        if fix_colour_attribute(element, "val", knowledge, record):
            edited.mark(name)


def _first_title(edited: EditedPackage, places: dict[str, str]) -> str | None:
    slides = sorted(
        (int(where.split()[1]), name) for name, where in places.items() if "notes" not in where
    )
    for _, name in slides:
        root = edited.xml(name)
        if root is None:
            continue
        for shape in root.iter(tag("p", "sp")):
            holder = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
            if holder is not None and holder.get("type") in TITLES:
                text = " ".join(
                    "".join(t.text or "" for t in p.iter(tag("a", "t")))
                    for p in shape.iter(tag("a", "p"))
                ).strip()
                if text:
                    return text[:250]
    return None
