"""Word reader: a .docx (or .docm, .dotx, .dotm) into the document model.

Word has no laid-out pages: the whole document is one Page the size of its first section, holding
every text span and image with `box=None` for text (`text` reads the paragraphs, `drawing` the
pictures and text boxes). This module opens the package, walks the stories Word shows (body,
headers and footers, foot- and endnotes) and adds the core properties and fonts. The package
is read directly with a guarded zip and a non-resolving XML parser; python-docx is not used, so
macro-enabled and template content types need no special handling.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from profilecheck.core.facts import WordInfo
from profilecheck.core.limits import Limits, hit
from profilecheck.core.model import Document, Font, Format, Metadata, Page, Part
from profilecheck.readers.ooxml import package as ooxml
from profilecheck.readers.ooxml.package import NS, Package, w
from profilecheck.readers.ooxml.properties import properties
from profilecheck.readers.ooxml.styles import Styles, Theme
from profilecheck.readers.word.drawing import Walker
from profilecheck.readers.word.text import PPR, Ctx, TooManyRuns

SKIPPED_NOTES = {"separator", "continuationSeparator", "continuationNotice"}


def read_docx(path: str, limits: Limits) -> Document:
    return ooxml.read_guarded(Package(path, limits), lambda package: _read(package, path, limits))


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
    unread: list[tuple[str, str]] = []
    try:
        _stories(package, main, walker, body, sections, settings)
    except TooManyRuns:
        message = f"only the first {limits.max_word_runs:,} runs of text were read"
        unread.append(("resource-limit", f"{message} ({hit('max_word_runs', limits)})"))
    spans, images = walker.spans, walker.images
    page = Page(
        number=1,
        width=walker.page_width,
        height=walker.page_height,
        _load_spans=lambda: spans,
        _load_images=lambda: images,
    )
    macros = bool(package.related(main, "vbaProject"))
    metadata = _metadata(package, styles, sections=max(len(sections), 1), macros=macros)
    metadata.word = replace(  # type: ignore[arg-type]
        metadata.word, page_colour=_page_colour(root), drawn_shapes=walker.drawn_shapes
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
        unread=unread,
        _close=package.close,
    )


def _stories(
    package: Package,
    main: str,
    walker: Walker,
    body: etree._Element,
    sections: list[etree._Element],
    settings: etree._Element | None,
) -> None:
    """The body, then headers and footers, then foot- and endnotes, into `walker`."""
    walker.blocks(body, Ctx(Part.BODY, main))
    even_odd = settings is not None and settings.find("w:evenAndOddHeaders", NS) is not None
    walker.headers_and_footers(main, sections, even_odd)
    for kind in ("footnotes", "endnotes"):
        for name in package.related(main, kind):
            notes = package.xml(name)
            for note in notes if notes is not None else ():
                if note.get(w("type")) not in SKIPPED_NOTES:
                    walker.blocks(note, Ctx(Part.FOOTNOTE, name))


def _first_xml(package: Package, source: str, kind: str) -> etree._Element | None:
    for name in package.related(source, kind):
        return package.xml(name)
    return None


def _metadata(package: Package, styles: Styles, sections: int, macros: bool) -> Metadata:
    normal = styles.defaults.get("paragraph")
    language = styles.default_rpr.get("lang.val") or styles.chain_rpr(normal).get("lang.val")
    metadata, core_language = properties(package, language)
    metadata.word = WordInfo(core_language=core_language, sections=sections, macros=macros)
    return metadata


def _page_colour(root: etree._Element) -> str | None:
    """The page colour (w:background/@w:color) as "#RRGGBB", when the document sets one."""
    background = root.find("w:background", NS)
    colour = background.get(w("color"), "") if background is not None else ""
    return f"#{colour.upper()}" if len(colour) == 6 and colour.isalnum() else None


def _fonts(package: Package, main: str, used: dict[str, None]) -> list[Font]:
    embedded: set[str] = set()
    table = _first_xml(package, main, "fontTable")
    for font in table if table is not None else ():
        if any(c.tag.startswith(w("embed")) for c in font if isinstance(c.tag, str)):
            embedded.add(font.get(w("name"), ""))
    return [Font(name=name, embedded=True if name in embedded else None) for name in used]
