"""Palette + typeface rules over ../shared/corpus/pdf against a bare PyMuPDF walk, same run.

Also measures the colour maths on a realistic batch (spans of a long document: 20 000 colour
uses of 40 distinct colours against a 6-colour palette): coloraide uncached, and profilecheck's
own formulas with their conversion cache, plus what importing coloraide costs. Run: python benchmarks/bench_palette_typeface.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from baseline import CORPUS, ROOT, bare_walk, timed

from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

PDFS = CORPUS / "pdf"


def engine_run(files: list[Path]) -> int:
    profile = load_profile(str(ROOT / "rules" / "ale"))
    engine = Engine(profile, Settings(select=["C", "T"]))
    return sum(engine.check_file(str(path)).pages for path in files)


def colour_maths() -> None:
    import random

    from coloraide import Color

    from profilecheck.core.colour import delta_e, lab, parse_colour, rgb_to_lab

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
    subprocess.run([sys.executable, "-c", "import coloraide"], check=True)
    with_import = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    import_cost = with_import - (time.perf_counter() - started)
    print("colour maths, 20 000 uses × 6 palette colours (ΔE2000):")
    print(f"  coloraide uncached            {uncached * 1000:8.1f} ms")
    print(f"  profilecheck.core.colour + cache   {cached * 1000:8.1f} ms")
    print(f"  importing coloraide           {import_cost * 1000:8.1f} ms (start-up cost avoided)")


def main() -> int:
    if not PDFS.is_dir():
        print(f"corpus not found at {PDFS}; nothing to measure")
        return 0
    files = sorted(p for p in PDFS.iterdir() if p.is_file())
    engine_run(files[:3])  # warm imports and entry points
    walk_pages, walk_s = timed(bare_walk, files)
    rule_pages, rules_s = timed(engine_run, files)
    print(f"{len(files)} PDFs from {PDFS}")
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
