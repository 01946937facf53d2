"""What lies around a use of the logo: whether it is whole (not cropped, not covered, not running
off the page), has its clear space, and stands as the unit it was drawn as (the vapen not
separated from its name, nor combined with other text in the name's place).

Every word of the findings is the rule file's (`[texts]`, keys listed in the logo rule type's
docstring); this module names the pieces by key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from profilecheck.core.model import Box, Document, Format, Page
from profilecheck.engine.ruletype import Report

if TYPE_CHECKING:
    from profilecheck.checks.logo.params import LogoParams
    from profilecheck.checks.logo.uses import Use

SIDES = ("left", "top", "right", "bottom")  # texts side-left, side-top, ...
COVERING = {"text": "covering-text", "image": "covering-image"}  # else covering-graphics
# What may stand in the clear space (texts intruder-...), in the order that settles a tie.
INTRUDERS = ("image", "graphics", "other", "text", "page-edge", "picture-edge")
CUT_TOLERANCE = 0.01  # of the image's width or height
COVERED_TOLERANCE = 0.03  # of the drawing's area


def cut_off(use: Use, document: Document, where: dict, report: Report) -> None:
    """A placed logo image cropped into its drawing (Word's crop, the page edge) or covered by
    something painted after it (PDF painting order); a mark found by pixels with a side hidden."""
    cuts, covered = [0.0] * 4, None
    if use.image is not None:
        page = document.pages[use.page - 1]
        cuts = _cuts(use, page, document.paginated)
        covered = _covered_by(use, page)
    hows = [
        report.text("cut-off", cut=f"{cut:.0%}", side=report.text(f"side-{side}"))
        for cut, side in zip(cuts, SIDES, strict=True)
        if cut > CUT_TOLERANCE
    ]
    if covered:
        what = report.text(COVERING.get(covered[0], "covering-graphics"))
        hows.append(report.text("painted-over", what=what))
    hows += [report.text("hidden", side=report.text(f"side-{side}")) for side in use.covered]
    if hows:
        report(
            "logo-cropped",
            **where,
            how="; ".join(hows),
            measured={
                "cut": [round(cut, 3) for cut in cuts],
                "covered_fraction": round(covered[1], 3) if covered else 0.0,
                "hidden_sides": list(use.covered),
                "limit": CUT_TOLERANCE,
            },
        )


def _cuts(use: Use, page: Page, paginated: bool) -> list[float]:
    """How much of the drawing (fractions of the image, left, top, right, bottom) the crop or
    the page edge cuts away; the image's empty border may go."""
    image = use.image
    cuts = list(image.transform.crop)
    if paginated and page.width and page.height:
        box, edge = image.box, page.box
        beyond = (edge.x0 - box.x0, edge.y0 - box.y0, box.x1 - edge.x1, box.y1 - edge.y1)
        sizes = (box.width, box.height) * 2
        cuts = [max(cut, out / size) for cut, out, size in zip(cuts, beyond, sizes, strict=True)]
    return [max(0.0, cut - margin) for cut, margin in zip(cuts, use.margins, strict=True)]


def _covered_by(use: Use, page: Page) -> tuple[str, float] | None:
    """(kind, fraction of the drawing) of the largest thing painted over the logo image."""
    box, (left, top, right, bottom) = use.image.box, use.margins
    drawing = Box(
        box.x0 + left * box.width,
        box.y0 + top * box.height,
        box.x1 - right * box.width,
        box.y1 - bottom * box.height,
    )
    drawn = page.drawn
    mine = [i for i, d in enumerate(drawn) if d.kind == "image" and _same(d.box, box)]
    if not mine or drawing.area <= 0:
        return None
    worst = None
    for later in drawn[mine[0] + 1 :]:
        if later.box.contains(box):
            continue  # a frame or a see-through overlay over the whole logo: cannot tell
        fraction = later.box.intersection(drawing).area / drawing.area
        if fraction > COVERED_TOLERANCE and (worst is None or fraction > worst[1]):
            worst = (later.kind, fraction)
    return worst


def _same(a: Box, b: Box) -> bool:
    return max(abs(a.x0 - b.x0), abs(a.y0 - b.y0), abs(a.x1 - b.x1), abs(a.y1 - b.y1)) < 0.5


def clear_space(
    use: Use, params: LogoParams, document: Document, where: dict, report: Report
) -> None:
    """Text, graphics, images or the page's (picture's) edge inside the clear space: a band of
    `clear-space` shield widths around the logo."""
    page = document.pages[use.page - 1]
    if document.format is Format.IMAGE:
        if not page.images or not page.can_render:
            return
        shield = use.mark_width_px * page.width / page.images[0].pixel_width
        intruders = _pixel_intruders(use, page, params.clear_space * shield)
    else:
        shield = use.mark_width_pt or 1.0
        intruders = _intruders(use, page, params.clear_space * shield, document.paginated)
    if not intruders:
        return
    gap, what = min(intruders, key=lambda item: (item[0], INTRUDERS.index(item[1])))
    value = round(gap / shield, 2)
    report(
        "logo-clear-space",
        **where,
        what=report.text(f"intruder-{what}"),
        value=f"{value:g}",
        limit=f"{params.clear_space:g}",
        measured={"value": value, "limit": params.clear_space, "unit": "shield widths"},
    )


def _intruders(use: Use, page: Page, reach: float, paginated: bool) -> list[tuple]:
    """(gap, what: one of INTRUDERS) of the document content inside the band."""
    band = use.box.expanded(reach)
    intruders: list[tuple[float, str]] = []
    inside = use.box.expanded(max(1.5, 0.2 * reach))
    for span in page.spans:
        if span.box and span.box.intersects(band) and not inside.contains(span.box):
            intruders.append((_gap(use.box, span.box), "text"))
    for paint in page.paints:
        box = paint.box
        if box.intersects(band) and not inside.contains(box) and not box.contains(use.box):
            intruders.append((_gap(use.box, box), "graphics"))
    for image in page.images:
        box = image.box
        if image is use.image or box.contains(use.box) or inside.contains(box):
            continue
        if box.intersects(band):
            intruders.append((_gap(use.box, box), "image"))
    if paginated and not page.box.contains(band):
        intruders.append((_gap_to_edge(use.box, page.box), "page-edge"))
    return intruders


PIXEL_INK = 40  # grey levels from the band's median: something drawn, not the background
PIXEL_INK_SHARE = 0.005  # of the band's pixels
ASSET_SHARE = 0.6  # a logo this large in its picture is the logo file itself, not a layout


def _pixel_intruders(use: Use, page: Page, reach: float) -> list[tuple]:
    """In an image file: the picture's edge inside the band, or pixels in the band that stand
    out from its background (text, lines, other pictures)."""
    scale = page.images[0].pixel_width / page.width  # pixels per box unit
    intruders: list[tuple[float, str]] = []
    band = use.box.expanded(reach)
    asset = use.box.width >= ASSET_SHARE * page.width or use.box.height >= ASSET_SHARE * page.height
    if not asset and not page.box.contains(band):
        intruders.append((_gap_to_edge(use.box, page.box), "picture-edge"))
    seen = band.intersection(page.box)
    picture = page.render(72 * scale, seen)  # the band only: no need to convert the rest
    box = Box(
        (use.box.x0 - seen.x0) * scale,
        (use.box.y0 - seen.y0) * scale,
        (use.box.x1 - seen.x0) * scale,
        (use.box.y1 - seen.y0) * scale,
    )
    gap = _ink_gap(picture, box, reach * scale)
    if gap is not None:
        intruders.append((gap / scale, "other"))
    return intruders


def _ink_gap(picture: Any, box: Box, reach: float) -> float | None:
    """How near to the box (in pixels) something stands out from the background of the band
    `reach` pixels wide around it; None when nothing does."""
    import numpy as np

    from profilecheck.checks.logo.raster import gray

    band = box.expanded(reach)
    x0, y0 = max(0, int(band.x0)), max(0, int(band.y0))
    crop = np.ascontiguousarray(picture[y0 : int(band.y1) + 1, x0 : int(band.x1) + 1])
    if crop.shape[0] < 3 or crop.shape[1] < 3:
        return None
    grey = gray(crop).astype(np.int16)
    xs = np.arange(x0, x0 + grey.shape[1], dtype=np.float32)
    ys = np.arange(y0, y0 + grey.shape[0], dtype=np.float32)
    dx = np.maximum(np.maximum(box.x0 - xs, xs - box.x1), 0)
    dy = np.maximum(np.maximum(box.y0 - ys, ys - box.y1), 0)
    distance = np.hypot(dy[:, None], dx[None, :])
    ring = (distance > max(2.0, 0.1 * reach)) & (distance <= reach)
    if ring.sum() < 20:
        return None
    values = grey[ring]
    ink = np.abs(values - np.median(values)) > PIXEL_INK
    if ink.mean() <= PIXEL_INK_SHARE:
        return None
    gaps = np.sort(distance[ring][ink])
    return float(gaps[len(gaps) // 50])  # the nearest, but for stray pixels


def _gap(a: Box, b: Box) -> float:
    dx = max(b.x0 - a.x1, a.x0 - b.x1, 0.0)
    dy = max(b.y0 - a.y1, a.y0 - b.y1, 0.0)
    return (dx * dx + dy * dy) ** 0.5


def _gap_to_edge(box: Box, page: Box) -> float:
    return max(0.0, min(box.x0 - page.x0, box.y0 - page.y0, page.x1 - box.x1, page.y1 - box.y1))


NAME_HEIGHT = 0.12  # text smaller than this many shield heights is body text, not a name
NAME_REACH = 0.5  # how far from the shield (in shield widths) the name's place reaches
NAME_ALIGNMENT = 0.25  # how far off centre (in shield sizes) a name may sit, as the logotypes do


def combination(
    use: Use, params: LogoParams, document: Document, where: dict, report: Report
) -> None:
    """The bare vapen with text in the place the name takes in the logotype (beside it, or
    below), or, where the profile forbids it, without any name."""
    if use.kind != "vapen":
        return
    page = document.pages[use.page - 1]
    words = [span for span in page.spans if span.box and _in_name_place(span.box, use.box)]
    if words:
        words.sort(key=lambda span: (span.box.y0, span.box.x0))
        text = " ".join(" ".join(span.text for span in words).split())
        if text.casefold() == params.name.casefold():
            how = report.text("name-as-text")
        else:
            how = report.text("text-in-name-place", text=text[:60])
        report(
            "logo-recombined",
            **where,
            how=how,
            measured={"text": text[:200], "name": params.name},
        )
    elif params.vapen_alone == "forbidden":
        report(
            "logo-separated",
            **where,
            logotype_name=params.name,
            measured={"layout": use.kind, "vapen_alone": params.vapen_alone},
        )


def _in_name_place(text: Box, shield: Box) -> bool:
    """Name-sized text where the logotypes have the name: beside the shield at its middle, or
    centred below it."""
    if text.height < NAME_HEIGHT * shield.height:
        return False
    reach = NAME_REACH * shield.width
    off_middle = abs((text.y0 + text.y1) / 2 - (shield.y0 + shield.y1) / 2)
    beside = 0 <= text.x0 - shield.x1 <= reach and off_middle <= NAME_ALIGNMENT * shield.height
    off_centre = abs((text.x0 + text.x1) / 2 - (shield.x0 + shield.x1) / 2)
    below = 0 <= text.y0 - shield.y1 <= reach and off_centre <= NAME_ALIGNMENT * shield.width
    return beside or below
