"""What the logo search finds in a document: the uses of the logo, measured, and what it could
not look at (profilecheck.checks.logo.uses searches; the logo rule judges)."""

from __future__ import annotations

from dataclasses import dataclass, field

from profilecheck.core.model import Box, Document, Part, PlacedImage


@dataclass
class Use:
    """One use of the logo, measured. Boxes in points (image files: pixels × 72 / dpi)."""

    version: str
    kind: str  # "vapen", "horizontal" or "stacked"
    page: int
    box: Box
    mark_width_pt: float | None  # the shield's printed width, when the size is known
    mark_width_px: float
    aspect: float  # 1.0 = as drawn
    rotation: float  # degrees, counter-clockwise
    mirrored: bool
    delta_e: float  # ΔE2000 to the nearest version
    background_lightness: float | None
    source: str  # "placed-image", "render", "office-render" (LibreOffice's pages) or "image"
    part: Part | None = None
    effects: tuple[str, ...] = ()
    image: PlacedImage | None = None
    margins: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # empty image border
    covered: tuple[str, ...] = ()  # found by pixels: sides of the mark hidden by something
    # where background_lightness comes from: "render", "pixels", "page-colour" (Word's),
    # "white-paper" (Word without a page colour) or "" (not known)
    background_from: str = ""
    # how closely the shield is the nearest artwork version's drawing (originality.py); None:
    # not judged (too small, covered)
    likeness: float | None = None
    # Word: the same logo where LibreOffice lays the page out (uses.py), for what needs the
    # layout (its clear space); None where there is no rendering or it was not found there
    laid_out: Use | None = None


@dataclass(frozen=True)
class Unexamined:
    """Something the search could not look at: `why` is "picture-undecodable" (a picture
    that may be the logo), "page-not-rendered" (a page searched by its render),
    "background-not-rendered" (what lies around a logo found) or "mark-unmeasured" (something
    the search takes for the vapen but cannot measure; `detail` says why)."""

    page: int
    why: str
    what: str = ""  # the picture's name
    detail: str = ""  # the decoder's or renderer's words
    box: Box | None = None


@dataclass
class Search:
    uses: list[Use]
    unexamined: list[Unexamined]
    # Word and PowerPoint: the rendered pages, as a document, where uses with source
    # "office-render" were found and are judged; `seen` the document's pages whose render was
    # searched; `note` what such findings add ({"sv": ..., "en": ...}, `Rendering.note`)
    view: Document | None = None
    seen: set[int] = field(default_factory=set)
    note: dict[str, str] = field(default_factory=dict)
    # why the pages could not be laid out for a Word logo's clear space ("" if they were)
    layout_problem: str = ""
