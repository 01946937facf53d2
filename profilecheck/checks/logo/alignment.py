"""Aligning the mark to one guess and measuring it (profilecheck.checks.logo.mark_search
searches a picture with it).

ECC aligns the template to the guess (affine: scale, aspect, rotation), first roughly on
copies half the size, which ends most guesses that are not the mark cheaply, then on the patch
of the picture at the template's scale, starting from the guess's angle (where that falls short,
or reaches a shape only a closer fit would make plausible, again over the shield alone, text or
a photo running up to the mark not being the template's white corners, then by each single-tone
version's drawing over its charges: a mark only a retry aligned is `retried`, and mark_search
claims it only as a copy); then a second, masked alignment where the mark draws measures it.
The inner correlation (with the drawing the mark fits best, mark_reading.best_inner_correlation)
and the charges' coverage reject other arms.
Colours are read from the field and the charges thick enough to show at the mark's size. A
guess that is the vapen by its charges but aligns to a shape no use of the mark has (sheared,
flattened, stretched beyond the limits) is `Unmeasured`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from profilecheck.checks.logo.artwork import Detection, MarkModel
from profilecheck.checks.logo.candidates import Guess
from profilecheck.checks.logo.mark_reading import (
    best_inner_correlation,
    charge_coverage,
    covered_sides,
    inner_correlation,
    mark_quad,
    read_name,
    seen_through,
    visible_charges,
)
from profilecheck.checks.logo.raster import lab_of, ring_lightness

ACCEPT_CORRELATION = 0.62
QUICK_CORRELATION = 0.6  # of the rough alignment at half size
QUICK_STEPS = 15
INNER = 0.5  # correlation inside the shield, away from its outline
COVERAGE = 0.8  # of the leaf and of the waves must stand out from the field
INNER_TURNED = 0.6  # the same, for marks turned more than MAX_TURN from upright
COVERAGE_TURNED = 0.9
STRONG_CORRELATION = 0.68  # below this a match may not need much stretching
MAX_STRETCH_WEAK = 0.10
MAX_STRETCH = 0.6  # a strong match stretched by half is still the mark, distorted
SURE_CORRELATION = 0.9  # a match this close is the mark however it is stretched (up to 2×)
MAX_TURN = 40.0  # degrees the alignment may turn away from its guess


@dataclass
class Unmeasured:
    """Something the search takes for the mark but could not measure: where (the picture's
    pixels), the angle it was guessed at, why ("shape": it aligns only as a shape no use of the
    mark has; "no-alignment": a strong guess with the vapen's charges that does not align at
    all) and the correlation it got."""

    box: tuple[float, float, float, float]
    angle: float
    why: str
    score: float


def align(image: Any, rgb: Any, model: MarkModel, guess: Guess) -> Detection | Unmeasured | None:
    """The mark at the guess, aligned and measured; Unmeasured when it is the vapen by its
    charges but the alignment is a shape no use of the mark has; None when it is not the mark.
    `image` is `rgb` in grey."""
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
    warp = ((guess_matrix(model, guess) - [[0, 0, x0], [0, 0, y0]]) * factor).astype(np.float32)
    measured, odd = None, None  # odd: the first alignment reached, of an implausible shape
    for reached in _coarse(model, patch, warp):
        score, warp, retried = reached
        fine = _fine(model, patch, warp, guess.angle) if _decompose(warp, guess.angle) else None
        warp = warp if fine is None else fine
        matrix = warp.astype(np.float64) / factors
        matrix[:, 2] += (x0, y0)
        geometry = _decompose(matrix, guess.angle, 1 / factor)
        if geometry is not None and _plausible(score, geometry):
            measured = (score, matrix, geometry, retried)
            break
        odd = odd or (score, matrix)
        if geometry is None or not _plausible(STRONG_CORRELATION, geometry):
            break  # a shape no match may take: a closer fit by the next try would not do
    if measured is None:
        if odd is None:
            return None
        # A weak match that needs an odd shape to fit is another shape (see _plausible); a
        # strong one with the vapen's charges is the vapen, made into a shape we cannot measure.
        score, matrix = odd
        loose = _decompose(matrix, guess.angle, 1 / factor, loose=True)
        if (
            loose
            and score >= STRONG_CORRELATION
            and _is_vapen(image, model, matrix, guess.sign, True)
        ):
            return Unmeasured(_bounds(mark_quad(model, matrix)), guess.angle, "shape", score)
        return None
    score, matrix, geometry, retried = measured
    # Turned further than the upright search reaches, a mark must be the vapen more surely:
    # eleven more turns give letters, crosses and text lines eleven more chances to fit.
    if not _is_vapen(image, model, matrix, guess.sign, abs(geometry[2]) > MAX_TURN):
        return None
    detection = _measure(image, rgb, model, matrix, geometry, score, guess.sign)
    # read by mark_search._claimed: a mark only a retry aligned must show more of the drawing
    detection.retried = retried
    return detection


def _coarse(model: MarkModel, patch: Any, warp: Any) -> Iterator[tuple[float, Any, bool]]:
    """The guess aligned roughly (_quick), then over the whole template frame; where that falls
    short, or reaches a shape only a closer fit makes plausible (align then asks for the next:
    a weak fit may not be stretched beyond MAX_STRETCH_WEAK), over the shield alone (what lies
    around a mark, text or a photo, is not the template's white corners), then by each
    single-tone version's drawing over its charges (a field left transparent shows the photo
    under it). Each that reaches ACCEPT_CORRELATION, in turn, and whether it is a retry (masked
    correlations run higher: fewer pixels, no edge of the background to fit, so text bars fit
    a shield alone better than the whole frame). Development seed: a mark stretched 16 % that
    the whole frame reached at 0.64 and the shield alone at 0.74 was lost before."""
    rough = _quick(model, patch, warp)
    if rough is None:
        return
    tries = [(model.template, None), (model.template, model.silhouette)]
    tries += [(shape, model.charges) for shape in model.shapes]
    for number, (template, mask) in enumerate(tries):
        found = _ecc(template, patch, rough, mask)
        if found is not None and found[0] >= ACCEPT_CORRELATION:
            yield found[0], found[1], number > 0


def _ecc(template: Any, patch: Any, warp: Any, mask: Any = None) -> tuple[float, Any] | None:
    """ECC of `template` (over `mask` of it, if given) on the patch from `warp`."""
    import cv2
    import numpy as np

    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-4)
    try:
        if mask is None:
            return cv2.findTransformECC(
                template, patch, warp.copy(), cv2.MOTION_AFFINE, criteria, None, 5
            )
        everywhere = np.full(patch.shape, 255, np.uint8)
        return cv2.findTransformECCWithMask(
            template, patch, mask, everywhere, warp.copy(), cv2.MOTION_AFFINE, criteria, 5
        )
    except cv2.error:
        return None


def _is_vapen(image: Any, model: MarkModel, matrix: Any, sign: int, surely: bool) -> bool:
    """Whether the picture seen through `matrix` has the vapen's charges: the inner
    correlation rejects other arms' outlines, the charges' coverage another charge in the same
    colours (a star, a bar). `surely`: by the stricter limits."""
    inner, coverage = (INNER_TURNED, COVERAGE_TURNED) if surely else (INNER, COVERAGE)
    if best_inner_correlation(image, model, matrix, sign) < inner:
        return False
    return charge_coverage(image, model, matrix) >= coverage


def _quick(model: MarkModel, patch: Any, warp: Any) -> Any | None:
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


def _fine(model: MarkModel, patch: Any, warp: Any, angle: float) -> Any | None:
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
    mark (seen on real photos and icons); a strong match may be stretched further, and one
    that fits as closely as an undistorted mark does up to twice."""
    aspect = geometry[0] / geometry[1]
    if score >= SURE_CORRELATION:
        return 0.5 <= aspect <= 2.0
    return abs(aspect - 1) <= (MAX_STRETCH_WEAK if score < STRONG_CORRELATION else MAX_STRETCH)


def _decompose(
    warp: Any, angle: float, scale: float = 1.0, loose: bool = False
) -> tuple[float, float, float, float] | None:
    """(scale x, scale y, rotation ccw in degrees in (-180, 180], shear) of an affine warp, if
    plausible: scaled 0.4–2.5 times `scale` (a mirror image has a negative scale y), turned at
    most MAX_TURN from the guess's `angle`, hardly sheared. `loose`: a shape someone may have
    made of the mark, though not one to measure (stretched up to twice, sheared up to 0.4)."""
    a, b, c, d = float(warp[0, 0]), float(warp[0, 1]), float(warp[1, 0]), float(warp[1, 1])
    scale_x = math.hypot(a, c)
    if scale_x < 1e-9:
        return None
    scale_y = (a * d - b * c) / scale_x
    shear = (a * b + c * d) / (scale_x * abs(scale_y) + 1e-12)
    rotation = -math.degrees(math.atan2(c, a))
    rotation += 360.0 if rotation <= -180.0 else 0.0
    turned = abs((rotation - angle + 180.0) % 360.0 - 180.0)
    low, high, most_shear = (0.4, 2.5, 0.2) if not loose else (0.25, 4.0, 0.4)
    within = low * scale < scale_x < high * scale and low * scale < scale_y < high * scale
    if loose and within:
        within = 0.5 <= scale_x / scale_y <= 2.0
    if not within or turned > MAX_TURN or abs(shear) > most_shear:
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
    # a charge too thin to be seen here shows the field or what lies behind: not its colour
    charges, field = model.charges_and_field()
    seen = {field, *visible_charges(model, tuple(charges), min(scale_x, abs(scale_y)))}
    observed = {
        n: lab_of(np.median(aligned[m], axis=0)) for n, m in model.regions.items() if n in seen
    }
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
    detection.matrix = matrix
    detection.inner = inner_correlation(image, model, matrix, sign)
    return detection


def guess_matrix(model: MarkModel, guess: Guess) -> Any:
    """Template frame -> picture for a guess: turned about the frame's centre, scaled."""
    import numpy as np

    th, tw = model.template.shape
    scale = guess.height / th
    c, s = math.cos(math.radians(guess.angle)), math.sin(math.radians(guess.angle))
    turn = scale * np.array([[c, s], [-s, c]])
    shift = np.array([guess.x, guess.y]) - turn @ np.array([tw / 2, th / 2])
    return np.hstack([turn, shift[:, None]])


def _bounds(quad: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return min(xs), min(ys), max(xs), max(ys)
