"""Rule type `logo`: find every use of the vapen and the logotype and judge each one.

A rule file names the artwork versions, which background each is for, and the limits:

    [params]
    mark = "../artwork/png/vapen-colour-print.png"
    min-width-mm = 20
    [[params.versions]]
    name = "vapen-white"
    file = "../artwork/png/vapen-white-print.png"
    background = "dark"

Passes: the colour vapen, 25 mm wide, upright and unstretched on a white first page with room
around it. Fails: no logo on the first page (logo-missing), a logo stretched 10 % (logo-distorted),
turned 15° or mirrored (logo-rotated), hue-shifted or greyed by Word (logo-recoloured), the white
version on white paper (logo-wrong-version), 8 mm wide (logo-too-small), text 1 mm from it
(logo-clear-space), cropped by a fifth in Word, running off the page or with a headline printed
over it (logo-cropped). Every use found is also reported as logo-found with its measurements.

Images placed in PDFs and Word files are recognised from their pixels and measured from their
placement, without rendering; logos drawn as vector paths, inside photos or on scans are found on
a page render (only where the profile requires a logo and nothing was found by structure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from profilecheck.checks.logo_uses import Use, find_uses
from profilecheck.model import MM_PER_PT, Box, Document, Format, Page
from profilecheck.params import ParamProblem
from profilecheck.ruletype import Report, Rule, RuleType


@dataclass
class ArtworkVersion:
    name: str
    file: str
    background: Literal["light", "dark", "any"] = "light"


@dataclass
class LogoParams:
    mark: str  # the full-colour vapen: what the search looks for (every version contains it)
    versions: list[ArtworkVersion] = field(default_factory=list)
    required: Literal["first-page", "every-page", "anywhere", "nowhere"] = "first-page"
    required_in_images: bool = False
    search: Literal["required", "every-page"] = "required"  # where pages are rendered
    min_width_mm: float = 20.0  # the shield's width, on A4 and larger pages
    absolute_min_width_mm: float = 12.0  # on smaller pages
    min_width_px: int = 60  # images without a known resolution
    clear_space: float = 0.25  # in shield widths
    aspect_tolerance: float = 0.03
    rotation_tolerance: float = 1.0  # degrees
    recolour_delta_e: float = 8.0  # ΔE2000
    dark_below_lightness: float = 50.0  # L* of the background below which it counts as dark
    render_dpi: int = 100
    max_rendered_pages: int = 10


A4_AREA_PT = 595.0 * 842.0


class LogoRule(RuleType):
    """Finds the vapen and logotype and checks that each use is correct.

    logo-found (info) reports every use with version, size in mm, aspect ratio and rotation.
    Failures: logo-missing, logo-distorted (aspect off by more than the tolerance),
    logo-rotated (rotated by the tolerance or more, or mirrored), logo-recoloured (ΔE2000 to the
    nearest version above the limit, or Word recolour effects), logo-wrong-version (positive
    version on a dark background or negative on a light one), logo-too-small (the shield narrower
    than the minimum), logo-clear-space (text, graphics, images or the page edge inside the band
    of clear space around the logo), logo-cropped (a placed logo image cropped into its drawing,
    running off the page, or with text, graphics or an image painted over it).
    """

    name = "logo"
    emits = (
        "logo-found",
        "logo-missing",
        "logo-distorted",
        "logo-rotated",
        "logo-recoloured",
        "logo-too-small",
        "logo-clear-space",
        "logo-wrong-version",
        "logo-cropped",
    )
    Params = LogoParams
    heavy = True
    messages = {
        "logo-found": {
            "en": "Logo found: {version}, {width} wide, aspect {aspect}, rotation {rotation}°",
            "sv": "Logotyp hittad: {version}, {width} bred, proportion {aspect}, rotation {rotation}°",
        },
        "logo-missing": {
            "en": "The logo is missing {where}",
            "sv": "Logotypen saknas {where_sv}",
        },
        "logo-distorted": {
            "en": "The logo is distorted: aspect ratio {value} (allowed ±{limit})",
            "sv": "Logotypen är förvrängd: proportionerna {value} (tillåtet ±{limit})",
        },
        "logo-rotated": {
            "en": "The logo is {how}",
            "sv": "Logotypen är {how_sv}",
        },
        "logo-recoloured": {
            "en": "The logo's colours were changed ({how})",
            "sv": "Logotypens färger är ändrade ({how_sv})",
        },
        "logo-too-small": {
            "en": "The logo is too small: {value} (minimum {limit})",
            "sv": "Logotypen är för liten: {value} (minst {limit})",
        },
        "logo-clear-space": {
            "en": "{what} inside the logo's clear space ({value} of {limit} shield widths)",
            "sv": "{what_sv} inom logotypens frizon ({value} av {limit} sköldbredder)",
        },
        "logo-wrong-version": {
            "en": "{version} on a {background} background: use {better}",
            "sv": "{version} på {background_sv} bakgrund: använd {better}",
        },
        "logo-cropped": {
            "en": "The logo is cut off or covered: {how}",
            "sv": "Logotypen är beskuren eller skymd: {how_sv}",
        },
    }

    @classmethod
    def validate(cls, params: LogoParams, rule: Rule) -> list[ParamProblem]:
        problems = []
        files = [("params.mark", params.mark)]
        files += [(f"params.versions[{i}].file", v.file) for i, v in enumerate(params.versions)]
        for key, name in files:
            if not (rule.folder / name).is_file():
                problems.append(ParamProblem(key, f"artwork file not found: {name}"))
        if not params.versions:
            problems.append(ParamProblem("params.versions", "name at least one artwork version"))
        return problems

    def check(self, document: Document, report: Report) -> None:
        uses = document.analysis(
            f"logo-uses:{self.rule.label}", lambda doc: find_uses(doc, self.params, self.folder)
        )
        for use in uses:
            _judge(use, self.params, document, report)
        self._missing(document, uses, report)

    @property
    def folder(self) -> Path:
        return self.rule.folder

    def _missing(self, document: Document, uses: list[Use], report: Report) -> None:
        required = self.params.required
        if document.format is Format.IMAGE:
            required = "anywhere" if self.params.required_in_images else "nowhere"
        if required == "nowhere" or not document.pages:
            return
        pages = {use.page for use in uses}
        if required == "anywhere" or (required == "first-page" and not document.paginated):
            if not uses:
                report(
                    "logo-missing",
                    where="in the document",
                    where_sv="i dokumentet",
                    measured={"value": 0, "limit": 1},
                )
            return
        wanted = [1] if required == "first-page" else [p.number for p in document.pages]
        for number in wanted:
            if number not in pages:
                report(
                    "logo-missing",
                    page=number,
                    where=f"on page {number}",
                    where_sv=f"på sida {number}",
                    measured={"value": 0, "limit": 1},
                )


def _judge(use: Use, params: LogoParams, document: Document, report: Report) -> None:
    where = {"page": use.page, "box": use.box, "part": use.part}
    width_mm = None if use.mark_width_pt is None else use.mark_width_pt * MM_PER_PT
    logo_mm = use.box.width * MM_PER_PT
    report(
        "logo-found",
        **where,
        version=use.version,
        width=f"{logo_mm:.1f} mm" if width_mm is not None else f"{use.mark_width_px:.0f} px",
        aspect=f"{use.aspect:.3f}",
        rotation=f"{use.rotation:.1f}",
        measured={
            "version": use.version,
            "layout": use.kind,
            "source": use.source,
            "width_mm": round(logo_mm, 2) if width_mm is not None else None,
            "shield_width_mm": None if width_mm is None else round(width_mm, 2),
            "shield_width_px": round(use.mark_width_px, 1),
            "aspect_ratio": round(use.aspect, 4),
            "rotation": round(use.rotation, 2),
            "mirrored": use.mirrored,
            "delta_e": round(use.delta_e, 2),
        },
    )
    _geometry(use, params, where, report)
    _colours(use, params, where, report)
    _size(use, params, document, where, report)
    _cut_off(use, document, where, report)
    if use.mark_width_pt is not None and document.format is not Format.IMAGE:
        _clear_space(use, params, document, where, report)


def _geometry(use: Use, params: LogoParams, where: dict, report: Report) -> None:
    off = abs(use.aspect - 1)
    if off > params.aspect_tolerance:
        limit = params.aspect_tolerance
        report(
            "logo-distorted",
            **where,
            value=f"{use.aspect:.3f}",
            limit=f"{limit:.0%}",
            suggestion="Skala logotypen proportionerligt / Scale the logo proportionally",
            measured={"value": round(use.aspect, 4), "limit": limit},
        )
    if abs(use.rotation) >= params.rotation_tolerance or use.mirrored:
        turned = f"rotated {use.rotation:.1f}°"
        turned_sv = f"roterad {use.rotation:.1f}°"
        if use.mirrored:
            turned, turned_sv = f"mirrored and {turned}", f"spegelvänd och {turned_sv}"
        report(
            "logo-rotated",
            **where,
            how=turned,
            how_sv=turned_sv,
            measured={
                "value": round(use.rotation, 2),
                "mirrored": use.mirrored,
                "limit": params.rotation_tolerance,
            },
        )


def _colours(use: Use, params: LogoParams, where: dict, report: Report) -> None:
    if use.effects or use.delta_e > params.recolour_delta_e:
        effects = ", ".join(use.effects)
        measured_en = f"ΔE2000 {use.delta_e:.1f} from {use.version}"
        measured_sv = f"ΔE2000 {use.delta_e:.1f} mot {use.version}"
        report(
            "logo-recoloured",
            **where,
            how=f"Word effects: {effects}" if effects else measured_en,
            how_sv=f"Word-effekter: {effects}" if effects else measured_sv,
            suggestion=f"Använd originalfilen / Use the original artwork ({use.version})",
            measured={
                "value": round(use.delta_e, 2),
                "limit": params.recolour_delta_e,
                "effects": list(use.effects),
            },
        )
        return
    version = next(v for v in params.versions if v.name == use.version)
    lightness = use.background_lightness
    if version.background == "any" or lightness is None:
        return
    dark = lightness < params.dark_below_lightness
    if dark == (version.background == "dark"):
        return
    wanted = "dark" if dark else "light"
    others = [v.name for v in params.versions if v.background in (wanted, "any")]
    better = _closest_name(use.version, others)
    report(
        "logo-wrong-version",
        **where,
        better=better,
        suggestion=better,
        version=use.version,
        background="dark" if dark else "light",
        background_sv="mörk" if dark else "ljus",
        measured={
            "value": round(lightness, 1),
            "limit": params.dark_below_lightness,
            "version_for": version.background,
        },
    )


def _closest_name(name: str, others: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, others, n=1, cutoff=0.0)
    return close[0] if close else ", ".join(others)


def _size(use: Use, params: LogoParams, document: Document, where: dict, report: Report) -> None:
    if use.mark_width_pt is None:
        if use.mark_width_px < params.min_width_px:
            value, limit = round(use.mark_width_px), params.min_width_px
            report(
                "logo-too-small",
                **where,
                value=f"{value} px",
                limit=f"{limit} px",
                measured={"value": value, "limit": limit, "unit": "px"},
            )
        return
    page = document.pages[use.page - 1] if use.page <= len(document.pages) else None
    large = page is None or page.width * page.height >= 0.95 * A4_AREA_PT
    limit = params.min_width_mm if large else params.absolute_min_width_mm
    width = use.mark_width_pt * MM_PER_PT
    if width < limit:
        report(
            "logo-too-small",
            **where,
            value=f"{width:.1f} mm",
            limit=f"{limit:g} mm",
            measured={"value": round(width, 2), "limit": limit, "unit": "mm"},
        )


SIDES = (
    ("left", "till vänster"),
    ("top", "upptill"),
    ("right", "till höger"),
    ("bottom", "nedtill"),
)
COVERING = {"text": ("text", "text"), "image": ("an image", "en bild")}
CUT_TOLERANCE = 0.01  # of the image's width or height
COVERED_TOLERANCE = 0.03  # of the drawing's area


def _cut_off(use: Use, document: Document, where: dict, report: Report) -> None:
    """A placed logo image cropped into its drawing (Word's crop, the page edge) or covered by
    something painted after it (PDF painting order)."""
    image = use.image
    if image is None:
        return
    page = document.pages[use.page - 1]
    cuts = list(image.transform.crop)
    if document.paginated and page.width and page.height:
        box, edge = image.box, page.box
        beyond = (edge.x0 - box.x0, edge.y0 - box.y0, box.x1 - edge.x1, box.y1 - edge.y1)
        sizes = (box.width, box.height) * 2
        cuts = [max(cut, out / size) for cut, out, size in zip(cuts, beyond, sizes, strict=True)]
    hows = [
        (f"{cut - margin:.0%} cut off at the {side}", f"{cut - margin:.0%} bortskuret {side_sv}")
        for cut, margin, (side, side_sv) in zip(cuts, use.margins, SIDES, strict=True)
        if cut - margin > CUT_TOLERANCE
    ]
    covered = _covered_by(use, page)
    if covered:
        what, what_sv = COVERING.get(covered[0], ("graphics", "grafik"))
        hows.append((f"{what} painted over it", f"{what_sv} ovanpå"))
    if hows:
        report(
            "logo-cropped",
            **where,
            how="; ".join(en for en, _ in hows),
            how_sv="; ".join(sv for _, sv in hows),
            suggestion="Placera hela logotypen fritt / Place the whole logo, uncovered",
            measured={
                "cut": [round(max(0.0, c - m), 3) for c, m in zip(cuts, use.margins, strict=True)],
                "covered_fraction": round(covered[1], 3) if covered else 0.0,
                "limit": CUT_TOLERANCE,
            },
        )


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


def _clear_space(
    use: Use, params: LogoParams, document: Document, where: dict, report: Report
) -> None:
    page = document.pages[use.page - 1]
    shield = use.mark_width_pt or 1.0
    band = use.box.expanded(params.clear_space * shield)
    intruders: list[tuple[float, str, str]] = []
    inside = use.box.expanded(max(1.5, 0.05 * shield))
    for span in page.spans:
        if span.box and span.box.intersects(band) and not inside.contains(span.box):
            intruders.append((_gap(use.box, span.box), "Text", "Text"))
    for paint in page.paints:
        box = paint.box
        if box.intersects(band) and not inside.contains(box) and not box.contains(use.box):
            intruders.append((_gap(use.box, box), "Graphics", "Grafik"))
    for image in page.images:
        box = image.box
        if image is use.image or box.contains(use.box) or inside.contains(box):
            continue
        if box.intersects(band):
            intruders.append((_gap(use.box, box), "An image", "En bild"))
    if document.paginated and not page.box.contains(band):
        intruders.append((_gap_to_edge(use.box, page.box), "The page edge", "Sidkanten"))
    if not intruders:
        return
    gap, what, what_sv = min(intruders)
    value = round(gap / shield, 2)
    report(
        "logo-clear-space",
        **where,
        what=what,
        what_sv=what_sv,
        value=f"{value:g}",
        limit=f"{params.clear_space:g}",
        measured={"value": value, "limit": params.clear_space, "unit": "shield widths"},
    )


def _gap(a: Box, b: Box) -> float:
    dx = max(b.x0 - a.x1, a.x0 - b.x1, 0.0)
    dy = max(b.y0 - a.y1, a.y0 - b.y1, 0.0)
    return (dx * dx + dy * dy) ** 0.5


def _gap_to_edge(box: Box, page: Box) -> float:
    return max(0.0, min(box.x0 - page.x0, box.y0 - page.y0, page.x1 - box.x1, page.y1 - box.y1))
