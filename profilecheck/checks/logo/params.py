"""The logo rule's parameters, as its rule files give them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from profilecheck.core.model import Format


@dataclass
class ArtworkVersion:
    name: str
    file: str
    background: Literal["light", "dark", "any"] = "light"
    # What `profile artwork` found in the file (or the profile's author says); "auto" = judge
    # from the artwork itself when the profile is loaded.
    layout: Literal["auto", "vapen", "horizontal", "stacked"] = "auto"
    tone: Literal["auto", "colour", "black", "white"] = "auto"
    shield: list[float] = field(default_factory=list)  # x, y, w, h of the shield in file pixels


@dataclass
class LogoParams:
    mark: str  # the full-colour vapen: what the search looks for (every version contains it)
    versions: list[ArtworkVersion] = field(default_factory=list)
    required: Literal["first-page", "every-page", "anywhere", "nowhere"] = "first-page"
    required_in_images: bool = False
    # presentations: "as-documents" follows `required`; first-or-last-page: slide 1 or the last
    required_in_presentations: Literal[
        "as-documents", "first-page", "first-or-last-page", "every-page", "anywhere", "nowhere"
    ] = "as-documents"
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
    name: str = ""  # the name beside the vapen in the logotype ("Ale kommun")
    vapen_alone: Literal["allowed", "forbidden"] = "allowed"

    def required_for(self, fmt: Format) -> str:
        """Where a document of `fmt` must show the logo: `required`, or what the profile says
        for images and presentations."""
        if fmt is Format.IMAGE:
            return "anywhere" if self.required_in_images else "nowhere"
        if fmt is Format.PPTX and self.required_in_presentations != "as-documents":
            return self.required_in_presentations
        return self.required
