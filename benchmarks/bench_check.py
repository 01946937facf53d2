"""`profilecheck check` as a user runs it, against a bare PyMuPDF walk of the same files.

    python benchmarks/bench_check.py [--folder FOLDER | --generated [--count 200] [--keep DIR]]
                                     [--limit N] [--repeat N] [check options, e.g. --select F]

profilecheck runs end to end: `python -m profilecheck check --isolated --format json --output
FILE --statistics FILE...`, the whole bundled profile unless options say otherwise, each file
under the command's default limits, the report written. The baseline, in the same run on the
same files: the bare walk (open; fonts, images and text spans of every page), in one process.
Printed: both throughputs, the ratio (profilecheck's throughput / the walk's; target >= 0.5x)
and `--statistics`' table of where profilecheck's time went. `--generated` makes a set of
realistic municipal documents (benchmarks/municipal_set.py) in a temporary folder (`--keep
FOLDER`: in FOLDER, kept, e.g. to compare findings before and after a change) instead of
reading ../shared/corpus/pdf. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline import CORPUS, ROOT, bare_walk, timed

DEFAULT_FOLDER = CORPUS / "pdf"
TARGET = 0.5
MEMORY_TARGET_MB = 1024


def profilecheck_check(files: list[Path], extra: list[str], report: Path) -> tuple[dict, str]:
    """(the JSON report, the --statistics table) of one end-to-end run; the peak memory of
    its processes (the command and its forked worker) is `peak_mb()` after it."""
    command = [sys.executable, "-m", "profilecheck", "check", "--isolated", "--format", "json"]
    command += ["--output", str(report), "--statistics", *extra, *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"profilecheck check failed ({done.returncode}):\n{done.stderr[-2000:]}")
    table = done.stderr[done.stderr.find("Timing: ") :] if "Timing: " in done.stderr else ""
    return json.loads(report.read_text(encoding="utf-8")), table


def peak_mb() -> float:
    """The largest resident set of any child process waited for so far (Linux: kB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(files: list[Path], label: str, repeat: int, extra: list[str]) -> None:
    walk_pages, walk = timed(bare_walk, files, repeat=repeat)
    with tempfile.TemporaryDirectory() as temp:
        report = Path(temp) / "report.json"
        (document, table), check = timed(profilecheck_check, files, extra, report, repeat=repeat)
    pages = sum(entry["pages"] for entry in document["files"])
    statuses = document["summary"]["statuses"]
    ratio = walk / check
    print(f"{label}: {len(files)} files (profilecheck: {pages} pages, {statuses}; walk: "
          f"{walk_pages} pages); best of {repeat}; {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  bare PyMuPDF walk    {walk:8.2f} s  {len(files) / walk:7.1f} files/s  "
          f"{walk_pages / walk:7.1f} pages/s")  # fmt: skip
    print(f"  profilecheck check   {check:8.2f} s  {len(files) / check:7.1f} files/s  "
          f"{pages / check:7.1f} pages/s   (CLI end to end, JSON report written)")  # fmt: skip
    print(f"  ratio (check throughput / walk throughput): {ratio:.2f}x  (target >= {TARGET}x)")
    print(f"  peak memory of a check process: {peak_mb():.0f} MB  (target for one process over "
          f"the corpus: <= {MEMORY_TARGET_MB} MB)")  # fmt: skip
    print("  --statistics of the last run:")
    print("".join(f"    {line}\n" for line in table.splitlines()), end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--generated", action="store_true", help="a generated municipal set")
    parser.add_argument("--count", type=int, default=200, help="documents in --generated")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    parser.add_argument(
        "--keep", type=Path, help="with --generated: make the set in this folder and keep it"
    )
    args, extra = parser.parse_known_args()
    if args.generated:
        from municipal_set import make

        with tempfile.TemporaryDirectory() as temp:
            started = time.perf_counter()
            folder = args.keep or Path(temp) / "municipal"
            files = make(folder, args.count)[: args.limit or None]
            made = time.perf_counter() - started
            label = f"generated municipal set ({args.count} made in {made:.0f} s)"
            if args.keep:
                label += f", kept in {folder}"
            run(files, label, args.repeat, extra)
        return
    files = sorted(p for p in args.folder.rglob("*") if p.is_file())[: args.limit or None]
    run(files, str(args.folder), args.repeat, extra)


if __name__ == "__main__":
    main()
