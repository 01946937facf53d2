"""Declared colours of a PDF page, read from its content stream.

PyMuPDF reports every text and vector colour as sRGB. Print profiles care about what was declared:
`0.9 0 1 0.2 k` (DeviceCMYK) or `/CS0 cs 1 scn` where CS0 is `[/Separation /PANTONE#20356#20C ...]`.
This module walks the content stream (and Form XObjects it draws) and lists, in drawing order, the
declared fill/stroke colour of every path-painting operator and the colour of every text-showing
operator. The reader pairs these with PyMuPDF's drawings and text trace, which come in the same
order. Bounded for hostile input: a byte and operator budget (`core.limits`: max_colour_stream,
max_colour_operators) and a nesting budget; anything odd gives up quietly (the reader then keeps
the sRGB values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from profilecheck.core.limits import DEFAULT_LIMITS, Limits
from profilecheck.core.model import Colour
from profilecheck.readers.pdf.content import TEXT_SHOW, operators, pdf_name

MAX_FORM_DEPTH = 4
MAX_GSTATE_DEPTH = 64

FILL_PAINT = {"f", "F", "f*"}
STROKE_PAINT = {"S", "s"}
BOTH_PAINT = {"B", "B*", "b", "b*"}
DEVICE = {"DeviceGray": "gray", "G": "gray", "DeviceRGB": "rgb", "RGB": "rgb"}
DEVICE |= {"DeviceCMYK": "cmyk", "CMYK": "cmyk", "CalGray": "gray", "CalRGB": "rgb"}


BLACK = Colour("gray", (0.0,))


class Budget(Exception):
    """The page is too large or too odd to parse within the limits."""


@dataclass(frozen=True)
class Space:
    kind: str  # gray, rgb, cmyk, separation, pattern, other
    name: str | None = None  # spot name(s) for separation / DeviceN


@dataclass
class PathPaint:
    kind: str  # as PyMuPDF's drawings say: "f" fill, "s" stroke, "fs" both
    fill: Colour | None
    stroke: Colour | None


@dataclass
class Declared:
    paths: list[PathPaint] = field(default_factory=list)
    texts: list[Colour | None] = field(default_factory=list)
    spots: set[str] = field(default_factory=set)


@dataclass
class _State:
    fill_space: Space = Space("gray")
    stroke_space: Space = Space("gray")
    fill: Colour | None = BLACK
    stroke: Colour | None = BLACK
    text_mode: int = 0

    def copy(self) -> _State:
        return _State(self.fill_space, self.stroke_space, self.fill, self.stroke, self.text_mode)


def declared_colours(pdf: Any, page: Any, limits: Limits = DEFAULT_LIMITS) -> Declared | None:
    """Declared colours of `page` (a PyMuPDF page); None when the stream cannot be parsed."""
    walker = _Walker(pdf, limits)
    try:
        walker.run(page.read_contents(), (page.xref, "Resources"), depth=0)
    except (Budget, RecursionError, ValueError, RuntimeError):
        return None
    return walker.out


class _Walker:
    def __init__(self, pdf: Any, limits: Limits) -> None:
        self.pdf = pdf
        self.limits = limits
        self.out = Declared()
        self.operators = 0
        self.bytes = 0
        self.spaces: dict[tuple[int, str], Space] = {}
        self.forms_seen: set[int] = set()

    def run(self, stream: bytes, resources: tuple[int, str], depth: int) -> None:
        self.bytes += len(stream)
        if self.bytes > self.limits.max_colour_stream:
            raise Budget("content too large")
        states = [_State()]
        for op, operands in operators(stream):
            self.operators += 1
            if self.operators > self.limits.max_colour_operators:
                raise Budget("too many operators")
            self._apply(op, operands, states, resources, depth)

    def _apply(self, op: str, args: list, states: list[_State], res: tuple, depth: int) -> None:
        state = states[-1]
        if op == "q":
            if len(states) < MAX_GSTATE_DEPTH:
                states.append(state.copy())
        elif op == "Q":
            if len(states) > 1:
                states.pop()
        elif op in ("g", "rg", "k", "G", "RG", "K"):
            kind = {"g": "gray", "rg": "rgb", "k": "cmyk"}[op.lower()]
            self._set(state, op.isupper(), Space(kind), args)
        elif op in ("cs", "CS"):
            space = self._space(res, args[-1]) if args and isinstance(args[-1], str) else None
            space = space or Space("other")
            self._set(state, op == "CS", space, _initial(space))
        elif op in ("sc", "scn", "SC", "SCN"):
            stroke = op.isupper()
            self._set(state, stroke, state.stroke_space if stroke else state.fill_space, args)
        elif op == "Tr" and args and isinstance(args[-1], float):
            state.text_mode = int(args[-1])
        elif op in TEXT_SHOW:
            self.out.texts.append(_text_colour(state))
        elif op in FILL_PAINT or op in STROKE_PAINT or op in BOTH_PAINT:
            fill = state.fill if op not in STROKE_PAINT else None
            stroke = state.stroke if op not in FILL_PAINT else None
            kind = "fs" if op in BOTH_PAINT else "s" if op in STROKE_PAINT else "f"
            self.out.paths.append(PathPaint(kind, fill, stroke))
        elif op == "Do" and args and isinstance(args[-1], str):
            self._form(res, args[-1], depth)

    def _set(self, state: _State, stroke: bool, space: Space, args: list) -> None:
        colour = _colour(space, [a for a in args if isinstance(a, float)])
        if colour is not None and colour.space == "separation" and colour.name:
            self.out.spots.add(colour.name)
        if stroke:
            state.stroke_space, state.stroke = space, colour
        else:
            state.fill_space, state.fill = space, colour

    def _space(self, res: tuple[int, str], name: str) -> Space | None:
        if name in DEVICE:
            return Space(DEVICE[name])
        if name == "Pattern":
            return Space("pattern")
        key = (res[0], name)
        if key not in self.spaces:
            self.spaces[key] = self._lookup_space(res, name)
        return self.spaces[key]

    def _lookup_space(self, res: tuple[int, str], name: str) -> Space:
        kind, value = self.pdf.xref_get_key(res[0], f"{res[1]}/ColorSpace/{name}")
        if kind == "xref":
            value = self.pdf.xref_object(int(value.split()[0]), compressed=True)
        elif kind == "name":
            return Space(DEVICE.get(value.lstrip("/"), "other"))
        return _parse_space(value)

    def _form(self, res: tuple[int, str], name: str, depth: int) -> None:
        if depth >= MAX_FORM_DEPTH:
            return
        kind, value = self.pdf.xref_get_key(res[0], f"{res[1]}/XObject/{name}")
        if kind != "xref":
            return
        xref = int(value.split()[0])
        if xref in self.forms_seen:
            return
        if self.pdf.xref_get_key(xref, "Subtype")[1] != "/Form":
            return
        self.forms_seen.add(xref)
        own = self.pdf.xref_get_key(xref, "Resources")[0] != "null"
        self.run(self.pdf.xref_stream(xref) or b"", (xref, "Resources") if own else res, depth + 1)


def _parse_space(text: str) -> Space:
    names = [pdf_name(n.encode("latin-1")) for n in re.findall(r"/([^\s/\[\]<>()]+)", text)]
    if not names:
        return Space("other")
    family = names[0]
    if family == "Separation" and len(names) > 1:
        return Space("separation", names[1])
    if family == "DeviceN":
        return Space("separation", "+".join(n for n in names[1:] if n not in DEVICE))
    if family == "ICCBased":
        return Space("icc")
    return Space(DEVICE.get(family, "other"))


def _initial(space: Space) -> list[float]:
    return {"gray": [0.0], "rgb": [0.0] * 3, "cmyk": [0.0, 0.0, 0.0, 1.0]}.get(space.kind, [1.0])


def _colour(space: Space, values: list[float]) -> Colour | None:
    values = [min(max(v, 0.0), 1.0) for v in values]
    sizes = {"gray": 1, "rgb": 3, "cmyk": 4}
    kind = space.kind
    if kind == "icc":  # calibrated: the component count says which family
        kind = {1: "gray", 3: "rgb", 4: "cmyk"}.get(len(values), "other")
    if kind in sizes and len(values) == sizes[kind]:
        return Colour(kind, tuple(values))
    if kind == "separation" and values and space.name not in (None, "All", "None"):
        return Colour("separation", tuple(values), name=space.name)
    return None


def _text_colour(state: _State) -> Colour | None:
    mode = state.text_mode % 8
    if mode in (3, 7):
        return None
    return state.stroke if mode in (1, 5) else state.fill


def paired_paths(declared: Declared | None, drawings: list[dict]) -> list[PathPaint] | None:
    """Declared colours for PyMuPDF's drawings, when both list the same painting operations."""
    if declared is None or len(declared.paths) != len(drawings):
        return None
    if any(p.kind != d.get("type") for p, d in zip(declared.paths, drawings, strict=False)):
        return None
    return declared.paths


def paired_texts(declared: Declared | None, trace: list[dict]) -> list[Colour | None] | None:
    """Declared colours for PyMuPDF's text trace, when both list the same text operations."""
    if declared is None or len(declared.texts) != len(trace):
        return None
    return declared.texts
