"""Pixel helpers for finding and reading the mark: artwork scaled in its exact proportions,
RGBA flattened over a background, grey, Lab, masks grown or shrunk, the perceptual signature of a
picture (whole-image matching), the empty border around a drawing and the lightness around a box.

They know nothing of the artwork model (profilecheck.checks.logo.artwork), which is built with
them.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from profilecheck.core.colour import rgb_to_lab

TABLE_PIXELS = 16384  # `flatten` looks pictures this large or larger up in `_over_tables`


def resize_to_height(rgba: Any, height: int) -> Any:
    """`rgba` scaled to `height` rows in its exact proportions: rounding the width would stretch
    the drawing by up to half a pixel (2 % of a small mark), so transparent columns are added
    on the right until the scaled width is whole."""
    import cv2
    import numpy as np

    h, w = rgba.shape[:2]
    scale = height / h
    width = max(1, math.ceil(w * scale - 1e-6))
    padded = round(width / scale)
    if padded > w:
        rgba = np.concatenate([rgba, np.zeros((h, padded - w, rgba.shape[2]), rgba.dtype)], 1)
    method = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(np.ascontiguousarray(rgba), (width, height), interpolation=method)


def flatten(rgba: Any, background: tuple[int, int, int] = (255, 255, 255)) -> Any:
    """RGBA over a plain background, as RGB uint8: `over`'s arithmetic, looked up per pixel in
    its table of every (alpha, value) pair (the same bytes, a fifth of the time)."""
    import numpy as np

    if rgba.shape[2] == 3:
        return rgba
    if rgba.dtype != np.uint8 or rgba.shape[0] * rgba.shape[1] < TABLE_PIXELS:
        return over(rgba, background)  # a small picture: cheaper than a table
    tables = _over_tables(tuple(background))
    row = rgba[..., 3].astype(np.intp) << 8
    out = np.empty((*rgba.shape[:2], 3), np.uint8)
    for channel in range(3):
        out[..., channel] = tables[channel].take(row | rgba[..., channel])
    return out


def over(rgba: Any, background: Any) -> Any:
    """RGBA over a plain background in float32, rounded to uint8."""
    import numpy as np

    alpha = rgba[..., 3:4].astype(np.float32) / 255
    out = rgba[..., :3].astype(np.float32) * alpha + np.float32(background) * (1 - alpha)
    return out.round().astype(np.uint8)


@lru_cache(maxsize=16)
def _over_tables(background: tuple) -> Any:
    """`over` of every alpha (rows) and channel value (columns), per channel: 3 x 65536."""
    import numpy as np

    alpha = np.repeat(np.arange(256, dtype=np.uint8), 256)
    value = np.tile(np.arange(256, dtype=np.uint8), 256)
    every = np.stack([value, value, value, alpha], axis=-1)[None]
    return np.ascontiguousarray(over(every, background)[0].T)


def gray(rgb: Any) -> Any:
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def grown(mask: Any, steps: int) -> Any:
    """A uint8 mask dilated by `steps` pixels, or eroded when `steps` is negative."""
    import cv2
    import numpy as np

    grow = cv2.dilate if steps > 0 else cv2.erode
    return grow(mask, np.ones((3, 3), np.uint8), iterations=abs(steps))


def lab_of(rgb: Any) -> tuple[float, float, float]:
    return rgb_to_lab(tuple(round(float(c) / 255, 4) for c in rgb))


def signature(rgb: Any) -> Any:
    """A normalised 32×32 grayscale of a picture (zero mean, unit deviation): the mean of the
    product of two is their correlation."""
    import cv2
    import numpy as np

    # 33 columns, the first 32 kept: the sampling every stored signature was made with
    small = cv2.resize(gray(rgb), (33, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    patch = small[:, :32]
    return (patch - patch.mean()) / (patch.std() + 1e-6)


def signatures(rgba: Any) -> list[Any]:
    """The signature of artwork over white, black and mid-grey."""
    return [signature(flatten(rgba, bg)) for bg in ((255, 255, 255), (0, 0, 0), (128, 128, 128))]


def drawn_margins(rgba: Any) -> tuple[float, float, float, float]:
    """The empty border around the drawing in an image (transparent, or the plain colour of its
    corners) on the left, top, right and bottom, as fractions of the image's size."""
    import cv2
    import numpy as np

    height, width = rgba.shape[:2]
    if rgba.shape[2] == 4 and rgba[..., 3].min() < 250:
        alpha = rgba[..., 3]
        ink_rows, ink_columns = alpha.max(axis=1) > 24, alpha.max(axis=0) > 24
    else:
        corners = rgba[[0, 0, -1, -1], [0, -1, 0, -1], :3].astype(np.int16)
        plain = np.median(corners, axis=0)
        # a row (column) has ink where a channel's brightest or darkest pixel in it is more
        # than 24 levels from the plain colour: per line extremes, not a per-pixel difference
        planes = cv2.split(np.ascontiguousarray(rgba[..., :3]))
        ink_rows = _off(_extremes(planes, 1), plain)
        ink_columns = _off(_extremes(planes, 0), plain)
    rows, columns = np.nonzero(ink_rows)[0], np.nonzero(ink_columns)[0]
    if not len(rows):
        return (0.0, 0.0, 0.0, 0.0)
    return (
        columns[0] / width,
        rows[0] / height,
        (width - 1 - columns[-1]) / width,
        (height - 1 - rows[-1]) / height,
    )


def _extremes(channels: Any, axis: int) -> tuple[Any, Any]:
    """Each channel's brightest and darkest value per row (`axis` 1) or column (0), as
    (lines, 3) arrays; `channels` are the picture's three planes, each contiguous."""
    import numpy as np

    brightest = np.stack([c.max(axis=axis) for c in channels], axis=1)
    return brightest, np.stack([c.min(axis=axis) for c in channels], axis=1)


def _off(extremes: tuple[Any, Any], plain: Any) -> Any:
    """Per line: whether any channel's extreme lies more than 24 levels from `plain`."""
    import numpy as np

    brightest, darkest = (e.astype(np.float32) for e in extremes)
    return ((brightest - plain > 24) | (plain - darkest > 24)).any(axis=1)


def ring_lightness(rgb: Any, box: tuple[float, ...], pad: float) -> float | None:
    """L* (median) of a ring `pad` pixels wide around a box: what the logo stands on."""
    import numpy as np

    height, width = rgb.shape[:2]
    x0, y0 = max(0, int(box[0] - pad)), max(0, int(box[1] - pad))
    x1, y1 = min(width, int(box[2] + pad) + 1), min(height, int(box[3] + pad) + 1)
    mask = np.zeros((height, width), bool)
    mask[y0:y1, x0:x1] = True
    ix0, iy0 = max(0, int(box[0])), max(0, int(box[1]))
    mask[iy0 : int(box[3]) + 1, ix0 : int(box[2]) + 1] = False
    if mask.sum() < 10:
        return None
    luminance = gray(rgb)[mask]
    return lab_of([np.median(luminance)] * 3)[0]
