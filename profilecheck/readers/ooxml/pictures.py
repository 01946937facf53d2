"""Pictures in an OOXML package, for the Word and PowerPoint readers alike: the image parts
behind relationships (read once, pixels left in the zip), how a picture is placed (crop, rotation,
flips, the aspect change they add up to) and its recolour effects and decorative mark.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from profilecheck.core.errors import ReadError
from profilecheck.core.model import Box, Part, PlacedImage, Status, Transform
from profilecheck.readers.ooxml import package as ooxml
from profilecheck.readers.ooxml import styles as ooxml_styles
from profilecheck.readers.ooxml.package import ImagePart, Package
from profilecheck.readers.ooxml.styles import Theme

A14 = "http://schemas.microsoft.com/office/drawing/2010/main"


class ImageParts:
    """The image parts a package's pictures point at, each read once; what could not be read
    is said in `warnings` (shared with the reader's own)."""

    def __init__(self, package: Package, warnings: list[str]) -> None:
        self.package = package
        self.warnings = warnings
        self._parts: dict[str, ImagePart] = {}

    def related(self, source: str, rel_id: str) -> ImagePart | None:
        """The image part relationship `rel_id` of part `source` points at (a linked image has
        no pixels); None, with a warning, when there is no such relationship."""
        rel = self.package.rels(source).get(rel_id)
        if rel is None:
            self.warnings.append(f"{source}: image relationship {rel_id!r} is missing")
            return None
        if rel.external:
            self.warnings.append(f"{source}: linked image {rel.target} is not in the file")
            return ImagePart(rel.target, 0, 0, "", "", None, "linked image")
        return self.part(rel.target)

    def part(self, name: str) -> ImagePart:
        if name not in self._parts:
            try:
                if not self.package.has(name):
                    raise ooxml.refuse("unreadable-file", "the part is missing")
                info = ooxml.image_part(self.package, name, decode)
            except ReadError as error:
                info = ImagePart(name, 0, 0, "", "", None, error.message)
            if info.problem:
                self.warnings.append(f"image {name}: {info.problem}")
            elif info.loader is not None:
                from profilecheck.readers.pixels import reduced_note, reduced_size

                limits, size = self.package.limits, (info.width, info.height)
                if reduced_size(*size, limits) != size:
                    self.warnings.append(reduced_note(name, *size, limits))
            self._parts[name] = info
        return self._parts[name]


def placed_image(
    info: ImagePart,
    box: Box,
    part: Part,
    rotation: float,
    flips: tuple[bool, bool],
    crop: tuple[float, ...],
    alt: str | None,
    decorative: bool,
    effects: tuple[str, ...],
    page: int = 1,
) -> PlacedImage:
    """A picture as placed: `rotation` in degrees counter-clockwise, `flips` (horizontal,
    vertical), `crop` the l, t, r, b fractions of srcRect (negative: padding)."""
    flip_h, flip_v = flips
    if flip_h and flip_v:
        rotation += 180
    left, top, right, bottom = (min(max(c, -10.0), 0.99) for c in crop)
    shown_w = info.width * (1 - left - right)
    shown_h = info.height * (1 - top - bottom)
    change = 1.0
    if shown_w > 0 and shown_h > 0 and box.width > 0 and box.height > 0:
        change = (box.width / shown_w) / (box.height / shown_h)
    rotation = round(180 - (180 - rotation) % 360, 2) + 0.0  # in (-180, 180]
    transform = Transform(
        rotation=rotation,
        mirrored=flip_h != flip_v,
        aspect_ratio_change=change,
        crop=(left, top, right, bottom),
    )
    return PlacedImage(
        box=box,
        pixel_width=info.width,
        pixel_height=info.height,
        page=page,
        part=part,
        transform=transform,
        name=info.name,
        alt_text=(alt.strip() or None) if alt else None,
        colour_mode=info.mode,
        digest=info.digest,
        effects=effects,
        decorative=decorative,
        _loader=info.loader,
    )


def crop_of(rect: etree._Element | None) -> tuple[float, ...]:
    """An a:srcRect's l, t, r, b in fractions (thousandths of a percent in the file)."""
    return tuple(
        (ooxml.to_int(rect.get(side)) or 0) / 100000 if rect is not None else 0.0 for side in "ltrb"
    )


def decode(data: bytes) -> Any:
    try:
        from profilecheck.readers.pixels import decode, open_image  # Pillow on demand

        return decode(open_image(data))
    except (ReadError, MemoryError):
        raise
    except Exception as error:
        raise ReadError(Status.UNREADABLE, "unreadable-file", f"image data broken: {error}")


def is_decorative(element: etree._Element) -> bool:
    """Marked decorative (Office's adec:decorative extension on the non-visual properties)."""
    return any(ext.get("val") in ("1", "true") for ext in element.iter("{*}decorative"))


def blip_effects(blip: etree._Element, theme: Theme) -> tuple[str, ...]:
    """The recolour and picture-colour settings on a picture (a:blip), as short strings."""
    effects = []
    for child in blip:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "extLst":
            for effect in child.iter(f"{{{A14}}}imgEffect"):
                effects.extend(_effect(e) for e in effect if isinstance(e.tag, str))
            continue
        colours = [ooxml_styles.drawing_colour(c, theme) for c in child.iter() if c is not child]
        colours = ["#" + c for c in colours if c]
        if local == "grayscl":
            effects.append("grayscale")
        elif local in ("duotone", "clrChange", "clrRepl") and colours:
            effects.append(f"{local}:{'/'.join(colours)}")
        else:
            effects.append(_effect(child))
    return tuple(effects)


def _effect(element: etree._Element) -> str:
    local = etree.QName(element).localname
    attrs = ",".join(f"{etree.QName(k).localname}={v}" for k, v in sorted(element.attrib.items()))
    return f"{local}:{attrs}" if attrs else local
