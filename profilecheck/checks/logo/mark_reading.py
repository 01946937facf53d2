"""Reading a mark once it is aligned: whether it is this vapen (the inner correlation, the
charges standing out from the field), which sides something hides, and whether the name
"Ale kommun" stands beside or below it (the logotype, and if mirrored).

Each works on the picture seen through the alignment `matrix` (template frame -> picture).
A charge thinner than MIN_THICKNESS picture pixels (an outline, a stem) is not asked to show
(`visible_charges`): blur and compression merge it with the field in small marks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from profilecheck.checks.logo.artwork import MarkModel, Version, load_rgba
from profilecheck.checks.logo.raster import flatten, gray, resize_to_height

# The charges (leaf, waves: every one-colour region of the artwork but the field) a version draws
# must stand out from the field by this many grey levels.
CHARGE_CONTRAST = 30
# The name's letters beside or below the mark: bare vapen score up to ~0.4 (text or a photo
# nearby), nine in ten logotypes above this.
NAME_CORRELATION = 0.42
MIRROR_MARGIN = 0.05  # the mirrored name reads this much better than the name as drawn


def inner_correlation(image: Any, model: MarkModel, matrix: Any, sign: int = 1) -> float:
    """Correlation with the colour template inside the shield only, where other arms differ;
    signed as the mark is (`sign` -1 for a mark lighter than what it stands on). What claims
    a mark found as the vapen (profilecheck.checks.logo.mark_search) is judged on this."""
    import numpy as np

    aligned = in_frame(image, model, matrix)
    a = aligned[model.inner].astype(np.float32)
    if a.std() < 1:
        return 0.0
    return sign * float(np.corrcoef(a, model.template[model.inner])[0, 1])


def best_inner_correlation(image: Any, model: MarkModel, matrix: Any, sign: int = 1) -> float:
    """The inner correlation with the drawing the mark fits best: the colour template or a
    single-tone version's own grey (a one-colour mark maps the tinctures to other greys than
    the colour art), over the whole inside or over the charges and their edges alone (a field
    left transparent shows whatever the mark stands on). Signed as inner_correlation is.
    Whether an alignment is the vapen at all is judged on this (alignment._is_vapen)."""
    import numpy as np

    aligned = in_frame(image, model, matrix).astype(np.float32)
    best = -1.0
    for mask in _inner_masks(model):
        a = aligned[mask]
        if a.std() < 1:
            continue
        for drawn in (model.template, *model.shapes):
            b = drawn[mask]
            if b.std() >= 1:
                best = max(best, sign * float(np.corrcoef(a, b)[0, 1]))
    return best if best > -1.0 else 0.0


def _inner_masks(model: MarkModel) -> list[Any]:
    """The inside of the shield, and its charges with their edges (where the field is not)."""
    masks = model.scaled.get("inner-masks")
    if masks is None:
        masks = [model.inner]
        if model.charges is not None:
            charges = model.inner & (model.charges > 0)
            if charges.sum() >= 50:
                masks.append(charges)
        model.scaled["inner-masks"] = masks
    return masks


def charge_coverage(image: Any, model: MarkModel, matrix: Any) -> float:
    """How much of the leaf and of the waves stands out from the field, the worse of the two.

    Other arms in the same tinctures (a star, a straight bar) correlate with the vapen as a
    whole, but leave much of the leaf's or the waves' place looking like the field. Colour,
    black and white versions alike, recoloured or not, cover their charges fully.
    """

    if len(model.regions) < 2:
        return 1.0
    return _drawn(image, model, matrix)[0]


def _drawn(image: Any, model: MarkModel, matrix: Any) -> tuple[float, tuple[str, ...]]:
    """The charges the mark seen through `matrix` draws, as the version that fits best draws
    them (a metal charge a one-colour version leaves blank is not missing from it), and how
    much of them stands out from the field, the worst covered of them."""
    import numpy as np

    standing = _standing_out(image, model, matrix)
    sets = model.drawn or [tuple(model.charges_and_field()[0])]
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))  # picture px per template px
    scored = [
        (
            min(
                float(np.mean(standing[model.regions[c]]))
                for c in visible_charges(model, drawn, scale)
            ),
            drawn,
        )
        for drawn in sets
    ]
    # every charge, when the mark shows them all; else the set that fits best
    return max(scored, key=lambda pair: (pair[0] >= DRAWN_ALL, len(pair[1]), pair[0]))


def visible_charges(model: MarkModel, drawn: tuple[str, ...], scale: float) -> tuple[str, ...]:
    """The charges of `drawn` thick enough to be seen where the mark is `scale` picture pixels
    per template pixel: a line thinner than MIN_THICKNESS picture pixels (an outline, a stem,
    the veins between a leaf's parts) blurs into the field in a small or soft mark. The two
    thickest are always asked for: one charge alone does not tell the arms from others."""
    import cv2
    import numpy as np

    widths = model.scaled.get("half-widths")
    if widths is None:
        widths = {
            name: float(
                cv2.distanceTransform(np.pad(mask, 1).astype(np.uint8), cv2.DIST_L2, 3).max()
            )
            for name, mask in model.regions.items()
        }
        model.scaled["half-widths"] = widths
    thickest = sorted(drawn, key=lambda c: -widths[c])[:2]
    return tuple(c for c in drawn if c in thickest or 2 * widths[c] * scale >= MIN_THICKNESS)


MIN_THICKNESS = 2.0  # picture pixels
DRAWN_ALL = 0.8  # coverage at which a mark draws a version's charges (alignment.COVERAGE)
SIDE_STRIP = 0.2  # of the mark's width or height
COVERED_SIDE = 0.5  # a side strip with less of its charges showing than this is covered


def covered_sides(image: Any, model: MarkModel, matrix: Any) -> tuple[str, ...]:
    """The sides (left, top, right, bottom) of a found mark where the charges do not show: a
    sticker, a crop or another picture over part of it. Whole marks show them everywhere."""
    import numpy as np

    if len(model.regions) < 2:
        return ()
    aligned = in_frame(image, model, matrix).astype(np.float32)
    names, field = _drawn(image, model, matrix)[1], model.charges_and_field()[1]
    field_grey = np.median(aligned[model.regions[field]])
    charges = np.zeros(aligned.shape, bool)
    showing = np.zeros(aligned.shape, bool)
    for name in names:
        region = model.regions[name]
        charges |= region
        # A charge shows where the picture is nearer its usual grey (most of it shows) than
        # the field's: a sticker, unlike another tincture, is neither.
        own = np.abs(aligned - np.median(aligned[region])) < np.abs(aligned - field_grey)
        showing |= region & own
    h = aligned.shape[0]
    sh, sw = round(SIDE_STRIP * h), round(SIDE_STRIP * model.width)
    strips = {
        "left": np.s_[:, :sw],
        "top": np.s_[:sh, :],
        "right": np.s_[:, round(model.width) - sw :],
        "bottom": np.s_[h - sh :, :],
    }
    return tuple(
        side
        for side, strip in strips.items()
        if charges[strip].sum() >= 10 and showing[strip][charges[strip]].mean() < COVERED_SIDE
    )


def _standing_out(image: Any, model: MarkModel, matrix: Any) -> Any:
    """Bool mask in the template's frame: where the picture differs from the field's grey."""
    import numpy as np

    aligned = in_frame(image, model, matrix).astype(np.float32)
    field_grey = float(np.median(aligned[model.regions[model.charges_and_field()[1]]]))
    return np.abs(aligned - field_grey) > CHARGE_CONTRAST


def in_frame(image: Any, model: MarkModel, matrix: Any) -> Any:
    """The picture under the mark, warped into the template's frame."""
    th, tw = model.template.shape
    return seen_through(image, matrix, (tw, th))


def seen_through(image: Any, matrix: Any, size: tuple[int, int]) -> Any:
    """`image` seen through `matrix` (frame -> image coordinates), as a picture of `size`."""
    import cv2

    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    return cv2.warpAffine(image, matrix, size, flags=flags, borderMode=cv2.BORDER_REPLICATE)


def read_name(image: Any, model: MarkModel, matrix: Any, sign: int) -> tuple[str, bool, list]:
    """Whether the name "Ale kommun" stands beside or below the mark (and if mirrored)."""
    best = ("vapen", False, None, NAME_CORRELATION)
    for version in model.logotypes:
        upright, quad = _text_score(image, version, matrix, model.width, sign, False)
        mirrored, mirrored_quad = _text_score(image, version, matrix, model.width, sign, True)
        # a mirror image is a finding: the mirrored name must read clearly better (lines of
        # text read about as well either way)
        if mirrored > upright + MIRROR_MARGIN:
            upright, quad = mirrored, mirrored_quad
        if upright > best[3]:
            best = (version.kind, quad is mirrored_quad, quad, upright)
    if best[2] is None:
        return "vapen", False, mark_quad(model, matrix)
    return best[0], best[1], best[2]


def _text_score(
    image: Any, version: Version, matrix: Any, tw: float, sign: int, mirrored: bool
) -> tuple[float, list]:
    import numpy as np

    art = _art_gray(version.path, mirrored)
    height, width = art.shape
    mx, my, mw, mh = version.mark
    full_h = version.rgba.shape[0]
    ratio = full_h / height  # artwork px per small px
    x_drawn = 0.0  # where the drawing starts: mirroring moves the padding to the left
    if mirrored:
        x_drawn = width * ratio - version.aspect * full_h
        mx = width * ratio - mx - mw
    k = tw / mw  # template px per artwork px
    to_template = np.array([[ratio * k, 0, -mx * k], [0, ratio * k, -my * k], [0, 0, 1]])
    to_image = matrix @ to_template
    warped = seen_through(image, to_image, (width, height)).astype(np.float32)
    text = _near_ink(version.path, mirrored).copy()
    x0, x1 = int(mx / ratio) - 2, int((mx + mw) / ratio) + 2
    y0, y1 = int(my / ratio) - 2, int((my + mh) / ratio) + 2
    text[max(0, y0) : y1, max(0, x0) : x1] = False
    a, b = warped[text], art[text]
    if a.std() < 1 or b.std() < 1:
        return 0.0, []
    score = float(np.corrcoef(a, b)[0, 1]) * sign
    art_to_image = matrix @ np.array([[k, 0, -mx * k], [0, k, -my * k], [0, 0, 1]])
    x_end = x_drawn + version.aspect * full_h
    corners = np.array([[x_drawn, 0, 1], [x_end, 0, 1], [x_end, full_h, 1], [x_drawn, full_h, 1]])
    return score, [tuple(p) for p in (corners @ art_to_image.T).tolist()]


@lru_cache(maxsize=32)
def _near_ink(path: Path, mirrored: bool) -> Any:
    """Where the artwork (at `_art_gray`'s size) has ink, and two pixels around it: the name's
    letters are compared there only, so the background between them cannot drown them."""
    import cv2
    import numpy as np

    ink = (_art_gray(path, mirrored) < 160).astype(np.uint8)
    return cv2.dilate(ink, np.ones((5, 5), np.uint8)) > 0


@lru_cache(maxsize=32)
def _art_gray(path: Path, mirrored: bool) -> Any:
    import numpy as np

    rgba, _ = load_rgba(path)
    small = resize_to_height(rgba, 48)
    art = gray(flatten(small)).astype(np.float32)
    return art[:, ::-1].copy() if mirrored else art


def mark_quad(model: MarkModel, matrix: Any) -> list[tuple[float, float]]:
    """The mark's corners in the picture."""
    import numpy as np

    th, tw = model.template.shape[0], model.width
    corners = np.array([[0, 0, 1], [tw, 0, 1], [tw, th, 1], [0, th, 1]], np.float64)
    return [tuple(p) for p in (corners @ matrix.T).tolist()]
