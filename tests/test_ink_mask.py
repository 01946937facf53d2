"""Where artwork has ink (checks/logo/versions.ink_mask): pixels more than INK_ALPHA levels from
the colour the four corners share, in any channel; or, with transparency, the opaque pixels."""

from __future__ import annotations

import numpy as np

from profilecheck.checks.logo import versions


def _by_definition(rgba: np.ndarray) -> np.ndarray:
    if rgba.shape[2] == 4 and rgba[..., 3].min() < 250:
        return rgba[..., 3] > versions.INK_ALPHA
    corners = rgba[[0, 0, -1, -1], [0, -1, 0, -1], :3].astype(np.int16)
    if (corners.max(axis=0) - corners.min(axis=0)).max() > versions.PLAIN_CORNERS:
        return np.ones(rgba.shape[:2], bool)
    plain = np.median(corners, axis=0)  # may be a half level: the bounds are not symmetric
    return np.abs(rgba[..., :3].astype(np.int16) - plain).max(axis=2) > versions.INK_ALPHA


def test_ink_is_what_the_definition_says_on_pictures_near_the_bounds():
    rng = np.random.default_rng(7)
    for _ in range(200):
        height, width = rng.integers(2, 40, 2)
        base = rng.integers(0, 256, 3)
        picture = np.tile(base, (height, width, 1))
        changed = rng.random((height, width, 1)) < 0.5
        picture = np.clip(picture + rng.integers(-30, 31, (height, width, 3)) * changed, 0, 255)
        picture[[0, 0, -1, -1], [0, -1, 0, -1]] = np.clip(
            base + rng.integers(-3, 4, (4, 3)), 0, 255
        )
        picture = picture.astype(np.uint8)
        opaque = np.dstack([picture, np.full((height, width), 255, np.uint8)])
        for rgba in (picture, opaque):
            assert (versions.ink_mask(rgba) == _by_definition(rgba)).all()
    assert versions.ink_bounds(np.full((5, 5, 3), 255, np.uint8)) == (0, 0, 5, 5)  # no ink
