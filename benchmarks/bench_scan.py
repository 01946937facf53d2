"""Scan benchmarks, each a ratio against a baseline measured in the same run.

(a) warm re-scan of an unchanged tree of 10,000+ small files vs a bare os.scandir + stat walk
    of the same tree (target: at most 3x the bare walk). The re-scan is `scan()`, no report:
    cached findings are built when first read, and that cost is printed on its own;
(b) 2 workers vs 1 on ../shared/corpus, no cache, every rule of the Ale profile unless
    --select says otherwise (target: at least 1.7x the throughput);
(c) peak memory of each worker across the corpus (target: at most 400 MB), as the workers
    report it (VmHWM on Linux, ru_maxrss elsewhere).

    python benchmarks/bench_scan.py [--files 10000] [--select F] [--skip-corpus]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from profilecheck.batch.scan import ScanOptions, scan
from profilecheck.batch.walk import walk_entries
from profilecheck.batch.workers import ProcessLimits
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PER_FOLDER = 100


def bare_walk(root: str) -> int:
    count = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    entry.stat()
                    count += 1
    return count


def synthetic_tree(root: Path, files: int) -> None:
    import pymupdf
    from PIL import Image

    samples = []
    for i in range(3):
        document = pymupdf.open()
        document.new_page(width=200, height=200).insert_text((20, 40), f"Exempel {i}")
        samples.append((".pdf", document.tobytes()))
        document.close()
    png = root / "sample.png"
    Image.new("RGB", (8, 8), (30, 123, 60)).save(png)
    samples.append((".png", png.read_bytes()))
    png.unlink()
    for n in range(files):
        folder = root / f"folder{n // PER_FOLDER:04d}"
        folder.mkdir(exist_ok=True)
        suffix, data = samples[n % len(samples)]
        (folder / f"file{n:06d}{suffix}").write_bytes(data)


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def bench_warm(files: int, engine: Engine) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root, cache = Path(temp) / "tree", Path(temp) / "cache"
        root.mkdir()
        synthetic_tree(root, files)
        options = ScanOptions(jobs=2, cache_dir=cache)
        cold = time.perf_counter()
        first = scan([str(root)], engine, options)
        cold = time.perf_counter() - cold
        assert len(first.run.files) == files
        bare = best_of(5, lambda: bare_walk(str(root)))
        warm_outcomes = []
        warm = best_of(5, lambda: warm_outcomes.append(scan([str(root)], engine, options)))
        assert all(o.checked == 0 and o.from_cache == files for o in warm_outcomes)
        walk = best_of(5, lambda: list(walk_entries([str(root)], options.walk)))
        read = time.perf_counter()
        findings = sum(len(r.findings) for r in warm_outcomes[-1].run.files)
        read = time.perf_counter() - read
        print(f"(a) {files} files: cold scan {cold:.2f} s ({first.checked} checked, the rest "
              f"identical copies); bare scandir+stat walk {bare * 1000:.0f} ms; warm re-scan "
              f"{warm * 1000:.0f} ms -> ratio {warm / bare:.2f}x (target <= 3x)")  # fmt: skip
        print(f"    of which the walk alone {walk * 1000:.0f} ms ({walk / bare:.2f}x); reading all "
              f"{findings} findings of a warm result afterwards (as a reporter does) "
              f"{read * 1000:.0f} ms more")  # fmt: skip
        shutil.rmtree(root)


def bench_corpus(settings: Settings) -> None:
    if not CORPUS.is_dir():
        print("(b), (c) skipped: no corpus at ../shared/corpus")
        return
    engine = Engine(load_profile(settings.profile), settings)
    seconds, outcomes = {}, {}
    for jobs in (1, 2):
        options = ScanOptions(jobs=jobs, limits=ProcessLimits(timeout=120), cache_dir=None)
        started = time.perf_counter()
        outcomes[jobs] = scan([str(CORPUS)], engine, options)
        seconds[jobs] = time.perf_counter() - started
    files = len(outcomes[1].run.files)
    print(f"(b) corpus, {files} files, select={settings.select}: 1 worker {seconds[1]:.1f} s, "
          f"2 workers {seconds[2]:.1f} s -> speed-up {seconds[1] / seconds[2]:.2f}x "
          f"(target >= 1.7x; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")  # fmt: skip
    peaks = outcomes[2].peak_rss_mb.values()
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(c) peak RSS per worker across the corpus: "
          f"{', '.join(f'{p:.0f} MB' for p in peaks)} -> max {max(peaks):.0f} MB "
          f"(target <= 400 MB; this parent process peaked at {parent:.0f} MB)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--select", default="ALL", help="finding selectors for (b) and (c)")
    parser.add_argument("--skip-corpus", action="store_true")
    arguments = parser.parse_args()
    engine = Engine(load_profile("ale"), Settings())
    bench_warm(arguments.files, engine)
    if not arguments.skip_corpus:
        bench_corpus(Settings(select=arguments.select.split(",")))


if __name__ == "__main__":
    main()
