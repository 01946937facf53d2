"""The accessibility rule over ../shared/corpus/pdf and a generated 40-page report with coloured
boxes behind text (the render path), against a bare PyMuPDF walk of the same files, same run.

Run: python benchmarks/bench_accessibility.py
"""

from __future__ import annotations

import tempfile
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
            pdf.xref_get_key(pdf.pdf_catalog(), "StructTreeRoot")
            for page in pdf:
                page.get_images()
                page.get_drawings()
                page.get_text("dict")
                pages += 1
        except Exception:
            continue
    return pages


def report_with_boxes(path: Path, pages: int = 40) -> Path:
    pdf = pymupdf.open()
    for number in range(pages):
        page = pdf.new_page()
        for row in range(12):
            y = 80 + row * 55
            if row % 3 == 0:
                page.draw_rect(
                    pymupdf.Rect(60, y - 16, 540, y + 20), color=None, fill=(0.1, 0.2, 0.5)
                )
            colour = (1, 1, 1) if row % 3 == 0 else (0.4, 0.4, 0.4)
            page.insert_text(
                (72, y), f"Sida {number + 1}, rad {row}: Ale kommun informerar", color=colour
            )
    pdf.save(path)
    return path


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
        files.append(report_with_boxes(Path(folder) / "report.pdf"))
        engine = Engine(load_profile("ale"), Settings(select=["A"]))
        baseline = timed(lambda: bare_walk(files))
        checked = timed(lambda: [engine.check_file(str(f)) for f in files])
        print(
            f"{len(files)} PDFs: bare PyMuPDF walk {baseline:.2f} s, "
            f"accessibility rule {checked:.2f} s, ratio {checked / baseline:.2f}"
        )
        single = [files[-1]]
        baseline = timed(lambda: bare_walk(single))
        checked = timed(lambda: engine.check_file(str(single[0])))
        print(
            f"40-page report with boxes behind text (renders at 100 dpi): bare walk "
            f"{baseline:.2f} s, accessibility rule {checked:.2f} s, ratio {checked / baseline:.2f}"
        )


if __name__ == "__main__":
    main()
