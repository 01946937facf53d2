"""The artwork model of a mark (Ales vapen): the mark's template and colour regions, each artwork
version located and sampled; and whole-image matching against it.

Two ways in. `match_whole` asks whether a placed image *is* one of the artwork versions
(normalised cross-correlation of 32×32 grayscales), so an image embedded in a PDF or Word file
is recognised without rendering. `find_marks` (profilecheck.checks.logo.mark_search) searches a
picture (a page render, a photo, a scan) for the mark wherever it is and however it is turned:
coarse normalised cross-correlation over a scale pyramid of a small grayscale template, upright
and turned, proposes candidates (profilecheck.checks.logo.candidates; negative peaks are
white-on-dark marks), then ECC alignment with an affine model on a patch of the full-resolution
image verifies each one and measures its scale in x and y (aspect), rotation and position
(profilecheck.checks.logo.alignment). Flat heraldic art has too few keypoints at small sizes
for SIFT/ORB to be reliable, and ECC gives the geometry directly, so no feature matcher is used.

Colours are sampled in the aligned mark frame, region by region (leaf, waves, field...), and
compared with each version's colours in ΔE2000 (profilecheck.core.colour) to name the version and
to tell a recoloured mark. The pixel helpers are in profilecheck.checks.logo.raster; the files
as the detector reads them (trimmed to their ink, the shield located, the field named, the
profile's `layout`, `tone` and `shield` honoured) in profilecheck.checks.logo.versions; whether a
mark found is one of the files or a drawing of its own in profilecheck.checks.logo.originality.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profilecheck.checks.logo.raster import (
    flatten,
    gray,
    grown,
    lab_of,
    resize_to_height,
    signature,
    signatures,
)
from profilecheck.checks.logo.versions import (
    Version,
    drawn_charges,
    load_rgba,
    locate,
    regions,
    shield_in_file,
    shield_mask,
)
from profilecheck.core.colour import delta_e

if TYPE_CHECKING:
    from PIL import Image

REFINE_HEIGHT = 96  # the mark's height in the frame where ECC runs and colours are sampled
OUTLINE_BAND_DIVISOR = 24  # the outline band reaches REFINE_HEIGHT / this either side
CHARGE_BAND_DIVISOR = 32  # the charge mask reaches REFINE_HEIGHT / this beyond the charges
WHOLE_CORRELATION = 0.8
LIGHT_INK = 160  # a version drawn in ink lighter than this (grey level) is a white version


@dataclass
class MarkModel:
    template: Any  # gray float32, REFINE_HEIGHT tall
    width: float  # the mark's width in the template (its last column may be padding)
    regions: dict[str, Any]  # region name -> bool mask in the template frame
    versions: list[Version]
    signatures: dict[str, list[Any]]  # version -> its 32×32 signature on white, black, grey
    logotypes: list[Version] = field(default_factory=list)  # one per layout, to read the name
    inner: Any = None  # bool mask: inside the shield, away from its outline
    shapes: list[Any] = field(default_factory=list)  # other versions' grays, same frame
    silhouette: Any = None  # uint8 mask: the shield, widened a little
    charges: Any = None  # uint8 mask: the charges and the outline, widened a little
    scaled: dict[Any, Any] = field(default_factory=dict)  # small templates (candidates.py)
    field_name: str = ""  # the region along the inside of the shield's edge
    drawn: list[tuple[str, ...]] = field(default_factory=list)  # charges each version draws

    def charges_and_field(self) -> tuple[list[str], str]:
        """The regions but the field, and the field."""
        return [n for n in self.regions if n != self.field_name], self.field_name


@dataclass
class Detection:
    """A mark found in a picture; geometry in that picture's pixels."""

    quad: list[tuple[float, float]]  # the mark's corners: top-left, top-right, bottom-right, bl
    box: tuple[float, float, float, float]  # bounding box of the whole logo (mark + name)
    mark_width: float  # the shield's width in pixels (along its own axis)
    aspect_change: float  # 1.0 = undistorted; > 1 wider than drawn
    rotation: float  # degrees, counter-clockwise
    mirrored: bool
    score: float
    kind: str = "vapen"
    observed: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # Lab
    background_lightness: float | None = None  # L* of what lies around the logo
    covered: tuple[str, ...] = ()  # sides of the mark hidden by something over it
    likeness: float | None = None  # how closely it is a version's drawing (originality.py)
    matrix: Any = None  # template frame -> picture
    inner: float = 1.0  # inner correlation, signed as the mark is (white on dark: negated)
    retried: bool = False  # aligned only by a retry (alignment._coarse): claimed only as a copy


# ---- artwork ----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def load_model(mark_path: str, versions: tuple[tuple, ...]) -> MarkModel:
    """The detection model: the mark's template and regions, each version located and sampled.
    `versions`: (name, path, background[, layout, tone, shield]) each; the shield's box (in the
    file's pixels), when given, replaces the search for it. Read from the model cache when one
    is in use (profilecheck.checks.logo.model_cache), else built."""
    import cv2

    from profilecheck.checks.logo import model_cache

    # One thread: a scan runs a process per core, and OpenCV's own threads on these small
    # images cost about a fifth more CPU for the same work.
    cv2.setNumThreads(1)
    build = partial(build_model, mark_path, versions)
    return model_cache.cached(mark_path, versions, build, MarkModel)


def build_model(mark_path: str, versions: tuple[tuple, ...]) -> MarkModel:
    """The model `load_model` returns, computed from the artwork files."""
    import cv2
    import numpy as np

    mark_rgba, mark_aspect = _mark_file(Path(mark_path), versions)
    small = resize_to_height(mark_rgba, REFINE_HEIGHT)
    template = gray(flatten(small)).astype(np.float32)
    size = (template.shape[1], template.shape[0])
    large = resize_to_height(mark_rgba, 2 * REFINE_HEIGHT)
    found, field_name = regions(large)
    areas = {
        name: cv2.resize(mask.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0.7
        for name, mask in found.items()
    }
    model = MarkModel(template, mark_aspect * REFINE_HEIGHT, areas, [], {}, field_name=field_name)
    solid = shield_mask(small)
    opaque = (small[..., 3] > 200).astype(np.uint8)
    if opaque.sum() >= 0.85 * solid.sum():  # an opaque field: its own edges, veins and all
        solid = opaque
    model.inner = grown(solid, -(REFINE_HEIGHT // 16)) > 0
    model.silhouette = grown(solid, 2)
    model.charges = _charge_mask(model, solid)
    charges = model.charges_and_field()[0]
    for entry in versions:
        name, path, background = entry[:3]
        layout, tone, shield = (*entry[3:], "auto", "auto", ())[:3]
        rgba, aspect = load_rgba(Path(path))
        if shield:
            mark = shield_in_file(Path(path), tuple(shield))
        else:
            mark = locate(template, rgba, mark_aspect)
        version = Version(name, Path(path), background, rgba, aspect, mark, {}, layout, tone)
        version.colours = _version_colours(version, areas, size)
        model.versions.append(version)
        model.signatures[name] = signatures(rgba)
        drawn = drawn_charges(version.colours, charges, field_name)
        if drawn and drawn not in model.drawn:
            model.drawn.append(drawn)
    model.logotypes = _ink_versions(model)
    model.shapes = _shape_templates(model, size)
    return model


def _mark_file(path: Path, versions: tuple[tuple, ...]) -> tuple[Any, float]:
    """The mark's artwork, trimmed; cut to the shield where a version of the same file gives
    the shield's box."""
    rgba, aspect = load_rgba(path)
    for entry in versions:
        if len(entry) > 5 and entry[5] and Path(entry[1]) == path:
            x, y, w, h = shield_in_file(path, tuple(entry[5]))
            height, width = rgba.shape[:2]
            x0, y0 = max(0, round(x)), max(0, round(y))
            x1, y1 = min(width, round(x + w)), min(height, round(y + h))
            if x1 - x0 > 4 and y1 - y0 > 4:
                return rgba[y0:y1, x0:x1].copy(), (x1 - x0) / (y1 - y0)
    return rgba, aspect


def _charge_mask(model: MarkModel, opaque: Any) -> Any:
    """Where the single-tone versions draw: the charges and a band along the shield's outline,
    widened so that their edges fall inside."""
    import numpy as np

    band = max(1, REFINE_HEIGHT // OUTLINE_BAND_DIVISOR)
    drawn = grown(opaque, band) - grown(opaque, -band)
    for name in model.charges_and_field()[0]:
        drawn |= model.regions[name].astype(np.uint8)
    return grown(drawn, max(1, REFINE_HEIGHT // CHARGE_BAND_DIVISOR))


def _shape_templates(model: MarkModel, size: tuple[int, int]) -> list[Any]:
    """Grayscale of each single-tone vapen on white, in the template's frame: the black and white
    versions leave the field transparent, so their own shape aligns better than the colour art.
    A white version is its negative over black: what the search sees of a white-on-dark mark,
    which it inverts."""
    import numpy as np

    shapes: list[Any] = []
    for version in model.versions:
        if version.kind != "vapen":
            continue
        picture = mark_picture(version, size)
        ink = gray(np.ascontiguousarray(picture[..., :3]))[picture[..., 3] > 128]
        if len(ink) and float(ink.mean()) > LIGHT_INK:  # seen inverted, as a light mark is
            shape = 255 - gray(flatten(picture, (0, 0, 0))).astype(np.float32)
        else:
            shape = gray(flatten(picture)).astype(np.float32)
        if shape.std() < 20:  # nothing drawn
            continue
        if all(np.abs(shape - other).mean() >= 8 for other in [model.template, *shapes]):
            shapes.append(shape)
    return shapes


def mark_picture(version: Version, size: tuple[int, int]) -> Any:
    """The version's mark in the template's frame (`size`, REFINE_HEIGHT tall), RGBA: scaled
    in its exact proportions, then moved by the fraction of a pixel where it sits."""
    import cv2
    import numpy as np

    x, y, _, h = version.mark
    height = max(1, round(version.rgba.shape[0] * REFINE_HEIGHT / h))
    scaled = resize_to_height(version.rgba, height)
    scale = height / version.rgba.shape[0]
    shift = np.float32([[1, 0, -x * scale], [0, 1, -y * scale]])
    return cv2.warpAffine(scaled, shift, size, flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))


def _version_colours(version: Version, regions: dict[str, Any], size: tuple[int, int]) -> dict:
    import numpy as np

    crop = mark_picture(version, size)
    colours: dict[str, tuple[float, float, float] | None] = {}
    for name, mask in regions.items():
        pixels = crop[mask]
        opaque = pixels[pixels[:, 3] > 128]
        if len(opaque) < 0.5 * len(pixels):
            colours[name] = None  # transparent here: the background shows through
        else:
            colours[name] = lab_of(np.median(opaque[:, :3], axis=0))
    return colours


def _ink_versions(model: MarkModel) -> list[Version]:
    """One logotype version per layout: the one whose name has most contrast on white."""
    chosen: dict[str, tuple[float, Version]] = {}
    for version in model.versions:
        if version.kind == "vapen":
            continue
        ink = 255 - gray(flatten(version.rgba)).mean()
        if version.kind not in chosen or ink > chosen[version.kind][0]:
            chosen[version.kind] = (ink, version)
    return [version for _, version in chosen.values()]


# ---- whole-image matching (placed images) ------------------------------------------------


def match_whole(image: Image.Image | Any, model: MarkModel) -> tuple:
    """(version, correlation) when the image is one of the artwork versions, else (None, 0)."""
    import numpy as np

    if isinstance(image, np.ndarray):  # already RGB or RGBA
        rgba = image
    else:
        rgba = np.asarray(image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image)
    height, width = rgba.shape[:2]
    if min(height, width) < 8:
        return None, 0.0
    shown_aspect = width / height
    has_alpha = rgba.shape[2] == 4 and rgba[..., 3].min() < 250
    backgrounds = [(128, 128, 128)] if has_alpha else [None]
    best: tuple[Version | None, float] = (None, 0.0)
    patches: dict[Any, Any] = {}  # the picture's signature per background, made once
    for version in model.versions:
        if abs(shown_aspect / version.aspect - 1) > 0.6:
            continue
        for background in backgrounds:
            if background not in patches:
                rgb = flatten(rgba, background) if background else rgba[..., :3]
                patches[background] = signature(np.ascontiguousarray(rgb))
            patch = patches[background]
            candidates = model.signatures[version.name]
            refs = [candidates[2]] if background else candidates[:2]
            for ref in refs:
                score = float((patch * ref).mean())
                if score > best[1]:
                    best = (version, score)
    if best[1] < WHOLE_CORRELATION:
        return None, best[1]
    return best


def observed_colours(rgb: Any, model: MarkModel, crop: tuple[float, ...] | None = None) -> dict:
    """Median Lab colour of each mark region in a picture that is exactly the given version."""
    import cv2
    import numpy as np

    if crop is not None:
        x, y, w, h = crop
        rgb = rgb[round(y) : round(y + h), round(x) : round(x + w)]
    size = model.template.shape[::-1]
    small = cv2.resize(np.ascontiguousarray(rgb), size, interpolation=cv2.INTER_AREA)
    return {name: lab_of(np.median(small[mask], axis=0)) for name, mask in model.regions.items()}


def version_distance(version: Version, observed: dict) -> float:
    """Mean ΔE2000 between the observed region colours and the version's opaque regions."""
    distances = [
        delta_e(tuple(observed[name]), colour)
        for name, colour in version.colours.items()
        if colour is not None and name in observed
    ]
    return sum(distances) / len(distances) if distances else math.inf


def nearest_version(model: MarkModel, observed: dict, kind: str) -> tuple[Version, float]:
    candidates = [v for v in model.versions if v.kind == kind] or model.versions
    scored = [(version_distance(v, observed), v) for v in candidates]
    distance, version = min(scored, key=lambda pair: pair[0])
    return version, distance
