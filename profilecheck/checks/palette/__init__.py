"""Rule type `palette`: every colour used must be one of the profile's colours.

    [[params.colours]]
    name = "vapengrön"
    hex = "#1E7B3C"
    cmyk = [85, 20, 100, 10]
    spot = "PANTONE 356 C"

Passes: text in #1E7B3C, a DeviceCMYK fill of exactly the palette's CMYK, a spot colour named
"PANTONE 356 C", a PNG logo in palette colours, a photograph (exempt by default).
Fails: a heading in #E30613 (`colour-off-palette`, nearest palette colour and ΔE2000 given).

Colours are compared where they were declared when the palette has a value there (a spot colour
by name, CMYK by its inks), otherwise by ΔE2000 in Lab with a tolerance per source: `exact`
values, `converted` ones (the reader only knew an sRGB approximation), flat colours found in
`png` or `jpeg` graphics. One finding per colour and page, with how often it is used.

What could not be looked at is `colour-unchecked`, never passed: a picture that cannot be
decoded, one Word recolours on display (duotone, colour change: the colours shown are not the
file's), a spot colour whose appearance the file does not give and the palette does not name.
Pictures larger than `max-image-pixels` are looked at on a copy scaled down to that size. The
{reason} of its message is one of the rule file's `[texts]`: `picture-undecodable`,
`picture-recoloured` (with {picture} and {detail}), `colour-unknown` (with {colour}).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from profilecheck.checks.palette.sources import (
    Colours,
    ColourUse,
    Unseen,
    colour_uses,
    group_uses,
)
from profilecheck.core.codes import Check
from profilecheck.core.colour import (
    Swatch,
    cmyk_colour,
    is_neutral,
    lab,
    nearest,
    parse_colour,
    rgb_colour,
    spot_key,
)
from profilecheck.core.model import Document
from profilecheck.engine.ruletype import Report, RuleType
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule
from profilecheck.profile.tokens import TokenError, load_tokens

PREFLIGHT = ("rgb-image-in-print", "spot-colour-unknown")


@dataclass
class PaletteColour:
    name: str
    hex: str | None = None
    rgb: list[float] | None = None  # 0..255
    cmyk: list[float] | None = None  # percent
    spot: str | None = None  # Pantone or other spot colour name


@dataclass
class Tolerances:
    """Largest ΔE2000 that still counts as the palette colour, per where the colour came from."""

    exact: float = 1.0
    converted: float = 2.0
    png: float = 3.0
    jpeg: float = 5.0
    cmyk: float = 2.0  # percentage points per ink, when compared in CMYK


@dataclass
class PaletteParams:
    colours: list[PaletteColour] = field(default_factory=list)
    tokens: str | None = None  # a DTCG file, relative to the rule file's folder
    tolerance: Tolerances = field(default_factory=Tolerances)
    images: bool = True
    photos: Literal["exempt", "check"] = "exempt"
    # neutral greys: "palette" checks them like any colour, "black-white" always allows pure
    # black and white, "all" allows every neutral grey
    neutrals: Literal["palette", "black-white", "all"] = "palette"
    min_area: float = 0.02  # share of an image a flat colour must cover to count
    # larger pictures are looked at on a copy scaled down to this many pixels
    max_image_pixels: int = 4_000_000
    preflight: list[str] = field(default_factory=list)
    # `profilecheck fix` replaces an off-palette colour by its nearest palette colour only when
    # the ΔE2000 between them is below this; larger differences may be deliberate
    fix_max_delta_e: float = 10.0


def swatches(params: PaletteParams, rule: Rule) -> list[Swatch]:
    """The palette: the rule file's colours, then the token file's. Raises ValueError."""
    out = [_swatch(colour) for colour in params.colours]
    if params.tokens:
        out += load_tokens(rule.folder / params.tokens).colours
    return out


def _swatch(colour: PaletteColour) -> Swatch:
    rgb = parse_colour(colour.hex) if colour.hex else None
    if colour.rgb is not None:
        rgb = rgb_colour(colour.rgb)
    cmyk = cmyk_colour(colour.cmyk) if colour.cmyk is not None else None
    if rgb is None and cmyk is None:
        raise ValueError("give hex, rgb or cmyk")
    return Swatch(colour.name, rgb, cmyk, colour.spot)


class PaletteRule(RuleType):
    """Flags colours that are not in the profile's palette.

    Looks at text colours, vector fills and strokes, Word highlighting and shading, and the flat
    colours of graphics (PNG, JPEG, images placed in PDFs and Word files). Photographs are told
    apart from graphics by how many colours they need and are exempt unless `photos = "check"`.
    Anti-aliased edges are never colours. Each off-palette colour is reported once per page with
    the number of uses, a sample of the text, the nearest palette colour and its ΔE2000.
    Optional preflight checks: `rgb-image-in-print`, `spot-colour-unknown`. What it cannot
    look at is `colour-unchecked`: a picture that cannot be decoded or that Word recolours on
    display, a colour whose appearance is unknown. Large pictures are looked at scaled down.
    """

    name = "palette"
    checks = (
        Check("C201", "colour-off-palette", "warning", "A colour that is not in the palette."),
        Check("C202", "rgb-image-in-print", "warning", "An RGB image in a document for print."),
        Check("C203", "spot-colour-unknown", "warning", "A spot colour the profile does not name."),
        Check(
            "C204",
            "colour-unchecked",
            "warning",
            "Colours that could not be looked at: a picture that cannot be decoded, or a colour "
            "whose appearance is unknown.",
        ),
    )
    Params = PaletteParams

    def __init__(self, rule: Rule, params: PaletteParams) -> None:
        super().__init__(rule, params)
        self.swatches = swatches(params, rule)

    @classmethod
    def validate(cls, params: PaletteParams, rule: Rule) -> list[ParamProblem]:
        problems = []
        for index, colour in enumerate(params.colours):
            try:
                _swatch(colour)
            except ValueError as error:
                problems.append(ParamProblem(f"params.colours[{index}]", str(error)))
        if params.tokens:
            try:
                load_tokens(rule.folder / params.tokens)
            except TokenError as error:
                problems.append(ParamProblem("params.tokens", str(error)))
        for index, name in enumerate(params.preflight):
            if name not in PREFLIGHT:
                problems.append(ParamProblem(f"params.preflight[{index}]", f"one of {PREFLIGHT}"))
        if not params.colours and not params.tokens:
            problems.append(ParamProblem("params.colours", "the palette is empty"))
        return problems

    def emitted(self) -> tuple[str, ...]:
        return ("colour-off-palette", *self.params.preflight, "colour-unchecked")

    def check(self, document: Document, report: Report) -> None:
        params = self.params
        if report.wants("colour-off-palette", "colour-unchecked", "spot-colour-unknown"):
            images = params.images and report.wants("colour-off-palette", "colour-unchecked")
            found = colour_uses(document, images, params.min_area, params.max_image_pixels)
        else:  # only rgb-image-in-print: no colours to extract
            found = Colours([], [])
        uses = found.uses
        # judged once per colour and tolerance class: a page of text is a few colours used often
        judged: dict[tuple, bool] = {}
        off = [use for use in uses if not self._allowed_once(use, judged)]
        for group in group_uses(off):
            self._report_group(group, report)
        for unseen in found.unseen:
            _unseen(unseen, report)
        self._unknown_appearance(uses, report)
        if "spot-colour-unknown" in self.params.preflight:
            self._unknown_spots(uses, report)
        if "rgb-image-in-print" in self.params.preflight:
            self._rgb_images(document, report)

    def _tolerance(self, use: ColourUse) -> float:
        return getattr(self.params.tolerance, use.source)

    def _allowed_once(self, use: ColourUse, judged: dict[tuple, bool]) -> bool:
        key = (use.colour, use.source, use.photo)  # all that `_allowed` reads of a use
        if key not in judged:
            judged[key] = self._allowed(use)
        return judged[key]

    def _allowed(self, use: ColourUse) -> bool:
        if use.photo and self.params.photos == "exempt":
            return True
        if any(swatch.rgb and swatch.rgb.hex == use.colour.hex for swatch in self.swatches):
            return True  # exactly a palette colour: no colour maths needed
        value = lab(use.colour)
        if value is None:
            return True  # no known appearance: colour-unchecked, unless the palette names it
        if self.params.neutrals == "all" and is_neutral(value):
            return True
        extreme = value[0] < 1 or value[0] > 99
        if self.params.neutrals == "black-white" and is_neutral(value) and extreme:
            return True
        match = nearest(use.colour, self.swatches, self.params.tolerance.cmyk / 100)
        return match is not None and match.delta_e <= self._tolerance(use)

    def _report_group(self, group: list[ColourUse], report: Report) -> None:
        first = group[0]
        match = nearest(first.colour, self.swatches, self.params.tolerance.cmyk / 100)
        if match is None:
            return
        sample = next((use.text for use in group if use.text), "")
        delta_e = round(match.delta_e, 1)
        report(
            "colour-off-palette",
            page=first.page,
            box=first.box,
            part=first.part,
            suggestion=f"{match.swatch.label} (ΔE {delta_e})",
            measured={"value": delta_e, "limit": self._tolerance(first)},
            colour=first.label,
            uses=f"{len(group)}× {first.what}",
            sample=f": “{sample[:40]}”" if sample else "",
            nearest=match.swatch.label,
            delta_e=delta_e,
        )

    def _unknown_appearance(self, uses: list[ColourUse], report: Report) -> None:
        """colour-unchecked for each colour (once per document) that has no known appearance
        and that the palette does not name (a spot colour it lists by name is fine)."""
        preflight = "spot-colour-unknown" in self.params.preflight
        reported = set()
        for use in uses:
            colour = use.colour
            if lab(colour) is not None or use.label in reported:
                continue
            if nearest(colour, self.swatches, self.params.tolerance.cmyk / 100) is not None:
                continue  # named in the palette (a spot by its name)
            if preflight and colour.space == "separation" and colour.name:
                continue  # spot-colour-unknown says it
            reported.add(use.label)
            report.unchecked(
                "colour-unknown", page=use.page, box=use.box, part=use.part, colour=use.label
            )

    def _unknown_spots(self, uses: list[ColourUse], report: Report) -> None:
        known = {spot_key(s.spot) for s in self.swatches if s.spot}
        reported = set()
        for use in uses:
            name = use.colour.name
            if use.colour.space != "separation" or not name or name in reported:
                continue
            if spot_key(name) not in known:
                reported.add(name)
                report("spot-colour-unknown", page=use.page, box=use.box, spot=name)

    def _rgb_images(self, document: Document, report: Report) -> None:
        seen = set()
        for image in document.images():
            key = image.digest or image.name
            if key in seen or "RGB" not in image.colour_mode.upper():
                continue
            seen.add(key)
            report(
                "rgb-image-in-print",
                page=image.page,
                box=image.box,
                part=image.part,
                image=image.name,
                mode=image.colour_mode,
            )


def _unseen(unseen: Unseen, report: Report) -> None:
    image = unseen.image
    report.unchecked(
        unseen.why,
        page=image.page,
        box=image.box,
        part=image.part,
        measured={"detail": unseen.detail},
        picture=image.name or "—",
        detail=unseen.detail,
    )
