"""The PDF structure tree (tags), read through PyMuPDF's low-level xref API.

PyMuPDF has no structure-tree API, so this walks /StructTreeRoot object by object: each
structure element's source (`xref_object`) is parsed by a small PDF-syntax parser, so kids
written inline (direct dictionaries in a /K array) are seen as well as indirect ones. The walk
is bounded by a node count and never visits an object twice, so a looping or huge tree costs a
bounded amount of work. What it finds is a `facts.TreeWalk`, which the PDF reader hands out
lazily through `Metadata.structure`:

    figures    (Figure(page=3, alt="Ales vapen", type="Figure"), ...)  alt None if absent
    tags       {"P": 120, "H1": 2, "Figure": 4, ...}  after the /RoleMap
    elements   how many structure elements were visited
    truncated  True when the node limit stopped the walk
    error      why the tree could not be read (None when it could)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from profilecheck.core.facts import Figure, TreeWalk

MAX_NODES = 20_000
TOKEN = re.compile(
    rb"\s*(?:(<<|>>|\[|\]|\{|\})|(/[^\s/\[\]<>(){}%]*)|(\()|(<[0-9A-Fa-f\s]*>)"
    rb"|([^\s/\[\]<>(){}%]+)|(%[^\r\n]*))"
)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass(frozen=True, slots=True)
class Ref:
    xref: int


class Name(str):
    """A PDF name, without its slash."""


def parse_object(source: str) -> Any:
    """A PDF object's text (as `xref_object` gives it) as dict / list / Ref / Name / str / number."""
    items, _ = _array(source.encode("latin-1", "replace"), 0, depth=0)
    return items[0] if items else None


def _value(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > 64:
        raise ValueError("objects nested too deeply")
    match = TOKEN.match(data, pos)
    if not match or match.end() == pos:
        return None, len(data)
    pos = match.end()
    bracket, name, paren, hexstring, word, comment = match.groups()
    if comment:
        return _value(data, pos, depth)
    if name is not None:
        return Name(name[1:].decode("latin-1")), pos
    if paren:
        return _literal(data, pos)
    if hexstring is not None:
        digits = re.sub(rb"\s", b"", hexstring[1:-1]).decode()
        return _decode(bytes.fromhex(digits + "0" * (len(digits) % 2))), pos
    if bracket == b"<<":
        return _dictionary(data, pos, depth)
    if bracket == b"[":
        return _array(data, pos, depth)
    if bracket:
        return _Close(bracket), pos
    return _word(word), pos


class _Close(bytes):
    pass


def _word(word: bytes) -> Any:
    text = word.decode("latin-1")
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return Name(text)


def _array(data: bytes, pos: int, depth: int) -> tuple[list, int]:
    items: list[Any] = []
    while pos < len(data):
        value, pos = _value(data, pos, depth + 1)
        if isinstance(value, _Close):
            break
        if (
            isinstance(value, Name)
            and value == "R"
            and len(items) >= 2
            and _is_int(items[-1])
            and _is_int(items[-2])
        ):
            items[-2:] = [Ref(items[-2])]
            continue
        items.append(value)
    return items, pos


def _dictionary(data: bytes, pos: int, depth: int) -> tuple[dict, int]:
    items, pos = _array(data, pos, depth)  # a dictionary's body parses like an array
    result = {}
    for key, value in zip(items[::2], items[1::2], strict=False):
        if isinstance(key, Name):
            result[str(key)] = value
    return result, pos


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _literal(data: bytes, pos: int) -> tuple[str, int]:
    out, level = bytearray(), 1
    while pos < len(data):
        char = data[pos : pos + 1]
        pos += 1
        if char == b"\\":
            escaped = data[pos : pos + 1]
            octal = re.match(rb"[0-7]{1,3}", data[pos : pos + 3])
            if octal:
                out.append(int(octal.group(), 8) & 255)
                pos += octal.end()
                continue
            out += ESCAPES.get(escaped, escaped if escaped not in b"\r\n" else b"")
            pos += 1
            continue
        if char == b"(":
            level += 1
        elif char == b")":
            level -= 1
            if not level:
                break
        out += char
    return _decode(bytes(out)), pos


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


class _Walk:
    def __init__(self, pdf: Any, max_nodes: int) -> None:
        self.pdf = pdf
        self.max_nodes = max_nodes
        self.visited: set[int] = set()
        self.nodes = 0
        self.truncated = False
        self.tags: Counter[str] = Counter()
        self.figures: list[Figure] = []
        self.role_map: dict[str, str] = {}
        self.pages = {pdf.page_xref(i): i + 1 for i in range(pdf.page_count)}

    def resolve(self, value: Any) -> Any:
        if not isinstance(value, Ref):
            return value
        if value.xref in self.visited or not 0 < value.xref < self.pdf.xref_length():
            return None
        self.visited.add(value.xref)
        return parse_object(self.pdf.xref_object(value.xref, compressed=True))

    def page_of(self, element: dict, inherited: int | None) -> int | None:
        page = element.get("Pg")
        if isinstance(page, Ref) and page.xref in self.pages:
            return self.pages[page.xref]
        for kid in self.kids(element):
            if isinstance(kid, dict) and isinstance(kid.get("Pg"), Ref):
                return self.pages.get(kid["Pg"].xref, inherited)
        return inherited

    @staticmethod
    def kids(element: dict) -> Iterator[Any]:
        kids = element.get("K")
        yield from kids if isinstance(kids, list) else ([] if kids is None else [kids])

    def standard_type(self, kind: str) -> str:
        seen = {kind}
        while kind in self.role_map and self.role_map[kind] not in seen:
            kind = self.role_map[kind]
            seen.add(kind)
        return kind

    def run(self, root: dict) -> None:
        role_map = self.resolve(root.get("RoleMap"))
        if isinstance(role_map, dict):
            self.role_map = {k: str(v) for k, v in role_map.items() if isinstance(v, Name)}
        stack: list[tuple[Any, int | None]] = [(kid, None) for kid in self.kids(root)]
        while stack:
            if self.nodes >= self.max_nodes:
                self.truncated = True
                return
            value, inherited = stack.pop()
            element = self.resolve(value)
            if not isinstance(element, dict) or not isinstance(element.get("S"), Name):
                continue  # marked-content ids, MCR/OBJR references, broken objects
            self.nodes += 1
            page = self.page_of(element, inherited)
            self.visit(element, page)
            stack.extend((kid, page) for kid in reversed(list(self.kids(element))))

    def visit(self, element: dict, page: int | None) -> None:
        kind = self.standard_type(str(element["S"]))
        self.tags[kind] += 1
        if kind == "Figure":
            alt = element.get("Alt") or element.get("ActualText")
            alt = alt.strip(" \t\r\n\x00") if isinstance(alt, str) else None
            self.figures.append(Figure(page=page, alt=alt or None, type=str(element["S"])))


def read_structure(pdf: Any, max_nodes: int = MAX_NODES) -> TreeWalk:
    """Figures and tag counts of the structure tree; empty when there is none."""
    try:
        kind, value = pdf.xref_get_key(pdf.pdf_catalog(), "StructTreeRoot")
        walk = _Walk(pdf, max_nodes)
        root = parse_object(value) if kind == "dict" else walk.resolve(parse_object(value))
        if not isinstance(root, dict):
            return TreeWalk()
        walk.run(root)
    except Exception as error:  # a damaged tree is reported as unreadable tags, never raised
        return TreeWalk(error=str(error))
    return TreeWalk(
        figures=tuple(walk.figures),
        tags=MappingProxyType(dict(walk.tags)),
        elements=walk.nodes,
        truncated=walk.truncated,
    )
