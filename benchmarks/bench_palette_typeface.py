"""Palette + typeface rules over ../shared/corpus/pdf against a bare PyMuPDF walk, same run.

Also measures the colour maths: ΔE2000 via coloraide uncached, with the conversion cache, and a
vectorised numpy CIEDE2000, on a realistic batch (spans of a long document: 20 000 colour uses
of 40 distinct colours against a 6-colour palette). Run: python benchmarks/bench_palette_typeface.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pymupdf

from profilecheck.config import Settings
from profilecheck.engine import Engine
from profilecheck.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"


def bare_walk(files: list[Path]) -> int:
    pages = 0
    pymupdf.TOOLS.mupdf_display_errors(False)
    for path in files:
        try:
            pdf = pymupdf.open(path)
            if pdf.needs_pass and not pdf.authenticate(""):
                continue
            for page in pdf:
                page.get_fonts()
                page.get_images()
                page.get_text("dict")
                pages += 1
        except Exception:
            continue
    return pages


def engine_run(files: list[Path]) -> int:
    profile = load_profile(str(ROOT / "rules" / "ale"))
    engine = Engine(profile, Settings(select=["C", "T"]))
    return sum(engine.check_file(str(path)).pages for path in files)


def timed(function, files):
    started = time.perf_counter()
    pages = function(files)
    return time.perf_counter() - started, pages


def colour_maths() -> None:
    import random

    import numpy as np
    from coloraide import Color

    from profilecheck.colour import delta_e, lab, parse_colour, rgb_to_lab

    random.seed(1)
    distinct = [tuple(random.random() for _ in range(3)) for _ in range(40)]
    batch = [random.choice(distinct) for _ in range(20_000)]
    palette = [lab(parse_colour(h)) for h in ("#1E7B3C", "#0B5AA6", "#6E6E6E", "#000", "#FFF")]
    palette.append(lab(parse_colour("#1A1A1A")))

    started = time.perf_counter()
    for rgb in batch[:2000]:  # uncached is slow: time a tenth and scale
        value = Color("srgb", list(rgb)).convert("lab")
        for ref in palette:
            value.delta_e(Color("lab", list(ref)), method="2000")
    uncached = (time.perf_counter() - started) * 10

    rgb_to_lab.cache_clear()
    delta_e.cache_clear()
    started = time.perf_counter()
    for rgb in batch:
        value = rgb_to_lab(rgb)
        for ref in palette:
            delta_e(value, ref)
    cached = time.perf_counter() - started

    started = time.perf_counter()
    labs = numpy_lab(np.array(batch))
    result = numpy_de2000(labs[:, None, :], np.array(palette)[None, :, :])
    vectorised = time.perf_counter() - started
    check = delta_e(rgb_to_lab(batch[0]), palette[0])
    print("colour maths, 20 000 uses × 6 palette colours (ΔE2000):")
    print(f"  coloraide uncached   {uncached * 1000:8.1f} ms")
    print(f"  coloraide + cache    {cached * 1000:8.1f} ms")
    print(
        f"  numpy vectorised     {vectorised * 1000:8.1f} ms  (max diff to coloraide "
        f"{abs(result[0, 0] - check):.2g})"
    )


def numpy_lab(rgb):
    import numpy as np

    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    to_xyz_d50 = np.array(
        [[0.4360747, 0.3850649, 0.1430804], [0.2225045, 0.7168786, 0.0606169],
         [0.0139322, 0.0971045, 0.7141733]]
    )  # fmt: skip
    xyz = linear @ to_xyz_d50.T / np.array([0.9642956764295677, 1.0, 0.8251046025104602])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)  # fmt: skip


def numpy_de2000(lab1, lab2):
    import numpy as np

    l1, a1, b1 = np.moveaxis(lab1, -1, 0)
    l2, a2, b2 = np.moveaxis(lab2, -1, 0)
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0, dh)
    dl, dc = l2 - l1, c2p - c1p
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_mean = (
        np.where(np.abs(h1p - h2p) > 180, np.where(h_sum < 360, h_sum + 360, h_sum - 360), h_sum)
        / 2
    )
    h_mean = np.where(c1p * c2p == 0, h_sum, h_mean)
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    rt = (
        -2
        * np.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
        * np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    return np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (d_h / sh) ** 2 + rt * (dc / sc) * (d_h / sh))


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; nothing to measure")
        return 0
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    engine_run(files[:3])  # warm imports (coloraide, numpy, entry points)
    walk_s, walk_pages = timed(bare_walk, files)
    rules_s, rule_pages = timed(engine_run, files)
    print(f"{len(files)} PDFs from {CORPUS}")
    print(
        f"bare PyMuPDF walk : {len(files) / walk_s:7.1f} files/s {walk_pages / walk_s:8.1f} pages/s"
    )
    print(
        f"palette+typeface  : {len(files) / rules_s:7.1f} files/s {rule_pages / rules_s:8.1f} pages/s"
    )
    print(f"ratio (rules / walk, files/s): {walk_s / rules_s:.2f}× (target ≥ 0.6×)")
    colour_maths()
    return 0


if __name__ == "__main__":
    sys.exit(main())
