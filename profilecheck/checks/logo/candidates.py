"""Where the mark may be: the guesses the search (profilecheck.checks.logo.mark_search) verifies.

Two passes over a reduced grey copy of the picture, each over a pyramid of scales:

`upright` correlates the template at four heights per octave (normalised cross-correlation;
flat windows zeroed, so flat templates cannot score NaN or 1.0; negative peaks are white-on-dark
marks). Its peaks are marks turned up to ~25° either way, the common case.

`turned` finds marks turned by any angle. The template turned by 45°, 90°, ... 315° is
correlated inside a disc around the shield's centre, which turns with it, so the picture's
statistics under the disc serve every angle; three heights per octave, on a coarser copy. The
best angle at each peak starts the alignment, which converges from 25° away. Cheaper ways were
measured and fail: a template averaged over all angles (a ring) scores blobs as high as marks,
and the turned templates have no small basis (five components keep half their energy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from profilecheck.checks.logo.artwork import MarkModel

UPRIGHT_HEIGHTS = (16, 19, 23, 27)  # template heights per octave of the search pyramid
UPRIGHT_SCALE = 0.45  # marks of 40 px are ~18 px in the coarse image
UPRIGHT_MAX_PIXELS = 600_000
THRESHOLD = 0.42
MAX_CANDIDATES = 12
TURNED_HEIGHTS = (12, 15, 19)  # a mark of 40 px is 12 px tall at TURNED_SCALE
TURNED_SCALE = 0.3
TURNED_MAX_PIXELS = 270_000
TURNED_ANGLES = (45, 90, 135, 180, 225, 270, 315)  # upright: the upright pass
TURNED_RADIUS = 0.42  # of the shield's height: the disc stays inside the shield
TURNED_THRESHOLD = 0.45
TURNED_CANDIDATES = 16
TURNED_PER_OCTAVE = 4
FLAT_VARIANCE = 30.0  # grey levels²: a window this flat has no mark in it


@dataclass(frozen=True)
class Guess:
    """Where a mark may be: the centre of its template frame and its height, in the picture's
    pixels; the angle it is turned by (degrees, counter-clockwise); sign -1 for a mark lighter
    than what it stands on; the coarse correlation."""

    x: float
    y: float
    height: float
    angle: float
    sign: int
    score: float


def reduced(image: Any, scale: float, max_pixels: int) -> tuple[Any, float]:
    """The grey picture scaled by at most `scale` and to at most `max_pixels`, as float32."""
    import cv2
    import numpy as np

    height, width = image.shape
    factor = min(1.0, scale, math.sqrt(max_pixels / (height * width)))
    if factor < 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return image.astype(np.float32), factor


def upright(image: Any, model: MarkModel) -> list[Guess]:
    """Likely upright marks in the grey picture, best first."""
    picture, scale = reduced(image, UPRIGHT_SCALE, UPRIGHT_MAX_PIXELS)
    templates = _scaled(model, "upright", _upright_templates)
    guesses: list[Guess] = []
    level, factor = picture, 1.0 / scale
    while min(level.shape) >= UPRIGHT_HEIGHTS[0]:
        square = level * level
        for small in templates:
            th, tw = small.shape
            if th > level.shape[0] or tw > level.shape[1]:
                continue
            scores = _ncc(level, square, small)
            for x, y, score in _peaks(scores, tw, th, THRESHOLD, MAX_CANDIDATES):
                centre = ((x + tw / 2) * factor, (y + th / 2) * factor)
                sign = 1 if score > 0 else -1
                guesses.append(Guess(*centre, th * factor, 0.0, sign, score))
        level = _half(level)
        factor *= 2
    return _strongest(guesses, MAX_CANDIDATES)


def turned(image: Any, model: MarkModel) -> list[Guess]:
    """Likely marks turned 45° or more in the grey picture, best first: each with the nearest
    of TURNED_ANGLES."""
    import cv2

    picture, scale = reduced(image, TURNED_SCALE, TURNED_MAX_PIXELS)
    discs = _scaled(model, "turned", _turned_templates)
    guesses: list[Guess] = []
    level, factor = picture, 1.0 / scale
    while min(level.shape) >= discs[TURNED_HEIGHTS[0]][0].shape[0]:
        found: list[Guess] = []
        square = level * level
        for th in TURNED_HEIGHTS:
            disc, templates = discs[th]
            side = disc.shape[0]
            if side > min(level.shape):
                continue
            scale_of = _disc_normaliser(level, square, disc)
            maps = [cv2.matchTemplate(level, t, cv2.TM_CCORR) for t in templates]
            strongest = abs(maps[0])
            for one in maps[1:]:
                strongest = cv2.max(strongest, abs(one))
            strongest *= scale_of
            for x, y, _ in _peaks(strongest, side, side, TURNED_THRESHOLD, TURNED_CANDIDATES):
                scores = [float(one[y, x] * scale_of[y, x]) for one in maps]
                best = max(range(len(scores)), key=lambda i: abs(scores[i]))
                score = scores[best]
                centre = ((x + side / 2) * factor, (y + side / 2) * factor)
                sign = 1 if score > 0 else -1
                angle = float(TURNED_ANGLES[best])
                found.append(Guess(*centre, th * factor, angle, sign, score))
        # Small templates match parts of a large mark (its waves) and clutter better than the
        # large ones match the whole: each octave keeps its best.
        guesses += _strongest(found, TURNED_PER_OCTAVE)
        level = _half(level)
        factor *= 2
    return _strongest(guesses, TURNED_CANDIDATES, same_size=True)


def near(a: Guess, b: Guess) -> bool:
    """Whether two guesses are the same place (within half the larger mark's height)."""
    reach = 0.5 * max(a.height, b.height)
    return abs(a.x - b.x) < reach and abs(a.y - b.y) < reach


def _strongest(guesses: list[Guess], count: int, same_size: bool = False) -> list[Guess]:
    """The `count` strongest guesses, none near a stronger one (`same_size`: of about its
    height; a guess at another scale is another hypothesis)."""
    guesses.sort(key=lambda g: -abs(g.score))
    kept: list[Guess] = []
    for guess in guesses:
        if not any(
            near(guess, other) and (not same_size or _alike(guess, other)) for other in kept
        ):
            kept.append(guess)
        if len(kept) >= count:
            break
    return kept


def _alike(a: Guess, b: Guess) -> bool:
    return max(a.height, b.height) < 1.5 * min(a.height, b.height)


def _half(level: Any) -> Any:
    import cv2

    size = (level.shape[1] // 2, level.shape[0] // 2)
    return cv2.resize(level, size, interpolation=cv2.INTER_AREA)


def _ncc(picture: Any, square: Any, template: Any) -> Any:
    """Normalised cross-correlation (OpenCV's TM_CCOEFF_NORMED) with flat windows, which give
    spurious ±1, set to 0: the correlation with the zero-mean template over the window's
    spread, from the box filters the flat test needs anyway (half OpenCV's time)."""
    import cv2
    import numpy as np

    th, tw = template.shape
    scores = cv2.matchTemplate(picture, template, cv2.TM_CCORR)
    rows, columns = scores.shape
    mean = cv2.boxFilter(picture, -1, (tw, th), anchor=(0, 0))[:rows, :columns]
    variance = cv2.boxFilter(square, -1, (tw, th), anchor=(0, 0))[:rows, :columns]
    variance -= mean * mean
    flat = variance < FLAT_VARIANCE
    np.maximum(variance, FLAT_VARIANCE, out=variance)
    scores /= cv2.sqrt(variance * (tw * th))
    scores[flat] = 0.0
    return scores


def _disc_normaliser(level: Any, square: Any, disc: Any) -> Any:
    """1 / the picture's spread under the disc at each place (0 where it is flat): a turned
    template's correlation times this is its normalised correlation."""
    import cv2
    import numpy as np

    count = float(disc.sum())
    mean = cv2.matchTemplate(level, disc, cv2.TM_CCORR) / count
    variance = cv2.matchTemplate(square, disc, cv2.TM_CCORR) / count - mean * mean
    normaliser = 1.0 / np.sqrt(np.maximum(variance, FLAT_VARIANCE) * count)
    normaliser[variance < FLAT_VARIANCE] = 0.0
    return normaliser


def _scaled(model: MarkModel, key: str, build: Any) -> Any:
    """Templates a pass uses, built from the model's once."""
    if key not in model.scaled:
        model.scaled[key] = build(model.template)
    return model.scaled[key]


def _upright_templates(template: Any) -> list[Any]:
    """The template at each of UPRIGHT_HEIGHTS, zero-mean and of unit norm."""
    import cv2
    import numpy as np

    height, width = template.shape
    scaled = []
    for th in UPRIGHT_HEIGHTS:
        tw = max(3, round(width * th / height))
        small = cv2.resize(template, (tw, th), interpolation=cv2.INTER_AREA)
        zero_mean = small - small.mean()
        scaled.append(zero_mean / max(1e-6, float(np.sqrt((zero_mean**2).sum()))))
    return [s.astype(np.float32) for s in scaled]


def _turned_templates(template: Any) -> dict[int, tuple[Any, list[Any]]]:
    """Per height of TURNED_HEIGHTS: the disc and the template turned by each of TURNED_ANGLES
    inside it, zero-mean and of unit norm there (zero outside)."""
    return {th: _turned_at(template, th) for th in TURNED_HEIGHTS}


def _turned_at(template: Any, th: int) -> tuple[Any, list[Any]]:
    import cv2
    import numpy as np

    height, width = template.shape
    size = (max(3, round(width * th / height)), th)
    small = cv2.resize(template, size, interpolation=cv2.INTER_AREA)
    radius = TURNED_RADIUS * th
    side = math.ceil(2 * radius) | 1
    centre = (width * th / height / 2, th / 2)  # the template's centre (its last column pads)
    ys, xs = np.mgrid[:side, :side] + 0.5
    disc = (np.hypot(xs - side / 2, ys - side / 2) <= radius).astype(np.float32)
    turned = []
    for angle in TURNED_ANGLES:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        matrix[:, 2] += (side / 2 - centre[0], side / 2 - centre[1])
        drawn = cv2.warpAffine(small, matrix, (side, side), borderMode=cv2.BORDER_REPLICATE)
        zero_mean = (drawn - drawn[disc > 0].mean()) * disc
        turned.append((zero_mean / np.sqrt((zero_mean * zero_mean).sum())).astype(np.float32))
    return disc, turned


def _peaks(
    scores: Any, tw: int, th: int, threshold: float, count: int
) -> list[tuple[int, int, float]]:
    """Local maxima of |scores| above `threshold` (at most `count`, strongest first): x, y and
    the signed score."""
    import cv2
    import numpy as np

    strength = np.abs(scores)
    kernel = np.ones((max(3, th // 2), max(3, tw // 2)), np.uint8)
    local = (strength >= cv2.dilate(strength, kernel)) & (strength > threshold)
    ys, xs = np.nonzero(local)
    order = np.argsort(-strength[ys, xs])[:count]
    return [(int(xs[i]), int(ys[i]), float(scores[ys[i], xs[i]])) for i in order]
