"""Measuring a mark found by pixels: the aspect ratio of undistorted marks stays inside the 3 %
tolerance and stretched ones are measured as stretched, for every tone, on plain paper and on a
page of text (which shows through the transparent field of the black and white versions)."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from profilecheck.checks.logo import artwork, raster
from profilecheck.checks.logo.mark_search import find_marks

RULES = Path(__file__).resolve().parents[1] / "rules" / "ale" / "rules"
PNG = RULES.parent / "artwork" / "png"


@pytest.fixture(scope="module")
def model() -> artwork.MarkModel:
    params = tomllib.loads((RULES / "logo.toml").read_text())["params"]
    versions = tuple(
        (v["name"], str((RULES / v["file"]).resolve()), v["background"]) for v in params["versions"]
    )
    return artwork.load_model(str((RULES / params["mark"]).resolve()), versions)


def _page(tone: str, text: bool) -> np.ndarray:
    """An A4-ish grey page; with `text`, lines of word-like bars in the other tone."""
    import cv2

    paper, ink = (45, 225) if tone == "white" else (240, 40)
    page = np.full((420, 520, 3), paper, np.uint8)
    if text:
        rng = np.random.default_rng(3)
        for y in range(12, 420, 15):
            x = 10
            while x < 500:
                word = int(rng.integers(15, 60))
                cv2.rectangle(page, (x, y), (min(510, x + word), y + 6), (ink,) * 3, -1)
                x += word + 8
    return page


def _place(page: np.ndarray, tone: str, height: int, stretch: float) -> None:
    """The vapen drawn `height` px tall and `stretch` times its width, in exact proportions."""
    with Image.open(PNG / f"vapen-{tone}-print.png") as art:
        rgba = np.asarray(art.convert("RGBA"))
    scale_x = height / rgba.shape[0] * stretch
    width = math.ceil(rgba.shape[1] * scale_x)
    padding = round(width / scale_x) - rgba.shape[1]
    rgba = np.concatenate([rgba, np.zeros((rgba.shape[0], padding, 4), np.uint8)], axis=1)
    small = np.asarray(Image.fromarray(rgba).resize((width, height), Image.Resampling.BOX))
    alpha = small[..., 3:4] / 255
    region = page[70 : 70 + height, 90 : 90 + width]
    region[:] = (small[..., :3] * alpha + region * (1 - alpha)).round().astype(np.uint8)


# Over running text, black and white marks below ~60 px are often not found at all (the text
# fills their field); these sizes check the measurement, not the search.
SIZES = [(False, 40), (False, 80), (False, 160), (True, 80), (True, 160)]


@pytest.mark.parametrize("tone", ["colour", "black", "white"])
@pytest.mark.parametrize(
    ("text", "height"), SIZES, ids=[f"{'text' if t else 'plain'}-{h}" for t, h in SIZES]
)
def test_undistorted_marks_measure_within_tolerance(model, tone, text, height):
    page = _page(tone, text)
    _place(page, tone, height, 1.0)
    marks = find_marks(page, model)
    assert marks, "the mark was not found"
    assert abs(marks[0].aspect_change - 1) < 0.03
    assert abs(marks[0].mark_width / (height * 5 / 6) - 1) < 0.05


@pytest.mark.parametrize("tone", ["colour", "black", "white"])
@pytest.mark.parametrize("stretch", [0.95, 1.06])
def test_stretched_marks_measure_as_stretched(model, tone, stretch):
    page = _page(tone, True)
    _place(page, tone, 90, stretch)
    marks = find_marks(page, model)
    assert marks
    assert abs(marks[0].aspect_change / stretch - 1) < 0.015


def test_artwork_keeps_its_exact_proportions_when_scaled():
    rgba = np.full((400, 355, 4), 255, np.uint8)  # 85.2 px wide at 96 px tall
    small = raster.resize_to_height(rgba, 96)
    assert small.shape[:2] == (96, 86)  # the last column is partly transparent padding
    drawn = small[48, :, 3].sum() / 255
    assert drawn == pytest.approx(355 * 96 / 400, rel=0.002)
