"""Where the mark may be: the guesses the search (profilecheck.checks.logo.mark_search) aligns.

Two passes, each over a pyramid of reduced grey copies of the picture:

`upright` correlates the template at four heights per octave (normalised cross-correlation;
flat windows zeroed, so flat templates cannot score NaN or 1.0; negative peaks are white-on-dark
marks). Its peaks are marks turned up to ~20° either way: the common case, searched as before.

`turned` finds marks turned by any other angle: the template turned by 30°, 60°, ... 330° is
correlated inside a disc around the shield's centre, which turns with it, so that the
picture's mean and spread under the disc, computed once, serve every angle (two heights per
octave, on a coarser copy). The best angle at each peak, and the best a quarter turn or more
away from it, start alignments, which converge from 15° away. Measured and dropped: steps of
45° (a mark 22° off correlates ~0.45, as much as text does, and a quarter of turned marks got
no guess), a template averaged over all angles (it scores any blob as high as the mark), a basis
of the turned templates (five components keep half their energy), and correlating the whole
turned template under its own mask (as good as the disc, at three times the cost).

Both passes correlate only around the picture's ink (`ink_box`: what is not the commonest grey,
the paper of a page render): elsewhere every window is flat and scores 0, so the guesses are
the same as over the whole picture (to float rounding), at a fraction of the cost on pages.
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
TURNED_HEIGHTS = (13, 18)  # per octave; a mark of 40 px is 12 px tall at TURNED_SCALE
TURNED_SCALE = 0.3
TURNED_MAX_PIXELS = 270_000
TURNED_ANGLES = tuple(range(30, 360, 30))  # upright marks: the upright pass
TURNED_RADIUS = 0.42  # of the shield's height: the disc stays inside the shield
TURNED_THRESHOLD = 0.45
TURNED_PEAKS = 24  # per correlation map
TURNED_PER_OCTAVE = 4  # small templates fit the parts of a large mark, and clutter, best
TURNED_CANDIDATES = 16
LOCAL_HEIGHT = 24  # the template's height in a search around one mark found
LOCAL_REACH = 1.0  # of the mark's height, either way
FLAT_VARIANCE = 30.0  # grey levels²: a window this flat has no mark in it
INK_MARGIN = 3  # level pixels around the ink box that reduction may have touched


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


def upright(image: Any, model: MarkModel, ink: Any = ()) -> list[Guess]:
    """Likely upright marks in the grey picture, best first. `ink`: its ink_box, if known."""
    ink = ink_box(image) if ink == () else ink
    if ink is None:
        return []  # one grey all over: every window is flat
    picture, scale = reduced(image, UPRIGHT_SCALE, UPRIGHT_MAX_PIXELS)
    templates = _scaled(model, "upright", _upright_templates)
    guesses: list[Guess] = []
    level, factor = picture, 1.0 / scale
    while min(level.shape) >= UPRIGHT_HEIGHTS[0]:
        for small in templates:
            th, tw = small.shape
            if th > level.shape[0] or tw > level.shape[1]:
                continue
            (cx, cy), part = _inked(level, ink, 1.0 / factor, tw, th)
            scores = _ncc(part, part * part, small)
            for x, y, score in _peaks(scores, tw, th, THRESHOLD, MAX_CANDIDATES):
                x, y = x + cx, y + cy
                centre = ((x + tw / 2) * factor, (y + th / 2) * factor)
                sign = 1 if score > 0 else -1
                guesses.append(Guess(*centre, th * factor, 0.0, sign, score))
        level = _half(level)
        factor *= 2
    return _strongest(guesses, MAX_CANDIDATES)


def turned(image: Any, model: MarkModel, ink: Any = ()) -> list[Guess]:
    """Likely marks turned 30° or more in the grey picture, best first: each with the nearest
    of TURNED_ANGLES (a place may be guessed at two angles). `ink`: its ink_box, if known."""
    import cv2

    ink = ink_box(image) if ink == () else ink
    if ink is None:
        return []
    picture, scale = reduced(image, TURNED_SCALE, TURNED_MAX_PIXELS)
    discs = _scaled(model, "turned", _turned_templates)
    guesses: list[Guess] = []
    level, factor = picture, 1.0 / scale
    while min(level.shape) >= discs[TURNED_HEIGHTS[0]][0].shape[0]:
        found: list[Guess] = []
        for th in TURNED_HEIGHTS:
            disc, templates = discs[th]
            side = disc.shape[0]
            if side > min(level.shape):
                continue
            (cx, cy), part = _inked(level, ink, 1.0 / factor, side, side)
            scale_of = _disc_normaliser(part, part * part, disc)
            maps = [cv2.matchTemplate(part, t, cv2.TM_CCORR) for t in templates]
            strongest = abs(maps[0])
            for one in maps[1:]:
                strongest = cv2.max(strongest, abs(one))
            strongest *= scale_of
            for x, y, _ in _peaks(strongest, side, side, TURNED_THRESHOLD, TURNED_PEAKS):
                scores = [float(one[y, x] * scale_of[y, x]) for one in maps]
                x, y = x + cx, y + cy
                centre = ((x + side / 2) * factor, (y + side / 2) * factor)
                for best in _two_angles(scores):
                    score, angle = scores[best], float(TURNED_ANGLES[best])
                    sign = 1 if score > 0 else -1
                    found.append(Guess(*centre, th * factor, angle, sign, score))
        # Small templates match parts of a large mark (its waves) and clutter better than the
        # large ones match the whole: each octave keeps its best.
        guesses += _strongest(found, TURNED_PER_OCTAVE, same_size=True)
        level = _half(level)
        factor *= 2
    return _strongest(guesses, TURNED_CANDIDATES, same_size=True)


def ink_box(image: Any) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1, exclusive) around every pixel of the grey picture that is not
    its commonest grey (the paper of a page render); None when there is none. Outside it
    every correlation window is flat, which scores 0: the passes correlate only around it."""
    import numpy as np

    paper = int(np.bincount(image[:: max(1, image.shape[0] // 64)].ravel()).argmax())
    other = image != paper
    rows = np.flatnonzero(other.any(axis=1))
    if len(rows) == 0:
        return None
    columns = np.flatnonzero(other[rows[0] : rows[-1] + 1].any(axis=0))
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def _inked(
    level: Any, ink: tuple[int, int, int, int], scale: float, tw: int, th: int
) -> tuple[tuple[int, int], Any]:
    """The part of a pyramid level (`scale` of the picture) where a tw×th window may touch
    the ink, and its top-left corner in the level. Reduced pictures smear a pixel into its
    neighbours: the box widens by INK_MARGIN level pixels either way."""
    height, width = level.shape
    x0 = max(0, int(ink[0] * scale) - INK_MARGIN - tw)
    y0 = max(0, int(ink[1] * scale) - INK_MARGIN - th)
    x1 = min(width, int(ink[2] * scale) + 1 + INK_MARGIN + tw)
    y1 = min(height, int(ink[3] * scale) + 1 + INK_MARGIN + th)
    if x1 - x0 < tw or y1 - y0 < th:
        x0, y0, x1, y1 = 0, 0, width, height
    return (x0, y0), level[y0:y1, x0:x1]


def local_fits(image: Any, model: MarkModel, guess: Guess, angles: list[float]) -> list[Guess]:
    """The guess moved to where the template, turned by each of `angles` (to the nearest 15°),
    fits best within LOCAL_REACH of it; each scored by the normalised correlation there under
    the shield's silhouette, on a copy where the template is LOCAL_HEIGHT tall."""
    import cv2
    import numpy as np

    k = LOCAL_HEIGHT / guess.height
    reach = LOCAL_REACH * guess.height
    x0, y0 = max(0, int(guess.x - reach)), max(0, int(guess.y - reach))
    x1 = min(image.shape[1], int(guess.x + reach) + 1)
    y1 = min(image.shape[0], int(guess.y + reach) + 1)
    size = (max(1, round((x1 - x0) * k)), max(1, round((y1 - y0) * k)))
    region = cv2.resize(image[y0:y1, x0:x1], size, interpolation=cv2.INTER_AREA)
    region = (region if guess.sign > 0 else 255 - region).astype(np.float32)
    fits = []
    for angle in angles:
        angle = nearest_step(angle)
        drawn, mask = _local_template(model, angle)
        frame = drawn.shape[::-1]
        if frame[0] > size[0] or frame[1] > size[1]:
            continue
        scores = cv2.matchTemplate(region, drawn, cv2.TM_CCOEFF_NORMED, mask=mask)
        _, best, _, (bx, by) = cv2.minMaxLoc(np.nan_to_num(scores))
        centre = (x0 + (bx + frame[0] / 2) / k, y0 + (by + frame[1] / 2) / k)
        fits.append(Guess(*centre, guess.height, angle, guess.sign, float(best)))
    return fits


def nearest_step(angle: float) -> float:
    """The angle to the nearest 15°, in [0, 360): the turns local_fits tries."""
    return 15.0 * round(angle / 15.0) % 360.0


def _local_template(model: MarkModel, angle: float) -> tuple[Any, Any]:
    """The template LOCAL_HEIGHT tall, turned by `angle` in the frame around it, and the
    shield's silhouette there (the correlation's mask: what lies around the mark is not the
    template's white)."""
    import cv2
    import numpy as np

    key = ("local", angle)
    if key not in model.scaled:
        th, tw = model.template.shape
        size = (max(3, round(tw * LOCAL_HEIGHT / th)), LOCAL_HEIGHT)
        small = cv2.resize(model.template, size, interpolation=cv2.INTER_AREA)
        shape = cv2.resize(model.silhouette.astype(np.float32), size, interpolation=cv2.INTER_AREA)
        sh, sw = small.shape
        c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        frame = (math.ceil(sw * c + sh * s), math.ceil(sw * s + sh * c))
        matrix = cv2.getRotationMatrix2D((sw / 2, sh / 2), angle, 1.0)
        matrix[:, 2] += ((frame[0] - sw) / 2, (frame[1] - sh) / 2)
        drawn = cv2.warpAffine(small, matrix, frame, borderValue=255)
        mask = (cv2.warpAffine(shape, matrix, frame) > 0.5).astype(np.uint8)
        model.scaled[key] = (drawn, mask)
    return model.scaled[key]


def near(a: Guess, b: Guess) -> bool:
    """Whether two guesses are the same place (within half the larger mark's height)."""
    reach = 0.5 * max(a.height, b.height)
    return abs(a.x - b.x) < reach and abs(a.y - b.y) < reach


def _strongest(guesses: list[Guess], count: int, same_size: bool = False) -> list[Guess]:
    """The `count` strongest guesses, none near a stronger one (`same_size`: one of about its
    height and angle; at another scale or a quarter turn away it is another hypothesis)."""
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


def _two_angles(scores: list[float]) -> list[int]:
    """The best of TURNED_ANGLES by its score, and the best a quarter turn or more from it
    when that scores above TURNED_THRESHOLD too: the disc often takes the shield upside down,
    whose waves and leaf lie where the other's do."""
    order = sorted(range(len(scores)), key=lambda i: -abs(scores[i]))
    best = order[0]
    for other in order[1:]:
        if abs(scores[other]) <= TURNED_THRESHOLD:
            break
        if _turn(TURNED_ANGLES[other] - TURNED_ANGLES[best]) >= 90:
            return [best, other]
    return [best]


def _turn(degrees: float) -> float:
    """How far an angle is from upright, either way: 0–180."""
    return abs((degrees + 180.0) % 360.0 - 180.0)


def _alike(a: Guess, b: Guess) -> bool:
    """Of about the same height and angle: the same hypothesis."""
    size = max(a.height, b.height) < 1.5 * min(a.height, b.height)
    return size and _turn(a.angle - b.angle) < 90


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
