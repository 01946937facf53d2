"""Throughput of `profilecheck check` against a bare PyMuPDF walk of the same files.

    python benchmarks/bench_check.py [FOLDER] [--select ...]

The bare walk opens each PDF and, for every page, lists fonts and images and extracts text
spans: the least any checker must do. Both run in this process's machine, one after the other,
and the ratio (profilecheck throughput / walk throughput) is printed. Target: >= 0.7.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdf"


def bare_walk(files: list[Path]) -> int:
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pages = 0
    for path in files:
        try:
            document = pymupdf.open(path, filetype="pdf")
            if document.needs_pass and not document.authenticate(""):
                continue
            for page in document:
                page.get_fonts()
                page.get_images()
                page.get_text("dict")
                pages += 1
            document.close()
        except Exception:
            continue
    return pages


def profilecheck_run(folder: Path, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "profilecheck", "check", "--isolated", "--format", "json"]
    done = subprocess.run([*command, *extra, str(folder)], capture_output=True, text=True)
    return json.loads(done.stdout)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args, extra = parser.parse_known_args()
    files = sorted(p for p in args.folder.rglob("*") if p.is_file())
    walk = min((timed(bare_walk, files) for _ in range(args.repeat)), key=lambda r: r[1])
    check = min(
        (timed(profilecheck_run, args.folder, extra) for _ in range(args.repeat)),
        key=lambda r: r[1],
    )
    pages = sum(entry["pages"] for entry in check[0]["files"])
    print(f"files: {len(files)}  (profilecheck pages: {pages}, bare walk pages: {walk[0]})")
    print(
        f"bare PyMuPDF walk: {walk[1]:7.2f} s  {len(files) / walk[1]:8.1f} files/s  {walk[0] / walk[1]:8.1f} pages/s"
    )
    print(
        f"profilecheck check:{check[1]:7.2f} s  {len(files) / check[1]:8.1f} files/s  {pages / check[1]:8.1f} pages/s"
    )
    print(
        f"ratio (profilecheck throughput / bare walk): {walk[1] / check[1]:.2f}x  (target >= 0.7x)"
    )


if __name__ == "__main__":
    main()
