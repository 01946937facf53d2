"""Searching a picture for the mark: where the vapen or logotype is, and its geometry.

Guesses come from profilecheck.checks.logo.candidates: an upright pass, and a pass for marks
turned by any angle. ECC aligns the template to each guess (affine: scale, aspect, rotation,
starting from the guess's angle), then a second, masked alignment where the mark draws measures
it; the inner correlation and the charges' coverage reject other arms; the measurement gives the
mark's box, size, colours, angle and version. Where guesses overlap, the best alignment wins.

A guess that is the mark by its charges but whose alignment cannot be trusted (it will not
converge, or gives a shape no use of the mark has: sheared, folded, stretched beyond half) is
`Unmeasured`: the caller says the mark was not checked rather than that there is none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from profilecheck.checks.logo import candidates
from profilecheck.checks.logo.artwork import Detection, MarkModel
from profilecheck.checks.logo.candidates import Guess
from profilecheck.checks.logo.mark_reading import (
    charge_coverage,
    covered_sides,
    inner_correlation,
    mark_quad,
    read_name,
    seen_through,
)
from profilecheck.checks.logo.raster import gray, lab_of, ring_lightness

ACCEPT_CORRELATION = 0.62
QUICK_CORRELATION = 0.55  # of the rough alignment at half size
QUICK_STEPS = 15
INNER_CORRELATION = 0.5
CHARGE_COVERAGE = 0.8  # of the leaf and of the waves must stand out from the field
STRONG_CORRELATION = 0.68  # below this a match may not need much stretching
MAX_STRETCH_WEAK = 0.10
MAX_STRETCH = 0.6  # a strong match stretched by half is still the mark, distorted
MAX_TURN = 40.0  # degrees the alignment may turn away from its guess
UNMEASURED_GUESS = 0.6  # a guess this strong whose alignment fails may be the mark
UNMEASURED_INNER = 0.6  # ... when its charges, seen at the guess, are the vapen's this much


@dataclass
class Unmeasured:
    """Something the search takes for the mark but could not measure: where (picture pixels,
    from the guess) and why ("no-alignment": the alignment did not converge or came out a shape
    no use of the mark has)."""

    box: tuple[float, float, float, float]
    angle: float
    why: str
    score: float


@dataclass
class MarkSearch:
    found: list[Detection] = field(default_factory=list)  # verified and measured, best first
    unmeasured: list[Unmeasured] = field(default_factory=list)


def find_marks(rgb: Any, model: MarkModel, min_height: float = 20) -> list[Detection]:
    """Every mark in an RGB picture, verified and measured, best first."""
    return search_marks(rgb, model, min_height).found


def search_marks(rgb: Any, model: MarkModel, min_height: float = 20) -> MarkSearch:
    """Every mark in an RGB picture at any angle: the ones measured, and the guesses that are
    the mark by their charges but could not be measured."""
    image = gray(rgb)
    guesses = candidates.upright(image, model)
    guesses += candidates.turned(image, model)
    found: list[tuple[Detection, Guess]] = []
    failed: list[Guess] = []
    for guess in guesses:
        if guess.height < min_height:
            continue
        if any(candidates.near(guess, other) and d.score > 0.9 for d, other in found):
            continue  # a near-perfect alignment here already
        detection = _refine(image, rgb, model, guess)
        if detection is not None:
            found.append((detection, guess))
        else:
            failed.append(guess)
    search = MarkSearch()
    for detection, guess in sorted(found, key=lambda pair: -pair[0].score):
        if not any(_overlap(detection, other) for other in search.found):
            best = _best_turn(image, rgb, model, detection, guess.sign)
            if not any(_overlap(best, other) for other in search.found):
                search.found.append(best)
    for guess in failed:
        if any(_covers(detection, guess) for detection in search.found):
            continue
        if any(_covers_guess(other, guess) for other in search.unmeasured):
            continue
        if _looks_like_mark(image, model, guess):
            search.unmeasured.append(_unmeasured(model, guess))
    return search


def _best_turn(image: Any, rgb: Any, model: MarkModel, found: Detection, sign: int) -> Detection:
    """The mark found, or the same place turned by a quarter, a half or three quarters if that
    aligns better: upside down, the shield still fits the shield, and the waves the leaf (a
    little off its place, where a local search finds it)."""
    best = found
    for guess in _turned_here(image, model, found, sign):
        other = _refine(image, rgb, model, guess)
        if other is not None and other.score > best.score:
            best = other
    return best


LOCAL_HEIGHT = 24  # the template's height in the local search around a mark found


def _turned_here(image: Any, model: MarkModel, found: Detection, sign: int) -> list[Guess]:
    """Where the mark found fits best turned by each quarter turn, around where it was found."""
    import cv2
    import numpy as np

    x, y = _centre(found.quad)
    height = math.dist(found.quad[0], found.quad[3])
    scale = LOCAL_HEIGHT / height
    reach = 1.2 * height
    x0, y0 = max(0, int(x - reach)), max(0, int(y - reach))
    x1, y1 = min(image.shape[1], int(x + reach) + 1), min(image.shape[0], int(y + reach) + 1)
    size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
    region = cv2.resize(image[y0:y1, x0:x1], size, interpolation=cv2.INTER_AREA)
    region = region.astype(np.float32) if sign > 0 else (255 - region).astype(np.float32)
    th, tw = model.template.shape
    small = cv2.resize(
        model.template,
        (round(tw * scale * height / th), LOCAL_HEIGHT),
        interpolation=cv2.INTER_AREA,
    )
    guesses = []
    for turn in (90.0, 180.0, 270.0):
        angle = found.rotation + turn
        c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        sw, sh = small.shape[1], small.shape[0]
        side = (math.ceil(sw * c + sh * s), math.ceil(sw * s + sh * c))
        if side[0] > region.shape[1] or side[1] > region.shape[0]:
            continue
        matrix = cv2.getRotationMatrix2D((sw / 2, sh / 2), angle, 1.0)
        matrix[:, 2] += ((side[0] - sw) / 2, (side[1] - sh) / 2)
        turned = cv2.warpAffine(small, matrix, side, borderValue=255)
        scores = cv2.matchTemplate(region, turned, cv2.TM_CCOEFF_NORMED)
        _, _, _, (bx, by) = cv2.minMaxLoc(np.nan_to_num(scores))
        centre = (x0 + (bx + side[0] / 2) / scale, y0 + (by + side[1] / 2) / scale)
        guesses.append(Guess(*centre, height, angle, sign, 1.0))
    return guesses


def _overlap(a: Detection, b: Detection) -> bool:
    ax, ay = _centre(a.quad)
    bx, by = _centre(b.quad)
    return math.hypot(ax - bx, ay - by) < 0.5 * max(a.mark_width, b.mark_width)


def _covers(detection: Detection, guess: Guess) -> bool:
    x, y = _centre(detection.quad)
    return math.hypot(x - guess.x, y - guess.y) < 0.6 * max(detection.mark_width, guess.height)


def _covers_guess(unmeasured: Unmeasured, guess: Guess) -> bool:
    x0, y0, x1, y1 = unmeasured.box
    return x0 <= guess.x <= x1 and y0 <= guess.y <= y1


def _centre(quad: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in quad) / 4, sum(p[1] for p in quad) / 4


def _guess_matrix(model: MarkModel, guess: Guess) -> Any:
    """Template frame -> picture for a guess: turned about the frame's centre, scaled."""
    import numpy as np

    th, tw = model.template.shape
    scale = guess.height / th
    c, s = math.cos(math.radians(guess.angle)), math.sin(math.radians(guess.angle))
    turn = scale * np.array([[c, s], [-s, c]])
    shift = np.array([guess.x, guess.y]) - turn @ np.array([tw / 2, th / 2])
    return np.hstack([turn, shift[:, None]])


def _looks_like_mark(image: Any, model: MarkModel, guess: Guess) -> bool:
    """A strong guess whose charges, seen where the guess puts them, are the vapen's."""
    if abs(guess.score) < UNMEASURED_GUESS:
        return False
    matrix = _guess_matrix(model, guess)
    if inner_correlation(image, model, matrix) * guess.sign < UNMEASURED_INNER:
        return False
    return charge_coverage(image, model, matrix) >= CHARGE_COVERAGE


def _unmeasured(model: MarkModel, guess: Guess) -> Unmeasured:
    box = _bounds(mark_quad(model, _guess_matrix(model, guess)))
    return Unmeasured(box, guess.angle, "no-alignment", abs(guess.score))


def _refine(image: Any, rgb: Any, model: MarkModel, guess: Guess) -> Detection | None:
    """Align the template to the guess with ECC (affine) and measure it."""
    import cv2
    import numpy as np

    th, tw = model.template.shape
    h = guess.height
    factor = th / h
    margin = 0.35 * h
    c, s = abs(math.cos(math.radians(guess.angle))), abs(math.sin(math.radians(guess.angle)))
    reach_x = 0.5 * h * (c * tw / th + s) + margin  # half the turned frame's bounds, and more
    reach_y = 0.5 * h * (s * tw / th + c) + margin
    x0, y0 = max(0, int(guess.x - reach_x)), max(0, int(guess.y - reach_y))
    x1 = min(image.shape[1], int(guess.x + reach_x) + 1)
    y1 = min(image.shape[0], int(guess.y + reach_y) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    size = (max(tw // 2, round((x1 - x0) * factor)), max(th // 2, round((y1 - y0) * factor)))
    factors = np.array([[size[0] / (x1 - x0)], [size[1] / (y1 - y0)]])
    method = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    patch = cv2.resize(image[y0:y1, x0:x1], size, interpolation=method).astype(np.float32)
    if guess.sign < 0:
        patch = 255 - patch
    # the guess, from the template frame into the picture, then into the patch
    warp = ((_guess_matrix(model, guess) - [[0, 0, x0], [0, 0, y0]]) * factor).astype(np.float32)
    warp = _quick_alignment(model, patch, warp)
    if warp is None:
        return None
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-4)
    try:
        score, warp = cv2.findTransformECC(
            model.template, patch, warp, cv2.MOTION_AFFINE, criteria, None, 5
        )
    except cv2.error:
        return None
    if score < ACCEPT_CORRELATION or _decompose(warp, guess.angle) is None:
        return None
    aligned = _fine_alignment(model, patch, warp, guess.angle)
    if aligned is not None:
        warp = aligned
    matrix = warp.astype(np.float64) / factors
    matrix[:, 2] += (x0, y0)
    geometry = _decompose(matrix, guess.angle, 1 / factor)
    if geometry is None or not _plausible(score, geometry):
        return None
    if inner_correlation(image, model, matrix) * guess.sign < INNER_CORRELATION:
        return None  # the outline of a shield, but not this one's charges
    if charge_coverage(image, model, matrix) < CHARGE_COVERAGE:
        return None  # another charge in the same colours (a star, a bar)
    return _measure(image, rgb, model, matrix, geometry, score, guess.sign)


def _quick_alignment(model: MarkModel, patch: Any, warp: Any) -> Any | None:
    """The guess aligned roughly, on copies of template and patch half the size and for a few
    steps; None when that correlates too little for the mark. Most guesses end here, at a
    twentieth of the full alignment's cost (on every mark found it correlates 0.66 or more)."""
    import cv2
    import numpy as np

    template = model.scaled.get("half")
    if template is None:
        th, tw = model.template.shape
        size = (round(tw / 2), round(th / 2))
        template = cv2.resize(model.template, size, interpolation=cv2.INTER_AREA)
        model.scaled["half"] = template
    size = (max(8, round(patch.shape[1] / 2)), max(8, round(patch.shape[0] / 2)))
    small = cv2.resize(patch, size, interpolation=cv2.INTER_AREA)
    # into the small frames: picture = patch_scale · warp · template_scale⁻¹
    to_template = np.diag(
        [template.shape[1] / model.template.shape[1], template.shape[0] / model.template.shape[0]]
    )
    to_patch = np.diag([size[0] / patch.shape[1], size[1] / patch.shape[0]])
    linear = to_patch @ warp[:, :2] @ np.linalg.inv(to_template)
    rough = np.hstack([linear, to_patch @ warp[:, 2:]]).astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, QUICK_STEPS, 1e-3)
    try:
        score, rough = cv2.findTransformECC(
            template, small, rough, cv2.MOTION_AFFINE, criteria, None, 3
        )
    except cv2.error:
        return None
    if score < QUICK_CORRELATION:
        return None
    back = np.linalg.inv(to_patch)
    linear = back @ rough[:, :2] @ to_template
    return np.hstack([linear, back @ rough[:, 2:]]).astype(np.float32)


def _fine_alignment(model: MarkModel, patch: Any, warp: Any, angle: float) -> Any | None:
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
        if _decompose(found, angle) is not None and score > best_score:
            best, best_score = found, score
    return best


def _plausible(score: float, geometry: tuple[float, float, float, float]) -> bool:
    """A weak match that also needs a strong stretch to fit is another shape, not a distorted
    mark (seen on real photos and icons); a strong match may be stretched further."""
    scale_x, scale_y = geometry[:2]
    stretch = abs(scale_x / scale_y - 1)
    return stretch <= (MAX_STRETCH_WEAK if score < STRONG_CORRELATION else MAX_STRETCH)


def _decompose(
    warp: Any, angle: float, scale: float = 1.0
) -> tuple[float, float, float, float] | None:
    """(scale x, scale y, rotation ccw in degrees in (-180, 180], shear) of an affine warp, if
    plausible: scaled 0.4–2.5 times `scale` (a mirror image has a negative scale y), turned at
    most MAX_TURN from the guess's `angle`, hardly sheared."""
    a, b, c, d = float(warp[0, 0]), float(warp[0, 1]), float(warp[1, 0]), float(warp[1, 1])
    scale_x = math.hypot(a, c)
    if scale_x < 1e-9:
        return None
    scale_y = (a * d - b * c) / scale_x
    shear = (a * b + c * d) / (scale_x * abs(scale_y) + 1e-12)
    rotation = -math.degrees(math.atan2(c, a))
    rotation += 360.0 if rotation <= -180.0 else 0.0
    turned = abs((rotation - angle + 180.0) % 360.0 - 180.0)
    within = 0.4 * scale < scale_x < 2.5 * scale and 0.4 * scale < scale_y < 2.5 * scale
    if not within or turned > MAX_TURN or abs(shear) > 0.2:
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
