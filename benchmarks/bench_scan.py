"""`profilecheck scan` as a user runs it, each figure a ratio against a baseline of the same run.

(a) warm re-scan of a generated tree of 10,000 unchanged files, end to end with the JSON report
    written (`scan ROOT --format json --output r.json`), against a bare `os.walk` + `stat` of
    the same tree (target: at most 3x). The cold scan before it fills the cache; the fixed costs
    of starting Python and importing the CLI (`--version`) and of a scan of an empty folder
    (imports, the profile, the cache key) are printed for scale;
(b) `scan --jobs 2 --no-cache` over ../shared/corpus/pdf (the whole bundled profile unless
    options say otherwise), against `pdffonts` on each file on one core (target: at least
    1.0x its throughput), and 2 workers against 1 (target: at least 1.8x), with the
    `--statistics` table and the largest process's peak memory (target: 400 MB per worker);
    with `--dask`, also `scan --executor dask` on a `LocalCluster` of 2 single-threaded worker
    processes, and its cost per file over `--jobs 2`.

    python benchmarks/bench_scan.py [--files 10000] [--folder F] [--limit N] [--dask]
                                    [--skip-warm] [--skip-corpus] [scan options, e.g. --select F]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline import CORPUS, ROOT

PER_FOLDER = 100


def bare_walk(root: str) -> int:
    count = 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            os.stat(os.path.join(folder, name), follow_symlinks=False)
            count += 1
    return count


def synthetic_tree(root: Path, files: int) -> None:
    """`files` small documents (three PDFs and a PNG, repeated), 100 to a folder."""
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


def best_of(runs: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "profilecheck", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done


def bench_warm(files: int, extra: list[str]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root, cache, report = Path(temp) / "tree", Path(temp) / "cache", Path(temp) / "r.json"
        root.mkdir()
        synthetic_tree(root, files)
        scan = ("scan", str(root), "--cache-dir", str(cache), "--format", "json")
        scan += ("--output", str(report), *extra)
        cold, _ = best_of(1, lambda: cli(*scan))
        bare, count = best_of(5, lambda: bare_walk(str(root)))
        assert count == files
        warm, _ = best_of(3, lambda: cli(*scan))
        document = json.loads(report.read_text(encoding="utf-8"))
        assert len(document["files"]) == files
        findings = sum(len(entry["findings"]) for entry in document["files"])
        start, _ = best_of(3, lambda: cli("--version"))
        (Path(temp) / "empty").mkdir()
        empty = ("scan", str(Path(temp) / "empty"), "--cache-dir", str(cache), "--format", "json")
        empty += ("--output", str(Path(temp) / "empty.json"), *extra)
        fixed, _ = best_of(3, lambda: cli(*empty))
        print(f"(a) warm re-scan of {files} unchanged files, CLI end to end with the JSON report "
              f"({findings} findings, {report.stat().st_size / 1e6:.1f} MB) written:")  # fmt: skip
        print(f"    cold scan {cold:.2f} s; bare os.walk + stat {bare * 1000:.0f} ms; warm re-scan "
              f"{warm * 1000:.0f} ms -> {warm / bare:.1f}x the walk (target <= 3x)")  # fmt: skip
        print(f"    for scale: starting Python and the CLI (`profilecheck --version`) "
              f"{start * 1000:.0f} ms = {start / bare:.1f}x the walk; a scan of an empty folder "
              f"(imports, the profile, the cache key) {fixed * 1000:.0f} ms = {fixed / bare:.1f}x, "
              f"so the files' own part is {(warm - fixed) / bare:.1f}x the walk")  # fmt: skip
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            from bench_startup import bytecode_state

            stale, total = bytecode_state()
            print(f"    (PYTHONDONTWRITEBYTECODE is set: {stale} of the package's {total} modules "
                  "have no up-to-date .pyc and are compiled on every import)")  # fmt: skip
        shutil.rmtree(root)


def pdffonts_each(files: list[Path]) -> None:
    for path in files:
        subprocess.run(["pdffonts", str(path)], capture_output=True)


def _burn(seconds: float) -> None:
    ends = time.process_time() + seconds
    while time.process_time() < ends:
        pass


def parallel_ceiling(seconds: float = 1.0) -> float:
    """How much faster two CPU-bound processes finish together than one after the other on
    this machine now (2.0 on two idle cores; less where the cores are shared or busy): what
    "2 workers against 1" can reach in this run."""
    processes = [subprocess.Popen([sys.executable, "-c", f"import bench_scan; "
                                   f"bench_scan._burn({seconds})"], cwd=Path(__file__).parent)
                 for _ in range(2)]  # fmt: skip
    started = time.perf_counter()
    for process in processes:
        process.wait()
    return 2 * seconds / max(time.perf_counter() - started, 1e-9)


def cpu_seconds_of(work) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of the child processes, result) of `work`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, result = best_of(1, work)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def dask_scan(base: tuple[str, ...]) -> float:
    """Seconds for `scan --executor dask` on a local cluster of 2 worker processes (the
    cluster's start not counted: a shared cluster is already running)."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        seconds, _ = best_of(1, lambda: cli(*base, "--executor", "dask", "--scheduler",
                                            cluster.scheduler_address))  # fmt: skip
    return seconds


def bench_corpus(folder: Path, limit: int, extra: list[str], with_dask: bool = False) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file())[: limit or None]
    if not files:
        print(f"(b) skipped: no files in {folder}")
        return
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "files"
        root.mkdir()
        for n, path in enumerate(files):  # the chosen files, under one root
            (root / f"{n:04d}-{path.name}").symlink_to(path.resolve())
        report = Path(temp) / "r.json"
        base = ("scan", str(root), "--no-cache", "--follow-links", "--format", "json")
        base += ("--output", str(report), "--statistics", *extra)
        fonts, _ = best_of(1, lambda: pdffonts_each(files))
        seconds, cpu, tables = {}, {}, {}
        ceiling = parallel_ceiling()
        for jobs in (1, 2):
            run = lambda jobs=jobs: cli(*base, "--jobs", str(jobs))  # noqa: E731
            seconds[jobs], cpu[jobs], done = cpu_seconds_of(run)
            tables[jobs] = done.stderr[done.stderr.find("Timing: ") :]
        ceiling = min(ceiling, parallel_ceiling())  # before and after: the busier of the two
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
        on_dask = dask_scan(base) if with_dask else None
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    n = len(files)
    print(f"(b) {n} files of {folder} ({summary['statuses']}); {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"    pdffonts on each file, 1 core  {fonts:7.1f} s  {n / fonts:6.1f} files/s")
    for jobs in (1, 2):
        print(f"    scan --jobs {jobs} --no-cache      {seconds[jobs]:7.1f} s  "
              f"{n / seconds[jobs]:6.1f} files/s  {fonts / seconds[jobs]:.2f}x pdffonts  "
              f"({cpu[jobs]:.1f} CPU s)")  # fmt: skip
    print(f"    --jobs 2: {fonts / seconds[2]:.2f}x pdffonts (target >= 1.0x); 2 workers "
          f"{seconds[1] / seconds[2]:.2f}x 1 worker (target >= 1.8x; this machine's ceiling "
          f"in this run, two CPU-bound processes against one: {ceiling:.2f}x)")  # fmt: skip
    if on_dask is not None:
        extra_ms = (on_dask - seconds[2]) / n * 1000
        print(f"    scan --executor dask (LocalCluster, 2 workers)  {on_dask:7.1f} s  "
              f"{n / on_dask:6.1f} files/s; {extra_ms:+.1f} ms per file over --jobs 2")  # fmt: skip
    print(f"    largest process's peak memory: {peak:.0f} MB (target <= 400 MB per worker)")
    print("    --statistics of --jobs 2:")
    print("".join(f"      {line}\n" for line in tables[2].splitlines()), end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--folder", type=Path, default=CORPUS / "pdf")
    parser.add_argument("--limit", type=int, default=0, help="(b): only the first N files")
    parser.add_argument("--skip-warm", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--dask", action="store_true", help="(b): also on a Dask LocalCluster")
    args, extra = parser.parse_known_args()
    if not args.skip_warm:
        bench_warm(args.files, extra)
    if not args.skip_corpus:
        bench_corpus(args.folder, args.limit, extra, args.dask)


if __name__ == "__main__":
    main()
