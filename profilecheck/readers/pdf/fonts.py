"""The fonts of a PDF by object (xref), and which of them draw visible text.

A page's fonts are those of its resources and the Form XObjects it draws, of its annotations'
normal appearances (`/AP /N`, FreeText and form fields included) and of the Type 3 glyph
procedures its Type 3 fonts draw with; the form's default resources (`/AcroForm /DR /Font`) are
listed too. A font is *used* when a content stream shows a non-empty string with it in a render
mode other than 3 (invisible), or when a form field or FreeText annotation without an appearance
stream has a value and names it in its `/DA`; one that shows text only in mode 3 is
`invisible` (an OCR layer's font). Text that cannot reach the page's crop box (the visible page)
does not count; where text lands is followed with `textspace.TextSpace`, leaning to "inside"
when in doubt. A Form XObject whose box lies wholly outside, or an annotation whose rectangle
does, draws nothing visible.
Nesting is followed to `MAX_FONT_NESTING`, each object once (cycles end there), reading at most
`MAX_FONT_OPERATORS` operators per file; past that, fonts not yet seen drawing are "not known"
(`Font.used` None).

Names are decoded by `names.decode_name` (UTF-8, else PDFDocEncoding); a font without a
`/BaseFont` is named from its descriptor's `/FontName`, else "unnamed font (N 0 R)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from profilecheck.core.limits import (
    DEFAULT_LIMITS,
    MAX_FONT_NESTING,
    MAX_FONT_OPERATORS,
    MAX_TYPE3_GLYPHS,
    Limits,
)
from profilecheck.core.model import Font
from profilecheck.readers.pdf.budget import PageGuard, _Counter
from profilecheck.readers.pdf.content import TEXT_SHOW, operators
from profilecheck.readers.pdf.names import SUBSET_PREFIX, decode_name, strip_subset
from profilecheck.readers.pdf.textspace import Box, TextSpace, matrix_of, overlaps, transformed

BASEFONT = re.compile(r"/BaseFont\s*/([^\s/\[\]<>()%{}]*)")
FONTNAME = re.compile(r"/FontName\s*/([^\s/\[\]<>()%{}]*)")
REFERENCE = re.compile(r"/([^\s/\[\]<>()%{}]+)\s+(\d+)\s+\d+\s+R")
XREF = re.compile(r"(\d+)\s+\d+\s+R")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")
DA_FONT = re.compile(r"/([^\s/\[\]<>()%{}]+)\s+[-+\d.]+\s+Tf")
HIDDEN, NO_VIEW = 2, 32  # annotation flags


class _Budget(Exception):
    """Too many operators: stop learning which fonts are used."""


@dataclass
class _Entry:
    xref: int
    name: str
    kind: str
    embedded: bool
    subset: bool
    listed: set[int] = field(default_factory=set)
    drawn: set[int] = field(default_factory=set)
    hidden: bool = False  # shows text in render mode 3


def read_fonts(
    pdf: Any, guards: list[PageGuard], warnings: list[str], listed: dict | None = None
) -> list[Font]:
    """The fonts of the pages `guards` allow to read (each page's budget, `budget.PageGuard`);
    a page over its budget, or past the file's operator budget, has its fonts listed, but which
    of them draw there is not known: those not seen drawing elsewhere are "not known"."""
    walker = _Walker(pdf, guards[0].limits if guards else DEFAULT_LIMITS)
    walker.listed = {} if listed is None else listed  # each page's fonts, kept for its text
    spent = False
    for index, guard in enumerate(guards):
        try:
            readable = guard.allows("text") and not spent
            walker.page(index, readable, guard.take_content())  # decoded by the budget once
        except _Budget:
            spent = True
            walker.unknown.add(index + 1)
        except Exception as error:  # damaged (Unreadable, ...): its fonts are what MuPDF listed
            walker.unknown.add(index + 1)
            warnings.append(f"page {index + 1}: could not list fonts ({error})")
    walker.acroform()
    return walker.result()


class _Walker:
    def __init__(self, pdf: Any, limits: Limits) -> None:
        self.pdf = pdf
        self.streams = _Counter(pdf, limits)  # decodes within max_content_stream
        self.fonts: dict[int, _Entry] = {}
        self.operators = 0
        self.walked: set[tuple] = set()  # (stream, resources owner, page, placement)
        self.resolved: dict[tuple[int, str, str], int | None] = {}  # (owner, category, name)
        self.listed: dict[int, list] = {}  # page index -> page.get_fonts(full=True)
        self.crop: Box | None = None  # the current page's visible box
        self.unknown: set[int] = set()  # pages whose text was not (wholly) followed
        self.dr = self._dr()

    def result(self) -> list[Font]:
        out = []
        for entry in self.fonts.values():
            doubt = entry.listed & self.unknown if entry.listed else self.unknown
            used = True if entry.drawn else (None if doubt else False)
            pages = entry.drawn or entry.listed
            out.append(
                Font(
                    name=entry.name,
                    embedded=entry.embedded,
                    kind=entry.kind,
                    subset=entry.subset,
                    xref=entry.xref,
                    used=used,
                    invisible=entry.hidden and not entry.drawn,
                    pages=tuple(sorted(pages)),
                )
            )
        return out

    # the objects

    def font(self, xref: int, page: int) -> _Entry | None:
        if xref <= 0:
            return None
        entry = self.fonts.get(xref)
        if entry is None:
            entry = self.fonts[xref] = self._describe(xref)
        if page:
            entry.listed.add(page)
        return entry

    def _describe(self, xref: int) -> _Entry:
        pdf = self.pdf
        kind = pdf.xref_get_key(xref, "Subtype")[1].lstrip("/")
        match = BASEFONT.search(pdf.xref_object(xref, compressed=True) or "")
        raw = decode_name(match.group(1)) if match else ""
        try:
            _name, ext, _type, _ = pdf.extract_font(xref, info_only=True)
        except Exception:
            ext = "n/a"
        embedded = kind == "Type3" or ext not in ("n/a", "")
        raw = raw or self._descriptor_name(xref)
        name = strip_subset(raw) or f"unnamed {kind or 'font'} ({xref} 0 R)"
        return _Entry(xref, name, kind, embedded, bool(SUBSET_PREFIX.match(raw)))

    def _descriptor_name(self, xref: int) -> str:
        """A nameless font's `/FontDescriptor /FontName` (a Type 0 font's: its descendant's)."""
        key = "FontDescriptor/FontName"
        found = self.pdf.xref_get_key(xref, key)
        if found[0] != "name":
            descendants = XREF.findall(self.pdf.xref_get_key(xref, "DescendantFonts")[1])
            if descendants:
                found = self.pdf.xref_get_key(int(descendants[0]), key)
        return decode_name(found[1].lstrip("/")) if found[0] == "name" else ""

    def _dr(self) -> dict[str, int]:
        try:
            kind, value = self.pdf.xref_get_key(self.pdf.pdf_catalog(), "AcroForm/DR/Font")
        except Exception:
            return {}
        if kind == "xref":
            value = self.pdf.xref_object(int(value.split()[0]), compressed=True)
        return {name: int(xref) for name, xref in REFERENCE.findall(value or "")}

    def acroform(self) -> None:
        for xref in self.dr.values():
            self.font(xref, 0)

    # the pages

    def page(self, index: int, readable: bool, content: bytes | None = None) -> None:
        """Fonts listed on page `index` and, when `readable`, those its content draws;
        `content`: the page's own streams already decoded and joined (else decoded here)."""
        page = self.pdf.load_page(index)
        number = index + 1
        self.listed[index] = page.get_fonts(full=True)
        for xref, *_ in self.listed[index]:
            self.font(xref, number)
        if not readable:  # over its budget: its fonts are listed, their use is not known
            self.unknown.add(number)
            return
        owner = self._resources_owner(page.xref)
        self.crop = self._crop_box(page.xref)
        if content is None:
            content = b"\n".join(self._decode(xref, number) for xref in page.get_contents())
        self.run(content, owner, number, 0, TextSpace(), self.crop)
        for xref, *_ in page.annot_xrefs():
            self.annotation(xref, number)

    def _crop_box(self, xref: int) -> Box | None:
        """The visible page (crop box within media box) in default user space; None when the
        page does not say it readably (then all its text counts)."""
        media = _box(self._inherited_key(xref, "MediaBox"))
        crop = _box(self._inherited_key(xref, "CropBox")) or media
        if crop is None or media is None:
            return crop
        clipped = (max(crop[0], media[0]), max(crop[1], media[1]), min(crop[2], media[2]))
        return (*clipped, min(crop[3], media[3]))

    def _inherited_key(self, xref: int, key: str) -> str:
        found = self.pdf.xref_get_key(xref, key)
        if found[0] == "null":
            found = self._inherited(xref, key)
        if found[0] == "xref":
            return self.pdf.xref_object(int(found[1].split()[0]), compressed=True) or ""
        return found[1] if found[0] == "array" else ""

    def _resources_owner(self, xref: int) -> int:
        for _ in range(MAX_FONT_NESTING * 4):  # the page tree is shallow; a loop ends here
            if self.pdf.xref_get_key(xref, "Resources")[0] != "null":
                return xref
            kind, parent = self.pdf.xref_get_key(xref, "Parent")
            if kind != "xref":
                break
            xref = int(parent.split()[0])
        return 0

    def annotation(self, xref: int, number: int) -> None:
        get = self.pdf.xref_get_key
        flags = get(xref, "F")[1]
        visible = not (flags.isdigit() and int(flags) & (HIDDEN | NO_VIEW))
        rect = _box(get(xref, "Rect")[1])
        visible = visible and (rect is None or self.crop is None or overlaps(rect, self.crop))
        streams = self._appearances(xref)
        for stream in streams:
            owner = stream if get(stream, "Resources")[0] != "null" else 0
            shown = number if visible else 0
            self.run(self._decode(stream, shown), owner, shown, 1, TextSpace(), None)
            for _, font in REFERENCE.findall(self._font_dict(stream)):
                self.font(int(font), number)
        found = DA_FONT.search(_text(get(xref, "DA")) or _text(self._inherited(xref, "DA")))
        if found is None or found.group(1) not in self.dr:
            return
        entry = self.font(self.dr[found.group(1)], number)
        value = _text(get(xref, "V")) or _text(self._inherited(xref, "V"))
        shown = value or (get(xref, "Subtype")[1] == "/FreeText" and _text(get(xref, "Contents")))
        if entry and visible and not streams and shown.strip():
            entry.drawn.add(number)

    def _appearances(self, xref: int) -> list[int]:
        kind, value = self.pdf.xref_get_key(xref, "AP/N")
        if kind == "xref":
            return [int(value.split()[0])]
        if kind != "dict":
            return []
        state = self.pdf.xref_get_key(xref, "AS")[1].lstrip("/")
        states = {name: int(ref) for name, ref in REFERENCE.findall(value)}
        return [states[state]] if state in states else list(states.values())

    def _inherited(self, xref: int, key: str) -> tuple[str, str]:
        for _ in range(MAX_FONT_NESTING):
            kind, parent = self.pdf.xref_get_key(xref, "Parent")
            if kind != "xref":
                break
            xref = int(parent.split()[0])
            found = self.pdf.xref_get_key(xref, key)
            if found[0] != "null":
                return found
        return ("null", "null")

    def _font_dict(self, owner: int) -> str:
        kind, value = self.pdf.xref_get_key(owner, "Resources/Font")
        if kind == "xref":
            return self.pdf.xref_object(int(value.split()[0]), compressed=True) or ""
        return value if kind == "dict" else ""

    # the content streams

    def run(
        self, data: bytes, owner: int, page: int, depth: int, space: TextSpace, crop: Box | None
    ) -> None:
        """Walk a content stream whose resources are `owner`'s; `page` 0: not shown; text
        counts where it may reach `crop` (None: everywhere)."""
        font: _Entry | None = None
        mode = 0
        stack: list[tuple[_Entry | None, int]] = []
        for op, args in operators(data):
            self.operators += 1
            if self.operators > MAX_FONT_OPERATORS:
                raise _Budget
            space.place(op, args)
            if op == "Tf" and args and isinstance(args[0], str):
                font = self._resolve(owner, "Font", args[0], page)
            elif op == "Tr" and args and isinstance(args[-1], float):
                mode = int(args[-1])
            elif op == "q":
                stack.append((font, mode))
            elif op == "Q" and stack:
                font, mode = stack.pop()
            elif op in TEXT_SHOW and font and page and _shows(args):
                box = space.shown(args)
                if crop is None or overlaps(box, crop):
                    self._shown(font, mode, owner, page, depth)
            elif op == "Do" and args and isinstance(args[-1], str):
                self._form(owner, args[-1], page, depth + 1, space, crop)

    def _shown(self, font: _Entry, mode: int, owner: int, page: int, depth: int) -> None:
        if mode == 3:
            font.hidden = True
        elif page not in font.drawn:
            font.drawn.add(page)
            if font.kind == "Type3":
                self._glyphs(font.xref, owner, page, depth + 1)

    def _resolve(self, owner: int, category: str, name: str, page: int) -> Any:
        if not owner:
            return None
        key = (owner, category, name)
        if key not in self.resolved:  # a name is looked up once, however often it is used
            kind, value = self.pdf.xref_get_key(owner, f"Resources/{category}/{name}")
            self.resolved[key] = int(value.split()[0]) if kind == "xref" else None
        xref = self.resolved[key]
        if xref is None:
            return None
        return self.font(xref, page) if category == "Font" else xref

    def _form(
        self, owner: int, name: str, page: int, depth: int, space: TextSpace, crop: Box | None
    ) -> None:
        xref = self._resolve(owner, "XObject", name, page)
        if not xref or depth > MAX_FONT_NESTING:
            return
        if self.pdf.xref_get_key(xref, "Subtype")[1] != "/Form":
            return
        own = self.pdf.xref_get_key(xref, "Resources")[0] != "null"
        inner = space.form(matrix_of(_numbers(self.pdf.xref_get_key(xref, "Matrix")[1])))
        bbox = _box(self.pdf.xref_get_key(xref, "BBox")[1])
        where: object = "anywhere"
        if crop is not None and bbox is not None:
            drawn = transformed(bbox, inner.ctm)  # a form draws only inside its box
            if not overlaps(drawn, crop):
                return
            inside = crop[0] <= drawn[0] and crop[1] <= drawn[1]
            if inside and drawn[2] <= crop[2] and drawn[3] <= crop[3]:
                crop = None
            else:
                where = tuple(round(v) for v in inner.ctm)  # partly out: walk per placement
        self._walk_once(xref, xref if own else owner, page, depth, inner, crop, where)

    def _glyphs(self, font: int, owner: int, page: int, depth: int) -> None:
        if depth > MAX_FONT_NESTING:
            return
        kind, procs = self.pdf.xref_get_key(font, "CharProcs")
        if kind == "xref":
            procs = self.pdf.xref_object(int(procs.split()[0]), compressed=True)
        own = self.pdf.xref_get_key(font, "Resources")[0] != "null"
        for _, glyph in REFERENCE.findall(procs or "")[:MAX_TYPE3_GLYPHS]:
            # glyphs draw where the Type 3 text was shown, which counted as visible
            self._walk_once(int(glyph), font if own else owner, page, depth, TextSpace(), None)

    def _walk_once(
        self,
        xref: int,
        owner: int,
        page: int,
        depth: int,
        space: TextSpace,
        crop: Box | None,
        where: object = "anywhere",
    ) -> None:
        key = (xref, owner, page, where if crop is not None else "anywhere")
        if key in self.walked:
            return
        self.walked.add(key)
        self.run(self._decode(xref, page), owner, page, depth, space, crop)

    def _decode(self, xref: int, page: int) -> bytes:
        data = self.streams.decode(xref)
        if data is None and page:  # over max_content_stream: what it draws is not known
            self.unknown.add(page)
        return data or b""


def _shows(args: list) -> bool:
    return any(type(arg) is int and arg > 0 for arg in args)


def _numbers(text: str) -> list[float]:
    return [float(n) for n in NUMBER.findall(text or "")]


def _box(text: str) -> Box | None:
    """A rectangle array ("[x0 y0 x1 y1]") in either corner order; None if it is not one."""
    values = _numbers(text) if isinstance(text, str) else []
    if len(values) != 4:
        return None
    x0, y0, x1, y1 = values
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _text(found: tuple[str, str]) -> str:
    kind, value = found
    return value if kind == "string" else ""
