"""What an artwork picture holds, from its pixels: the paper around it, the ink, the shield (the
mark), the name beside or below it, the layout, the tone and the colours.

Used by `profile artwork` (importing.py) to import official files and by `profile validate`
(judging.py) to judge the profile's artwork files.

- Paper: an opaque picture whose border is one uniform colour lies on paper; the paper is what
  of that colour touches the border, and becomes transparent. What it encloses (a field of the
  same colour inside the shield's outline) stays.
- Ink: what is not transparent. The shield is the largest connected shape once the holes of the
  ink are filled (an outline encloses the field and the charges); the name is the other shapes:
  beside the shield (horizontal), below it (stacked), or none (the vapen alone).
- Tone: several hues, or one hue and a light field: colour; one dark ink: black; one light
  ink: white; one other ink is named by its colour and counted with black or white by its
  lightness.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PAPER_SHARE = 0.9  # share of the border in one colour for it to be paper
PAPER_NEAR = 40  # max RGB channel difference that still counts as the paper's colour
OPAQUE = 250
INK = 128
SEVERAL_MARKS = 0.5  # another shape this large (share of the shield's area) is another mark
CHROMA = 18.0  # Lab chroma above which a pixel is coloured


class AnatomyError(Exception):
    """A picture the import cannot use; the message says why."""


@dataclass
class Anatomy:
    width: int
    height: int
    shield: tuple[float, float, float, float]  # x, y, w, h in pixels (sub-pixel from coverage)
    layout: str  # "vapen", "horizontal" or "stacked"
    tone: str  # "colour", "black" or "white"
    ink: str = ""  # one-colour versions: the ink's colour as #RRGGBB
    name_box: tuple[int, int, int, int] | None = None  # x, y, w, h of the name
    name_lines: int = 0
    colours: list[tuple[str, float]] = field(default_factory=list)  # #RRGGBB, share of the shield
    field_colour: str | None = None  # None: the field is transparent
    margins: tuple[int, int, int, int] = (0, 0, 0, 0)  # transparent left, top, right, bottom
    notes: list[str] = field(default_factory=list)

    @property
    def background(self) -> str:
        return "dark" if self.tone == "white" else "light"


def clear_paper(rgba: Any, known: str | None = None) -> tuple[Any, str | None]:
    """`rgba` with the paper made transparent, and the paper's colour (None: no paper). With
    `known`, the paper is that colour (a close-up of a picture whose paper was found before)."""
    import cv2
    import numpy as np

    alpha = rgba[..., 3]
    if known is not None:
        paper = np.array([int(known[i : i + 2], 16) for i in (1, 3, 5)], np.float64)
    else:
        border = np.concatenate([rgba[0], rgba[-1], rgba[:, 0], rgba[:, -1]])
        if (border[:, 3] >= OPAQUE).mean() < PAPER_SHARE:
            return rgba, None
        opaque = border[border[:, 3] >= OPAQUE][:, :3].astype(np.int16)
        paper = np.median(opaque, axis=0)
        if (np.abs(opaque - paper).max(axis=1) < PAPER_NEAR // 2).mean() < PAPER_SHARE:
            return rgba, None
    rgb = rgba[..., :3].astype(np.float32)
    distance = np.abs(rgb - paper.astype(np.float32)).max(axis=2)
    opaque = alpha >= OPAQUE
    near = (((distance < PAPER_NEAR) & opaque) | (alpha < 8)).astype(np.uint8)
    _count, labels = cv2.connectedComponents(near, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    paper_mask = np.isin(labels, edge[edge > 0]) & opaque
    keep = np.clip((distance - 10.0) / (PAPER_NEAR - 10.0), 0.0, 1.0)
    new_alpha = np.where(paper_mask, keep * 255.0, alpha.astype(np.float32))
    out = rgba.copy()
    partial = paper_mask & (keep > 0)
    a = keep[partial][:, None]
    unblended = (rgb[partial] - (1.0 - a) * paper.astype(np.float32)) / np.maximum(a, 1e-3)
    out[..., :3][partial] = np.clip(unblended, 0, 255).astype(np.uint8)
    out[..., 3] = np.round(new_alpha).astype(np.uint8)
    hex_paper = "#" + "".join(f"{round(float(v)):02X}" for v in paper)
    return out, hex_paper


def ink_box(rgba: Any, threshold: int = 0) -> tuple[int, int, int, int] | None:
    """x, y, w, h of the pixels with alpha above `threshold`; None when there are none."""
    import numpy as np

    mask = rgba[..., 3] > threshold
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def margins(rgba: Any) -> tuple[int, int, int, int]:
    """Fully transparent columns and rows: left, top, right, bottom."""
    h, w = rgba.shape[:2]
    box = ink_box(rgba)
    if box is None:
        return w, h, w, h
    x, y, bw, bh = box
    return x, y, w - x - bw, h - y - bh


def analyse(rgba: Any, layout: str = "auto", tone: str = "auto") -> Anatomy:
    """The anatomy of a trimmed or untrimmed artwork picture (see the module's docstring)."""
    h, w = rgba.shape[:2]
    solid = rgba[..., 3] >= INK
    if not solid.any():
        raise AnatomyError("it has no ink: every pixel is transparent or paper")
    shapes = _shapes(solid)
    if layout == "vapen":
        x, y, bw, bh = ink_box(rgba, INK - 1) or (0, 0, w, h)
        shield_box, name = (x, y, bw, bh), []
    else:
        shield_box, name = _shield_and_name(shapes)
    anatomy = Anatomy(w, h, _subpixel(rgba, shield_box), "vapen", "colour", margins=margins(rgba))
    if name:
        anatomy.name_box = _union([s[1] for s in name])
        anatomy.layout = _layout(shield_box, anatomy.name_box)
        anatomy.name_lines = _lines(solid, anatomy.name_box, anatomy.layout)
    if layout != "auto":
        anatomy.layout = layout
    sx, sy, sw, sh = shield_box
    inside = rgba[sy : sy + sh, sx : sx + sw]
    pixels = inside[inside[..., 3] >= OPAQUE][:, :3]
    if not len(pixels):
        pixels = inside[inside[..., 3] >= INK][:, :3]
    anatomy.colours = _colours(pixels)
    anatomy.tone, anatomy.ink = _tone(pixels)
    if tone != "auto":
        anatomy.tone = tone
    anatomy.field_colour = _field(inside)
    if anatomy.tone != "colour" and anatomy.ink not in ("#000000", "#FFFFFF", ""):
        anatomy.notes.append(f"one-colour ink {anatomy.ink}, counted as {anatomy.tone}")
    return anatomy


def _shapes(solid: Any) -> list[tuple[int, tuple[int, int, int, int]]]:
    """Connected shapes of the ink with their holes filled: (area, (x, y, w, h)), largest first."""
    import cv2
    import numpy as np

    mask = solid.astype(np.uint8)
    padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    outside = padded.copy()
    flood = np.zeros((padded.shape[0] + 2, padded.shape[1] + 2), np.uint8)
    cv2.floodFill(outside, flood, (0, 0), 2)
    filled = (outside[1:-1, 1:-1] != 2).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(filled, connectivity=8)
    found = [(int(s[4]), (int(s[0]), int(s[1]), int(s[2]), int(s[3]))) for s in stats[1:count]]
    return sorted(found, key=lambda item: -item[0])


def _shield_and_name(shapes: list) -> tuple[tuple[int, int, int, int], list]:
    (area, box), rest = shapes[0], shapes[1:]
    parts, name = [box], []
    for other_area, other in rest:
        if _overlap(other, box) > 0.5 * other[2] * other[3]:
            parts.append(other)  # a charge or a crown reaching into the shield's box
            continue
        similar = other[3] > 0.6 * box[3] and other[2] > 0.4 * box[2]
        if other_area > SEVERAL_MARKS * area and similar:
            raise AnatomyError(
                "it holds several separate marks of similar size; give each version "
                "in a file of its own, or use --layout vapen to take all the ink as the mark"
            )
        name.append((other_area, other))
    tiny = max(4, area // 20000)
    return _union(parts), [n for n in name if n[0] >= tiny]


def _overlap(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def _union(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


def _layout(shield: tuple[int, ...], name: tuple[int, ...]) -> str:
    sx, sy, sw, sh = shield
    nx, ny, nw, nh = name
    beside = nx >= sx + sw - 2 or nx + nw <= sx + 2
    below = ny >= sy + sh - 2 or ny + nh <= sy + 2
    if beside and not below:
        return "horizontal"
    if below and not beside:
        return "stacked"
    centre_x, centre_y = nx + nw / 2 - (sx + sw / 2), ny + nh / 2 - (sy + sh / 2)
    return "horizontal" if abs(centre_x) / sw > abs(centre_y) / sh else "stacked"


def _lines(solid: Any, box: tuple[int, int, int, int], layout: str) -> int:
    """Lines of the name: runs of rows with ink, gaps of at least a tenth of its height apart."""
    x, y, w, h = box
    rows = solid[y : y + h, x : x + w].any(axis=1)
    runs, gap, inside = 0, 0, False
    for row in rows:
        if row:
            if not inside and (runs == 0 or gap >= max(2, h // 10)):
                runs += 1
            inside, gap = True, 0
        else:
            inside, gap = False, gap + 1
    return max(1, runs)


def _subpixel(rgba: Any, box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    """The box, a pixel wider on each side, measured by the ink's coverage: each column (row)
    counts as much as its most covered pixel, so anti-aliased edges count in part."""
    import numpy as np

    x, y, w, h = box
    x0, y0 = max(0, x - 1), max(0, y - 1)
    x1, y1 = min(rgba.shape[1], x + w + 1), min(rgba.shape[0], y + h + 1)
    alpha = rgba[y0:y1, x0:x1, 3].astype(np.float64) / 255.0
    columns, rows = alpha.max(axis=0), alpha.max(axis=1)
    left = x0 + _lead(columns)
    top = y0 + _lead(rows)
    return (
        round(left, 2),
        round(top, 2),
        round(float(columns.sum()), 2),
        round(float(rows.sum()), 2),
    )


def _lead(coverage: Any) -> float:
    """Where the ink starts: the first covered pixel, less what of it is covered."""
    import numpy as np

    first = int(np.flatnonzero(coverage > 0)[0]) if (coverage > 0).any() else 0
    return first + 1.0 - float(coverage[first])


def _lab(pixels: Any) -> Any:
    import cv2
    import numpy as np

    lab = cv2.cvtColor(pixels.reshape(-1, 1, 3).astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    return lab.reshape(-1, 3)


def _tone(pixels: Any) -> tuple[str, str]:
    import numpy as np

    if not len(pixels):
        return "black", ""
    pixels = pixels[:: max(1, len(pixels) // 200_000)]
    lab = _lab(pixels)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    coloured = chroma > CHROMA
    light = (lab[:, 0] > 85) & ~coloured
    if coloured.mean() > 0.02:
        hues = np.degrees(np.arctan2(lab[coloured, 2], lab[coloured, 1])) % 360
        bins = np.bincount((hues // 30).astype(int), minlength=12) / len(hues)
        if (bins > 0.05).sum() >= 2 or light.mean() > 0.1 or (~coloured & ~light).mean() > 0.1:
            return "colour", ""
    ink = pixels[lab[:, 0] < 85] if (lab[:, 0] < 85).mean() > 0.05 else pixels
    mean = np.median(ink, axis=0)
    name = "#" + "".join(f"{int(v):02X}" for v in mean)
    lightness = float(_lab(mean.reshape(1, 3))[0, 0])
    return ("white" if lightness > 60 else "black"), name


def _colours(pixels: Any, top: int = 6) -> list[tuple[str, float]]:
    import numpy as np

    if not len(pixels):
        return []
    bins = (pixels // 16).astype(np.int32)
    keys = bins[:, 0] * 256 + bins[:, 1] * 16 + bins[:, 2]
    counts = np.bincount(keys, minlength=4096)
    found = []
    for key in np.argsort(-counts)[:top]:
        share = counts[key] / len(pixels)
        if share < 0.01:
            break
        mean = np.median(pixels[keys == key], axis=0)
        found.append(("#" + "".join(f"{int(v):02X}" for v in mean), round(float(share), 3)))
    return found


def _field(inside: Any) -> str | None:
    """The field: the commonest colour of the shield's inner part (None: mostly transparent)."""
    h, w = inside.shape[:2]
    core = inside[h // 8 : h - h // 4, w // 8 : w - w // 8]
    if not core.size:
        return None
    transparent = (core[..., 3] < INK).mean()
    pixels = core[core[..., 3] >= INK][:, :3]
    colours = _colours(pixels, top=1)
    if not colours or transparent > colours[0][1] * (1 - transparent):
        return None
    return colours[0][0]


def grey(hex_colour: str) -> float:
    """The grey level (0-255, Rec. 601 luma) of #RRGGBB."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b
