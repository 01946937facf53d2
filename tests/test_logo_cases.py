"""The logo benchmark's case generator (benchmarks/logo_cases.py): what it labels recoloured."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import logo_cases


def _version(colours: list[tuple[int, int, int]], tone: str = "colour") -> logo_cases.Version:
    """A version drawn in `colours`, in equal bands, on a transparent margin."""
    pixels = np.zeros((40, 10 * len(colours) + 4, 4), np.uint8)
    for k, colour in enumerate(colours):
        pixels[2:38, 2 + 10 * k : 12 + 10 * k] = (*colour, 255)
    return logo_cases.Version(f"v-{tone}", Path("x.png"), "vapen", tone, (0, 0, 1, 1), pixels)


def test_a_one_colour_version_is_never_printed_in_one_of_the_arms_own_colours():
    # Eda's blue field (#0057A8): the benchmark's blue ink (0, 84, 166) is ΔE 3 from it, so a
    # black vapen printed in it is the colour vapen, not a recolouring to report
    eda = [_version([(0, 87, 168), (255, 255, 255)]), _version([(0, 0, 0)], "black")]
    inks = logo_cases.other_inks(eda, "black")
    assert (0, 84, 166) not in inks
    assert inks == [(200, 16, 46), (0, 122, 61)]
    assert logo_cases.other_inks(eda, "white") == [(240, 200, 40)]


def test_inks_far_from_every_colour_are_all_kept_and_thin_blends_do_not_count():
    grey = [_version([(128, 128, 128), (255, 255, 255)])]
    assert logo_cases.other_inks(grey, "black") == logo_cases.OTHER_INKS["black"]
    # a colour covering less than PALETTE_SHARE of the opaque pixels (an anti-aliased edge)
    # is not the artwork's
    edged = _version([(255, 255, 255)] * 3)
    edged.pixels[2, 2] = (0, 122, 61, 255)
    assert logo_cases.other_inks([edged], "black") == logo_cases.OTHER_INKS["black"]
