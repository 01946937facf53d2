"""The steps of the mark search that artwork we did not draw and page renders depend on: the
candidate passes correlate only around the ink (a page render is mostly paper), the coarse
alignment retries over the shield alone where clutter around it pulls the whole frame down, the
inner correlation takes the drawing the mark fits best (one-colour versions), charges too thin
to be seen are not asked for, a mark not claimed does not hide one that is, and a mark only a
retry aligned is claimed only as a copy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from profilecheck.checks.logo import alignment, artwork, candidates, mark_reading, mark_search
from profilecheck.checks.logo.raster import flatten, gray

RULES = Path(__file__).resolve().parents[1] / "rules" / "ale" / "rules"
PNG = RULES.parent / "artwork" / "png"


def _art(tone: str, height: int) -> np.ndarray:
    with Image.open(PNG / f"vapen-{tone}-print.png") as art:
        rgba = art.convert("RGBA")
        width = round(rgba.width * height / rgba.height)
        return np.asarray(rgba.resize((width, height), Image.Resampling.BOX))


def _paste(page: np.ndarray, rgba: np.ndarray, x: int, y: int) -> None:
    alpha = rgba[..., 3:4] / 255
    region = page[y : y + rgba.shape[0], x : x + rgba.shape[1]]
    region[:] = (rgba[..., :3] * alpha + region * (1 - alpha)).round().astype(np.uint8)


def _render_like(mark: bool) -> np.ndarray:
    """A page render: white paper, a heading and a few lines of text, and the vapen."""
    import cv2

    page = np.full((1100, 850, 3), 255, np.uint8)
    cv2.putText(page, "Kallelse till sammantrade", (90, 160), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    for row in range(8):
        cv2.putText(page, "Ale kommun " * 4, (90, 220 + 28 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0)
    if mark:
        _paste(page, _art("colour", 110), 620, 60)
    return page


# ---- the candidate passes correlate only around the ink ------------------------------------


def test_ink_box_is_what_differs_from_the_paper():
    page = np.full((300, 400), 250, np.uint8)
    assert candidates.ink_box(page) is None  # paper only: no window can hold a mark
    page[40:60, 100:130] = 20
    page[200, 350] = 249
    assert candidates.ink_box(page) == (100, 40, 351, 201)


@pytest.mark.parametrize("mark", [True, False])
def test_passes_around_the_ink_guess_as_over_the_whole_picture(model, mark):
    image = gray(_render_like(mark))
    whole = (0, 0, image.shape[1], image.shape[0])
    assert candidates.ink_box(image) != whole  # the render is cropped to its ink
    for search in (candidates.upright, candidates.turned):
        cropped = search(image, model)
        everywhere = search(image, model, whole)
        # the same guesses, scored the same to float rounding (which may order equal scores,
        # the same letters in two places, otherwise)
        assert len(cropped) == len(everywhere)
        for a, b in zip(cropped, everywhere, strict=True):
            assert a.score == pytest.approx(b.score, abs=1e-4)
            tied = sum(abs(abs(g.score) - abs(a.score)) < 1e-4 for g in everywhere)
            if tied == 1:
                assert (a.x, a.y, a.height, a.angle, a.sign) == (
                    b.x,
                    b.y,
                    b.height,
                    b.angle,
                    b.sign,
                )


def test_a_blank_picture_has_no_guesses(model):
    blank = np.full((600, 500), 255, np.uint8)
    assert candidates.upright(blank, model) == []
    assert candidates.turned(blank, model) == []
    assert mark_search.search_marks(np.full((600, 500, 3), 255, np.uint8), model).found == []


def test_the_vapen_on_a_render_is_found_and_text_alone_is_not(model):
    found = mark_search.find_marks(_render_like(True), model)
    assert len(found) == 1
    x0, y0, x1, y1 = found[0].box
    assert 610 <= (x0 + x1) / 2 <= 720 and 55 <= (y0 + y1) / 2 <= 175
    assert mark_search.find_marks(_render_like(False), model) == []


# ---- the coarse alignment over the shield alone ---------------------------------------------


def _on_black(model: artwork.MarkModel, pad: int = 20) -> np.ndarray:
    """The colour vapen on black, a little soft, as the coarse alignment's patch: the
    template's white corners are black here (a dark photo, text running up to the mark)."""
    import cv2

    th, tw = model.template.shape
    patch = np.zeros((th + 2 * pad, tw + 2 * pad), np.float32)
    patch[pad : pad + th, pad : pad + tw] = np.where(model.silhouette > 0, model.template, 0)
    return cv2.GaussianBlur(patch, (0, 0), 2.0)


def test_what_lies_around_the_shield_is_left_out_where_it_pulls_the_alignment(model):
    patch = _on_black(model)
    start = np.float32([[1.0, 0, 21.5], [0, 1.0, 19.0]])
    whole = alignment._ecc(model.template, patch, start)
    assert whole[0] < alignment.ACCEPT_CORRELATION  # over the whole frame: not the mark
    score, warp, retried = next(alignment._coarse(model, patch, start.copy()))
    assert score >= 0.9 and retried
    assert warp[0, 0] == pytest.approx(1.0, abs=0.03) and warp[1, 1] == pytest.approx(1.0, abs=0.03)
    assert warp[0, 2] == pytest.approx(20.5, abs=1.0) and warp[1, 2] == pytest.approx(20.5, abs=1.0)


def test_a_one_colour_mark_on_a_photo_is_aligned_by_its_own_drawing(model):
    """The black version leaves the field transparent: on a busy photo neither the colour
    template nor its shield aligns, the black version's own drawing over its charges does."""
    import cv2

    th, tw = model.template.shape
    version = next(v for v in model.versions if v.name == "vapen-black")
    rgba = artwork.mark_picture(version, (tw, th))
    pad = 20
    rng = np.random.default_rng(0)
    noise = rng.uniform(0, 255, (th + 2 * pad, tw + 2 * pad)).astype(np.float32)
    patch = ((cv2.GaussianBlur(noise, (0, 0), 1.2) - noise.mean()) * 14 + 110).clip(0, 255)
    alpha = rgba[..., 3] / 255
    ink = gray(np.ascontiguousarray(rgba[..., :3])).astype(np.float32)
    inside = patch[pad : pad + th, pad : pad + tw]
    patch[pad : pad + th, pad : pad + tw] = ink * alpha + inside * (1 - alpha)
    patch = patch.astype(np.float32)
    start = np.float32([[1.0, 0, pad + 1.5], [0, 1.0, pad - 1.0]])
    rough = alignment._quick(model, patch, start.copy())
    for mask in (None, model.silhouette):
        assert alignment._ecc(model.template, patch, rough, mask)[0] < alignment.ACCEPT_CORRELATION
    score, warp, retried = next(alignment._coarse(model, patch, start.copy()))
    assert score >= alignment.ACCEPT_CORRELATION and retried
    assert warp[0, 2] == pytest.approx(pad, abs=1.5) and warp[1, 2] == pytest.approx(pad, abs=1.5)
    assert warp[0, 0] == pytest.approx(1.0, abs=0.03) and warp[1, 1] == pytest.approx(1.0, abs=0.03)


def test_clean_marks_keep_the_whole_frame_alignment(model):
    patch = model.template.astype(np.float32)
    start = np.float32([[1.02, 0, -1.0], [0, 1.02, 1.0]])
    whole = alignment._ecc(model.template, patch, start)
    assert whole[0] >= alignment.ACCEPT_CORRELATION
    score, _, retried = next(alignment._coarse(model, patch, start.copy()))
    assert score == pytest.approx(whole[0]) and not retried


# ---- the inner correlation with the drawing the mark fits best ------------------------------


def _in_frame(model: artwork.MarkModel, tone: str, background: int) -> np.ndarray:
    version = next(v for v in model.versions if v.name == f"vapen-{tone}")
    size = (model.template.shape[1], model.template.shape[0])
    rgba = artwork.mark_picture(version, size)
    return gray(flatten(rgba, (background,) * 3))


def test_inner_correlation_takes_the_one_colour_drawing(model):
    identity = np.float64([[1, 0, 0], [0, 1, 0]])
    black = _in_frame(model, "black", 255)
    colour_only = float(
        np.corrcoef(black[model.inner].astype(np.float32), model.template[model.inner])[0, 1]
    )
    inner = mark_reading.best_inner_correlation(black, model, identity)
    assert inner > colour_only and inner > 0.95
    # what claims a mark is still judged on the colour template alone
    assert mark_reading.inner_correlation(black, model, identity) == pytest.approx(colour_only)
    # white on dark, signed as the mark is (-1: the picture's negative is compared)
    white = _in_frame(model, "white", 30)
    assert mark_reading.best_inner_correlation(white, model, identity, -1) > 0.9
    assert mark_reading.best_inner_correlation(255 - white, model, identity) == pytest.approx(
        mark_reading.best_inner_correlation(white, model, identity, -1), abs=1e-6
    )


def test_inner_correlation_reads_the_charges_where_the_field_shows_a_photo(model):
    """The black version leaves the field transparent: on a busy photo the field is the
    photo's, and the charges with their edges are what tells the vapen."""
    import cv2

    version = next(v for v in model.versions if v.name == "vapen-black")
    size = (model.template.shape[1], model.template.shape[0])
    rgba = artwork.mark_picture(version, size)
    rng = np.random.default_rng(2)
    noise = cv2.GaussianBlur(rng.uniform(0, 255, size[::-1]).astype(np.float32), (0, 0), 1.5)
    photo = np.dstack([((noise - noise.mean()) * 12 + 170).clip(0, 255).astype(np.uint8)] * 3)
    alpha = rgba[..., 3:4] / 255
    seen = gray((rgba[..., :3] * alpha + photo * (1 - alpha)).round().astype(np.uint8))
    identity = np.float64([[1, 0, 0], [0, 1, 0]])
    inside = seen[model.inner].astype(np.float32)
    whole_inside = max(
        float(np.corrcoef(inside, drawn[model.inner])[0, 1])
        for drawn in (model.template, *model.shapes)
    )
    assert whole_inside < 0.7
    assert mark_reading.best_inner_correlation(seen, model, identity) > 0.75


def test_a_white_version_is_aligned_as_its_negative(model):
    white = next(v for v in model.versions if v.name == "vapen-white")
    size = (model.template.shape[1], model.template.shape[0])
    negative = 255 - gray(flatten(artwork.mark_picture(white, size), (0, 0, 0))).astype(float)
    best = max(float(np.corrcoef(negative.ravel(), s.ravel())[0, 1]) for s in model.shapes)
    assert best > 0.99
    # the black version is one of them too, drawn dark on white as it is
    black = next(v for v in model.versions if v.name == "vapen-black")
    drawn = gray(flatten(artwork.mark_picture(black, size))).astype(float)
    assert max(float(np.corrcoef(drawn.ravel(), s.ravel())[0, 1]) for s in model.shapes) > 0.99


# ---- charges too thin to be seen --------------------------------------------------------------


def test_thin_charges_are_not_asked_for_in_small_marks(model):
    widths = {"thick": 8.0, "middle": 4.0, "thin": 0.9}
    model.scaled["half-widths"], saved = widths, model.scaled.get("half-widths")
    try:
        drawn = ("thick", "middle", "thin")
        assert mark_reading.visible_charges(model, drawn, 1.5) == drawn  # large: the line shows
        assert mark_reading.visible_charges(model, drawn, 0.5) == ("thick", "middle")
        # the two thickest are asked for however small the mark
        assert mark_reading.visible_charges(model, ("thin", "middle"), 0.1) == ("thin", "middle")
    finally:
        model.scaled["half-widths"] = saved
        if saved is None:
            del model.scaled["half-widths"]


def test_colours_are_read_only_from_charges_thick_enough_to_show(model):
    """A charge a pixel wide in the picture shows the field around it, not its colour: it is
    left out of the colours the version and the recolouring are judged on."""
    import dataclasses

    thin = np.zeros(model.template.shape, bool)
    thin[40:42, 20:60] = True  # a line two template pixels wide
    widths = {name: 8.0 for name in model.regions} | {"thin": 1.0}
    fake = dataclasses.replace(
        model, regions={**model.regions, "thin": thin}, scaled={"half-widths": widths}
    )
    page = np.full((400, 400, 3), 255, np.uint8)
    for scale, expected in ((0.5, False), (3.0, True)):
        art = _art("colour", round(96 * scale))
        page[:] = 255
        _paste(page, art, 20, 20)
        matrix = np.float64([[scale, 0, 20], [0, scale, 20]])
        found = alignment._measure(gray(page), page, fake, matrix, (scale, scale, 0.0, 0.0), 0.9, 1)
        assert ("thin" in found.observed) is expected
        assert set(model.regions) <= set(found.observed)


# ---- a mark not claimed does not hide one that is ---------------------------------------------


def test_an_unclaimed_mark_does_not_hide_a_claimed_one(model, monkeypatch):
    def detection(x: float, score: float) -> artwork.Detection:
        quad = [(x, 100.0), (x + 80, 100.0), (x + 80, 196.0), (x, 196.0)]
        box = (x, 100.0, x + 300, 196.0)  # a logotype: the vapen and the name beside it
        return artwork.Detection(quad, box, 80.0, 1.0, 0.0, False, score)

    vapen, letters = detection(100.0, 0.9), detection(190.0, 0.95)
    guesses = [
        candidates.Guess(140.0, 148.0, 96.0, 0.0, 1, 0.6),
        candidates.Guess(230.0, 148.0, 96.0, 0.0, 1, 0.5),
    ]
    monkeypatch.setattr(candidates, "upright", lambda image, model, ink=(): list(guesses))
    monkeypatch.setattr(candidates, "turned", lambda image, model, ink=(): [])
    monkeypatch.setattr(mark_search, "align", lambda i, r, m, g: vapen if g.x < 200 else letters)
    monkeypatch.setattr(mark_search, "_claimed", lambda image, model, d: d is vapen)
    found = mark_search.search_marks(np.full((300, 600, 3), 200, np.uint8), model).found
    assert found == [vapen]
    monkeypatch.setattr(mark_search, "_claimed", lambda image, model, d: True)
    assert mark_search.search_marks(np.full((300, 600, 3), 200, np.uint8), model).found == [letters]


def test_a_small_mark_where_the_name_would_stand_is_a_letter(model):
    def mark(x: float, y: float, scale: float) -> artwork.Detection:
        th, tw = model.template.shape
        quad = [(x, y), (x + tw * scale, y), (x + tw * scale, y + th * scale), (x, y + th * scale)]
        found = artwork.Detection(
            quad, alignment._bounds(quad), model.width * scale, 1.0, 0.0, False, 0.8
        )
        found.matrix = np.float64([[scale, 0, x], [0, scale, y]])
        return found

    vapen = mark(100, 100, 1.5)  # 144 px tall
    beside = mark(100 + 1.6 * model.width, 150, 0.4)  # a letter's size, right of it
    far = mark(100, 600, 0.4)
    twin = mark(100 + 1.6 * model.width, 100, 1.4)  # another logo of about its size
    found = [vapen, beside, far, twin]
    assert mark_search._in_a_name(model, beside, found)
    assert not mark_search._in_a_name(model, far, found)
    assert not mark_search._in_a_name(model, twin, found)
    assert not mark_search._in_a_name(model, vapen, found)


def test_a_mark_is_turned_only_where_a_turn_fits_better(model, monkeypatch):
    page = np.full((500, 500, 3), 235, np.uint8)
    art = _art("colour", 200)
    _paste(page, art, 150, 150)
    image = gray(page)
    x1, y1 = 150 + art.shape[1], 150 + art.shape[0]
    quad = [(150.0, 150.0), (float(x1), 150.0), (float(x1), float(y1)), (150.0, float(y1))]
    aligned: list[float] = []

    def align(image, rgb, model, guess):
        aligned.append(guess.angle)
        return None

    monkeypatch.setattr(mark_search, "align", align)
    upright = artwork.Detection(quad, (150, 150, x1, y1), 160.0, 1.0, 0.0, False, 0.8)
    assert mark_search._best_turn(image, page, model, upright, 1) is upright
    assert aligned == []  # every turn fits worse than the mark as found
    upside_down = artwork.Detection(quad, (150, 150, x1, y1), 160.0, 1.0, 180.0, False, 0.7)
    mark_search._best_turn(image, page, model, upside_down, 1)
    assert 0.0 in aligned  # the right way up fits better: aligned


@pytest.mark.parametrize(("aspect", "claimed"), [(0.96, True), (0.465, False), (1.4, False)])
def test_a_covered_mark_is_not_claimed_stretched(model, aspect, claimed):
    """Part of a mark hidden cannot be compared with the drawing: it is claimed only as the
    shape the vapen has, not as a copy stretched by half (a corner of one aligned flat)."""
    quad = [(0.0, 0.0), (80.0, 0.0), (80.0, 96.0), (0.0, 96.0)]
    found = artwork.Detection(quad, (0, 0, 80, 96), 80.0, aspect, 0.0, False, 0.7)
    found.matrix = np.float64([[aspect, 0, 0], [0, 1, 0]])
    found.covered = ("left", "top")
    found.inner = 0.5
    blank = np.full((120, 120), 200, np.uint8)
    assert mark_search._claimed(blank, model, found) is claimed


# ---- a mark only a retry aligned must be a copy by its likeness ------------------------------


def _retried_mark(model: artwork.MarkModel, scale: float, retried: bool) -> artwork.Detection:
    th, tw = model.template.shape
    quad = [(0.0, 0.0), (tw * scale, 0.0), (tw * scale, th * scale), (0.0, th * scale)]
    found = artwork.Detection(
        quad, alignment._bounds(quad), model.width * scale, 1.0, 0, False, 0.7
    )
    found.matrix = np.float64([[scale, 0, 0], [0, scale, 0]])
    found.inner = 0.6  # like the drawing, not surely (text bars aligned over the shield: 0.6)
    found.retried = retried  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize(("background", "retried"), [(0, True), (255, False)])
def test_align_says_whether_only_a_retry_aligned(model, background, retried):
    import cv2

    th, tw = model.template.shape
    image = np.full((th + 80, tw + 80), background, np.float32)
    image[40 : 40 + th, 40 : 40 + tw] = np.where(model.silhouette > 0, model.template, background)
    image = cv2.GaussianBlur(image, (0, 0), 2.0).clip(0, 255).astype(np.uint8)
    guess = candidates.Guess(41.5 + tw / 2, 39.0 + th / 2, th, 0.0, 1, 0.7)
    found = alignment.align(image, np.dstack([image] * 3), model, guess)
    assert isinstance(found, artwork.Detection) and found.score >= 0.9
    assert found.retried is retried


@pytest.mark.parametrize(
    ("retried", "likeness", "claimed"),
    [
        (True, mark_search.RETRY_LIKENESS - 0.01, False),  # text bars: likeness up to 0.51
        (True, mark_search.RETRY_LIKENESS + 0.01, True),
        (False, mark_search.RETRY_LIKENESS - 0.01, True),  # the whole frame aligned: as before
        (False, mark_search.LIKE_DRAWING - 0.01, False),
    ],
)
def test_a_retried_mark_is_claimed_only_as_a_copy(model, monkeypatch, retried, likeness, claimed):
    """Text bars aligned over the shield alone (0.626, the whole frame 0.597) were claimed by a
    likeness of 0.589: a mark only a retry aligned needs RETRY_LIKENESS, above LIKE_DRAWING."""
    from profilecheck.checks.logo import originality

    assert mark_search.RETRY_LIKENESS > mark_search.LIKE_DRAWING
    monkeypatch.setattr(originality, "framed", lambda image, model, matrix: None)
    monkeypatch.setattr(originality, "likeness", lambda seen, model, height: (likeness, None))
    found = _retried_mark(model, 1.0, retried)
    blank = np.full((200, 200), 200, np.uint8)
    assert mark_search._claimed(blank, model, found) is claimed


def test_a_small_or_covered_retried_mark_is_not_claimed_by_its_inner_correlation(model):
    blank = np.full((200, 200), 200, np.uint8)
    scale = 0.5 * mark_search.MIN_CLAIM / model.template.shape[0]  # 18 px: no likeness to read
    for retried in (False, True):
        small = _retried_mark(model, scale, retried)
        small.inner = mark_search.SMALL_INNER + 0.05
        assert mark_search._claimed(blank, model, small) is not retried
        covered = _retried_mark(model, 1.0, retried)
        covered.covered = ("left",)
        assert mark_search._claimed(blank, model, covered) is not retried
        covered.inner = mark_search.SURE_INNER + 0.05
        assert mark_search._claimed(blank, model, covered)


# ---- a mirrored name must read clearly better than the name as drawn ------------------------


@pytest.mark.parametrize(
    ("upright", "mirrored", "expected"),
    [(0.43, 0.44, False), (0.43, 0.6, True), (0.7, 0.3, False), (0.3, 0.35, False)],
)
def test_a_mirror_image_needs_a_clearly_better_reading(
    model, monkeypatch, upright, mirrored, expected
):
    def score(image, version, matrix, width, sign, flipped):
        return (mirrored if flipped else upright), [(float(flipped), 0.0)] * 4

    monkeypatch.setattr(mark_reading, "_text_score", score)
    matrix = np.float64([[1, 0, 0], [0, 1, 0]])
    kind, flipped, _ = mark_reading.read_name(np.zeros((200, 200), np.uint8), model, matrix, 1)
    assert flipped is expected
    assert (kind == "vapen") is (max(upright, mirrored) <= mark_reading.NAME_CORRELATION)
