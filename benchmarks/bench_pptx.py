"""A 30-slide presentation: `check` with the Ale profile against a bare python-pptx walk.

    python benchmarks/bench_pptx.py [--slides 30] [--repeat 5]

The presentation is the compliant fixture's (scripts/fixture_pptx.py) with `--slides` slides:
title slide with the vapen, bullet slides, grouped shapes and tables, the contact slide. Both
are timed in-process in the same run (best of N): the engine's `check_file` (read, every rule,
nothing rendered) and python-pptx opening the file and reading every shape's text (the least a
checker must do). Target: the check <= 1 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def bare_walk(path: Path) -> int:
    import pptx

    characters = 0
    for slide in pptx.Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                characters += len(shape.text_frame.text)
        if slide.has_notes_slide:
            characters += len(slide.notes_slide.notes_text_frame.text)
    return characters


def best(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import fixture_pptx

    from profilecheck.engine.engine import Engine
    from profilecheck.profile.config import Settings
    from profilecheck.profile.loading import load_profile

    engine = Engine(load_profile("ale"), Settings(profile="ale"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "slides.pptx"
        fixture_pptx.presentation(path, slides=args.slides)
        result = engine.check_file(str(path))  # warm: imports, artwork model
        check = best(lambda: engine.check_file(str(path)), args.repeat)
        walk = best(lambda: bare_walk(path), args.repeat)
    names = sorted({finding.name for finding in result.findings})
    print(f"{args.slides} slides, {path.name}: {result.status.value}, findings {names}")
    print(f"check     {check * 1000:8.1f} ms  (target <= 1000 ms)")
    print(f"bare walk {walk * 1000:8.1f} ms  (python-pptx, text of every shape)")
    print(f"ratio     {check / walk:8.2f}x")


if __name__ == "__main__":
    main()
