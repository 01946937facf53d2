"""Start-up cost: `profilecheck check small.docx` against `python -c "import docx"`.

    python benchmarks/bench_startup.py [--repeat N]

Both are whole processes, timed in the same run: the best and the median of N wall times, and
the median CPU time (user + system, the child's and its forked worker's), which a busy machine
disturbs less. Also prints which heavy modules a small Word check imports: PyMuPDF and OpenCV
should stay out unless a rule needs them. Target: <= 2x the bare import. Measure as users run it:
with PYTHONDONTWRITEBYTECODE set, every import compiles its source each time (the script says so).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = (
    "pymupdf",
    "cv2",
    "numpy",
    "PIL",
    "coloraide",
    "jinja2",
    "profilecheck.readers.pptx",  # the PowerPoint reader
    "profilecheck.readers.convert",  # LibreOffice
)
# In this process (--timeout 0 --max-memory 0), so what the check itself imports is seen too
# (with the limits it runs in a forked worker, whose imports the parent never sees).
PROBE = (
    "import sys, runpy; sys.argv = ['profilecheck', 'check', '--isolated', '--exit-zero', '-q',"
    " '--timeout', '0', '--max-memory', '0', {path!r}];\n"
    "try: runpy.run_module('profilecheck', run_name='__main__')\n"
    "except SystemExit: pass\n"
    "print(' '.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
)


def small_docx(folder: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Kallelse"
    document.add_heading("Kallelse till möte", level=1)
    document.add_paragraph("Handläggare: Anna Svensson, 0303-70 30 00, anna.svensson@ale.se")
    path = folder / "small.docx"
    document.save(path)
    return path


def bytecode_state() -> tuple[int, int]:
    """(modules of the package without an up-to-date .pyc, all its modules): with
    PYTHONDONTWRITEBYTECODE set, those are compiled on every import and the rest are not, so
    the figures depend on it (a fresh checkout compiles everything)."""
    import importlib.util
    import struct

    package = Path(__file__).resolve().parents[1] / "profilecheck"
    sources = sorted(package.rglob("*.py"))
    stale = 0
    for source in sources:
        cached = Path(importlib.util.cache_from_source(str(source)))
        try:
            header = cached.read_bytes()[:16]
            mtime, size = struct.unpack("<II", header[8:16])
            status = source.stat()
            fresh = (mtime, size) == (
                int(status.st_mtime) & 0xFFFFFFFF,
                status.st_size & 0xFFFFFFFF,
            )
        except (OSError, struct.error):
            fresh = False
        stale += not fresh
    return stale, len(sources)


def timed(command: list[str], repeat: int) -> tuple[float, float, float]:
    """(best wall, median wall, median CPU) seconds of `repeat` runs, after one warm-up run."""
    walls, cpus = [], []
    for index in range(repeat + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if index:
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = small_docx(Path(folder))
        bare = timed([sys.executable, "-c", "import docx"], args.repeat)
        check = timed(
            [sys.executable, "-m", "profilecheck", "check", "--isolated", "--exit-zero", str(path)],
            args.repeat,
        )
        version = timed([sys.executable, "-m", "profilecheck", "--version"], args.repeat)
        probe = PROBE.format(path=str(path), heavy=HEAVY)
        loaded = (
            subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
            .stderr.strip()
            .splitlines()
        )
    print(f"{args.repeat} runs each; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        stale, total = bytecode_state()
        print(f"note: PYTHONDONTWRITEBYTECODE is set: {stale} of the package's {total} modules "
              "have no up-to-date .pyc and are compiled on every import")  # fmt: skip
    print("                                   best wall  median wall  median CPU")
    for label, (low, middle, cpu) in (
        ("python -c 'import docx'", bare),
        ("profilecheck --version", version),
        ("profilecheck check small.docx", check),
    ):
        print(f"{label:34s} {low * 1000:6.0f} ms  {middle * 1000:8.0f} ms  {cpu * 1000:7.0f} ms")
    ratios = f"{check[0] / bare[0]:.2f}x best, {check[1] / bare[1]:.2f}x median wall"
    print(f"check / bare import: {ratios}, {check[2] / bare[2]:.2f}x median CPU (target <= 2x)")
    print(f"heavy modules imported by the check: {loaded[-1] if loaded else 'none'}")


if __name__ == "__main__":
    main()
