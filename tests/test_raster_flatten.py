"""`raster.flatten` looks RGBA over a background up in a table: the same bytes as the float32
arithmetic (`raster.over`) for every alpha and channel value, on any background, and on views."""

from __future__ import annotations

import numpy as np
import pytest

from profilecheck.checks.logo import raster
from profilecheck.checks.logo.raster import flatten, over


def every_pair() -> np.ndarray:
    """256 x 256 RGBA: each row one alpha, each column one value (reversed in green)."""
    value = np.tile(np.arange(256, dtype=np.uint8), (256, 1))
    alpha = value.T.copy()
    return np.stack([value, value[:, ::-1], value, alpha], axis=-1)


@pytest.mark.parametrize(
    "background",
    [(255, 255, 255), (0, 0, 0), (128, 128, 128), (10, 200, 37), (12.5, 0.1, 254.9)],
)
def test_the_table_gives_the_arithmetic_s_bytes(background):
    pairs = every_pair()
    assert np.array_equal(flatten(pairs, background), over(pairs, background))
    noise = np.random.default_rng(7).integers(0, 256, (141, 167, 4), dtype=np.uint8)
    assert np.array_equal(flatten(noise, background), over(noise, background))
    view = noise[3:, 160:5:-1]  # not contiguous
    assert view.shape[0] * view.shape[1] >= raster.TABLE_PIXELS
    assert np.array_equal(flatten(view, background), over(view, background))
    assert flatten(noise, background).dtype == np.uint8


def test_small_pictures_and_any_background():
    small = np.random.default_rng(8).integers(0, 256, (20, 30, 4), dtype=np.uint8)
    for ground in range(0, 256, 17):  # as originality.py flattens: a grey of its own each time
        background = (ground,) * 3
        assert np.array_equal(flatten(small, background), over(small, background))


def test_rgb_is_returned_as_it_is_and_other_types_use_the_arithmetic():
    rgb = np.zeros((4, 4, 3), np.uint8)
    assert flatten(rgb) is rgb
    floats = np.full((2, 2, 4), 127.0, np.float32)
    assert np.array_equal(flatten(floats, (0, 0, 0)), over(floats, (0, 0, 0)))
