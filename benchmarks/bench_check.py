"""Throughput of `profilecheck check` against a bare PyMuPDF walk of the same files.

    python benchmarks/bench_check.py [--folder FOLDER] [--repeat N] [check options, e.g. --select F,X]

The bare walk opens each PDF and, for every page, lists fonts and images and extracts text
spans: the least any checker must do. Both run in this process's machine, one after the other,
and the ratio (profilecheck throughput / walk throughput) is printed. Target: >= 0.7.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from baseline import CORPUS, bare_walk, timed

DEFAULT_FOLDER = CORPUS / "pdf"


def profilecheck_run(folder: Path, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "profilecheck", "check", "--isolated", "--format", "json"]
    done = subprocess.run([*command, *extra, str(folder)], capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args, extra = parser.parse_known_args()
    files = sorted(p for p in args.folder.rglob("*") if p.is_file())
    walk = timed(bare_walk, files, repeat=args.repeat)
    check = timed(profilecheck_run, args.folder, extra, repeat=args.repeat)
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
