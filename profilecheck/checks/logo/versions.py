"""Artwork files as the detector sees them (profilecheck.checks.logo.artwork builds its model
with these): each file trimmed to its ink, the shield located inside it, the layout read from
where the rest of the ink lies, and the mark's colour regions with the field named.

Nothing here assumes the files were drawn like the bundled ones. A file may have a margin
(transparent or of a plain colour) around the drawing: it is trimmed away when loading, so sizes
and clear space are measured from the located shield, never from the file's bounds. The field may
be transparent: the mark is composited over white, so the template and the regions are the same
whatever shows through (the field is the lightest region, which a transparent field is); a
one-colour version may leave a charge blank (`drawn_charges`). The shield is searched at every height from a fifth of the file's to all of it
(a one- or two-line name, beside or below); `[[params.versions]]` may give the shield's box,
the layout and the tone, which then replace the guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from profilecheck.checks.logo.raster import flatten, gray, resize_to_height

ARTWORK_HEIGHT = 256
INK_ALPHA = 24  # alpha above this is ink; in an opaque file, a colour this far from the corners
PLAIN_CORNERS = 6  # grey levels: corners this alike are a plain margin's
MARK_SHARE = 0.8  # a mark covering this much of the file both ways is the bare vapen


@dataclass
class Version:
    """One artwork file (trimmed to its ink) and where the mark (the shield) sits in it, in
    the trimmed artwork's pixels."""

    name: str
    path: Path
    background: str  # "light", "dark" or "any"
    rgba: Any  # np.ndarray h×w×4 uint8, maybe padded on the right (see resize_to_height)
    aspect: float  # the drawing's width / height (trimmed)
    mark: tuple[float, float, float, float]  # x, y, w, h of the mark inside the artwork
    colours: dict[str, tuple[float, float, float] | None] = field(default_factory=dict)  # Lab
    layout: str = "auto"  # "vapen", "horizontal", "stacked" or "auto" (read from the artwork)
    tone: str = "auto"

    @property
    def width(self) -> float:
        """The drawing's width in `rgba`'s pixels (without padding)."""
        return self.aspect * self.rgba.shape[0]

    @cached_property
    def kind(self) -> str:
        """ "vapen" or a logotype layout: as the profile says, else from where the ink lies
        (read once: the artwork is not changed after loading)."""
        if self.layout != "auto":
            return self.layout
        return layout_of(self.rgba, self.width, self.mark)


def layout_of(rgba: Any, width: float, mark: tuple[float, float, float, float]) -> str:
    """Bare vapen when the mark fills the drawing; else horizontal when the rest of the ink
    (the name) lies beside the mark, stacked when above or below it."""
    h = rgba.shape[0]
    x, y, mw, mh = mark
    if mw > MARK_SHARE * width and mh > MARK_SHARE * h:
        return "vapen"
    ink = ink_mask(rgba)
    ink[:, int(width) :] = False
    x0, x1, y0, y1 = int(x), int(x + mw + 1), int(y), int(y + mh + 1)
    beside = ink[max(0, y0) : y1].sum() - ink[max(0, y0) : y1, max(0, x0) : x1].sum()
    total = ink.sum() - ink[max(0, y0) : y1, max(0, x0) : x1].sum()
    if total <= 0:
        return "vapen"
    return "horizontal" if beside >= 0.5 * total else "stacked"


def ink_mask(rgba: Any, alpha: int = INK_ALPHA) -> Any:
    """Where a drawing has ink: pixels more opaque than `alpha`, or in a file without
    transparency, pixels differing from the colour its four corners share (all of it when they
    differ: the drawing reaches the corners)."""
    import numpy as np

    if rgba.shape[2] == 4 and rgba[..., 3].min() < 250:
        return rgba[..., 3] > alpha
    corners = rgba[[0, 0, -1, -1], [0, -1, 0, -1], :3].astype(np.int16)
    if (corners.max(axis=0) - corners.min(axis=0)).max() > PLAIN_CORNERS:
        return np.ones(rgba.shape[:2], bool)
    import cv2

    # |pixel - plain| > INK_ALPHA in a channel: outside [plain - INK_ALPHA, plain + INK_ALPHA]
    # (one pass in OpenCV, not an int16 copy of the picture)
    plain = np.median(corners, axis=0)
    low, high = np.ceil(plain - INK_ALPHA), np.floor(plain + INK_ALPHA)
    return cv2.inRange(np.ascontiguousarray(rgba[..., :3]), low, high) == 0


def ink_bounds(rgba: Any) -> tuple[int, int, int, int]:
    """x0, y0, x1, y1 (exclusive) of the ink (any opacity: the antialiased edge is the
    drawing's); the whole picture when it has none."""
    import numpy as np

    ink = ink_mask(rgba, 0)
    rows, columns = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    if not len(rows):
        return 0, 0, rgba.shape[1], rgba.shape[0]
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


@lru_cache(maxsize=32)
def load_file(path: Path) -> tuple[Any, float, tuple[int, int, int, int], float]:
    """An artwork file as RGBA trimmed to its ink (at most ARTWORK_HEIGHT tall), the trimmed
    drawing's width / height, the trim box in the file's pixels and the scale from file pixels
    to the returned ones. Treat the array as read-only: it is shared."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:
        rgba = np.asarray(image.convert("RGBA"))
    x0, y0, x1, y1 = ink_bounds(rgba)
    rgba = rgba[y0:y1, x0:x1]
    aspect = rgba.shape[1] / rgba.shape[0]
    scale = 1.0
    if rgba.shape[0] > ARTWORK_HEIGHT:  # plenty for matching; decoding print files is slow
        scale = ARTWORK_HEIGHT / rgba.shape[0]
        rgba = resize_to_height(rgba, ARTWORK_HEIGHT)
    return np.ascontiguousarray(rgba), aspect, (x0, y0, x1, y1), scale


def load_rgba(path: Path) -> tuple[Any, float]:
    """An artwork file as RGBA, trimmed to its ink, and its drawing's width / height."""
    rgba, aspect, _, _ = load_file(Path(path))
    return rgba.copy(), aspect


def shield_in_file(path: Path, shield: tuple[float, ...]) -> tuple[float, float, float, float]:
    """The shield's box given in the file's own pixels, in the trimmed artwork's pixels."""
    _, _, (x0, y0, _, _), scale = load_file(Path(path))
    x, y, w, h = shield
    return ((x - x0) * scale, (y - y0) * scale, w * scale, h * scale)


def locate(template: Any, rgba: Any, mark_aspect: float) -> tuple[float, float, float, float]:
    """Where the mark sits inside an artwork version (same drawing, unknown scale): x, y, w, h.
    A coarse search at a quarter size over every height from a fifth of the file's to all of
    it, then the heights near the best at half size, then at full size."""
    h, w = rgba.shape[:2]
    if abs(w / h / mark_aspect - 1) < 0.02:
        return (0.0, 0.0, h * mark_aspect, float(h))  # the mark alone
    quarter, half = round(h / 4), round(h / 2)
    tallest = min(quarter, int(w / 4 / mark_aspect) + 1)
    near = _best_fit(template, rgba, quarter, range(max(6, round(0.2 * quarter)), tallest + 1))[2]
    near = _best_fit(template, rgba, half, range(2 * near - 3, 2 * near + 4))[2] * 2
    x, y, th = _best_fit(template, rgba, h, range(near - 3, near + 4))
    return (x, y, th * mark_aspect, float(th))


def _best_fit(template: Any, rgba: Any, height: int, sizes: range) -> tuple[float, float, int]:
    """Of the template scaled to each of `sizes` (heights), the one that best matches `rgba`
    scaled to `height`: its position (in `rgba`'s pixels) and height (in the scaled picture)."""
    import cv2
    import numpy as np

    factor = height / rgba.shape[0]
    picture = gray(flatten(resize_to_height(rgba, height), (128, 128, 128))).astype(np.float32)
    best = (-2.0, 0, 0, 0)
    for th in sizes:
        tw = round(template.shape[1] * th / template.shape[0])
        if not 0 < th <= picture.shape[0] or not 0 < tw <= picture.shape[1]:
            continue
        scaled = cv2.resize(template, (tw, th), interpolation=cv2.INTER_AREA)
        scores = cv2.matchTemplate(picture, scaled, cv2.TM_CCOEFF_NORMED)
        _, high, _, (x, y) = cv2.minMaxLoc(np.abs(np.nan_to_num(scores)))
        if high > best[0]:
            best = (high, x, y, th)
    _, x, y, th = best
    return x / factor, y / factor, th


def shield_mask(rgba: Any) -> Any:
    """uint8 mask of the shield in a mark's RGBA: its ink with every hole filled (a transparent
    field inside the outline is the shield's too)."""
    import cv2
    import numpy as np

    ink = ink_mask(rgba).astype(np.uint8)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(ink)
    cv2.drawContours(filled, contours, -1, 1, thickness=cv2.FILLED)
    return filled | ink


def regions(rgba: Any) -> tuple[dict[str, Any], str]:
    """Areas of one colour inside the shield (leaf, waves, field), eroded, composited over
    white (a transparent field is white, whatever will show through it); and the field's
    name."""
    import cv2
    import numpy as np

    inside = shield_mask(rgba) > 0
    rgb = flatten(rgba)
    quantised = (rgb // 32).astype(np.int32)
    keys = quantised[..., 0] * 64 + quantised[..., 1] * 8 + quantised[..., 2]
    found = {}
    kernel = np.ones((3, 3), np.uint8)
    for key in np.unique(keys[inside]):
        mask = ((keys == key) & inside).astype(np.uint8)
        eroded = cv2.erode(mask, kernel, iterations=2)
        if eroded.sum() >= 120:
            colour = rgb[eroded > 0].mean(axis=0)
            found["#" + "".join(f"{round(c):02X}" for c in colour)] = eroded > 0
    if not found:
        return found, ""
    # The lightest region is taken for the field, and the rest are checked to stand out from
    # it: a transparent field composited over white is the lightest. (The region along the
    # inside of the edge, the heraldic field, was measured worse: arms with a dark field and a
    # thin light charge, as Eda's, then rest their check on the thin charge, and recall fell.)
    return found, max(found, key=lambda name: sum(bytes.fromhex(name[1:])))


def drawn_charges(
    colours: dict[str, tuple[float, float, float] | None], charges: list[str], field_name: str
) -> tuple[str, ...]:
    """The charges a version draws distinguishably from its field: a charge left transparent
    (or as light as the field) in a one-colour version is not there to be seen."""
    ground = colours.get(field_name)
    drawn = []
    for name in charges:
        own = colours.get(name)
        if own is None and ground is None:
            continue
        if own is not None and ground is not None and abs(own[0] - ground[0]) < 12:
            continue
        drawn.append(name)
    return tuple(drawn)
