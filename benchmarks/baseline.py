"""What every benchmark compares against: a bare PyMuPDF walk, timed the same way.

The walk opens each PDF (with the empty password where that works) and, for every page, does
what the least of checkers must: list fonts and images and extract the text spans. Benchmarks
that measure more (vector paint, the structure tree) ask for it, so that the ratio compares
like with like.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def bare_walk(files: list[Path], drawings: bool = False, structure: bool = False) -> int:
    """Pages walked; damaged and password-protected files are passed over."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pages = 0
    for path in files:
        try:
            document = pymupdf.open(path, filetype="pdf")
            if document.needs_pass and not document.authenticate(""):
                continue
            if structure:
                document.xref_get_key(document.pdf_catalog(), "StructTreeRoot")
            for page in document:
                page.get_fonts()
                page.get_images()
                page.get_text("dict")
                if drawings:
                    page.get_drawings()
                pages += 1
            document.close()
        except Exception:
            continue
    return pages


def timed(function: Callable[..., Any], *args: Any, repeat: int = 1) -> tuple[Any, float]:
    """(result, seconds) of the fastest of `repeat` runs."""
    best: tuple[Any, float] | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args)
        elapsed = time.perf_counter() - started
        if best is None or elapsed < best[1]:
            best = (result, elapsed)
    assert best is not None
    return best
