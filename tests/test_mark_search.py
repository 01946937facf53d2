"""Measuring a mark found by pixels: the aspect ratio of undistorted marks stays inside the 3 %
tolerance and stretched ones are measured as stretched, for every tone, on plain paper and on a
page of text (which shows through the transparent field of the black and white versions)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from profilecheck.checks.logo import raster
from profilecheck.checks.logo.mark_search import find_marks, search_marks

RULES = Path(__file__).resolve().parents[1] / "rules" / "ale" / "rules"
PNG = RULES.parent / "artwork" / "png"


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


def _place_turned(
    page: np.ndarray, art: str, height: int, angle: float, stretch: float = 1.0, shear: float = 0.0
) -> None:
    """`art` drawn `height` px tall, `stretch` times its width and sheared by `shear` in its own
    frame, then turned `angle` degrees counter-clockwise, centred on the page."""
    import cv2

    with Image.open(PNG / f"{art}-print.png") as image:
        rgba = np.asarray(image.convert("RGBA"))
    h, w = rgba.shape[:2]
    k = height / h
    own = np.array([[k * stretch, shear * k, 0], [0, k, 0], [0, 0, 1]])
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    turn = np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]])
    centre = np.array([[1, 0, page.shape[1] / 2], [0, 1, page.shape[0] / 2], [0, 0, 1]])
    middle = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]])
    matrix = (centre @ turn @ own @ middle)[:2]
    size = (page.shape[1], page.shape[0])
    drawn = cv2.warpAffine(rgba, matrix, size, flags=cv2.INTER_AREA, borderValue=(0, 0, 0, 0))
    alpha = drawn[..., 3:4] / 255
    page[:] = (drawn[..., :3] * alpha + page * (1 - alpha)).round().astype(np.uint8)


def _angle_off(measured: float, expected: float) -> float:
    return abs((measured - expected + 180) % 360 - 180)


@pytest.mark.parametrize("tone", ["colour", "black", "white"])
@pytest.mark.parametrize("angle", [60, 90, 137, 180, 270])
def test_turned_marks_are_found_at_their_angle(model, tone, angle):
    page = _page(tone, False)
    _place_turned(page, f"vapen-{tone}", 160, angle)
    marks = find_marks(page, model)
    assert len(marks) == 1, "the mark was not found, or found twice"
    assert _angle_off(marks[0].rotation, angle) < 1.0
    assert -180 <= marks[0].rotation <= 180
    assert abs(marks[0].aspect_change - 1) < 0.03


@pytest.mark.parametrize("angle", [-35, 75, 200])
def test_turned_marks_on_a_page_of_text(model, angle):
    page = _page("colour", True)
    _place_turned(page, "vapen-colour", 150, angle)
    marks = find_marks(page, model)
    assert marks and _angle_off(marks[0].rotation, angle) < 1.0


def test_a_turned_and_stretched_mark_is_measured_as_both(model):
    page = _page("black", False)
    _place_turned(page, "vapen-black", 150, 120, stretch=1.3)
    marks = find_marks(page, model)
    assert marks
    assert _angle_off(marks[0].rotation, 120) < 1.0
    assert marks[0].aspect_change == pytest.approx(1.3, rel=0.02)


def test_an_upright_mark_is_measured_upright(model):
    page = _page("colour", True)
    _place(page, "colour", 120, 1.0)
    marks = find_marks(page, model)
    assert marks and abs(marks[0].rotation) < 0.5


def test_a_sheared_vapen_is_unmeasured_not_absent(model):
    """Sheared, the vapen still fits the vapen closely, but as a shape the measurements cannot
    describe: the search says so instead of finding nothing."""
    page = _page("colour", False)
    _place_turned(page, "vapen-colour", 160, 0, shear=0.3)
    search = search_marks(page, model)
    assert search.found == []
    assert [item.why for item in search.unmeasured] == ["shape"]
    x0, y0, x1, y1 = search.unmeasured[0].box
    assert x0 < page.shape[1] / 2 < x1 and y0 < page.shape[0] / 2 < y1


def test_drawn_margins_match_a_per_pixel_reading() -> None:
    """The empty border read from per-line extremes is the per-pixel one, opaque and not."""
    import numpy as np

    from profilecheck.checks.logo.raster import drawn_margins

    def per_pixel(rgba):
        height, width = rgba.shape[:2]
        if rgba.shape[2] == 4 and rgba[..., 3].min() < 250:
            ink = rgba[..., 3] > 24
        else:
            plain = np.median(rgba[[0, 0, -1, -1], [0, -1, 0, -1], :3].astype(np.int16), axis=0)
            ink = np.abs(rgba[..., :3].astype(np.int16) - plain).max(axis=2) > 24
        rows, columns = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
        if not len(rows):
            return (0.0, 0.0, 0.0, 0.0)
        return (
            columns[0] / width,
            rows[0] / height,
            (width - 1 - columns[-1]) / width,
            (height - 1 - rows[-1]) / height,
        )

    rng = np.random.default_rng(7)
    for k in range(120):
        height, width = (int(v) for v in rng.integers(1, 90, 2))
        channels = 4 if k % 3 == 0 else 3
        rgba = np.full((height, width, channels), rng.integers(0, 256, channels), np.uint8)
        y, x = int(rng.integers(0, height)), int(rng.integers(0, width))
        step = int(rng.choice([24, 25, -24, -25, 90]))
        rgba[y, x, : min(3, channels)] = np.clip(rgba[0, 0, :3].astype(int) + step, 0, 255)[
            : min(3, channels)
        ]
        if channels == 4 and k % 2:
            rgba[..., 3] = 255
        assert drawn_margins(rgba) == per_pixel(rgba)
