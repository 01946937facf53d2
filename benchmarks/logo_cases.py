"""Labelled pictures for benchmarks/logo_accuracy.py: the logo placed on varied backgrounds
(positives) and look-alikes (negatives), written as PNG/JPEG files with a JSON label each."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
ARTWORK = ROOT / "rules" / "ale" / "artwork" / "png"
KINDS = ("vapen", "logotype-horizontal", "logotype-stacked")
TONES = ("colour", "black", "white")
# Inks a one-colour version is printed in instead of black (or white): recolouring to report.
OTHER_INKS = {"black": [(0, 84, 166), (200, 16, 46), (0, 122, 61)], "white": [(240, 200, 40)]}
# ...only those at least this far (ΔE2000) from every colour of the artwork: twice the rule's
# default recolour limit (8). A one-colour version printed in one of the arms' own tinctures
# is no recolouring to report (Eda's black vapen in Eda's blue, ΔE 3.0, is its colour vapen;
# many profiles allow the one-colour logo in a profile colour): measured on the sets, the
# inks left are 15.2 or nearer (dropped) or 19.5 and more (kept).
INK_DISTANCE = 16.0
PALETTE_SHARE = 0.01  # a colour covering this share of a version's opaque pixels is its own


@dataclass
class Version:
    """One artwork version the cases place: its pixels trimmed to the ink and where its
    shield lies in them (x, y, w, h)."""

    name: str
    file: Path
    layout: str  # vapen | horizontal | stacked
    tone: str  # colour | black | white
    shield: tuple[float, float, float, float]
    pixels: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0, 4), np.uint8))


def _trimmed(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        art = np.asarray(image.convert("RGBA")).copy()
    ys, xs = np.nonzero(art[..., 3] > 0)
    if len(xs) == 0:
        return art
    return art[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].copy()


def _runs(ink: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in a 1-D array, as (start, end)."""
    runs, start = [], None
    for k, on in enumerate([*ink.tolist(), False]):
        if on and start is None:
            start = k
        elif not on and start is not None:
            runs.append((start, k))
            start = None
    return runs


def measure_shield(art: np.ndarray, layout: str) -> tuple[float, float, float, float]:
    """Where the shield is in a trimmed version: the whole of a bare vapen, the first block of
    ink columns of a horizontal logotype, the first block of ink rows of a stacked one (the
    name is set apart from the shield by a gap of at least 2 % of the file's size)."""
    h, w = art.shape[:2]
    if layout == "vapen":
        return (0.0, 0.0, float(w), float(h))
    axis = 0 if layout == "horizontal" else 1
    ink = (art[..., 3] > 32).any(axis=axis)
    gap = max(2, int(0.02 * len(ink)))
    blocks = []
    for start, end in _runs(ink):
        if blocks and start - blocks[-1][1] < gap:
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    start, end = blocks[0]
    if layout == "horizontal":
        rows = np.nonzero((art[:, start:end, 3] > 0).any(axis=1))[0]
        return (float(start), float(rows[0]), float(end - start), float(rows[-1] + 1 - rows[0]))
    cols = np.nonzero((art[start:end, :, 3] > 0).any(axis=0))[0]
    return (float(cols[0]), float(start), float(cols[-1] + 1 - cols[0]), float(end - start))


def guess(name: str, background: str) -> tuple[str, str]:
    """Layout and tone from a version's name (as the bundled profile names them, or in
    Swedish), for rule files that do not say."""
    lower = name.lower()
    layout = "vapen"
    if any(w in lower for w in ("horizontal", "liggande", "horisontell")):
        layout = "horizontal"
    elif any(w in lower for w in ("stacked", "staende", "stående", "vertikal")):
        layout = "stacked"
    tone = "colour"
    if any(w in lower for w in ("black", "svart", "mono")):
        tone = "black"
    elif any(w in lower for w in ("white", "vit", "negativ")) or background == "dark":
        tone = "white"
    return layout, tone


def version(name: str, file: Path, layout: str, tone: str) -> Version:
    art = _trimmed(file)
    return Version(name, file, layout, tone, measure_shield(art, layout), art)


def from_profile(profile: Path) -> list[Version]:
    """The versions a profile's logo rule lists, in the order the cases take them: by tone,
    then by layout (the bundled profile's cases are those of the benchmark before --artwork)."""
    import tomllib

    for rule_file in sorted((profile / "rules").glob("*.toml")):
        table = tomllib.loads(rule_file.read_text("utf-8"))
        if table.get("type") == "logo":
            break
    else:
        raise SystemExit(f"{profile}: no logo rule in rules/*.toml")
    versions = []
    for entry in table["params"].get("versions", []):
        layout, tone = guess(entry["name"], entry.get("background", "light"))
        layout = layout if entry.get("layout", "auto") == "auto" else entry["layout"]
        tone = tone if entry.get("tone", "auto") == "auto" else entry["tone"]
        versions.append(version(entry["name"], rule_file.parent / entry["file"], layout, tone))
    return ordered(versions)


def ordered(versions: list[Version]) -> list[Version]:
    layouts = ("vapen", "horizontal", "stacked")
    return sorted(versions, key=lambda v: (TONES.index(v.tone), layouts.index(v.layout)))


def bundled() -> list[Version]:
    return from_profile(ROOT / "rules" / "ale")


@dataclass
class Case:
    file: str
    positive: bool
    version: str = ""
    mark_height: int = 0  # the shield's height in pixels
    aspect: float = 1.0  # width stretch applied (1.0 = none)
    rotation: float = 0.0  # degrees counter-clockwise
    mirrored: bool = False
    recolour_delta_e: float = 0.0
    extras: list[str] = field(default_factory=list)
    box: list[int] = field(default_factory=list)  # x0, y0, x1, y1 of the placed logo, pixels
    tone: str = ""
    layout: str = ""
    shield_width: float = 0.0  # the shield's width as placed (stretch included), pixels
    other_ink: bool = False  # a one-colour version printed in another ink than its own


def folded(angle: float) -> float:
    """|angle| folded to 0–180°: how far a mark is turned from upright, either way."""
    return abs((angle + 180) % 360 - 180)


# Bands of the folded angle the benchmark reports separately (upright marks are in the first).
ANGLE_BANDS = ((0.0, 40.0), (40.0, 135.0), (135.0, 180.0))


def band_of(angle: float) -> str:
    turned = folded(angle)
    low, high = next(b for b in ANGLE_BANDS if b[0] <= turned < b[1] or b[1] == 180.0)
    return f"{low:.0f}–{high:.0f}°"


def background(rng: np.random.Generator, width: int, height: int, dark: bool) -> np.ndarray:
    style = rng.choice(["photo", "gradient", "text", "scan"])
    if style == "photo":
        noise = rng.integers(0, 255, (height // 8 + 1, width // 8 + 1, 3), dtype=np.uint8)
        picture = cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)
        picture = cv2.GaussianBlur(picture, (0, 0), rng.uniform(2, 12))
        low, high = (0, 110) if dark else (120, 250)
        return cv2.normalize(picture, None, low, high, cv2.NORM_MINMAX)
    if style == "gradient":
        a, b = (rng.integers(0, 90, 3), rng.integers(0, 90, 3))
        if not dark:
            a, b = a + 160, b + 160
        t = np.linspace(0, 1, width)[None, :, None]
        return np.broadcast_to(a * (1 - t) + b * t, (height, width, 3)).astype(np.uint8).copy()
    paper = np.full((height, width, 3), 30 if dark else 245, np.uint8)
    ink = (220, 220, 220) if dark else (30, 30, 30)
    for y in range(20, height - 10, int(rng.integers(14, 28))):
        x = 20
        while x < width - 40:
            word = int(rng.integers(15, 60))
            cv2.rectangle(paper, (x, y), (min(width - 20, x + word), y + 6), ink, -1)
            x += word + 8
    if style == "scan":
        paper = cv2.add(paper, rng.normal(0, 8, paper.shape).astype(np.int8), dtype=cv2.CV_8U)
        angle = rng.uniform(-1.5, 1.5)
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1)
        paper = cv2.warpAffine(paper, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
    return paper


def transformed(art: np.ndarray, height: int, aspect: float, angle: float, mirror: bool):
    # Scaled in exactly the labelled proportions, as a renderer would draw it: rounding the
    # width to whole pixels would stretch a 24-px mark by up to 2 % while labelling it 1.0, so
    # transparent columns are added until the scaled width is whole.
    h, w = art.shape[:2]
    scale_x = height / h * aspect
    width = max(2, math.ceil(w * scale_x - 1e-6))
    padding = round(width / scale_x) - w
    if padding > 0:
        art = np.concatenate([art, np.zeros((h, padding, 4), art.dtype)], axis=1)
    scaled = cv2.resize(art, (width, height), interpolation=cv2.INTER_AREA)
    if mirror:
        scaled = scaled[:, ::-1].copy()
    if angle:
        sh, sw = scaled.shape[:2]
        c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        out_w, out_h = int(sw * c + sh * s) + 2, int(sw * s + sh * c) + 2
        matrix = cv2.getRotationMatrix2D((sw / 2, sh / 2), angle, 1)
        matrix[:, 2] += ((out_w - sw) / 2, (out_h - sh) / 2)
        scaled = cv2.warpAffine(scaled, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    return scaled


def turn(rng: np.random.Generator) -> float:
    """Half the marks upright; the others turned anywhere on the circle, a fifth of them by a
    quarter, a half or three quarters of a turn exactly (as a page or picture is turned)."""
    if rng.random() < 0.5:
        return 0.0
    if rng.random() < 0.2:
        return float(rng.choice([90.0, 180.0, -90.0]))
    return float(rng.choice([-1, 1]) * rng.uniform(2, 180))


def _height_limit(shown_aspect: float, angle: float, width: int, height: int) -> float:
    """The tallest logo (width / height `shown_aspect`) that, turned by `angle`, fits 90 % of
    the canvas."""
    c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
    return min(0.9 * height / (shown_aspect * s + c), 0.9 * width / (shown_aspect * c + s))


def hue_shift(art: np.ndarray, degrees: float) -> np.ndarray:
    hsv = cv2.cvtColor(art[..., :3], cv2.COLOR_RGB2HSV)
    hsv[..., 0] = (hsv[..., 0].astype(int) + int(degrees / 2)) % 180
    out = art.copy()
    out[..., :3] = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    return out


def composite(canvas: np.ndarray, art: np.ndarray, x: int, y: int) -> None:
    h, w = art.shape[:2]
    region = canvas[y : y + h, x : x + w]
    alpha = art[: region.shape[0], : region.shape[1], 3:4] / 255
    region[:] = (
        art[: region.shape[0], : region.shape[1], :3] * alpha + region * (1 - alpha)
    ).astype(np.uint8)


def reinked(art: np.ndarray, ink: tuple[int, int, int], tone: str) -> np.ndarray:
    """A one-colour version printed in `ink`: its ink pixels (dark in a black version, light in
    a white one) take the ink; anything else (white details) stays."""
    grey = art[..., :3].mean(axis=2)
    inked = grey < 128 if tone == "black" else grey >= 128
    out = art.copy()
    out[inked, :3] = ink
    return out


def palette(versions: list[Version]) -> list[tuple[int, int, int]]:
    """The colours of the artwork: each covering PALETTE_SHARE of some version's opaque
    pixels (edge pixels, blends of two, cover far less)."""
    key = tuple(id(v) for v in versions)
    if key not in _PALETTES:
        colours: set[tuple[int, int, int]] = set()
        for v in versions:
            opaque = v.pixels[v.pixels[..., 3] > 128][:, :3]
            values, counts = np.unique(opaque, axis=0, return_counts=True)
            least = PALETTE_SHARE * len(opaque)
            colours |= {tuple(int(c) for c in value) for value in values[counts >= least]}
        _PALETTES[key] = sorted(colours)
    return _PALETTES[key]


_PALETTES: dict[tuple[int, ...], list[tuple[int, int, int]]] = {}


def other_inks(versions: list[Version], tone: str) -> list[tuple[int, int, int]]:
    """OTHER_INKS of `tone` that are INK_DISTANCE or more from every colour of the artwork
    (all of them when none is)."""
    from profilecheck.core.colour import delta_e, rgb_to_lab

    own = [rgb_to_lab(c) for c in palette(versions)]
    inks = [
        ink
        for ink in OTHER_INKS[tone]
        if all(delta_e(rgb_to_lab(ink), c) >= INK_DISTANCE for c in own)
    ]
    return inks or OTHER_INKS[tone]


def positive(
    rng: np.random.Generator,
    index: int,
    folder: Path,
    size: tuple[int, int],
    angle: float | None = None,
    versions: list[Version] | None = None,
    variant: str | None = None,
) -> Case:
    versions = versions or _bundled_cache()
    chosen = versions[index % len(versions)]
    tone, art = chosen.tone, chosen.pixels
    width, height = size
    if variant is None:
        variant = rng.choice(
            ["clean"] * 10 + ["stretch"] * 4 + ["recolour"] * 2 + ["mirror"] * 2 + ["occlude"]
        )
    aspect = float(rng.choice([-1, 1]) * rng.uniform(0.03, 0.40) + 1) if variant == "stretch" else 1
    angle = turn(rng) if angle is None else angle
    # A bare vapen is drawn symmetric (mirrored, it differs from the artwork by a pixel's edge
    # along the waves): only a logotype, whose name reads backwards, can be seen mirrored.
    mirror = variant == "mirror" and chosen.layout != "vapen"
    shield_fraction = chosen.shield[3] / art.shape[0]
    limit = _height_limit(art.shape[1] / art.shape[0] * aspect, angle, width, height)
    logo_height = int(math.exp(rng.uniform(math.log(24 / shield_fraction), math.log(limit))))
    case = Case("", True, chosen.name, round(logo_height * shield_fraction), aspect, angle, mirror)
    case.tone, case.layout = tone, chosen.layout
    case.shield_width = chosen.shield[2] * logo_height / art.shape[0] * aspect
    if variant == "recolour" and tone == "colour":
        art = hue_shift(art, float(rng.choice([-1, 1]) * rng.uniform(40, 120)))
        case.recolour_delta_e = 20.0
    elif variant == "recolour":  # a one-colour version printed in another ink
        inks = other_inks(versions, tone)
        art = reinked(art, inks[index % len(inks)], tone)
        case.recolour_delta_e = 20.0
        case.other_ink = True
    placed = transformed(art, logo_height, aspect, angle, mirror)
    canvas = background(rng, width, height, dark=tone == "white")
    x = int(rng.integers(0, max(1, width - placed.shape[1])))
    y = int(rng.integers(0, max(1, height - placed.shape[0])))
    composite(canvas, placed, x, y)
    case.box = [x, y, min(width, x + placed.shape[1]), min(height, y + placed.shape[0])]
    if variant == "occlude":
        cover = int(placed.shape[1] * rng.uniform(0.05, 0.15))
        canvas[y : y + placed.shape[0], x : x + cover] = canvas[y, max(0, x - 1)]
        case.extras.append("occluded")
    return _save(canvas, rng, folder, f"pos-{index:04d}", case)


_BUNDLED: list[Version] = []


def _bundled_cache() -> list[Version]:
    if not _BUNDLED:
        _BUNDLED.extend(bundled())
    return _BUNDLED


def negative(rng: np.random.Generator, index: int, folder: Path, size: tuple[int, int]) -> Case:
    width, height = size
    canvas = background(rng, width, height, dark=bool(rng.random() < 0.3))
    style = index % 4
    h = int(rng.uniform(40, height * 0.8))
    w = int(h * rng.uniform(0.75, 0.9))
    x = int(rng.integers(0, max(1, width - w)))
    y = int(rng.integers(0, max(1, height - h)))
    green, blue = (30, 123, 60), (11, 90, 166)
    if style in (0, 1):  # another coat of arms: shield shape, other charge and tinctures
        field_colour = tuple(int(c) for c in rng.choice([(255, 255, 255), blue, (200, 30, 30)]))
        shield = np.array(
            [
                (x, y),
                (x + w, y),
                (x + w, y + int(h * 0.6)),
                (x + w // 2, y + h),
                (x, y + int(h * 0.6)),
            ]
        )
        cv2.fillPoly(canvas, [shield], field_colour)
        cv2.polylines(canvas, [shield], True, (26, 26, 26), max(1, w // 60))
        charge = tuple(int(c) for c in rng.choice([green, (230, 200, 40), (20, 20, 20)]))
        if style == 0:  # a cross
            cv2.rectangle(
                canvas, (x + w * 2 // 5, y + h // 8), (x + w * 3 // 5, y + h * 3 // 4), charge, -1
            )
            cv2.rectangle(
                canvas, (x + w // 6, y + h // 3), (x + w * 5 // 6, y + h * 4 // 9), charge, -1
            )
        else:  # a star over a bar
            centre = (x + w // 2, y + h // 3)
            points = [
                (
                    centre[0] + int(math.cos(a) * w * (0.3 if k % 2 == 0 else 0.12)),
                    centre[1] + int(math.sin(a) * w * (0.3 if k % 2 == 0 else 0.12)),
                )
                for k, a in enumerate(np.linspace(-math.pi / 2, 3 * math.pi / 2, 11)[:10])
            ]
            cv2.fillPoly(canvas, [np.array(points)], charge)
            cv2.rectangle(canvas, (x + 2, y + h * 2 // 3), (x + w - 2, y + h * 3 // 4), blue, -1)
    elif style == 2:  # green and blue graphics that are not the vapen
        for k in range(int(rng.integers(3, 8))):
            cx, cy = int(rng.integers(0, width)), int(rng.integers(0, height))
            colour = green if k % 2 else blue
            cv2.ellipse(
                canvas,
                (cx, cy),
                (int(rng.integers(10, 80)), int(rng.integers(10, 80))),
                float(rng.uniform(0, 180)),
                0,
                360,
                colour,
                -1,
            )
        xs = np.arange(width)
        for k in range(3):
            ys = (height * (0.5 + 0.1 * k) + 8 * np.sin(xs / 12)).astype(np.int32)
            cv2.polylines(canvas, [np.stack([xs, ys], 1)], False, blue, 6)
    return _save(canvas, rng, folder, f"neg-{index:04d}", Case("", False))


def _save(
    canvas: np.ndarray, rng: np.random.Generator, folder: Path, stem: str, case: Case
) -> Case:
    if rng.random() < 0.3:
        canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.4, 1.0))
        case.extras.append("blur")
    if rng.random() < 0.5:
        quality = int(rng.integers(30, 96))
        path = folder / f"{stem}.jpg"
        Image.fromarray(canvas).save(path, quality=quality)
        case.extras.append(f"jpeg{quality}")
    else:
        path = folder / f"{stem}.png"
        Image.fromarray(canvas).save(path)
    case.file = str(path)
    return case


def generate(
    folder: Path,
    positives: int,
    negatives: int,
    seed: int = 4,
    versions: list[Version] | None = None,
) -> list[Case]:
    """Cases placing `versions` (default: the bundled Ale artwork)."""
    rng = np.random.default_rng(seed)
    sizes = [(800, 600), (640, 480), (1000, 700), (600, 800)]
    cases = [positive(rng, i, folder, sizes[i % 4], versions=versions) for i in range(positives)]
    cases += [negative(rng, i, folder, sizes[i % 4]) for i in range(negatives)]
    (folder / "labels.json").write_text(json.dumps([asdict(c) for c in cases], indent=1))
    return cases


def recoloured(
    folder: Path, count: int, seed: int, versions: list[Version] | None = None
) -> list[Case]:
    """`count` more positives, every one recoloured: the colour versions with their hues
    turned, the one-colour ones printed in another ink, in turn (the main cases recolour one
    in ten, too few to measure with a short run)."""
    rng = np.random.default_rng(seed + 1)
    folder = folder / "recoloured"
    folder.mkdir(exist_ok=True)
    sizes = [(800, 600), (640, 480), (1000, 700), (600, 800)]
    versions = versions or _bundled_cache()
    colour = [k for k, v in enumerate(versions) if v.tone == "colour"]
    other = [k for k, v in enumerate(versions) if v.tone != "colour"] or colour
    cases = []
    for i in range(count):
        pool = colour if i % 2 == 0 else other
        index = pool[(i // 2) % len(pool)] + len(versions) * i  # alternately colour, one-colour
        cases.append(
            positive(rng, index, folder, sizes[i % 4], versions=versions, variant="recolour")
        )
    return cases


def two_megapixel(
    folder: Path,
    count: int,
    seed: int = 5,
    marks: str = "upright",
    versions: list[Version] | None = None,
) -> list[Path]:
    """Photo-like 1732×1155 pictures for the speed figures, each with one colour vapen
    (`marks`: "upright" or "turned" anywhere on the circle) or with none ("none"): the first
    of `versions`, the colour vapen."""
    rng = np.random.default_rng(seed)
    folder = folder / f"speed-{marks}"  # apart from the accuracy cases, which --keep keeps
    folder.mkdir(exist_ok=True)
    paths = []
    for index in range(count):
        if marks == "none":
            case = negative(rng, index, folder, (1732, 1155))
        else:
            angle = 0.0 if marks == "upright" else float(rng.uniform(40, 320))
            versions = versions or _bundled_cache()
            case = positive(rng, index * len(versions), folder, (1732, 1155), angle, versions)
        paths.append(Path(case.file))
    return paths
