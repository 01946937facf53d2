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
(logo-clear-space; in image files: a line of text or the picture's edge by its pixels), cropped
by a fifth in Word, running off the page, with a headline printed over it or a sticker over its
side (logo-cropped), the vapen redrawn rather than the profile's file (logo-not-original,
reported instead of the aspect, colour and clear-space findings, which measured against a drawing
it is not would be chance). Every use found is also reported as logo-found with its
measurements.

Images placed in PDFs and Word files are recognised from their pixels and measured from their
placement, without rendering; logos drawn as vector paths, inside photos or on scans are found on
a page render (only where the profile requires a logo and nothing was found by structure): a
PDF's page, or a Word or PowerPoint page as LibreOffice lays it out (an EMF or WMF vapen,
shapes), with the page's number.

The words come from the rule file: `[messages]` and `[suggestions]` by finding, and `[texts]`
for the pieces the messages are made of: {where} (in-document, on-page), {how} of
logo-rotated (rotated, mirrored-rotated), of logo-recoloured (word-effects, delta-e) and of
logo-cropped (cut-off, hidden, painted-over; side-left/-top/-right/-bottom; covering-text,
-image, -graphics) and logo-recombined (name-as-text, text-in-name-place), {background}
(dark, light), {what} of logo-clear-space (intruder-text, -graphics, -image, -page-edge,
-picture-edge, -other), and the {reason} of logo-unchecked: not-examined (no logo found, and a
picture the search cannot read: EMF, WMF), picture-undecodable (a picture shaped like the logo
that cannot be decoded), page-not-rendered, background-not-rendered, mark-unmeasured (something
the search takes for the vapen but cannot measure) (with {what}: the picture's name or
a-picture, {where} and {detail}).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from profilecheck.checks.logo import presence, surroundings
from profilecheck.checks.logo.params import LogoParams
from profilecheck.checks.logo.uses import Search, Use, find_uses
from profilecheck.core.codes import Check
from profilecheck.core.model import MM_PER_PT, Document, Format
from profilecheck.engine.ruletype import Report, RuleType, pick_language
from profilecheck.profile.params import ParamProblem
from profilecheck.profile.rule import Rule

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
    running off the page, or painted over; a mark found by pixels with the charges hidden along
    one side), logo-recombined (the bare vapen with name-sized text where the logotype has its
    name), logo-separated (the bare vapen where the profile says `vapen-alone = "forbidden"`),
    logo-not-original (the arms drawn otherwise than every artwork version: checks/logo/
    originality.py; the nearest version is named).
    What the search could not look at is logo-unchecked (a warning), never "no logo": a
    picture shaped like the logo that cannot be decoded, a page or the surroundings of a logo
    that cannot be rendered (the version for the background is then not checked), something
    the search takes for the vapen but cannot measure (a shape no use of it has), and, where
    the logo is required but not found, a picture the search cannot read (EMF, WMF) or shapes
    drawn in Word, where LibreOffice is not there to render the page. A logo placed in Word is
    judged against the document's page colour, else white; one found on a Word or PowerPoint
    page rendered by LibreOffice is judged on that page, and its findings say so.
    """

    name = "logo"
    checks = (
        Check(
            "L100", "logo-found", "info", "A use of the vapen or logotype, with its measurements."
        ),
        Check(
            "L101", "logo-missing", "error", "The logo is missing where the profile requires it."
        ),
        Check("L102", "logo-distorted", "error", "The logo is stretched or squeezed."),
        Check("L103", "logo-rotated", "error", "The logo is rotated or mirrored."),
        Check("L104", "logo-recoloured", "error", "The logo's colours were changed."),
        Check("L105", "logo-too-small", "error", "The logo is smaller than the minimum size."),
        Check("L106", "logo-clear-space", "warning", "Other content intrudes on the clear space."),
        Check("L107", "logo-wrong-version", "error", "The wrong version for the background."),
        Check("L108", "logo-cropped", "error", "The logo is cut off or covered."),
        Check("L109", "logo-separated", "error", "The vapen is used without its name."),
        Check("L110", "logo-recombined", "error", "The vapen is combined with other text."),
        Check(
            "L111",
            "logo-unchecked",
            "warning",
            "A picture that may be the logo could not be examined: the logo is not checked.",
        ),
        Check(
            "L112",
            "logo-not-original",
            "error",
            "The vapen is drawn otherwise than the profile's artwork: not an original file.",
        ),
    )
    Params = LogoParams

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

    @classmethod
    def review(cls, params: LogoParams, rule: Rule) -> list[ParamProblem]:
        """What `profile validate` says about the artwork: checks/logo/judging.py."""
        from profilecheck.checks.logo.judging import judge_artwork

        return judge_artwork(params, rule.folder)

    def check(self, document: Document, report: Report) -> None:
        # a Word logo's clear space needs the page as LibreOffice lays it out: only if asked for
        layout = report.wants("logo-clear-space")
        search: Search = document.analysis(
            f"logo-uses:{self.rule.label}",
            lambda doc: find_uses(doc, self.params, self.folder, layout=layout),
        )
        # a Word or PowerPoint file's pages as LibreOffice lays them out, where they were needed
        laid_out = None
        if search.view is not None:
            laid_out = Report(
                report.rule, report.rule_type, search.view, report.lang, report.selected
            )
        for use in search.uses:
            if use.source == "office-render":
                _judge(use, self.params, search.view, laid_out)
            else:
                _judge(use, self.params, document, report, laid_out, search.layout_problem)
        if laid_out is not None:
            note = pick_language(search.note, report.lang)
            suffix = f" ({note})" if note else ""
            report.findings += [
                replace(f, message=f"{f.message}{suffix}") for f in laid_out.findings
            ]
        presence.report_presence(document, search, self.params, report)

    @property
    def folder(self) -> Path:
        return self.rule.folder


def _judge(
    use: Use,
    params: LogoParams,
    document: Document,
    report: Report,
    laid_out: Report | None = None,
    layout_problem: str = "",
) -> None:
    """Every finding on one use; `laid_out` reports on the pages as LibreOffice lays them out
    (a Word logo's clear space is measured there; `layout_problem`: why they are not there)."""
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
            "background_from": use.background_from or None,
        },
    )
    # another drawing only where nothing else explains the difference: a copy stretched by
    # more than a redrawing's few per cent is a distorted copy (mark_search gates the rest);
    # imported here, as the artwork model is, so a check with no logo to judge never loads them
    from profilecheck.checks.logo.originality import ORIGINAL_LIKENESS, RELIABLE_STRETCH

    original = (
        use.likeness is None
        or use.likeness >= ORIGINAL_LIKENESS
        or abs(use.aspect - 1) > RELIABLE_STRETCH
    )
    if not original:
        # measured against a drawing it is not, its aspect, colours and shield width are off
        # by the differences between the drawings: those findings would be chance
        report(
            "logo-not-original",
            **where,
            version=use.version,
            likeness=f"{use.likeness:.2f}",
            measured={"value": round(use.likeness, 3), "limit": ORIGINAL_LIKENESS,
                      "nearest": use.version},
        )  # fmt: skip
    _geometry(use, params, where, report, original)
    _colours(use, params, where, report, original)
    _size(use, params, document, where, report)
    surroundings.cut_off(use, document, where, report)
    if original:
        _clear_space(use, params, document, where, report, (laid_out, layout_problem))
    if document.format is not Format.IMAGE:
        surroundings.combination(use, params, document, where, report)


def _clear_space(
    use: Use,
    params: LogoParams,
    document: Document,
    where: dict,
    report: Report,
    layout: tuple[Report | None, str],
) -> None:
    """Around a Word logo, whose surroundings flow with the text, the clear space is measured
    on the page as LibreOffice lays it out; without that page it is not measured, and says so."""
    laid_out, layout_problem = layout
    if document.paginated:
        surroundings.clear_space(use, params, document, where, report)
        return
    laid = use.laid_out
    if laid is not None and laid_out is not None:
        at = {"page": laid.page, "box": laid.box, "part": use.part}
        surroundings.clear_space(laid, params, laid_out.document, at, laid_out)
        return
    detail = layout_problem or "not found on LibreOffice's pages"
    report.unchecked(
        "clear-space-not-laid-out",
        part=use.part,
        where=report.text("in-document"),
        detail=detail,
        measured={"detail": detail, "version": use.version},
    )


def _geometry(use: Use, params: LogoParams, where: dict, report: Report, original: bool) -> None:
    off = abs(use.aspect - 1)
    if original and off > params.aspect_tolerance:
        limit = params.aspect_tolerance
        report(
            "logo-distorted",
            **where,
            value=f"{use.aspect:.3f}",
            limit=f"{limit:.0%}",
            measured={"value": round(use.aspect, 4), "limit": limit},
        )
    if abs(use.rotation) >= params.rotation_tolerance or use.mirrored:
        turned = "mirrored-rotated" if use.mirrored else "rotated"
        report(
            "logo-rotated",
            **where,
            how=report.text(turned, angle=f"{use.rotation:.1f}"),
            measured={
                "value": round(use.rotation, 2),
                "mirrored": use.mirrored,
                "limit": params.rotation_tolerance,
            },
        )


def _colours(use: Use, params: LogoParams, where: dict, report: Report, original: bool) -> None:
    if use.effects or (original and use.delta_e > params.recolour_delta_e):
        effects = ", ".join(use.effects)
        if effects:
            how = report.text("word-effects", effects=effects)
        else:
            how = report.text("delta-e", delta_e=f"{use.delta_e:.1f}", version=use.version)
        report(
            "logo-recoloured",
            **where,
            how=how,
            version=use.version,
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
        background=report.text("dark" if dark else "light"),
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
