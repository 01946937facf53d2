"""The fixes of a Word document (.docx, .docm, .dotx): styles and theme first, then direct
formatting, then the text, then the properties."""

from __future__ import annotations

import functools

from lxml import etree

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
from profilecheck.readers.ooxml.package import NS, tag, w

CONTENT_KINDS = ("header", "footer", "footnotes", "endnotes", "comments")
SLOT_ATTRS = {"eastAsia": w("eastAsia"), "cs": w("cs")}
THEME_SLOTS = {"eastAsia": "ea", "cs": "cs"}
# CT_RPr's sequence after w:lang: a new w:lang goes before these
AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")


def fix_word(
    edited: EditedPackage, knowledge: Knowledge, fixes: set[str], changes: Changes
) -> None:
    package = edited.package
    main = package.main_part()
    rels = package.rels(main)
    content = [main] + [
        r.target for r in rels.values() if r.kind in CONTENT_KINDS and not r.external
    ]
    styles = package.related(main, "styles")
    theme = package.related(main, "theme")
    texts = [t.text or "" for name in content for t in _iter(edited, name, w("t"))]
    slots = scripts_present(texts)
    if "fonts" in fixes:
        for name in styles:
            _fonts(edited, name, knowledge, slots, changes, styles=True)
        for name in theme:
            _theme_fonts(edited, name, knowledge, slots, changes)
        for name in content:
            _fonts(edited, name, knowledge, slots, changes, styles=False)
    if "colours" in fixes:
        for name in [*styles, *theme, *content]:
            _colours(edited, name, knowledge, changes)
    if "numbers" in fixes:
        for name in content:
            _numbers(edited, name, knowledge, changes)
    if "metadata" in fixes:
        _metadata(edited, main, styles, knowledge, changes)


def _iter(edited: EditedPackage, name: str, element_tag: str) -> list:
    root = edited.xml(name)
    return [] if root is None else list(root.iter(element_tag))


def _places(root: etree._Element) -> dict[etree._Element, str]:
    return {p: f"paragraph {n}" for n, p in enumerate(root.iter(w("p")), start=1)}


def _where(element: etree._Element, places: dict) -> str:
    parent = element
    while parent is not None:
        if parent in places:
            return places[parent]
        if parent.tag == w("style"):
            return f"style {parent.get(w('styleId'), '?')}"
        if parent.tag == w("docDefaults"):
            return "document defaults"
        parent = parent.getparent()
    return "—"


def _fonts(edited, name, knowledge, slots, changes, styles: bool) -> None:
    root = edited.xml(name)
    if root is None:
        return
    places = {} if styles else _places(root)
    what = "font (style)" if styles else "font (direct formatting)"
    attributes = [w("ascii"), w("hAnsi"), *(SLOT_ATTRS[s] for s in sorted(slots))]
    for fonts in root.iter(w("rFonts")):
        where = _where(fonts, places)
        record = recorder(changes, what, name, where)
        if fix_font_attributes(fonts, attributes, knowledge, record):
            edited.mark(name)


def _theme_fonts(edited, name, knowledge, slots, changes) -> None:
    root = edited.xml(name)
    if root is None:
        return
    kinds = ["latin", *(THEME_SLOTS[s] for s in sorted(slots))]
    for scheme in ("majorFont", "minorFont"):
        for kind in kinds:
            for element in root.iterfind(f".//a:fontScheme/a:{scheme}/a:{kind}", NS):
                where = f"theme {'headings' if scheme == 'majorFont' else 'body'} font ({kind})"
                record = recorder(changes, "font (theme)", name, where)
                if fix_font_attributes(element, ["typeface"], knowledge, record):
                    edited.mark(name)


THEMED = {
    "color": ("val", ("themeColor", "themeShade", "themeTint")),
    "shd": ("fill", ("themeFill", "themeFillShade", "themeFillTint")),
}


def colour_targets(root: etree._Element) -> list[tuple[etree._Element, str, str, list[str]]]:
    """(element, attribute, what, theme attributes) of every colour given as hex. Where a
    theme colour is named, the hex is Word's copy of the colour it shows: the theme attributes
    go when the colour is replaced."""
    found = []
    for name, what in (("color", "text colour"), ("shd", "shading")):
        value, themed = THEMED[name]
        for element in root.iter(w(name)):
            theme = [w(a) for a in themed if element.get(w(a)) is not None]
            found.append((element, w(value), what, theme))
    for element in root.iter(tag("a", "srgbClr")):
        if len(element) == 0:  # lumMod, tint, alpha...: the colour shown is another one
            found.append((element, "val", "drawing colour", []))
    return found


def _colours(edited, name, knowledge, changes) -> None:
    root = edited.xml(name)
    if root is None:
        return
    places = _places(root)
    for element, attribute, what, theme in colour_targets(root):
        where = _where(element, places)
        if theme:
            what = f"{what}, theme colour {element.get(theme[0])}"

        def record(before, after, done, reason, where=where, what=what) -> None:
            changes.add(f"colour ({what})", name, where, before, after, done=done, reason=reason)

        if fix_colour_attribute(element, attribute, knowledge, record, near=bool(theme)):
            for attribute_name in theme:
                del element.attrib[attribute_name]
            edited.mark(name)


def _numbers(edited, name, knowledge, changes) -> None:
    root = edited.xml(name)
    if root is None:
        return
    for number, paragraph in enumerate(list(root.iter(w("p"))), start=1):
        for before, after in replace_numbers(paragraph, w("t"), knowledge):
            changes.add("number", name, f"paragraph {number}", before, after)
            edited.mark(name)


def _metadata(edited, main, styles, knowledge, changes) -> None:
    styles_root = edited.xml(styles[0]) if styles else None
    find = functools.partial(first_heading, edited.xml(main) if main else None, styles_root)
    fix_metadata(edited, knowledge, changes, find, "document", "heading")
    if styles_root is not None and _default_language(styles_root, knowledge.language):
        changes.add("language", styles[0], "document defaults", "—", knowledge.language)
        edited.mark(styles[0])


def first_heading(document: etree._Element | None, styles: etree._Element | None) -> str | None:
    if document is None:
        return None
    headings = _heading_styles(styles)
    for paragraph in document.iter(w("p")):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        level = paragraph.find("w:pPr/w:outlineLvl", NS)
        if (style is not None and style.get(w("val")) in headings) or level is not None:
            text = "".join(t.text or "" for t in paragraph.iter(w("t"))).strip()
            if text:
                return text[:250]
    return None


def _heading_styles(styles: etree._Element | None) -> set[str]:
    found = {"Title", "Heading1", "Heading2", "Rubrik", "Rubrik1", "Rubrik2"}
    if styles is None:
        return found
    for style in styles.iterfind("w:style", NS):
        named = (style.findtext("w:name", default="", namespaces=NS) or "").lower()
        label = style.find("w:name", NS)
        named = (label.get(w("val")) or "").lower() if label is not None else named
        outlined = style.find("w:pPr/w:outlineLvl", NS) is not None
        if named.startswith("heading") or named == "title" or outlined:
            found.add(style.get(w("styleId"), ""))
    return found


def _default_language(styles: etree._Element, language: str) -> bool:
    """w:lang set in the document defaults when neither they nor Normal give one."""
    normal = styles.find("w:style[@w:default='1'][@w:type='paragraph']", NS)
    for holder in (styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS), normal):
        if holder is not None:
            lang = (
                holder.find(".//w:lang", NS)
                if holder.tag == w("style")
                else holder.find("w:lang", NS)
            )
            if lang is not None and lang.get(w("val")):
                return False
    defaults = _child(styles, "docDefaults", first=True)
    rpr = _child(_child(defaults, "rPrDefault", first=True), "rPr", first=True)
    lang = rpr.find("w:lang", NS)
    if lang is None:
        lang = etree.Element(w("lang"))
        later = next((c for c in rpr if etree.QName(c).localname in AFTER_LANG), None)
        if later is not None:
            later.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(w("val"), language)
    return True


def _child(parent: etree._Element, name: str, first: bool = False) -> etree._Element:
    found = parent.find(f"w:{name}", NS)
    if found is None:
        found = etree.Element(w(name))
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
