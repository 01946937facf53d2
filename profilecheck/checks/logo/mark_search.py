"""Searching a picture for the mark: where the vapen or logotype is, and its geometry.

Coarse multi-scale correlation proposes candidates (flat windows zeroed, so flat templates
cannot score NaN or 1.0; negative peaks catch white-on-dark marks); ECC aligns the template to
each candidate (affine: scale, aspect, rotation), then a second, masked alignment where the
mark draws measures it; the inner correlation and the charges' coverage reject other arms; the
measurement gives the mark's box, size, colours and version.
"""

from __future__ import annotations

import math
from typing import Any

from profilecheck.checks.logo.artwork import Detection, MarkModel
from profilecheck.checks.logo.mark_reading import (
    charge_coverage,
    covered_sides,
    inner_correlation,
    mark_quad,
    read_name,
    seen_through,
)
from profilecheck.checks.logo.raster import gray, lab_of, ring_lightness

COARSE_HEIGHTS = (16, 19, 23, 27)  # template heights per octave of the search pyramid
COARSE_SCALE = 0.45  # marks of 40 px are ~18 px in the coarse image
COARSE_MAX_PIXELS = 600_000
COARSE_THRESHOLD = 0.42
ACCEPT_CORRELATION = 0.62
INNER_CORRELATION = 0.5
CHARGE_COVERAGE = 0.8  # of the leaf and of the waves must stand out from the field
STRONG_CORRELATION = 0.68  # below this a match may not need much stretching
MAX_STRETCH_WEAK = 0.10
MAX_STRETCH = 0.6  # a strong match stretched by half is still the mark, distorted
MAX_CANDIDATES = 12


def find_marks(rgb: Any, model: MarkModel, min_height: float = 20) -> list[Detection]:
    """Every mark in an RGB picture, verified and measured, best first."""
    import cv2
    import numpy as np

    image = gray(rgb)
    height, width = image.shape
    scale = min(1.0, COARSE_SCALE, math.sqrt(COARSE_MAX_PIXELS / (height * width)))
    coarse = image
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        coarse = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    found: list[Detection] = []
    for x, y, h, sign, _ in _candidates(coarse.astype(np.float32), model.template):
        if h / scale < min_height:
            continue
        detection = _refine(image, rgb, model, (x / scale, y / scale, h / scale), sign)
        if detection is not None and not any(_overlap(detection, other) for other in found):
            found.append(detection)
    return found


def _candidates(picture: Any, template: Any) -> list[tuple[float, float, float, int, float]]:
    """(x, y, height, sign, score) of likely marks in the coarse picture, best first."""
    import cv2

    peaks: list[tuple[float, float, float, int, float]] = []
    level, factor = picture, 1.0
    while min(level.shape) >= COARSE_HEIGHTS[0]:
        for th in COARSE_HEIGHTS:
            tw = max(3, round(template.shape[1] * th / template.shape[0]))
            if th > level.shape[0] or tw > level.shape[1]:
                continue
            small = cv2.resize(template, (tw, th), interpolation=cv2.INTER_AREA)
            scores = _ncc(level, small)
            for x, y, score in _peaks(scores, tw, th):
                peaks.append((x * factor, y * factor, th * factor, 1 if score > 0 else -1, score))
        level = cv2.resize(level, (level.shape[1] // 2, level.shape[0] // 2), cv2.INTER_AREA)
        factor *= 2
    peaks.sort(key=lambda p: -abs(p[4]))
    kept: list[tuple[float, float, float, int, float]] = []
    for peak in peaks:
        if not any(_near(peak, other) for other in kept):
            kept.append(peak)
        if len(kept) >= MAX_CANDIDATES:
            break
    return kept


def _ncc(picture: Any, template: Any) -> Any:
    """TM_CCOEFF_NORMED with flat windows (which give spurious ±1) set to 0."""
    import cv2
    import numpy as np

    scores = cv2.matchTemplate(picture, template, cv2.TM_CCOEFF_NORMED)
    th, tw = template.shape
    mean = cv2.boxFilter(picture, -1, (tw, th), anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)
    square = cv2.boxFilter(picture * picture, -1, (tw, th), anchor=(0, 0))
    variance = (square - mean * mean)[: scores.shape[0], : scores.shape[1]]
    scores[variance < 30.0] = 0.0
    return np.nan_to_num(scores, nan=0.0, posinf=0.0, neginf=0.0)


def _peaks(scores: Any, tw: int, th: int) -> list[tuple[int, int, float]]:
    import cv2
    import numpy as np

    strength = np.abs(scores)
    kernel = np.ones((max(3, th // 2), max(3, tw // 2)), np.uint8)
    local = (strength >= cv2.dilate(strength, kernel)) & (strength > COARSE_THRESHOLD)
    ys, xs = np.nonzero(local)
    order = np.argsort(-strength[ys, xs])[:MAX_CANDIDATES]
    return [(int(xs[i]), int(ys[i]), float(scores[ys[i], xs[i]])) for i in order]


def _near(a: tuple, b: tuple) -> bool:
    return abs(a[0] - b[0]) < 0.5 * max(a[2], b[2]) and abs(a[1] - b[1]) < 0.5 * max(a[2], b[2])


def _overlap(a: Detection, b: Detection) -> bool:
    ax, ay = _centre(a.quad)
    bx, by = _centre(b.quad)
    return math.hypot(ax - bx, ay - by) < 0.5 * max(a.mark_width, b.mark_width)


def _centre(quad: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in quad) / 4, sum(p[1] for p in quad) / 4


def _refine(
    image: Any, rgb: Any, model: MarkModel, guess: tuple[float, float, float], sign: int
) -> Detection | None:
    """Align the template to the candidate with ECC (affine) and measure it."""
    import cv2
    import numpy as np

    x, y, h = guess
    th, tw = model.template.shape
    factor = th / h
    margin = 0.35 * h
    x0, y0 = max(0, int(x - margin)), max(0, int(y - margin))
    x1 = min(image.shape[1], int(x + h * tw / th + margin) + 1)
    y1 = min(image.shape[0], int(y + h + margin) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    size = (max(tw // 2, round((x1 - x0) * factor)), max(th // 2, round((y1 - y0) * factor)))
    factors = np.array([[size[0] / (x1 - x0)], [size[1] / (y1 - y0)]])
    method = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    patch = cv2.resize(image[y0:y1, x0:x1], size, interpolation=method).astype(np.float32)
    if sign < 0:
        patch = 255 - patch
    warp = np.array([[1, 0, (x - x0) * factor], [0, 1, (y - y0) * factor]], np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-4)
    try:
        score, warp = cv2.findTransformECC(
            model.template, patch, warp, cv2.MOTION_AFFINE, criteria, None, 5
        )
    except cv2.error:
        return None
    geometry = _decompose(warp)
    if score < ACCEPT_CORRELATION or geometry is None:
        return None
    aligned = _fine_alignment(model, patch, warp)
    if aligned is not None:
        warp, geometry = aligned
    if not _plausible(score, geometry):
        return None
    matrix = warp.astype(np.float64) / factors
    matrix[:, 2] += (x0, y0)
    if inner_correlation(image, model, matrix) * sign < INNER_CORRELATION:
        return None  # the outline of a shield, but not this one's charges
    if charge_coverage(image, model, matrix) < CHARGE_COVERAGE:
        return None  # another charge in the same colours (a star, a bar)
    return _measure(image, rgb, model, matrix, geometry, score, sign)


def _fine_alignment(model: MarkModel, patch: Any, warp: Any) -> tuple | None:
    """Align again where the mark draws, without blurring: the colour template over the shield's
    silhouette, each single-tone shape over its charges; the best correlation wins.

    The background around the shield, or showing through a transparent field (black and white
    versions), pulls a whole-frame alignment; and ECC's own Gaussian blur, applied to template and
    picture separately, narrows the measured width by about 0.5 %. So the coarse alignment only
    finds the mark, and this one measures it.
    """
    import cv2
    import numpy as np

    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-5)
    everywhere = np.full(patch.shape, 255, np.uint8)
    pairs = [(model.template, model.silhouette), *((s, model.charges) for s in model.shapes)]
    best, best_score = None, -1.0
    for template, mask in pairs:
        try:
            score, found = cv2.findTransformECCWithMask(
                template, patch, mask, everywhere, warp.copy(), cv2.MOTION_AFFINE, criteria, 1
            )
        except cv2.error:
            continue
        geometry = _decompose(found)
        if geometry is not None and score > best_score:
            best, best_score = (found, geometry), score
    return best


def _plausible(score: float, geometry: tuple[float, float, float, float]) -> bool:
    """A weak match that also needs a strong stretch to fit is another shape, not a distorted
    mark (seen on real photos and icons); a strong match may be stretched further."""
    scale_x, scale_y = geometry[:2]
    stretch = abs(scale_x / scale_y - 1)
    return stretch <= (MAX_STRETCH_WEAK if score < STRONG_CORRELATION else MAX_STRETCH)


def _decompose(warp: Any) -> tuple[float, float, float, float] | None:
    """(scale x, scale y, rotation ccw in degrees, shear) of an affine warp, if plausible."""
    a, b, c, d = float(warp[0, 0]), float(warp[0, 1]), float(warp[1, 0]), float(warp[1, 1])
    scale_x = math.hypot(a, c)
    if scale_x < 1e-6:
        return None
    scale_y = (a * d - b * c) / scale_x
    shear = (a * b + c * d) / (scale_x * abs(scale_y) + 1e-9)
    rotation = -math.degrees(math.atan2(c, a))
    if not (0.4 < scale_x < 2.5 and 0.4 < scale_y < 2.5) or abs(rotation) > 40 or abs(shear) > 0.2:
        return None
    return scale_x, scale_y, rotation, shear


def _measure(
    image: Any, rgb: Any, model: MarkModel, matrix: Any, geometry: tuple, score: float, sign: int
) -> Detection:
    import numpy as np

    scale_x, scale_y, rotation, _ = geometry
    th, tw = model.template.shape
    quad = mark_quad(model, matrix)
    aligned = seen_through(rgb, matrix, (tw, th))
    observed = {n: lab_of(np.median(aligned[m], axis=0)) for n, m in model.regions.items()}
    kind, mirrored, logo_quad = read_name(image, model, matrix, sign)
    box = _bounds(logo_quad)
    detection = Detection(
        quad=quad,
        box=box,
        mark_width=math.hypot(matrix[0, 0], matrix[1, 0]) * model.width,
        aspect_change=scale_x / scale_y,
        rotation=round(rotation, 2) + 0.0,
        mirrored=mirrored,
        score=float(score),
        kind=kind,
        observed=observed,
        covered=covered_sides(image, model, matrix),
    )
    detection.background_lightness = ring_lightness(rgb, box, max(2.0, 0.15 * detection.mark_width))
    return detection


def _bounds(quad: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return min(xs), min(ys), max(xs), max(ys)
