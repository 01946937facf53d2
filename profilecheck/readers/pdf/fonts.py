"""The fonts of a PDF by object (xref), and which of them draw visible text.

A page's fonts are those of its resources and the Form XObjects it draws, of its annotations'
normal appearances (`/AP /N`, FreeText and form fields included) and of the Type 3 glyph
procedures its Type 3 fonts draw with; the form's default resources (`/AcroForm /DR /Font`) are
listed too. A font is *used* when a content stream shows a non-empty string with it in a render
mode other than 3 (invisible), or when a form field or FreeText annotation without an appearance
stream has a value and names it in its `/DA`; one that shows text only in mode 3 is
`invisible` (an OCR layer's font). Text outside the crop box still counts as used.
Nesting is followed to `MAX_FONT_NESTING`, each object once (cycles end there), reading at most
`MAX_FONT_OPERATORS` operators per file; past that, fonts not yet seen drawing are "not known"
(`Font.used` None).

Names are decoded as the PDF spec says: `#xx` escapes are bytes, read as UTF-8 where valid, else
as Latin-1 (PDFDocEncoding's letters); subset prefixes (`ABCDEF+`) are removed.
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

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
BASEFONT = re.compile(r"/BaseFont\s*/([^\s/\[\]<>()%{}]*)")
ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")
REFERENCE = re.compile(r"/([^\s/\[\]<>()%{}]+)\s+(\d+)\s+\d+\s+R")
XREF = re.compile(r"(\d+)\s+\d+\s+R")
DA_FONT = re.compile(r"/([^\s/\[\]<>()%{}]+)\s+[-+\d.]+\s+Tf")
HIDDEN, NO_VIEW = 2, 32  # annotation flags


class _Budget(Exception):
    """Too many operators: stop learning which fonts are used."""


def decode_name(raw: str) -> str:
    """A PDF name as written (`Caf#E9`, `#E5#BE#AE...`) to text: UTF-8 where valid, else
    Latin-1; characters MuPDF already decoded are kept."""
    data = bytearray()
    position = 0
    for match in ESCAPE.finditer(raw):
        data += raw[position : match.start()].encode("utf-8", "surrogateescape")
        data.append(int(match.group(1), 16))
        position = match.end()
    data += raw[position:].encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def fix_mupdf_name(name: str) -> str:
    """MuPDF gives non-ASCII font names as UTF-8 bytes read as Latin-1 ("å¾®è½¯é..."): undo it."""
    if name.isascii():
        return name
    try:
        return name.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def strip_subset(name: str) -> str:
    return SUBSET_PREFIX.sub("", name)


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


def read_fonts(pdf: Any, guards: list[PageGuard], warnings: list[str]) -> list[Font]:
    """The fonts of the pages `guards` allow to read (each page's budget, `budget.PageGuard`);
    a page over its budget has its fonts listed, but which of them draw is not known."""
    walker = _Walker(pdf, guards[0].limits if guards else DEFAULT_LIMITS)
    for index, guard in enumerate(guards):
        try:
            walker.page(index, guard.allows("text"))
        except _Budget:
            walker.complete = False
            break
        except Exception as error:  # damaged (Unreadable, ...): its fonts are what MuPDF listed
            walker.complete = False
            warnings.append(f"page {index + 1}: could not list fonts ({error})")
    walker.acroform()
    return walker.result()


class _Walker:
    def __init__(self, pdf: Any, limits: Limits) -> None:
        self.pdf = pdf
        self.streams = _Counter(pdf, limits)  # decodes within max_content_stream
        self.fonts: dict[int, _Entry] = {}
        self.operators = 0
        self.walked: set[tuple[int, int, int]] = set()  # (stream, resources owner, page)
        self.complete = True
        self.dr = self._dr()

    def result(self) -> list[Font]:
        out = []
        for entry in self.fonts.values():
            used = bool(entry.drawn) or (None if not self.complete else False)
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
        name = strip_subset(raw) or (f"Type3 ({xref} 0 R)" if kind == "Type3" else "")
        name = name or f"font {xref} 0 R"
        return _Entry(xref, name, kind, embedded, bool(SUBSET_PREFIX.match(raw)))

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

    def page(self, index: int, readable: bool) -> None:
        page = self.pdf.load_page(index)
        number = index + 1
        for xref, *_ in page.get_fonts(full=True):
            self.font(xref, number)
        if not readable:  # over its budget: its fonts are listed, their use is not known
            self.complete = False
            return
        owner = self._resources_owner(page.xref)
        self.run(b"\n".join(self._decode(xref) for xref in page.get_contents()), owner, number, 0)
        for xref, *_ in page.annot_xrefs():
            self.annotation(xref, number)

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
        streams = self._appearances(xref)
        for stream in streams:
            owner = stream if get(stream, "Resources")[0] != "null" else 0
            self.run(self._decode(stream), owner, number if visible else 0, 1)
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

    def run(self, data: bytes, owner: int, page: int, depth: int) -> None:
        """Walk a content stream whose resources are `owner`'s; `page` 0: not shown."""
        font: _Entry | None = None
        mode = 0
        stack: list[tuple[_Entry | None, int]] = []
        for op, args in operators(data):
            self.operators += 1
            if self.operators > MAX_FONT_OPERATORS:
                raise _Budget
            if op == "Tf" and args and isinstance(args[0], str):
                font = self._resolve(owner, "Font", args[0], page)
            elif op == "Tr" and args and isinstance(args[-1], float):
                mode = int(args[-1])
            elif op == "q":
                stack.append((font, mode))
            elif op == "Q" and stack:
                font, mode = stack.pop()
            elif op in TEXT_SHOW and font and page and mode == 3 and _shows(args):
                font.hidden = True
            elif op in TEXT_SHOW and font and page and mode != 3 and _shows(args):
                if not font.drawn or page not in font.drawn:
                    font.drawn.add(page)
                    if font.kind == "Type3":
                        self._glyphs(font.xref, owner, page, depth + 1)
            elif op == "Do" and args and isinstance(args[-1], str):
                self._form(owner, args[-1], page, depth + 1)

    def _resolve(self, owner: int, category: str, name: str, page: int) -> Any:
        if not owner:
            return None
        kind, value = self.pdf.xref_get_key(owner, f"Resources/{category}/{name}")
        if kind != "xref":
            return None
        xref = int(value.split()[0])
        return self.font(xref, page) if category == "Font" else xref

    def _form(self, owner: int, name: str, page: int, depth: int) -> None:
        xref = self._resolve(owner, "XObject", name, page)
        if not xref or depth > MAX_FONT_NESTING:
            return
        if self.pdf.xref_get_key(xref, "Subtype")[1] != "/Form":
            return
        own = self.pdf.xref_get_key(xref, "Resources")[0] != "null"
        self._walk_once(xref, xref if own else owner, page, depth)

    def _glyphs(self, font: int, owner: int, page: int, depth: int) -> None:
        if depth > MAX_FONT_NESTING:
            return
        kind, procs = self.pdf.xref_get_key(font, "CharProcs")
        if kind == "xref":
            procs = self.pdf.xref_object(int(procs.split()[0]), compressed=True)
        own = self.pdf.xref_get_key(font, "Resources")[0] != "null"
        for _, glyph in REFERENCE.findall(procs or "")[:MAX_TYPE3_GLYPHS]:
            self._walk_once(int(glyph), font if own else owner, page, depth)

    def _walk_once(self, xref: int, owner: int, page: int, depth: int) -> None:
        key = (xref, owner, page)
        if key in self.walked:
            return
        self.walked.add(key)
        self.run(self._decode(xref), owner, page, depth)

    def _decode(self, xref: int) -> bytes:
        data = self.streams.decode(xref)
        if data is None:  # over max_content_stream: what it draws is not known
            self.complete = False
        return data or b""


def _shows(args: list) -> bool:
    return any(arg is True for arg in args)


def _text(found: tuple[str, str]) -> str:
    kind, value = found
    return value if kind == "string" else ""
