"""Searching a picture for the mark: where the vapen or logotype is, and its geometry.

Guesses come from profilecheck.checks.logo.candidates: an upright pass, and a pass for marks
turned by any angle. Each is aligned and measured (profilecheck.checks.logo.alignment); where
guesses overlap the best alignment wins (a sure one spares the guesses near it the alignment,
if it is claimed), and a mark found at less than a sure correlation is tried turned by each
quarter turn too (upside down, the shield still fits the shield). A mark inside the box of a
better one (the letters of a logotype's name) is that one, if that one is claimed: a mark not
claimed hides nothing.

What is the vapen by its charges but cannot be measured is `Unmeasured`: the caller says the
mark was not checked, rather than that there is none.

A mark found is claimed only when it shows the arms' drawing inside the shield, not just their
silhouette (`_claimed`): a sure inner correlation, or the likeness to a version's own pixels;
below MIN_CLAIM px only a sure inner correlation. A mark the whole frame did not align, only a
retry over the shield or the charges, must reach RETRY_LIKENESS (or the sure inner correlation
with a sure alignment). Its likeness (for logo-not-original) is kept only where the geometry
was read reliably.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from profilecheck.checks.logo import candidates, originality
from profilecheck.checks.logo.alignment import Unmeasured, align, guess_matrix
from profilecheck.checks.logo.artwork import Detection, MarkModel
from profilecheck.checks.logo.candidates import Guess
from profilecheck.checks.logo.mark_reading import charge_coverage, inner_correlation, mark_quad
from profilecheck.checks.logo.raster import gray

SURE = 0.85  # an alignment this close is the mark, the right way up
UNMEASURED_GUESS = 0.6  # a guess this strong that does not align may be the mark...
UNMEASURED_INNER = 0.6  # ...when its charges, seen where it is, are the vapen's this much
UNMEASURED_COVERAGE = 0.9
# What a mark found must show to be claimed (see _claimed); tuned on the development seed only.
MIN_CLAIM = 36.0  # px tall: originality.MIN_HEIGHT, below which the likeness cannot be read
SMALL_INNER = 0.7  # inner correlation a smaller mark must reach (blobs and text: up to 0.63)
SURE_INNER = 0.66  # inner correlation of a mark measured reliably
CLAIM_SCORE = 0.77  # with a sure inner correlation: the arms drawn otherwise (0.79+)
LIKE_DRAWING = 0.55  # else the likeness must reach this (shields, blobs, text: up to 0.55)
LIKE_COPY = 0.6  # likeness of a copy (0.66 or more) with a margin for blur
# A mark aligned only by a retry (alignment._coarse) must be a copy by its likeness: retried
# true marks 0.655+, retried shields, blobs and text up to 0.51 (development seed, 150 a set)
RETRY_LIKENESS = 0.6
STRETCHED = 0.25  # aspect off by more than this: claimed only as a copy
RELIABLE_SCORE = 0.68  # alignment good enough to call a mark another drawing
TURN_SLACK = 0.05  # a turn fitting this much worse than the mark as found is not tried
NAME_SIZE = 0.6  # a mark this much smaller than another, where its name would be, is a letter

__all__ = ["MarkSearch", "Unmeasured", "find_marks", "search_marks"]


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
    ink = candidates.ink_box(image)
    guesses = candidates.upright(image, model, ink)
    guesses += candidates.turned(image, model, ink)
    found: list[tuple[Detection, Guess]] = []
    failed: list[Guess] = []
    unmeasured: list[Unmeasured] = []
    # _claimed of each detection asked, by id; the detection is kept with it, so that its id
    # is never a later detection's
    claims: dict[int, tuple[Detection, bool]] = {}

    def claimed(detection: Detection) -> bool:
        if id(detection) not in claims:
            claims[id(detection)] = (detection, _claimed(image, model, detection))
        return claims[id(detection)][1]

    for guess in guesses:
        if guess.height < min_height:
            continue
        # a near-perfect alignment here already, if it is the vapen: a sure alignment of
        # something else (the mark turned a quarter, fitted squashed) hides no other guess
        if any(candidates.near(guess, o) and d.score > SURE and claimed(d) for d, o in found):
            continue
        result = align(image, rgb, model, guess)
        if isinstance(result, Detection):
            found.append((result, guess))
        elif isinstance(result, Unmeasured):
            unmeasured.append(result)
        else:
            failed.append(guess)
    search = MarkSearch()
    for detection, guess in sorted(found, key=lambda pair: -pair[0].score):
        if not any(_overlap(detection, other) for other in search.found):
            best = detection
            if detection.score < SURE:  # a mark upside down aligns, but not this well
                best = _best_turn(image, rgb, model, detection, guess.sign)
            # a mark not claimed does not hide one that is (a logotype's letters aligning
            # better than its vapen)
            if not any(_overlap(best, o) for o in search.found) and claimed(best):
                search.found.append(best)
    search.found = [d for d in search.found if not _in_a_name(model, d, search.found)]
    unmeasured += [_unmeasured(model, g) for g in failed if _looks_like_mark(image, model, g)]
    for item in sorted(unmeasured, key=lambda u: -u.score):
        x, y = (item.box[0] + item.box[2]) / 2, (item.box[1] + item.box[3]) / 2
        if not any(_near(other, x, y) for other in [*search.found, *search.unmeasured]):
            search.unmeasured.append(item)
    return search


def _claimed(image: Any, model: MarkModel, detection: Detection) -> bool:
    """Whether a mark found is claimed as the vapen, its likeness to the drawing set where it
    can tell a copy from another drawing.

    The silhouette and a rough match of the charges are not enough: a plain shield with a
    cross, a dark blob the size of a one-colour vapen or a line of text correlate with it up to
    ~0.75 and up to ~0.78 inside (measured on the benchmark's artwork sets, development seed).
    What is claimed must also show the drawing inside the shield: the likeness to a version's
    own pixels (originality.py; a copy 0.66 or more), or a sure inner correlation with a sure
    alignment (another drawing of the same arms: likeness 0.3-0.75, alignment 0.79 or more;
    shields, blobs and text up to 0.74).
    Below MIN_CLAIM px neither can be read: only a sure inner correlation counts there. A mark
    only a retry aligned (over the shield alone or the charges: text bars fit a shield better
    than the whole frame) must be a copy by its likeness (RETRY_LIKENESS), not merely like the
    drawing; below MIN_CLAIM it is not claimed, partly hidden only with a sure inner one. A mark
    stretched more than STRETCHED must be a copy by its likeness: a shape pulled that far fits
    many things. logo-not-original is claimed only where the geometry was read reliably (a
    sure alignment, a sure inner correlation, within RELIABLE_STRETCH of the drawing's
    proportions); elsewhere the likeness is not kept and the usual findings are given."""
    if detection.matrix is None:
        return True
    height = math.hypot(detection.matrix[0, 1], detection.matrix[1, 1]) * model.template.shape[0]
    inner = detection.inner
    retried = detection.retried  # set by alignment.align
    if height < MIN_CLAIM:
        return inner >= SMALL_INNER and not retried
    if detection.covered:  # a mark partly hidden is not compared with the drawing, so it
        if retried and inner < SURE_INNER:
            return False
        return abs(detection.aspect_change - 1) <= STRETCHED  # cannot be a stretched copy
    seen = originality.framed(image, model, detection.matrix)
    likeness = originality.likeness(seen, model, height)[0]
    floor = RETRY_LIKENESS if retried else LIKE_DRAWING
    if likeness < floor and (inner < SURE_INNER or detection.score < CLAIM_SCORE):
        return False
    if abs(detection.aspect_change - 1) > STRETCHED and likeness < LIKE_COPY:
        return False
    reliable = (
        detection.score >= RELIABLE_SCORE
        and inner >= SURE_INNER
        and abs(detection.aspect_change - 1) <= originality.RELIABLE_STRETCH
    )
    detection.likeness = likeness if reliable else None
    return True


def _in_a_name(model: MarkModel, mark: Detection, found: list[Detection]) -> bool:
    """Whether a mark lies where a logotype's name would stand beside a larger mark found (a
    letter of it, where the name itself was not read: printed in another colour, say)."""
    for other in found:
        if other is mark or other.matrix is None or mark.mark_width >= NAME_SIZE * other.mark_width:
            continue
        x, y = _centre(mark.quad)
        if any(_within(place, x, y) for place in _name_places(model, other.matrix)):
            return True
    return False


def _name_places(model: MarkModel, matrix: Any) -> list[tuple[float, float, float, float]]:
    """The box each logotype version would fill, drawn or mirrored, around the mark `matrix`
    puts in the picture."""
    import numpy as np

    places = []
    for version in model.logotypes:
        mx, my, mw, _ = version.mark
        k = model.width / mw  # template px per artwork px
        xs = [(0 - mx) * k, (version.width - mx) * k]
        ys = [(0 - my) * k, (version.rgba.shape[0] - my) * k]
        for flipped in (False, True):
            corners = [(model.width - x if flipped else x, y) for x in xs for y in ys]
            seen = [matrix @ np.array([x, y, 1.0]) for x, y in corners]
            places.append(_bounds([(float(p[0]), float(p[1])) for p in seen]))
    return places


def _best_turn(image: Any, rgb: Any, model: MarkModel, found: Detection, sign: int) -> Detection:
    """The mark found, or the same place turned by a quarter, a half or three quarters if that
    aligns better: upside down, the shield still fits the shield, and the waves the leaf (a
    little off its place, where a local search finds it). Only turns that fit the place at
    least about as well as the mark as found (TURN_SLACK) are aligned."""
    x, y = _centre(found.quad)
    here = Guess(x, y, math.dist(found.quad[0], found.quad[3]), found.rotation, sign, 1.0)
    turns = [found.rotation + turn for turn in (0.0, 90.0, 180.0, 270.0)]
    fits = candidates.local_fits(image, model, here, turns)
    if not fits or abs(fits[0].angle - candidates.nearest_step(found.rotation)) > 1e-6:
        return found
    best = found
    for guess in fits[1:]:
        if guess.score < fits[0].score - TURN_SLACK:
            continue  # fits worse turned than as found: not the way up it is
        other = align(image, rgb, model, guess)
        if isinstance(other, Detection) and other.score > best.score:
            best = other
    return best


def _overlap(a: Detection, b: Detection) -> bool:
    """Whether two marks found are one: near each other, or one inside the other's logotype
    (the letters of its name)."""
    ax, ay = _centre(a.quad)
    bx, by = _centre(b.quad)
    if math.hypot(ax - bx, ay - by) < 0.5 * max(a.mark_width, b.mark_width):
        return True
    return _within(b.box, ax, ay) or _within(a.box, bx, by)


def _within(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _near(other: Detection | Unmeasured, x: float, y: float) -> bool:
    """Whether a point lies on a logo found or on something unmeasured."""
    return _within(other.box, x, y)


def _centre(quad: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in quad) / 4, sum(p[1] for p in quad) / 4


def _looks_like_mark(image: Any, model: MarkModel, guess: Guess) -> bool:
    """A strong guess whose charges, seen where the guess puts them, are the vapen's."""
    if abs(guess.score) < UNMEASURED_GUESS:
        return False
    matrix = guess_matrix(model, guess)
    if inner_correlation(image, model, matrix, guess.sign) < UNMEASURED_INNER:
        return False
    return charge_coverage(image, model, matrix) >= UNMEASURED_COVERAGE


def _unmeasured(model: MarkModel, guess: Guess) -> Unmeasured:
    box = _bounds(mark_quad(model, guess_matrix(model, guess)))
    return Unmeasured(box, guess.angle, "no-alignment", abs(guess.score))


def _bounds(quad: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return min(xs), min(ys), max(xs), max(ys)
