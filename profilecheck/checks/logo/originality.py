"""Whether a mark found is one of the profile's artwork files or a drawing of its own.

The search finds a mark by the arms' structure: the shield, the charges where they belong, in
their tinctures. Someone who redrew the vapen (or took a drawing from elsewhere) has all of that,
and the measurements of such a mark, taken against our drawing, come out a few per cent off in
size and aspect and some ΔE off in colour, so that which finding it got was chance. Here the
mark, once aligned (its scale, stretch and turn undone), is compared with each version's own
pixels in the mark's frame: a copy of the file, scaled, compressed, turned or stretched, differs
by resampling only; a drawing of its own differs in its details (the leaf's outline, where the
waves run, the shield's curve). The comparison is made at the resolution the mark was found at,
over where the version draws and a band around it (what shows through a transparent field is
not the drawing), by the correlation of the grey levels and of the edges, the worse of the two.
"""

from __future__ import annotations

from typing import Any

from profilecheck.checks.logo.artwork import MarkModel, Version, mark_picture
from profilecheck.checks.logo.raster import flatten, gray, grown

MIN_HEIGHT = 36  # px: smaller marks are too blurred to tell a copy from a drawing
# Measured on the bundled files and an independent drawing of the same arms (tests/
# artwork_drawing.py), 42–300 px, sharp, blurred, noisy, JPEG, turned, stretched, recoloured,
# on photos and pages of text: copies 0.66 or more (white versions over text the least), the
# other drawing under 0.65 from 120 px, up to 0.76 when smaller (not claimed then).
ORIGINAL_LIKENESS = 0.65
# A mark measured stretched beyond this is a stretched copy (logo-distorted) rather than another
# drawing: redrawings measured against ours come out a few per cent off, not tens.
RELIABLE_STRETCH = 0.15
EDGE_BAND = 2  # px in the frame around what a version draws
BLURS = (0.0, 1.0, 2.0)  # px of the picture: a copy may be as soft as a scan or a photo


def likeness(aligned: Any, model: MarkModel, height: float) -> tuple[float, Version | None]:
    """How closely the grey mark `aligned` (in the template's frame) is the nearest version's
    drawing (1: a copy), and that version; (1.0, None) when the mark is too small to tell."""
    if height < MIN_HEIGHT:
        return 1.0, None
    best: tuple[float, Version | None] = (-1.0, None)
    for version, rgba in _references(model):
        score = _compare(aligned, rgba, model, height)
        if score > best[0]:
            best = (score, version)
    return best


def placed_likeness(rgb: Any, model: MarkModel, version: Version, shield: tuple) -> float | None:
    """The likeness of a placed picture (flattened, trimmed to its drawing) that matched
    `version` as a whole, its shield at `shield` (x, y, w, h in its pixels); None when too
    small to tell."""
    import numpy as np

    x, y, _, h = shield
    if h < MIN_HEIGHT:
        return None
    k = h / model.template.shape[0]  # picture px per frame px
    matrix = np.array([[k, 0.0, x], [0.0, k, y]])
    return likeness(framed(gray(np.ascontiguousarray(rgb)), model, matrix), model, h)[0]


def _references(model: MarkModel) -> list[tuple[Version, Any]]:
    """Each version's mark in the template's frame (RGBA), one per distinct drawing."""
    import numpy as np

    if "references" not in model.scaled:
        size = model.template.shape[::-1]
        kept: list[tuple[Version, Any]] = []
        for version in model.versions:
            rgba = mark_picture(version, size)
            if all(np.abs(rgba.astype(np.int16) - other).mean() >= 2 for _, other in kept):
                kept.append((version, rgba))
        model.scaled["references"] = kept
    return model.scaled["references"]


def framed(image: Any, model: MarkModel, matrix: Any) -> Any:
    """The grey picture under the mark in the template's frame (`matrix`: frame -> picture),
    smoothed first where the mark is larger than the frame, so that it is not aliased."""
    import math

    import cv2
    import numpy as np

    th, tw = model.template.shape
    scale = math.hypot(matrix[0, 1], matrix[1, 1])  # picture px per frame px
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    if scale <= 1.3:
        return cv2.warpAffine(image, matrix, (tw, th), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    corners = np.array([[0, 0, 1], [tw, 0, 1], [tw, th, 1], [0, th, 1]], np.float64) @ matrix.T
    pad = 3 * scale
    x0, y0 = (max(0, int(v - pad)) for v in corners.min(axis=0))
    x1 = min(image.shape[1], int(corners[:, 0].max() + pad) + 1)
    y1 = min(image.shape[0], int(corners[:, 1].max() + pad) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return cv2.warpAffine(image, matrix, (tw, th), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    crop = cv2.GaussianBlur(image[y0:y1, x0:x1].astype(np.float32), (0, 0), 0.45 * scale)
    shifted = np.array(matrix, np.float64) - [[0, 0, x0], [0, 0, y0]]
    return cv2.warpAffine(crop, shifted, (tw, th), flags=flags, borderMode=cv2.BORDER_REPLICATE)


def _compare(aligned: Any, rgba: Any, model: MarkModel, height: float) -> float:
    """The grey and the edge correlation, the worse of the two, between the aligned mark and
    a version's mark, over where the version draws (and a band around it), at the mark's own
    resolution; the version blurred as the picture may be (a scan, a soft photo), the best."""
    import cv2
    import numpy as np

    drawn = (rgba[..., 3] > 128).astype(np.uint8)
    inside = model.silhouette > 0
    ground = 255.0
    band = EDGE_BAND
    if ((rgba[..., 3] <= 128) & inside).sum() >= 20:
        # a transparent field: whatever shows through (a page of text, a photo) is not the
        # drawing, so only a pixel around what the version draws is compared, against the
        # median of what lies just beyond it
        band = 1
        ring = (grown(drawn, 3) > 0) & ~(grown(drawn, 1) > 0) & inside
        ground = float(np.median(aligned[ring])) if ring.sum() >= 20 else ground
    mask = (grown(drawn, band) > 0) & inside
    reference = gray(flatten(rgba, (round(ground),) * 3)).astype(np.float32)
    picture = aligned.astype(np.float32)
    th = model.template.shape[0]
    if height < th:  # both as blurred as the mark found
        size = (max(8, round(picture.shape[1] * height / th)), max(8, round(height)))
        picture = _there_and_back(picture, size)
        reference = _there_and_back(reference, size)
    best, edges = -1.0, _edges(picture)
    for sigma in BLURS:  # in the picture's pixels
        blurred = (
            reference if not sigma else cv2.GaussianBlur(reference, (0, 0), sigma * th / height)
        )
        grey = _correlation(picture, blurred, mask)
        best = max(best, min(grey, _correlation(edges, _edges(blurred), mask)))
    return best


def _there_and_back(image: Any, size: tuple[int, int]) -> Any:
    import cv2

    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return cv2.resize(small, image.shape[::-1], interpolation=cv2.INTER_LINEAR)


def _edges(image: Any) -> Any:
    import cv2

    dx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)
    dy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3)
    return cv2.magnitude(dx, dy)


def _correlation(a: Any, b: Any, mask: Any) -> float:
    import numpy as np

    x, y = a[mask], b[mask]
    if x.std() < 1e-3 or y.std() < 1e-3:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])
