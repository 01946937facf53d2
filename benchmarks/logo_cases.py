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

ARTWORK = Path(__file__).resolve().parents[1] / "rules" / "ale" / "artwork" / "png"
KINDS = ("vapen", "logotype-horizontal", "logotype-stacked")
TONES = ("colour", "black", "white")


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


def folded(angle: float) -> float:
    """|angle| folded to 0–180°: how far a mark is turned from upright, either way."""
    return abs((angle + 180) % 360 - 180)


# Bands of the folded angle the benchmark reports separately (upright marks are in the first).
ANGLE_BANDS = ((0.0, 40.0), (40.0, 135.0), (135.0, 180.0))


def band_of(angle: float) -> str:
    turned = folded(angle)
    low, high = next(b for b in ANGLE_BANDS if b[0] <= turned < b[1] or b[1] == 180.0)
    return f"{low:.0f}–{high:.0f}°"


def _artwork(name: str) -> np.ndarray:
    with Image.open(ARTWORK / f"{name}-print.png") as image:
        return np.asarray(image.convert("RGBA")).copy()


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


def positive(
    rng: np.random.Generator,
    index: int,
    folder: Path,
    size: tuple[int, int],
    angle: float | None = None,
) -> Case:
    kind, tone = KINDS[index % 3], TONES[(index // 3) % 3]
    version = f"{kind}-{tone}"
    art = _artwork(version)
    width, height = size
    variant = rng.choice(
        ["clean"] * 10 + ["stretch"] * 4 + ["recolour"] * 2 + ["mirror"] * 2 + ["occlude"]
    )
    aspect = float(rng.choice([-1, 1]) * rng.uniform(0.03, 0.40) + 1) if variant == "stretch" else 1
    angle = turn(rng) if angle is None else angle
    # The bare vapen is drawn symmetric (mirrored, it differs from the artwork by a pixel's edge
    # along the waves): only a logotype, whose name reads backwards, can be seen mirrored.
    mirror = variant == "mirror" and kind != "vapen"
    shield_fraction = art.shape[0] / art.shape[0]  # every layout: the shield is the full height
    if kind == "logotype-stacked":
        shield_fraction = 240 / 305.55
    limit = _height_limit(art.shape[1] / art.shape[0] * aspect, angle, width, height)
    logo_height = int(math.exp(rng.uniform(math.log(24 / shield_fraction), math.log(limit))))
    case = Case("", True, version, round(logo_height * shield_fraction), aspect, angle, mirror)
    if variant == "recolour" and tone == "colour":
        art = hue_shift(art, float(rng.choice([-1, 1]) * rng.uniform(40, 120)))
        case.recolour_delta_e = 20.0
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


def generate(folder: Path, positives: int, negatives: int, seed: int = 4) -> list[Case]:
    rng = np.random.default_rng(seed)
    sizes = [(800, 600), (640, 480), (1000, 700), (600, 800)]
    cases = [positive(rng, i, folder, sizes[i % 4]) for i in range(positives)]
    cases += [negative(rng, i, folder, sizes[i % 4]) for i in range(negatives)]
    (folder / "labels.json").write_text(json.dumps([asdict(c) for c in cases], indent=1))
    return cases


def two_megapixel(folder: Path, count: int, seed: int = 5, marks: str = "upright") -> list[Path]:
    """Photo-like 1732×1155 pictures for the speed figures, each with one colour vapen
    (`marks`: "upright" or "turned" anywhere on the circle) or with none ("none")."""
    rng = np.random.default_rng(seed)
    folder = folder / f"speed-{marks}"  # apart from the accuracy cases, which --keep keeps
    folder.mkdir(exist_ok=True)
    paths = []
    for index in range(count):
        if marks == "none":
            case = negative(rng, index, folder, (1732, 1155))
        else:
            angle = 0.0 if marks == "upright" else float(rng.uniform(40, 320))
            case = positive(rng, index * 9, folder, (1732, 1155), angle)
        paths.append(Path(case.file))
    return paths
