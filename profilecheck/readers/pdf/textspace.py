"""Where a content stream's text lands on the page, closely enough to tell whether it can be
inside the crop box.

The walk follows the graphics state's matrix (`cm`, `q`/`Q`, a Form XObject's `/Matrix`) and
the text state (`BT`, `Tm`, `Td`, `TD`, `T*`, `TL`, `Tf`, `Tz`, `Ts`). Glyph widths are not
read, so each shown string is given a generous extent: one em per byte (two-byte CID codes get
two), plus any `TJ` displacement, plus the advance of strings shown since the line began. The
doubt always leans towards "inside": text counted as used that is not costs a finding a person
can dismiss; text counted as unused that is would hide a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in default user space
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_STATE_DEPTH = 64


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: [x y 1] × m × n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def transformed(box: Box, m: Matrix) -> Box:
    x0, y0, x1, y1 = box
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


def overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def matrix_of(values: list[Any]) -> Matrix | None:
    numbers = [v for v in values if isinstance(v, float)]
    return tuple(numbers[-6:]) if len(numbers) >= 6 else None  # type: ignore[return-value]


@dataclass
class TextSpace:
    """The state of one content stream's walk: `place(op, args)` follows each operator;
    `shown(args)` is the box, in default user space, where a text-showing operator may draw."""

    ctm: Matrix = IDENTITY
    stack: list[tuple[Matrix, float, float, float, float]] = field(default_factory=list)
    line: Matrix = IDENTITY  # the text line matrix (Tlm)
    size: float = 0.0
    scale: float = 1.0  # Tz / 100
    leading: float = 0.0
    rise: float = 0.0
    advance: float = 0.0  # text-space width shown since the line began (an over-estimate)

    def place(self, op: str, args: list[Any]) -> None:
        numbers = [a for a in args if isinstance(a, float)]
        if op == "q" and len(self.stack) < MAX_STATE_DEPTH:
            self.stack.append((self.ctm, self.size, self.scale, self.leading, self.rise))
        elif op == "Q" and self.stack:
            self.ctm, self.size, self.scale, self.leading, self.rise = self.stack.pop()
        elif op == "cm" and (m := matrix_of(args)):
            self.ctm = multiply(m, self.ctm)
        elif op == "BT":
            self._line(IDENTITY)
        elif op == "Tm" and (m := matrix_of(args)):
            self._line(m)
        elif op in ("Td", "TD") and len(numbers) >= 2:
            if op == "TD":
                self.leading = -numbers[-1]
            self._line(multiply((1, 0, 0, 1, numbers[-2], numbers[-1]), self.line))
        elif op in ("T*", "'", '"'):
            self._line(multiply((1, 0, 0, 1, 0, -self.leading), self.line))
        elif op == "TL" and numbers:
            self.leading = numbers[-1]
        elif op == "Tf" and numbers:
            self.size = numbers[-1]
        elif op == "Tz" and numbers:
            self.scale = numbers[-1] / 100
        elif op == "Ts" and numbers:
            self.rise = numbers[-1]

    def shown(self, args: list[Any]) -> Box:
        """Where a Tj/TJ/'/" with these operands may draw; the line's advance grows by it."""
        size = abs(self.size) or 1.0
        length = sum(a for a in args if type(a) is int)
        shift = sum(abs(a) for a in args if isinstance(a, float)) / 1000 * size
        width = (length * size + shift) * abs(self.scale or 1.0)
        reach = abs(self.rise) + size
        box = (-size, -reach, self.advance + width + size, reach)
        self.advance += width
        return transformed(box, multiply(self.line, self.ctm))

    def form(self, matrix: Matrix | None) -> TextSpace:
        """The state a Form XObject starts with."""
        start = multiply(matrix, self.ctm) if matrix else self.ctm
        return TextSpace(ctm=start, size=self.size, scale=self.scale, leading=self.leading)

    def _line(self, matrix: Matrix) -> None:
        self.line = matrix
        self.advance = 0.0
