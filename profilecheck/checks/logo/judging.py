"""What `profile validate` says about a logo rule's artwork files: per version, what the
detector relies on (a note), and in plain words where a version will be hard to find or measure
(a warning). Neither makes the profile invalid.

Warnings: a transparent margin over 5 % of the file on any side (the file's bounds are not the
logo's), charges within 30 grey levels of the field (they vanish in grey), two versions that
are nearly the same picture (the detector cannot tell which one is used), a shield narrower than
100 px (too little detail to measure), and a `layout` or `tone` the file does not look like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from profilecheck.checks.logo.anatomy import AnatomyError, analyse, grey
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.profile.params import ParamProblem

MAX_MARGIN = 0.05
MIN_CONTRAST = 30.0  # grey levels between a charge and the field
MIN_SHIELD_PX = 100.0
SAME_PICTURE = 4.0  # mean grey difference of two 32×32 signatures
SIGNATURE = 32


def judge_artwork(params: Any, folder: Path) -> list[ParamProblem]:
    """Notes and warnings about the artwork of a logo rule whose files resolve against
    `folder` (see the module's docstring). Files that are missing are validate's errors."""
    problems: list[ParamProblem] = []
    signatures: list[tuple[str, float, Any]] = []
    files = [(f"params.versions[{i}]", v) for i, v in enumerate(params.versions)]
    if all((folder / v.file).resolve() != (folder / params.mark).resolve() for _k, v in files):
        files.insert(0, ("params.mark", _Mark(params.mark)))
    for key, version in files:
        rgba = _load(folder / version.file, key, version.name, problems)
        if rgba is None:
            continue
        try:
            anatomy = _read(rgba, version.layout)
        except AnatomyError as error:
            problems.append(_warn(key, f"{version.name}: the detector cannot use it: {error}"))
            continue
        except Exception as error:  # judging is advice: a surprise is said, never raised
            problems.append(_warn(key, f"{version.name}: could not be judged ({error})"))
            continue
        shield = tuple(version.shield) if len(version.shield) == 4 else anatomy.shield
        problems += _judged(key, version, anatomy, shield, rgba)
        if key != "params.mark":
            signatures.append((version.name, rgba.shape[1] / rgba.shape[0], _signature(rgba)))
    problems += _alike(signatures)
    return problems


def _read(rgba: Any, declared: str) -> Any:
    """The file as it looks (layout and tone read, not declared); a file declared the bare
    vapen whose ink cannot be parted is measured as all ink."""
    try:
        return analyse(rgba)
    except AnatomyError:
        if declared != "vapen":
            raise
        return analyse(rgba, "vapen")


class _Mark:
    """The mark, judged like a version (the search's template: the colour vapen)."""

    def __init__(self, file: str) -> None:
        self.name, self.file, self.background = "mark", file, "light"
        self.layout, self.tone, self.shield = "vapen", "auto", []


def _judged(key: str, version: Any, anatomy: Any, shield: tuple, rgba: Any) -> list[ParamProblem]:
    h, w = rgba.shape[:2]
    found: list[ParamProblem] = []
    left, top, right, bottom = anatomy.margins
    margin = max(left / w, right / w, top / h, bottom / h)
    field = anatomy.field_colour
    background = "#FFFFFF" if version.background != "dark" else "#000000"
    against = field or background
    charges = [c for c, share in anatomy.colours if c != field and share >= 0.02]
    contrast = min((abs(grey(c) - grey(against)) for c in charges), default=255.0)
    weakest = min(charges, key=lambda c: abs(grey(c) - grey(against)), default=None)
    field_text = field or f"transparent (the {version.background} background shows)"
    found.append(
        ParamProblem(
            key,
            f"{version.name}: {anatomy.layout}, {anatomy.tone}; shield {shield[2]:.0f} px wide "
            f"at ({shield[0]:.0f}, {shield[1]:.0f}) in {w} × {h} px; field {field_text}; "
            + (
                f"charges {contrast:.0f} grey levels from the field at the least"
                if charges
                else "nothing drawn in another colour than the field"
            )
            + f"; transparent margins {margin:.0%}",
            level="note",
        )
    )
    if margin > MAX_MARGIN:
        found.append(
            _warn(
                key,
                f"{version.name}: {margin:.0%} of the file is empty margin (left {left}, top "
                f"{top}, right {right}, bottom {bottom} px): sizes and clear space measured "
                "from the file's bounds come out too large; import it with `profilecheck "
                "profile artwork` to trim it",
            )
        )
    if weakest is not None and contrast < MIN_CONTRAST:
        found.append(
            _warn(
                key,
                f"{version.name}: the charges ({weakest}) are only {contrast:.0f} grey levels "
                f"from the field ({against}): in grey they all but vanish, so this version is "
                "hard to find and to tell from the others",
            )
        )
    if shield[2] < MIN_SHIELD_PX:
        found.append(
            _warn(
                key,
                f"{version.name}: the shield is only {shield[2]:.0f} px wide: too little detail "
                f"to find and measure it reliably; use a file with the shield at least "
                f"{MIN_SHIELD_PX:.0f} px wide",
            )
        )
    for what, declared, read in (
        ("layout", version.layout, anatomy.layout),
        ("tone", version.tone, anatomy.tone),
    ):
        if declared != "auto" and declared != read:
            found.append(
                _warn(
                    f"{key}.{what}",
                    f"{version.name}: {what} = {declared!r}, but the file looks {read}",
                )
            )
    return found


def _alike(signatures: list[tuple[str, float, Any]]) -> list[ParamProblem]:
    import numpy as np

    found = []
    for i, (first, aspect, picture) in enumerate(signatures):
        for second, other_aspect, other in signatures[i + 1 :]:
            if abs(aspect / other_aspect - 1) > 0.05:
                continue
            difference = float(np.abs(picture - other).mean())
            if difference < SAME_PICTURE:
                found.append(
                    _warn(
                        "params.versions",
                        f"{first} and {second} are nearly the same picture (they differ by "
                        f"{difference:.1f} grey levels on average): the detector cannot tell "
                        "which one is used",
                    )
                )
    return found


def _signature(rgba: Any) -> Any:
    """32×32 greys of the picture on white and on black, side by side (alpha counts)."""
    import cv2
    import numpy as np

    rgb = rgba[..., :3].astype(np.float32)
    alpha = rgba[..., 3:].astype(np.float32) / 255.0
    sides = []
    for paper in (255.0, 0.0):
        flat = rgb * alpha + paper * (1.0 - alpha)
        grey_picture = flat @ np.array([0.299, 0.587, 0.114], np.float32)
        sides.append(cv2.resize(grey_picture, (SIGNATURE, SIGNATURE), interpolation=cv2.INTER_AREA))
    return np.concatenate(sides, axis=1)


def _load(path: Path, key: str, name: str, problems: list[ParamProblem]) -> Any:
    import numpy as np
    from PIL import Image

    if not path.is_file():
        return None
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > DEFAULT_LIMITS.max_decoded_pixels:
                problems.append(_warn(key, f"{name}: {width} × {height} px is too large to judge"))
                return None
            return np.asarray(image.convert("RGBA")).copy()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        problems.append(_warn(key, f"{name}: the file cannot be decoded ({error})"))
        return None


def _warn(key: str, message: str) -> ParamProblem:
    return ParamProblem(key, message, level="warning")
