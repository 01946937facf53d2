"""Draw the benchmark artwork sets of benchmarks/artwork/ from the blazons, by our own code.

    python benchmarks/draw_artwork.py            # rewrites benchmarks/artwork/*/source/

Four sets, each with the vapen and a horizontal logotype in colour, one colour (black) and
white, delivered the way official files arrive (see each set's README.md):

* ale-b, ale-c: two renditions of Ales vapen that differ on purpose from rules/ale/artwork
  (shield shape and proportions, wave count, phase and amplitude, leaf outline, shades);
* stenungsund, eda: two other municipalities' arms, drawn from their registered blazons.

Nothing here is copied from any existing artwork: every outline is computed below. The names
are DejaVu glyph outlines (DejaVu licence), taken from the installed fonts through PyMuPDF and
written out as plain paths, so no SVG <text> is involved. `manifest.json` beside each source
folder records what every file is (version, layout, tone, background) and where its shield is,
in the file's own units: the ground truth, and what a by-hand import uses when
`profilecheck profile artwork` is not there.
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

HERE = Path(__file__).resolve().parent / "artwork"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SILVER = "#FFFFFF"


def fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def poly(points: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{fmt(x)},{fmt(y)}" for x, y in points) + "Z"


# --- shields ----------------------------------------------------------------------------------


@dataclass
class Shield:
    """A shield w × h whose sides run straight down to `straight` × h, then `base` to the foot:
    "point" (two curves meeting in a point), "round" (a half-ellipse) or "ogee"."""

    w: float
    h: float
    straight: float
    base: str

    def bottom(self, x: float) -> float:
        """The lowest y of the shield at column x (0 ≤ x ≤ w)."""
        s = self.straight * self.h
        u = abs(x - self.w / 2) / (self.w / 2)  # 0 at the centre, 1 at the sides
        depth = self.h - s
        if self.base == "round":
            return s + depth * math.sqrt(max(0.0, 1 - u * u))
        if self.base == "point":
            return s + depth * (1 - u) ** 0.8 * (1 + 0.35 * u)
        return s + depth * (1 - u**1.6) ** 1.3  # "ogee": fuller, rounder foot

    def outline(self, inset: float = 0.0, steps: int = 120) -> list[tuple[float, float]]:
        """The outline as a closed polygon, `inset` units inside the edge."""
        points = [(inset, inset), (self.w - inset, inset)]
        for k in range(steps + 1):
            x = self.w - inset - (self.w - 2 * inset) * k / steps
            points.append((x, self.bottom(x) - inset))
        return points

    def below(self, wave, steps: int = 220) -> list[tuple[float, float]]:
        """The part of the shield below the curve y = wave(x), as a polygon."""
        xs = [self.w * k / steps for k in range(steps + 1)]
        top = [(x, min(wave(x), self.bottom(x))) for x in xs]
        foot = [(x, self.bottom(x)) for x in reversed(xs)]
        return top + foot


def wave_line(y0: float, amplitude: float, periods: float, phase: float, width: float):
    return lambda x: y0 + amplitude * math.sin(2 * math.pi * (periods * x / width + phase))


# --- lettering ----------------------------------------------------------------------------------


_TOKEN = re.compile(r"[MLCVHZmlcvhz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE]-?\d+)?")


def _glyph_commands(d: str) -> list[tuple[str, list[tuple[float, float]]]]:
    """A glyph outline (absolute M, L, C, H, V, Z as MuPDF writes them) as (command, points)."""
    parts, command, numbers = [], "", []
    for token in [*_TOKEN.findall(d), "Z"]:
        if token in "MLCVHZmlcvhz":
            if command:
                parts.append((command, numbers))
            command, numbers = token, []
        else:
            numbers.append(float(token))
    out: list[tuple[str, list[tuple[float, float]]]] = []
    x = y = 0.0
    for command, numbers in parts:
        if command == "M" or command == "L":
            for i in range(0, len(numbers), 2):
                x, y = numbers[i], numbers[i + 1]
                out.append(("M" if command == "M" and i == 0 else "L", [(x, y)]))
        elif command == "C":
            for i in range(0, len(numbers), 6):
                points = [(numbers[i + k], numbers[i + k + 1]) for k in (0, 2, 4)]
                x, y = points[-1]
                out.append(("C", points))
        elif command == "H":
            for x in numbers:
                out.append(("L", [(x, y)]))
        elif command == "V":
            for y in numbers:
                out.append(("L", [(x, y)]))
        else:
            out.append(("Z", []))
    return out


def _outlines(text: str, face: Path) -> list[tuple[str, list[tuple[float, float]]]]:
    """`text` set at 100 pt on a baseline at y = 150 of a PDF page, as outline commands."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=3000, height=200)
        page.insert_text((0, 150), text, fontfile=str(face), fontname="f", fontsize=100)
        svg = page.get_svg_image(text_as_path=True)
    glyphs = dict(re.findall(r'<path id="([^"]+)" d="([^"]*)"', svg))
    commands = []
    for ref, matrix in re.findall(r'xlink:href="#([^"]+)" transform="matrix\(([^)]*)\)"', svg):
        a, _b, _c, d, e, f = (float(v) for v in matrix.split(","))
        for command, points in _glyph_commands(glyphs[ref]):
            commands.append((command, [(a * px + e, d * py + f) for px, py in points]))
    return commands


def lettering(text: str, font: str, cap: float, x0: float, baseline: float) -> tuple[str, float]:
    """`text` as one path of glyph outlines, capitals `cap` high, starting at x0 on `baseline`;
    returns the path data and the right edge."""
    face = FONTS / font
    cap_top = min(y for _c, pts in _outlines("H", face) for _x, y in pts)
    scale = cap / (150 - cap_top)
    commands = _outlines(text, face)
    left = min(x for _c, pts in commands for x, _y in pts)
    parts, right = [], x0
    for command, points in commands:
        coords = []
        for px, py in points:
            x, y = x0 + (px - left) * scale, baseline + (py - 150) * scale
            right = max(right, x)
            coords.append(f"{fmt(x)},{fmt(y)}")
        parts.append(command + " ".join(coords))
    return "".join(parts), right


# --- the arms -------------------------------------------------------------------------------------


def ale_leaf_b(cx: float, top: float, bottom: float, half: float) -> str:
    """A broad, plain leaf: ovate, pointed, two rounded lobes at its base, a short stem."""
    h = bottom - top
    base = top + 0.80 * h
    return (
        f"M{fmt(cx)},{fmt(top)}"
        f"C{fmt(cx + 0.35 * half)},{fmt(top + 0.18 * h)} {fmt(cx + half)},{fmt(top + 0.35 * h)} "
        f"{fmt(cx + half)},{fmt(top + 0.56 * h)}"
        f"C{fmt(cx + half)},{fmt(top + 0.70 * h)} {fmt(cx + 0.55 * half)},{fmt(base - 0.02 * h)} "
        f"{fmt(cx + 0.30 * half)},{fmt(base)}"
        # right lobe, a rounded ear
        f"C{fmt(cx + 0.75 * half)},{fmt(base + 0.01 * h)} {fmt(cx + 0.70 * half)},{fmt(base + 0.09 * h)} "
        f"{fmt(cx + 0.08 * half)},{fmt(base + 0.06 * h)}"
        f"L{fmt(cx + 0.06 * half)},{fmt(bottom)}L{fmt(cx - 0.06 * half)},{fmt(bottom)}"
        f"L{fmt(cx - 0.08 * half)},{fmt(base + 0.06 * h)}"
        f"C{fmt(cx - 0.70 * half)},{fmt(base + 0.09 * h)} {fmt(cx - 0.75 * half)},{fmt(base + 0.01 * h)} "
        f"{fmt(cx - 0.30 * half)},{fmt(base)}"
        f"C{fmt(cx - 0.55 * half)},{fmt(base - 0.02 * h)} {fmt(cx - half)},{fmt(top + 0.70 * h)} "
        f"{fmt(cx - half)},{fmt(top + 0.56 * h)}"
        f"C{fmt(cx - half)},{fmt(top + 0.35 * h)} {fmt(cx - 0.35 * half)},{fmt(top + 0.18 * h)} "
        f"{fmt(cx)},{fmt(top)}Z"
    )


def ale_leaf_c(cx: float, top: float, bottom: float, half: float) -> tuple[str, str]:
    """A narrow lanceolate leaf with pointed, down-turned lobes and a long stem; and its midrib
    and three pairs of veins as strokes (drawn in the field's tincture, not holes)."""
    h = bottom - top
    base = top + 0.72 * h
    leaf = (
        f"M{fmt(cx)},{fmt(top)}"
        f"C{fmt(cx + 0.55 * half)},{fmt(top + 0.20 * h)} {fmt(cx + 1.05 * half)},{fmt(top + 0.42 * h)} "
        f"{fmt(cx + 0.85 * half)},{fmt(top + 0.60 * h)}"
        f"C{fmt(cx + 0.70 * half)},{fmt(base - 0.04 * h)} {fmt(cx + 0.35 * half)},{fmt(base - 0.02 * h)} "
        f"{fmt(cx + 0.25 * half)},{fmt(base)}"
        f"L{fmt(cx + 0.80 * half)},{fmt(base + 0.10 * h)}"  # right lobe: a pointed flap
        f"L{fmt(cx + 0.07 * half)},{fmt(base + 0.05 * h)}"
        f"L{fmt(cx + 0.05 * half)},{fmt(bottom)}L{fmt(cx - 0.05 * half)},{fmt(bottom)}"
        f"L{fmt(cx - 0.07 * half)},{fmt(base + 0.05 * h)}"
        f"L{fmt(cx - 0.80 * half)},{fmt(base + 0.10 * h)}"
        f"L{fmt(cx - 0.25 * half)},{fmt(base)}"
        f"C{fmt(cx - 0.35 * half)},{fmt(base - 0.02 * h)} {fmt(cx - 0.70 * half)},{fmt(base - 0.04 * h)} "
        f"{fmt(cx - 0.85 * half)},{fmt(top + 0.60 * h)}"
        f"C{fmt(cx - 1.05 * half)},{fmt(top + 0.42 * h)} {fmt(cx - 0.55 * half)},{fmt(top + 0.20 * h)} "
        f"{fmt(cx)},{fmt(top)}Z"
    )
    veins = [f"M{fmt(cx)},{fmt(top + 0.10 * h)}L{fmt(cx)},{fmt(base - 0.01 * h)}"]
    for k, t in enumerate((0.30, 0.45, 0.58)):
        y = top + t * h
        reach = half * (0.45 + 0.12 * k)
        veins.append(f"M{fmt(cx)},{fmt(y + 0.08 * h)}L{fmt(cx + reach)},{fmt(y)}")
        veins.append(f"M{fmt(cx)},{fmt(y + 0.08 * h)}L{fmt(cx - reach)},{fmt(y)}")
    return leaf, "".join(veins)


@dataclass
class Tinctures:
    green: str = "#000000"
    blue: str = "#000000"
    red: str = "#000000"
    black: str = "#000000"
    silver: str | None = SILVER  # None: left blank (transparent)
    outline: str = "#000000"
    text: str = "#000000"


def tinctures(tone: str, colours: dict[str, str]) -> Tinctures:
    if tone == "colour":
        return Tinctures(**colours)
    ink = "#000000" if tone == "black" else "#FFFFFF"
    # one colour: every colour in the ink, metal (silver) left blank; the white version is the
    # same with white ink, for dark backgrounds
    return Tinctures(ink, ink, ink, ink, None, ink, ink)


def ale_b(t: Tinctures) -> tuple[str, Shield]:
    """Ale, rendition B: a round-based shield 220 × 242, base from 58 % of the height, three
    wave periods (phase a quarter), leaf broad and plain, thin outline."""
    s = Shield(220, 242, 0.50, "round")
    parts = []
    if t.silver:
        parts.append(f'<path d="{poly(s.outline())}" fill="{t.silver}"/>')
    w1 = wave_line(0.585 * s.h, 6.5, 3, 0.25, s.w)
    w2 = wave_line(0.695 * s.h, 6.5, 3, 0.25, s.w)
    w3 = wave_line(0.805 * s.h, 6.5, 3, 0.25, s.w)
    parts.append(f'<path d="{poly(s.below(w1))}" fill="{t.blue}"/>')
    silver_band = s.below(w2)
    parts.append(f'<path d="{poly(silver_band)}" fill="{t.silver or "none"}"/>')
    if not t.silver:  # blank silver band: cut it out of the blue by drawing the lower blue alone
        parts[-2] = (
            f'<path d="{poly(s.below(w1))}{poly(s.below(w2))}" fill="{t.blue}" '
            'fill-rule="evenodd"/>'
        )
        parts.pop()
    parts.append(f'<path d="{poly(s.below(w3))}" fill="{t.blue}"/>')
    parts.append(f'<path d="{ale_leaf_b(s.w / 2, 14, 0.60 * s.h, 46)}" fill="{t.green}"/>')
    parts.append(
        f'<path d="{poly(s.outline(0.9))}" fill="none" stroke="{t.outline}" stroke-width="1.8"/>'
    )
    return "\n".join(parts), s


def ale_c(t: Tinctures, clip_id: str = "skold") -> tuple[str, Shield]:
    """Ale, rendition C: a narrow pointed shield 180 × 234, base from 64 % of the height, six
    shallow wave periods in the other phase, a lanceolate leaf with stroked veins; the tinctures
    are clipped to the shield by a clip-path, the outline is heavy."""
    s = Shield(180, 234, 0.46, "point")
    top_band, mid_band, low_band = 0.64 * s.h, 0.74 * s.h, 0.84 * s.h

    def band(y0: float) -> str:
        w = wave_line(y0, 3.2, 6, 0.5, s.w)
        xs = [s.w * k / 180 for k in range(181)]
        pts = [(-10, y0), *[(x, w(x)) for x in xs], (s.w + 10, y0), (s.w + 10, s.h + 10)]
        return poly([*pts, (-10, s.h + 10)])

    parts = [f'<defs><clipPath id="{clip_id}"><path d="{poly(s.outline())}"/></clipPath></defs>']
    inner = []
    if t.silver:
        inner.append(
            f'<rect x="-10" y="-10" width="{s.w + 20}" height="{s.h + 20}" fill="{t.silver}"/>'
        )
    inner.append(f'<path d="{band(top_band)}" fill="{t.blue}"/>')
    if t.silver:
        inner.append(f'<path d="{band(mid_band)}" fill="{t.silver}"/>')
    else:
        inner[-1] = (
            f'<path d="{band(top_band)}{band(mid_band)}" fill="{t.blue}" fill-rule="evenodd"/>'
        )
    inner.append(f'<path d="{band(low_band)}" fill="{t.blue}"/>')
    leaf, veins = ale_leaf_c(s.w / 2, 18, 0.66 * s.h, 40)
    inner.append(f'<path d="{leaf}" fill="{t.green}"/>')
    if t.silver or t.green == "#000000":
        inner.append(
            f'<path d="{veins}" fill="none" stroke="{t.silver or "#FFFFFF"}" stroke-width="2.2" '
            'stroke-linecap="round"/>'
        )
    parts.append(f'<g clip-path="url(#{clip_id})">' + "".join(inner) + "</g>")
    parts.append(
        f'<path d="{poly(s.outline(2.5))}" fill="none" stroke="{t.outline}" stroke-width="5" '
        'stroke-linejoin="round"/>'
    )
    return "\n".join(parts), s


def stenungsund(t: Tinctures) -> tuple[str, Shield]:
    """Stenungsund: "I sköld av silver över en av vågskura bildad blå stam tre bjälkvis ställda
    genom svarta strängar förenade svarta rundlar, var och en ovan och nedan genom svarta
    strängar förenade med en röd mindre rundel." Shield 200 × 230, ogee foot."""
    s = Shield(200, 230, 0.55, "ogee")
    parts = []
    if t.silver:
        parts.append(f'<path d="{poly(s.outline())}" fill="{t.silver}"/>')
    parts.append(
        f'<path d="{poly(s.below(wave_line(0.72 * s.h, 7, 2.5, 0.0, s.w)))}" fill="{t.blue}"/>'
    )
    y = 0.38 * s.h
    xs = (45, 100, 155)
    strings = [f"M{xs[0]},{fmt(y)}L{xs[2]},{fmt(y)}"]
    for x in xs:
        strings.append(f"M{x},{fmt(y - 48)}L{x},{fmt(y + 48)}")
    parts.append(f'<path d="{"".join(strings)}" stroke="{t.black}" stroke-width="5" fill="none"/>')
    for x in xs:
        parts.append(f'<circle cx="{x}" cy="{fmt(y)}" r="17" fill="{t.black}"/>')
        for dy in (-50, 50):
            parts.append(f'<circle cx="{x}" cy="{fmt(y + dy)}" r="10" fill="{t.red}"/>')
    parts.append(
        f'<path d="{poly(s.outline(1.5))}" fill="none" stroke="{t.outline}" stroke-width="3"/>'
    )
    return "\n".join(parts), s


def eda(t: Tinctures, clip_id: str = "eda-skold", white: bool = False) -> tuple[str, Shield]:
    """Eda: "I blått fält en av en vågskura bildad stam och däröver en 5-uddig skans, allt av
    silver." Shield 210 × 240, pointed foot. The fort is a five-pointed bastioned star with a
    blue courtyard; in the one-colour versions the silver charges are left blank."""
    s = Shield(210, 240, 0.58, "point")
    cx, cy, outer, inner_r = s.w / 2, 0.40 * s.h, 62, 40
    star = []
    for k in range(10):
        angle = -math.pi / 2 + k * math.pi / 5
        r = outer if k % 2 == 0 else inner_r
        star.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    yard = [
        (
            cx + 20 * math.cos(-math.pi / 2 + k * 2 * math.pi / 5),
            cy + 20 * math.sin(-math.pi / 2 + k * 2 * math.pi / 5),
        )
        for k in range(5)
    ]
    base = (
        "M-10,300"
        + "".join(
            f"L{fmt(x)},{fmt(0.76 * s.h + 6 * math.sin(2 * math.pi * (2 * x / s.w + 0.25)))}"
            for x in [s.w * k / 120 - 0 for k in range(121)]
        )
        + "L220,300Z"
    )
    field = t.blue if not white else "#FFFFFF"
    parts = [f'<defs><clipPath id="{clip_id}"><path d="{poly(s.outline())}"/></clipPath></defs>']
    charges = f"{poly(star)}{poly(yard)}"
    if t.silver:  # colour: blue field, silver charges
        inner = (
            f'<rect x="-5" y="-5" width="220" height="250" fill="{field}"/>'
            f'<path d="{base}" fill="{t.silver}"/>'
            f'<path d="{charges}" fill="{t.silver}" fill-rule="evenodd"/>'
        )
    else:  # one colour: the field in ink with the silver charges cut out (left blank)
        inner = f'<path d="M-5,-5L215,-5L215,245L-5,245Z{base}{charges}" fill="{field}" fill-rule="evenodd"/>'
    parts.append(f'<g clip-path="url(#{clip_id})">{inner}</g>')
    parts.append(
        f'<path d="{poly(s.outline(1.5))}" fill="none" stroke="{t.outline}" stroke-width="3"/>'
    )
    return "\n".join(parts), s


# --- files ------------------------------------------------------------------------------------


def svg_file(body: str, width: float, height: float, view_box: str | None, title: str) -> str:
    box = f' viewBox="{view_box}"' if view_box else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{fmt(width)}" '
        f'height="{fmt(height)}"{box}>\n<title>{title}</title>\n{body}\n</svg>\n'
    )


def logotype(
    vapen: str,
    shield: Shield,
    name: str,
    colour: str,
    font: str,
    cap: float,
    gap: float,
    lines: int,
) -> tuple[str, float, float]:
    """The vapen at the left and `name` beside it, centred on the shield; returns body, w, h."""
    x0 = shield.w + gap
    if lines == 1:
        path, right = lettering(name, font, cap, x0, shield.h / 2 + cap / 2)
    else:
        first, second = name.split(" ", 1)
        leading = cap * 1.45
        top = shield.h / 2 - (cap + leading) / 2
        p1, r1 = lettering(first, font, cap, x0, top + cap)
        p2, r2 = lettering(second, font, cap, x0, top + cap + leading)
        path, right = p1 + p2, max(r1, r2)
    body = f'<g id="vapen">\n{vapen}\n</g>\n<path id="namn" d="{path}" fill="{colour}"/>'
    return body, right + 1, shield.h


def render(svg_text: str, scale: float, mask_text: str | None = None) -> Image.Image:
    """`svg_text` rendered by PyMuPDF at `scale` px per unit. MuPDF ignores clip paths: where
    the drawing has one, `mask_text` (the same frame with the clip shape filled) is rendered too
    and the alpha limited to it, so our own PNGs show what the SVG means."""
    with pymupdf.open(stream=svg_text.encode(), filetype="svg") as doc:
        pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=True)
        image = Image.open(io.BytesIO(pix.tobytes("png"))).convert("RGBA")
    if mask_text is not None:
        with pymupdf.open(stream=mask_text.encode(), filetype="svg") as doc:
            pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=True)
            mask = Image.open(io.BytesIO(pix.tobytes("png"))).convert("RGBA").getchannel("A")
        alpha = np.minimum(np.asarray(image.getchannel("A")), np.asarray(mask))
        image.putalpha(Image.fromarray(alpha))
    return image


def render_png(
    svg_text: str, scale: float, margin: float, out: Path, mask_text: str | None = None
) -> tuple[float, float]:
    """Render `svg_text` at `scale` px per unit, padded by `margin` × its size of transparent
    pixels on every side; returns the padding (px) added on the left and top."""
    image = render(svg_text, scale, mask_text)
    pad_x, pad_y = round(image.width * margin), round(image.height * margin)
    canvas = Image.new("RGBA", (image.width + 2 * pad_x, image.height + 2 * pad_y), (0, 0, 0, 0))
    canvas.paste(image, (pad_x, pad_y))
    canvas.save(out, optimize=True)
    return pad_x, pad_y


SETS = {
    "ale-b": {
        "name": "Ale kommun",
        "draw": ale_b,
        "colours": {"green": "#4C9A2A", "blue": "#1D4F91", "outline": "#333333", "text": "#1D4F91"},
        "font": "DejaVuSerif-Bold.ttf",
        "cap": 0.27,
        "gap": 0.30,
        "lines": 1,
        "readme": (
            "Ales vapen, rendition B, drawn by benchmarks/draw_artwork.py from the blazon. "
            "Deliberately unlike rules/ale/artwork: a round-based shield 220 × 242 (ours: pointed, "
            "200 × 240), the base from 58 % of the height with three wave periods a quarter out "
            "of phase and a larger amplitude, a broad plain leaf without veins and with rounded "
            "lobes, lighter green #4C9A2A and darker blue #1D4F91, a 1.8-unit outline, the name "
            "in DejaVu Serif Bold in blue. Delivered as SVG with width/height and NO viewBox, "
            "except the colour vapen: a PNG with a 12 % transparent margin."
        ),
    },
    "ale-c": {
        "name": "Ale kommun",
        "draw": ale_c,
        "colours": {"green": "#006B3F", "blue": "#0072CE", "outline": "#000000", "text": "#000000"},
        "font": "DejaVuSansCondensed-Bold.ttf",
        "cap": 0.20,
        "gap": 0.18,
        "lines": 2,
        "readme": (
            "Ales vapen, rendition C, drawn by benchmarks/draw_artwork.py from the blazon. "
            "Deliberately unlike rules/ale/artwork: a narrow pointed shield 180 × 234, the base "
            "from 64 % of the height with six shallow wave periods in the opposite phase, a "
            "lanceolate leaf with pointed down-turned lobes, a long stem and veins drawn as "
            "silver strokes (not holes), dark green #006B3F and bright blue #0072CE, a heavy "
            "5-unit outline, the name on TWO lines in DejaVu Sans Condensed Bold. Delivered with "
            "clip-paths (the tinctures clipped to the shield) and a viewBox with a margin; the "
            "colour vapen has its silver FIELD LEFT TRANSPARENT; the white vapen is a PNG with "
            "an 8 % transparent margin."
        ),
    },
    "stenungsund": {
        "name": "Stenungsunds kommun",
        "draw": stenungsund,
        "colours": {
            "blue": "#005B99",
            "red": "#D2232A",
            "black": "#1A1A1A",
            "outline": "#1A1A1A",
            "text": "#1A1A1A",
        },
        "font": "DejaVuSans-Bold.ttf",
        "cap": 0.22,
        "gap": 0.25,
        "lines": 1,
        "readme": (
            "Stenungsunds vapen, drawn by benchmarks/draw_artwork.py from the registered blazon "
            '("I sköld av silver över en av vågskura bildad blå stam tre bjälkvis ställda genom '
            "svarta strängar förenade svarta rundlar, var och en ovan och nedan genom svarta "
            'strängar förenade med en röd mindre rundel."). A silver shield with an ogee foot, '
            "a blue wavy base (a wavy base like Ale's: a near miss for the Ale profile) and "
            "circles joined by strokes. The one-colour versions leave the silver blank and print "
            "red as ink. Delivered as SVG with a viewBox, except the colour vapen (PNG with a "
            "15 % transparent margin) and the logotypes (SVG without viewBox)."
        ),
    },
    "eda": {
        "name": "Eda kommun",
        "draw": eda,
        "colours": {"blue": "#0057A8", "outline": "#0057A8", "text": "#0057A8"},
        "font": "DejaVuSerif-Bold.ttf",
        "cap": 0.25,
        "gap": 0.25,
        "lines": 1,
        "readme": (
            'Edas vapen, drawn by benchmarks/draw_artwork.py from the registered blazon ("I '
            "blått fält en av en vågskura bildad stam och däröver en 5-uddig skans, allt av "
            'silver."). A BLUE field with silver charges: the field is the darkest colour, '
            "not the lightest. The one-colour (black) versions print the field in ink and leave "
            "the silver charges blank (holes); the white versions are the field in white with "
            "the charges blank. Delivered with clip-paths; the black vapen as a PNG with a 10 % "
            "transparent margin; the colour logotype as SVG without viewBox."
        ),
    },
}

# How each file of each set is delivered: (kind, tone) -> "svg" | "svg-no-viewbox" |
# "svg-padded" | "png-margin:<fraction>"
DELIVERY = {
    "ale-b": {
        ("vapen", "colour"): "png-margin:0.12",
        ("vapen", "black"): "svg-no-viewbox",
        ("vapen", "white"): "svg-no-viewbox",
        ("horizontal", "colour"): "svg-no-viewbox",
        ("horizontal", "black"): "svg-no-viewbox",
        ("horizontal", "white"): "svg-no-viewbox",
    },
    "ale-c": {
        ("vapen", "colour"): "svg-padded",
        ("vapen", "black"): "svg-padded",
        ("vapen", "white"): "png-margin:0.08",
        ("horizontal", "colour"): "svg-padded",
        ("horizontal", "black"): "svg-padded",
        ("horizontal", "white"): "svg-padded",
    },
    "stenungsund": {
        ("vapen", "colour"): "png-margin:0.15",
        ("vapen", "black"): "svg",
        ("vapen", "white"): "svg",
        ("horizontal", "colour"): "svg-no-viewbox",
        ("horizontal", "black"): "svg-no-viewbox",
        ("horizontal", "white"): "svg-no-viewbox",
    },
    "eda": {
        ("vapen", "colour"): "svg",
        ("vapen", "black"): "png-margin:0.10",
        ("vapen", "white"): "svg",
        ("horizontal", "colour"): "svg-no-viewbox",
        ("horizontal", "black"): "svg",
        ("horizontal", "white"): "svg",
    },
}
SWEDISH = {
    "colour": "farg",
    "black": "svart",
    "white": "vit",
    "vapen": "vapen",
    "horizontal": "logotyp-liggande",
}
PNG_SHIELD_PX = 300  # shield width in the delivered PNGs


@dataclass
class Drawn:
    version: str
    layout: str
    tone: str
    body: str  # the drawing in its own units, the shield's top left at 0, 0
    mask: str | None  # the same with the clip shape filled, where the drawing is clipped
    width: float
    height: float
    shield: Shield


def drawings(key: str) -> list[Drawn]:
    """Every version of set `key`, as drawn (not yet as delivered)."""
    spec = SETS[key]
    out = []
    for kind, tone in DELIVERY[key]:
        t = tinctures(tone, spec["colours"])
        if key == "ale-c" and tone == "colour" and kind == "vapen":
            body, shield = ale_c_transparent_field(spec["colours"])
        elif key == "eda" and tone == "white":
            body, shield = eda(t, white=True)
        else:
            body, shield = spec["draw"](t)
        mask = (
            f'<path d="{poly(shield.outline())}" fill="#000000"/>' if "clip-path" in body else None
        )
        width, height = shield.w, shield.h
        if kind == "horizontal":
            args = (spec["name"], t.text, spec["font"], spec["cap"] * shield.h)
            rest = (spec["gap"] * shield.w, spec["lines"])
            body, width, height = logotype(body, shield, *args, *rest)
            if mask is not None:
                mask = logotype(mask, shield, *args, *rest)[0]
        version = f"{'vapen' if kind == 'vapen' else 'logotype-horizontal'}-{tone}"
        out.append(Drawn(version, kind, tone, body, mask, width, height, shield))
    return out


def reference(key: str, folder: Path) -> list[dict]:
    """Each version of set `key` rendered as it is meant to look (clip paths applied), trimmed
    to the ink, the shield PNG_SHIELD_PX wide, into `folder`; returns what each file is."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for drawn in drawings(key):
        frame = f"0 0 {fmt(drawn.width)} {fmt(drawn.height)}"
        text = svg_file(drawn.body, drawn.width, drawn.height, frame, drawn.version)
        mask = None
        if drawn.mask is not None:
            mask = svg_file(drawn.mask, drawn.width, drawn.height, frame, "mask")
        scale = PNG_SHIELD_PX / drawn.shield.w
        image = render(text, scale, mask)
        x0, y0, x1, y1 = image.getchannel("A").getbbox()
        image = image.crop((x0, y0, x1, y1))
        path = folder / f"{key}-{drawn.version}.png"
        image.save(path)
        shield_px = [drawn.shield.w * scale - x0, drawn.shield.h * scale - y0]
        made.append(
            {
                "version": drawn.version,
                "file": str(path),
                "layout": drawn.layout,
                "tone": drawn.tone,
                "background": "dark" if drawn.tone == "white" else "light",
                "shield": [
                    0.0,
                    0.0,
                    round(min(shield_px[0], x1 - x0), 1),
                    round(min(shield_px[1], y1 - y0), 1),
                ],
            }
        )
    return made


def draw_set(key: str) -> None:
    """Write set `key` as delivered (benchmarks/artwork/KEY/source/) and its manifest."""
    spec = SETS[key]
    source = HERE / key / "source"
    source.mkdir(parents=True, exist_ok=True)
    for old in source.iterdir():
        old.unlink()
    stem = key.split("-")[0]
    manifest = []
    for drawn in drawings(key):
        how = DELIVERY[key][(drawn.layout, drawn.tone)]
        title = f"{spec['name']} {drawn.version} (drawn for profilecheck's benchmarks)"
        name = f"{stem}_{SWEDISH[drawn.layout]}_{SWEDISH[drawn.tone]}"
        width, height, shield = drawn.width, drawn.height, drawn.shield
        shield_box = [0.0, 0.0, shield.w, shield.h]
        frame = f"0 0 {fmt(width)} {fmt(height)}"
        if how == "svg-padded":  # a viewBox with a 6 % margin and the drawing under a transform
            pad = 0.06 * height
            inner = f'<g transform="translate({fmt(pad)},{fmt(pad)})">\n{drawn.body}\n</g>'
            big = f"0 0 {fmt(width + 2 * pad)} {fmt(height + 2 * pad)}"
            text = svg_file(inner, width + 2 * pad, height + 2 * pad, big, title)
            shield_box = [pad, pad, shield.w, shield.h]
            file = f"{name}.svg"
        elif how == "svg-no-viewbox":
            text = svg_file(drawn.body, width, height, None, title)
            file = f"{name}.svg"
        elif how == "svg":
            text = svg_file(drawn.body, width, height, frame, title)
            file = f"{name}.svg"
        else:
            margin = float(how.split(":")[1])
            text = svg_file(drawn.body, width, height, frame, title)
            mask = drawn.mask and svg_file(drawn.mask, width, height, frame, "mask")
            scale = PNG_SHIELD_PX / shield.w
            file = f"{name}.png"
            pad_x, pad_y = render_png(text, scale, margin, source / file, mask)
            shield_box = [pad_x, pad_y, shield.w * scale, shield.h * scale]
            text = None
        if text is not None:
            (source / file).write_text(text, encoding="utf-8")
        manifest.append(
            {
                "file": file,
                "version": drawn.version,
                "layout": drawn.layout,
                "tone": drawn.tone,
                "background": "dark" if drawn.tone == "white" else "light",
                "shield": [round(v, 2) for v in shield_box],  # x, y, w, h in the file's units
                "delivered": how,
            }
        )
    listing = {"name": spec["name"], "files": manifest}
    (HERE / key / "manifest.json").write_text(json.dumps(listing, indent=1) + "\n")
    (source / "README.md").write_text(f"# {key}\n\n{spec['readme']}\n", encoding="utf-8")


def ale_c_transparent_field(colours: dict[str, str]) -> tuple[str, Shield]:
    t = Tinctures(**colours)
    body, shield = ale_c(t)
    # the field rectangle is the first thing in the clipped group: leave it out
    body = re.sub(r'<rect x="-10" y="-10"[^>]*/>', "", body, count=1)
    return body, shield


def main() -> None:
    for key in SETS:
        draw_set(key)
        print(key, sorted(p.name for p in (HERE / key / "source").iterdir()))


if __name__ == "__main__":
    main()
