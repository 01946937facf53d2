"""Start-up cost: `profilecheck check small.docx` against `python -c "import docx"`.

    python benchmarks/bench_startup.py [--repeat N]

Both are whole processes, timed in the same run (best of N). Also prints which heavy modules a
small Word check imports: PyMuPDF and OpenCV should stay out unless a rule needs them.
Target: <= 2x the bare import.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("pymupdf", "cv2", "numpy", "coloraide", "jinja2")
PROBE = (
    "import sys, runpy; sys.argv = ['profilecheck', 'check', '--isolated', '--exit-zero', '-q', {path!r}];\n"
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


def best(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = small_docx(Path(folder))
        bare = best([sys.executable, "-c", "import docx"], args.repeat)
        check = best(
            [sys.executable, "-m", "profilecheck", "check", "--isolated", "--exit-zero", str(path)],
            args.repeat,
        )
        version = best([sys.executable, "-m", "profilecheck", "--version"], args.repeat)
        probe = PROBE.format(path=str(path), heavy=HEAVY)
        loaded = (
            subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
            .stderr.strip()
            .splitlines()
        )
    print(f"python -c 'import docx':           {bare * 1000:7.0f} ms")
    print(f"profilecheck --version:            {version * 1000:7.0f} ms")
    print(
        f"profilecheck check small.docx:     {check * 1000:7.0f} ms  ({check / bare:.2f}x the bare import; target <= 2x)"
    )
    print(f"heavy modules imported by the check: {loaded[-1] if loaded else 'none'}")


if __name__ == "__main__":
    main()
