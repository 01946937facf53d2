"""The cost of reading .doc, .rtf and .odt through LibreOffice, against `soffice --convert-to pdf`.

    python benchmarks/bench_office.py [--repeat N] [--pages N]

The Word letters in fixtures/docx, and a long letter of about `--pages` pages, are saved by
LibreOffice as .doc, .rtf and .odt first (not timed). Then, in the same run, best of N:

- baseline: `soffice --headless --convert-to pdf` of the file, alone, with a fresh profile,
  as a user would run it (the same start-up and import work as profilecheck's conversion);
- conversion: profilecheck's conversion to .docx (readers/convert/: a copy in a private folder,
  a fresh private profile, limits, process group), per file and per page (pages from the PDF);
- check: `Engine.check_file` of the converted format (conversion, reading and every rule of the
  Ale profile, with the rendering of the pages the logo's clear space is measured on), against
  the check of the native .docx (rendered the same way); each check starts with no rendering
  kept, as a new process does.

Prints the ratios conversion / baseline and check / native check. Needs LibreOffice.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCX = ROOT / "fixtures" / "docx"
FORMATS = ("doc", "rtf", "odt")


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def soffice(target: str, source: Path, out: Path, profile: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out / f"{source.stem}.{target.split(':')[0]}"


def long_letter(folder: Path, pages: int) -> Path:
    from docx import Document

    document = Document(str(DOCX / "letter-compliant.docx"))
    text = (
        "Samhällsbyggnadsförvaltningen föreslår att kommunstyrelsen ger förvaltningen i uppdrag "
        "att ta fram en detaljplan för cirka 120 bostäder vid Ale torg. "
    ) * 4
    for index in range(pages * 6):
        if index % 12 == 0:
            document.add_heading(f"Avsnitt {index // 12 + 1}", level=2)
        document.add_paragraph(text)
    path = folder / f"letter-{pages}-pages.docx"
    document.save(str(path))
    return path


def page_count(pdf: Path) -> int:
    import pymupdf

    with pymupdf.open(pdf) as document:
        return document.page_count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 1
    from profilecheck.core.limits import DEFAULT_LIMITS
    from profilecheck.engine.engine import Engine
    from profilecheck.profile.config import Settings
    from profilecheck.profile.loading import load_profile
    from profilecheck.readers.convert import TARGETS, render
    from profilecheck.readers.convert import soffice as bridge
    from profilecheck.readers.sniffer import sniff

    engine = Engine(load_profile("ale"), Settings())

    def fresh_check(path: Path) -> None:
        render._MADE.clear()  # as a new process: no rendering of an earlier run kept
        engine.check_file(str(path))

    rows = []
    counter = itertools.count()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        letters = [*sorted(DOCX.glob("letter-*.docx"))[:3], long_letter(folder, args.pages)]
        for docx in letters:
            native = best(lambda d=docx: fresh_check(d), args.repeat)
            for fmt in FORMATS:
                source = soffice(fmt, docx, folder / "made" / fmt, folder / "profile")
                pdf = soffice("pdf", source, folder / "pdf", folder / "profile")
                pages = page_count(pdf)

                def baseline(s=source) -> None:
                    n = next(counter)
                    soffice("pdf", s, folder / f"base-{n}", folder / f"base-profile-{n}")

                def conversion(s=source) -> None:
                    suffix, target, _native = TARGETS[sniff(s).format]
                    out = folder / f"conv-{next(counter)}"
                    out.mkdir()
                    bridge.convert(str(s), suffix, target, out, DEFAULT_LIMITS)

                base = best(baseline, args.repeat)
                converted = best(conversion, args.repeat)
                check = best(lambda s=source: fresh_check(s), args.repeat)
                rows.append((docx.stem, fmt, pages, base, converted, check, native))
    print(f"{'file':<28} {'fmt':<4} {'pages':>5} {'pdf (base)':>10} {'convert':>8} "
          f"{'/page':>7} {'ratio':>6} {'check':>7} {'.docx':>7} {'ratio':>6}")  # fmt: skip
    for name, fmt, pages, base, converted, check, native in rows:
        print(
            f"{name:<28} {fmt:<4} {pages:>5} {base:>9.2f}s {converted:>7.2f}s "
            f"{converted / pages:>6.3f}s {converted / base:>5.2f}x {check:>6.2f}s "
            f"{native:>6.3f}s {check / native:>5.1f}x"
        )
    ratios = [converted / base for _n, _f, _p, base, converted, _c, _nat in rows]
    overhead = [check - converted for _n, _f, _p, _b, converted, check, _nat in rows]
    print(
        f"conversion / `soffice --convert-to pdf`: median {statistics.median(ratios):.2f}x; "
        f"check beyond the conversion: median {statistics.median(overhead):.2f} s per file"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
