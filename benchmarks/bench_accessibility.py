"""The accessibility rule over ../shared/corpus/pdf and a generated 40-page report with coloured
boxes behind text (the render path), against a bare PyMuPDF walk of the same files, same run.

Run: python benchmarks/bench_accessibility.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pymupdf
from baseline import CORPUS, bare_walk, timed

from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

PDFS = CORPUS / "pdf"


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


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = sorted(PDFS.glob("*.pdf")) if PDFS.is_dir() else []
        files.append(report_with_boxes(Path(folder) / "report.pdf"))
        engine = Engine(load_profile("ale"), Settings(select=["A"]))
        _, baseline = timed(bare_walk, files, True, True)
        _, checked = timed(lambda: [engine.check_file(str(f)) for f in files])
        print(
            f"{len(files)} PDFs: bare PyMuPDF walk {baseline:.2f} s, "
            f"accessibility rule {checked:.2f} s, ratio {checked / baseline:.2f}"
        )
        single = [files[-1]]
        _, baseline = timed(bare_walk, single, True, True)
        _, checked = timed(engine.check_file, str(single[0]))
        print(
            f"40-page report with boxes behind text (renders at 100 dpi): bare walk "
            f"{baseline:.2f} s, accessibility rule {checked:.2f} s, ratio {checked / baseline:.2f}"
        )


if __name__ == "__main__":
    main()
