"""Colour maths for the palette rule: parsing profile values, Lab, ΔE2000, nearest palette colour.

sRGB to CIE Lab (D50, Bradford-adapted, as print and PDF use) and CIEDE2000 are the standard
formulas, written here rather than imported from coloraide: the start-up benchmark showed
coloraide's import (~170 ms) was most of the time of checking a small Word file. The test suite
holds these formulas to coloraide's results. Documents repeat a handful of colours thousands of
times, so each distinct colour is converted once (an LRU cache).
CMYK without an ICC profile is converted naively (the same formula the model uses), which is why
converted colours get a wider tolerance than exact ones.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from profilecheck.core.model import Colour

Lab = tuple[float, float, float]

HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
FUNCTION = re.compile(r"^\s*(rgb|cmyk|gray|grey)\s*\(([^)]*)\)\s*$", re.IGNORECASE)
NEUTRAL_CHROMA = 3.0  # C*ab below this reads as grey


def parse_colour(text: str) -> Colour:
    """'#1E7B3C', '#17A', 'rgb(30, 123, 60)', 'cmyk(90%, 0, 100, 20)' or 'gray(50%)'.

    RGB components are 0..255, CMYK and gray are percentages. Raises ValueError.
    """
    text = text.strip()
    if HEX.match(text):
        digits = text.lstrip("#")
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return Colour.from_hex(digits)
    match = FUNCTION.match(text)
    if not match:
        raise ValueError(f"not a colour: {text!r} (use #RRGGBB, rgb(...), cmyk(...))")
    kind = match.group(1).lower()
    values = [
        float(v.strip().rstrip("%")) for v in match.group(2).replace(" ", ",").split(",") if v
    ]
    if kind == "rgb":
        return rgb_colour(values)
    if kind == "cmyk":
        return cmyk_colour(values)
    return gray_colour(values)


def rgb_colour(values: list[float] | tuple[float, ...]) -> Colour:
    _check(values, 3, 255, "rgb")
    return Colour("rgb", tuple(v / 255 for v in values))


def cmyk_colour(values: list[float] | tuple[float, ...]) -> Colour:
    _check(values, 4, 100, "cmyk")
    return Colour("cmyk", tuple(v / 100 for v in values))


def gray_colour(values: list[float] | tuple[float, ...]) -> Colour:
    _check(values, 1, 100, "gray")
    return Colour("gray", (values[0] / 100,))


def _check(values: list[float] | tuple[float, ...], count: int, top: float, what: str) -> None:
    if len(values) != count:
        raise ValueError(f"{what} needs {count} values, got {len(values)}")
    if any(not 0 <= v <= top for v in values):
        raise ValueError(f"{what} values must be between 0 and {top:g}")


def lab(colour: Colour) -> Lab | None:
    """CIE Lab (D50) of a colour; None when it has no known appearance (a spot without one)."""
    rgb = colour.rgb
    if rgb is None:
        return None
    return rgb_to_lab(tuple(round(min(max(c, 0.0), 1.0), 4) for c in rgb))


# Linear sRGB -> XYZ, adapted from D65 to D50 with Bradford (as coloraide derives it).
SRGB_TO_XYZ_D50 = (
    (0.4360657469, 0.3851515096, 0.1430784200),
    (0.2224931771, 0.7168870131, 0.0606198098),
    (0.0139239215, 0.0970813242, 0.7140993568),
)
WHITE_D50 = (0.3457 / 0.3585, 1.0, (1 - 0.3457 - 0.3585) / 0.3585)  # from its xy chromaticity


@lru_cache(maxsize=65536)
def rgb_to_lab(rgb: tuple[float, float, float]) -> Lab:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    xyz = [sum(m * c for m, c in zip(row, linear, strict=True)) for row in SRGB_TO_XYZ_D50]
    fx, fy, fz = (_lab_f(v / w) for v, w in zip(xyz, WHITE_D50, strict=True))
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def _lab_f(t: float) -> float:
    return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116


@lru_cache(maxsize=65536)
def delta_e(first: Lab, second: Lab) -> float:
    """CIEDE2000 between two Lab colours (Sharma, Wu and Dalal's formulation)."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = (
        math.degrees(math.atan2(b, a)) % 360 if (a or b) else 0.0 for a, b in ((a1, b1), (a2, b2))
    )
    dl, dc = l2 - l1, c2 - c1
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    h_mean = h1 + h2 if c1 * c2 == 0 else _hue_mean(h1, h2)
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    rotation = (
        -2
        * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    terms = (dl / s_l, dc / s_c, d_hue / s_h)
    return math.sqrt(sum(v * v for v in terms) + rotation * terms[1] * terms[2])


def _hue_mean(h1: float, h2: float) -> float:
    if abs(h1 - h2) <= 180:
        return (h1 + h2) / 2
    return (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2


def is_neutral(value: Lab) -> bool:
    return (value[1] ** 2 + value[2] ** 2) ** 0.5 < NEUTRAL_CHROMA


def hex_of(colour: Colour) -> str:
    return colour.hex or str(colour)


@dataclass(frozen=True)
class Swatch:
    """A palette colour: its name and the values the profile gives in each space."""

    name: str
    rgb: Colour | None = None
    cmyk: Colour | None = None
    spot: str | None = None

    @property
    def lab(self) -> Lab:
        reference = self.rgb or self.cmyk
        value = lab(reference) if reference else None
        return value if value is not None else (0.0, 0.0, 0.0)

    @property
    def label(self) -> str:
        parts = [self.name]
        if self.rgb is not None:
            parts.append(hex_of(self.rgb))
        if self.spot:
            parts.append(self.spot)
        return " ".join(parts)


@dataclass(frozen=True)
class Match:
    swatch: Swatch
    delta_e: float
    how: str  # "spot", "cmyk", "lab"


def nearest(colour: Colour, swatches: list[Swatch], cmyk_tolerance: float = 0.02) -> Match | None:
    """The palette colour closest to `colour`: a spot by name, CMYK by value, else by ΔE2000."""
    if not swatches:
        return None
    if colour.space == "separation" and colour.name:
        for swatch in swatches:
            if swatch.spot and spot_key(swatch.spot) == spot_key(colour.name):
                return Match(swatch, 0.0, "spot")
    if colour.space == "cmyk":
        for swatch in swatches:
            if swatch.cmyk is not None and _cmyk_close(colour, swatch.cmyk, cmyk_tolerance):
                return Match(swatch, 0.0, "cmyk")
    value = lab(colour)
    if value is None:
        return None
    best = min(swatches, key=lambda s: delta_e(value, s.lab))
    return Match(best, delta_e(value, best.lab), "lab")


def _cmyk_close(colour: Colour, reference: Colour, tolerance: float) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(colour.components, reference.components, strict=False)
    )


def spot_key(name: str) -> str:
    """Spot names compare without case, spaces or a 'PANTONE' prefix: 'PANTONE 356 C' = '356c'."""
    key = re.sub(r"[\s_\-]+", "", name.lower())
    return key.removeprefix("pantone")


@dataclass(frozen=True)
class ImageColours:
    """Flat colours of an image: each (rgb 0..1, share of the opaque area), and whether the
    image looks like a photograph (whose colours the palette rule exempts by default)."""

    photo: bool
    colours: tuple[tuple[tuple[float, float, float], float], ...] = ()
    distinct: int = 0


def image_colours(
    image: object,
    min_area: float = 0.02,
    max_side: int = 256,
    flat_step: int = 12,
    photo_colours: int = 12,
    max_spread: float = 4.0,
) -> ImageColours:
    """Find the solid colours of a graphic (a PIL image) on a nearest-neighbour thumbnail.

    A pixel counts only where it equals its four neighbours within `flat_step`, so anti-aliased
    edges and JPEG ringing never become colours. Similar flat pixels are clustered; an image whose
    flat area is small (noise, texture) or needs more than `photo_colours` clusters to cover 90% of
    it (gradients, photographs) is a photo.
    """
    import numpy as np

    pixels, opaque = _thumbnail(image, max_side)
    flat = _flat_mask(pixels, flat_step) & opaque
    total = int(opaque.sum())
    if total == 0:
        return ImageColours(photo=False)
    clusters = _clusters(pixels[flat])
    counts = np.array([count for _, count, _ in clusters] or [0])
    # flat colours fill one or two bins; smooth photographs smear each cluster over many
    spread = (sum(s for _, _, s in clusters) / max(int(counts.sum()), 1)) ** 0.5
    covered = np.cumsum(np.sort(counts)[::-1])
    needed = int(np.searchsorted(covered, 0.9 * covered[-1]) + 1) if covered[-1] else 0
    photo = bool(flat.sum() < 0.5 * total or needed > photo_colours or spread > max_spread)
    found = tuple(
        (tuple(float(c) / 255 for c in mean), count / total)
        for mean, count, _ in clusters
        if count / total >= min_area
    )
    return ImageColours(photo, found, len(clusters))  # type: ignore[arg-type]


def _thumbnail(image: object, max_side: int) -> tuple:
    import numpy as np
    from PIL import Image

    assert isinstance(image, Image.Image)
    small = image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image
    if max(small.size) > max_side:
        scale = max_side / max(small.size)
        size = (max(1, round(small.width * scale)), max(1, round(small.height * scale)))
        small = small.resize(size, Image.Resampling.NEAREST)
    array = np.asarray(small, dtype=np.int16)
    opaque = array[..., 3] > 200 if array.shape[2] == 4 else np.ones(array.shape[:2], bool)
    return array[..., :3], opaque


def _flat_mask(pixels: object, step: int) -> object:
    import numpy as np

    flat = np.ones(pixels.shape[:2], dtype=bool)  # type: ignore[attr-defined]
    across, down = _close(np.diff(pixels, axis=1), step), _close(np.diff(pixels, axis=0), step)
    flat[:, 1:] &= across
    flat[:, :-1] &= across
    flat[1:, :] &= down
    flat[:-1, :] &= down
    return flat


def _close(differences: object, step: int) -> object:
    """Where every channel differs by less than `step` (`abs(d).max(axis=2) < step`, channel by
    channel: numpy reduces a short last axis slowly)."""
    import numpy as np

    magnitude = np.abs(differences)
    close = magnitude[..., 0] < step  # type: ignore[index]
    for channel in range(1, magnitude.shape[-1]):  # type: ignore[attr-defined]
        close &= magnitude[..., channel] < step  # type: ignore[index]
    return close


def _clusters(flat_pixels: object, merge_distance: float = 14.0, max_bins: int = 512) -> list:
    """Greedy clustering of 32-level colour bins, largest first: [(mean rgb, pixel count,
    sum of squared distances of the merged bins from the seed)]."""
    import numpy as np

    if not len(flat_pixels):  # type: ignore[arg-type]
        return []
    bins = (flat_pixels >> 3).astype(np.int32)  # type: ignore[operator]
    keys = bins[:, 0] * 1024 + bins[:, 1] * 32 + bins[:, 2]
    unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    # per bin and channel: sums of whole numbers, exact in float64 whatever the order of adding
    sums = np.stack(
        [np.bincount(inverse, flat_pixels[:, c], len(unique)) for c in range(3)],  # type: ignore[index]
        axis=1,
    )
    order = np.argsort(counts)[::-1][:max_bins]
    seeds = np.empty((len(order), 3))  # each cluster's first bin's mean; seeds do not drift,
    clusters: list[list] = []  # so a gradient cannot chain into one colour. [sum, count, spread]
    for index in order:
        mean = sums[index] / counts[index]
        offsets = seeds[: len(clusters)] - mean
        distances = np.sqrt(offsets[:, 0] ** 2 + offsets[:, 1] ** 2 + offsets[:, 2] ** 2)
        near = np.flatnonzero(distances < merge_distance)
        if near.size:  # the first cluster made that is near enough, as a greedy pass takes it
            cluster = clusters[near[0]]
            cluster[0] = cluster[0] + sums[index]
            cluster[1] += int(counts[index])
            cluster[2] += float(distances[near[0]]) ** 2 * int(counts[index])
        else:
            seeds[len(clusters)] = mean
            clusters.append([sums[index].copy(), int(counts[index]), 0.0])
    return [(total / count, count, spread) for total, count, spread in clusters]
