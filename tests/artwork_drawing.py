"""An independent drawing of Ales vapen, written for the tests from the blazon alone (nothing
copied from the bundled artwork): "I fält av silver en av en vågskura bildad stam, två gånger
vågskuredelad av blått och silver, samt däröver ett stolpvis ställt grönt spetsigt blad med två
flikar vid basen."

Drawn otherwise than rules/ale/artwork: a shield with a round base (not pointed) and other
proportions, three waves per line at another phase, a broad leaf with rounded lobes and no
veins, other shades. PyMuPDF ignores SVG clip paths, so the bands are clipped to the shield
here (Sutherland–Hodgman against the convex shield).
"""

from __future__ import annotations

import math
from pathlib import Path

WIDTH, HEIGHT = 200.0, 252.0
SIDE = 150.0  # the sides are straight down to here, then the base is half an ellipse
GREEN, BLUE, SILVER, OUTLINE = "#2C8F3F", "#1D63B8", "#FFFFFF", "#222222"


def _shield(inset: float = 0.0) -> list[tuple[float, float]]:
    """The shield's outline, convex, clockwise from the top left."""
    left, right, top = inset, WIDTH - inset, inset
    rx, ry = (right - left) / 2, HEIGHT - inset - SIDE
    points = [(left, top), (right, top), (right, SIDE)]
    for i in range(1, 48):
        t = math.pi * i / 48
        points.append((WIDTH / 2 + rx * math.cos(t), SIDE + ry * math.sin(t)))
    points.append((left, SIDE))
    return points


def _wave(y: float, waves: float, phase: float, amplitude: float) -> list[tuple[float, float]]:
    return [
        (x, y + amplitude * math.sin(2 * math.pi * (waves * x / WIDTH + phase)))
        for x in [-5 + 2.1 * i for i in range(101)]
    ]


def _clip(subject: list, clip: list) -> list:
    """Sutherland–Hodgman: `subject` inside the convex polygon `clip` (clockwise on screen)."""

    def inside(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def cross(p, q, a, b):
        x1, y1, x2, y2, x3, y3, x4, y4 = *p, *q, *a, *b
        d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d
        return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))

    output = subject
    for i in range(len(clip)):
        a, b = clip[i], clip[(i + 1) % len(clip)]
        points, output = output, []
        for j in range(len(points)):
            p, q = points[j], points[(j + 1) % len(points)]
            if inside(q, a, b):
                if not inside(p, a, b):
                    output.append(cross(p, q, a, b))
                output.append(q)
            elif inside(p, a, b):
                output.append(cross(p, q, a, b))
    return output


def _path(points: list) -> str:
    return "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in points) + " Z"


LEAF = (
    "M100,22 C112,48 128,78 126,112 C125,128 118,138 112,142 C122,140 132,146 130,154 "
    "C124,160 112,156 104,150 L103,166 L97,166 L96,150 C88,156 76,160 70,154 "
    "C68,146 78,140 88,142 C82,138 75,128 74,112 C72,78 88,48 100,22 Z"
)


def vapen_svg(
    tone: str = "colour", field: str = "opaque", leaf: str = GREEN, blank_leaf: bool = False
) -> str:
    """The vapen as SVG: `tone` colour, black or white; `field` opaque or transparent (the
    silver left out); `leaf` its colour in the colour version; `blank_leaf`: a one-colour
    version draws the leaf as an outline only (a metal charge left blank)."""
    ink = {"black": "#000000", "white": "#FFFFFF"}.get(tone)
    shield = _shield(2.0)
    waves = [_wave(y, 2.5, 0.15 + 0.1 * k, 6.0) for k, y in enumerate((176.0, 200.0, 224.0))]
    parts = []
    if tone == "colour" and field == "opaque":
        parts.append(f'<path d="{_path(shield)}" fill="{SILVER}"/>')
    for top, bottom in ((waves[0], waves[1]), (waves[2], [(x, 400.0) for x, _ in waves[2]])):
        band = _clip(top + bottom[::-1], shield)
        parts.append(f'<path d="{_path(band)}" fill="{ink or BLUE}"/>')
    if ink and blank_leaf:
        parts.append(f'<path d="{LEAF}" fill="none" stroke="{ink}" stroke-width="4"/>')
    else:
        parts.append(f'<path d="{LEAF}" fill="{ink or leaf}"/>')
    parts.append(f'<path d="{_path(shield)}" fill="none" stroke="{ink or OUTLINE}" '
                 'stroke-width="4"/>')  # fmt: skip
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:g}" height="{HEIGHT:g}" '
        f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}">\n{body}\n</svg>\n'
    )


def render_svg(svg: str, path: Path, height: int = 600) -> Path:
    """The SVG rendered to a PNG with alpha, `height` px tall."""
    import pymupdf

    source = pymupdf.open("svg", svg.encode())
    pdf = pymupdf.open("pdf", source.convert_to_pdf())
    page = pdf[0]
    zoom = height / page.rect.height
    page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=True).save(str(path))
    return path
