"""Accuracy and speed of the logo rule, scored from `profilecheck check --format json` itself.

    python benchmarks/logo_accuracy.py              # 450 positives, 225 negatives
    python benchmarks/logo_accuracy.py --count 60   # a quick run

Prints recall (marks ≥ 40 px tall), false positives on negatives, distortion / rotation /
recolour flag rates, the error of measured aspect ratio and rotation, and the median time per
2-megapixel image against a baseline run of the same files that only reads them (--select F).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from logo_cases import Case, generate, two_megapixel

BATCH = 60


def run_check(paths: list[str], select: str = "L") -> dict[str, list[dict]]:
    findings: dict[str, list[dict]] = {}
    for start in range(0, len(paths), BATCH):
        batch = paths[start : start + BATCH]
        command = [
            sys.executable,
            "-m",
            "profilecheck",
            "check",
            "--format",
            "json",
            "--isolated",
            "--select",
            select,
            *batch,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        report = json.loads(done.stdout)
        for entry in report["files"]:
            findings[entry["path"]] = entry["findings"]
    return findings


def names(found: list[dict]) -> set[str]:
    return {f["name"] for f in found}


def rate(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "n/a (0 cases)"


def show_errors(cases: list[Case], findings: dict[str, list[dict]]) -> None:
    """One line per case the rule got wrong: what it is and what the rule said."""
    for case in cases:
        found = names(findings[case.file])
        info = next((f["measured"] for f in findings[case.file] if f["name"] == "logo-found"), {})
        wrong = []
        if case.positive and case.mark_height >= 40 and "logo-found" not in found:
            wrong.append("missed")
        if not case.positive and "logo-found" in found:
            wrong.append("false-positive")
        if info and case.positive:
            distorted = "logo-distorted" in found
            if abs(case.aspect - 1) >= 0.03 and not distorted:
                wrong.append("distortion-missed")
            if case.aspect == 1.0 and distorted:
                wrong.append("distortion-false")
            if info.get("version") != case.version:
                wrong.append(f"version={info.get('version')}")
        if wrong:
            label = {k: v for k, v in asdict(case).items() if k != "file" and v}
            print(f"{Path(case.file).name}: {' '.join(wrong)} {label} measured={info}")


def score(cases: list[Case], findings: dict[str, list[dict]]) -> None:
    positives = [c for c in cases if c.positive]
    negatives = [c for c in cases if not c.positive]
    big = [c for c in positives if c.mark_height >= 40 and "occluded" not in c.extras]
    found = [c for c in big if "logo-found" in names(findings[c.file])]
    print(f"recall, marks ≥ 40 px tall:        {rate(len(found), len(big))}")
    small = [c for c in positives if c.mark_height < 40]
    print(
        f"recall, marks 24–39 px tall:       {rate(sum('logo-found' in names(findings[c.file]) for c in small), len(small))}"
    )
    occluded = [c for c in positives if "occluded" in c.extras]
    print(
        f"recall, partly covered marks:      {rate(sum('logo-found' in names(findings[c.file]) for c in occluded), len(occluded))}"
    )
    covered = [c for c in occluded if "logo-found" in names(findings[c.file])]
    cropped = sum("logo-cropped" in names(findings[c.file]) for c in covered)
    print(f"  found ones flagged logo-cropped:  {rate(cropped, len(covered))}")
    whole = [c for c in big if "logo-found" in names(findings[c.file])]
    wrongly = sum("logo-cropped" in names(findings[c.file]) for c in whole)
    print(f"whole marks flagged logo-cropped:  {rate(wrongly, len(whole))}")
    false = [c for c in negatives if "logo-found" in names(findings[c.file])]
    print(f"false positives on negatives:      {rate(len(false), len(negatives))}")
    detected = len([c for c in positives if "logo-found" in names(findings[c.file])])
    print(f"precision:                         {rate(detected, detected + len(false))}")
    seen = [c for c in big if "logo-found" in names(findings[c.file])]
    stretched = [c for c in seen if abs(c.aspect - 1) >= 0.03]
    flagged = sum("logo-distorted" in names(findings[c.file]) for c in stretched)
    print(f"distortion ≥ 3 % flagged:          {rate(flagged, len(stretched))}")
    straight = [c for c in seen if c.aspect == 1.0]
    passed = sum("logo-distorted" not in names(findings[c.file]) for c in straight)
    print(f"undistorted passing:               {rate(passed, len(straight))}")
    turned = [c for c in seen if abs(c.rotation) >= 2]
    print(
        f"rotation ≥ 2° flagged:             {rate(sum('logo-rotated' in names(findings[c.file]) for c in turned), len(turned))}"
    )
    upright = [c for c in seen if c.rotation == 0 and not c.mirrored]
    print(
        f"upright not flagged rotated:       {rate(sum('logo-rotated' not in names(findings[c.file]) for c in upright), len(upright))}"
    )
    mirrored = [c for c in seen if c.mirrored]
    print(
        f"mirrored logotypes flagged:        {rate(sum('logo-rotated' in names(findings[c.file]) for c in mirrored), len(mirrored))}"
    )
    recoloured = [c for c in seen if c.recolour_delta_e >= 8]
    print(
        f"recolour ΔE00 ≥ 8 flagged:         {rate(sum('logo-recoloured' in names(findings[c.file]) for c in recoloured), len(recoloured))}"
    )
    original = [c for c in seen if c.recolour_delta_e == 0]
    print(
        f"original colours not flagged:      {rate(sum('logo-recoloured' not in names(findings[c.file]) for c in original), len(original))}"
    )
    aspect_errors, rotation_errors, versions = [], [], 0
    for case in seen:
        info = next(f for f in findings[case.file] if f["name"] == "logo-found")["measured"]
        aspect_errors.append(abs(info["aspect_ratio"] - case.aspect) / case.aspect)
        rotation_errors.append(abs(info["rotation"] - case.rotation))
        versions += info["version"] == case.version
    print(
        f"aspect error: median {statistics.median(aspect_errors):.2%}, "
        f"95th pct {sorted(aspect_errors)[int(0.95 * len(aspect_errors))]:.2%}"
    )
    print(
        f"rotation error: median {statistics.median(rotation_errors):.2f}°, "
        f"95th pct {sorted(rotation_errors)[int(0.95 * len(rotation_errors))]:.2f}°"
    )
    print(f"version named correctly:           {rate(versions, len(seen))}")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(paths: list[str], select: str) -> float:
    """CPU seconds of the CLI subprocesses: wall time is unreliable on a shared machine."""
    started = cpu_seconds()
    run_check(paths, select)
    return cpu_seconds() - started


def timing(folder: Path, count: int, repeats: int = 3) -> None:
    paths = [str(p) for p in two_megapixel(folder, count)]
    run_check(paths[:2])  # warm the file cache
    baseline, logo = timed(paths, "F"), timed(paths, "L")
    print(
        f"{len(paths)} 2-megapixel images, CPU time: check --select L {logo:.2f} s, "
        f"read-only baseline (--select F) {baseline:.2f} s, ratio {logo / baseline:.2f}"
    )
    print(
        f"logo rule per 2 MP image, batch mean (model load amortised): "
        f"{(logo - baseline) / len(paths) * 1000:.0f} ms"
    )
    # The rule's cost of one more image: all the images against the first alone, less the same
    # difference for a read-only run, so imports and the artwork model cancel out. Repeated,
    # because CPU times on a shared machine wander by tens of milliseconds.
    one_off, per_image = [], []
    for _ in range(repeats):
        first_l, first_f = timed(paths[:1], "L"), timed(paths[:1], "F")
        all_l, all_f = timed(paths, "L"), timed(paths, "F")
        one_off.append((first_l - first_f) * 1000)
        per_image.append(((all_l - first_l) - (all_f - first_f)) / (len(paths) - 1) * 1000)
    print(f"one-off cost per process (imports, artwork model): {statistics.median(one_off):.0f} ms")
    print(
        f"median per additional 2 MP image: {statistics.median(per_image):.0f} ms "
        f"(runs: {', '.join(f'{v:.0f}' for v in per_image)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=450, help="positives (negatives: half)")
    parser.add_argument("--speed", type=int, default=20, help="2 MP images timed")
    parser.add_argument("--show-errors", action="store_true", help="list every wrong case")
    parser.add_argument("--keep", type=Path, help="write the cases to this folder and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.keep:
            folder = args.keep
            folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        cases = generate(folder, args.count, max(1, args.count // 2))
        print(f"generated {len(cases)} cases in {time.perf_counter() - started:.1f} s")
        findings = run_check([c.file for c in cases])
        score(cases, findings)
        if args.show_errors:
            show_errors(cases, findings)
        timing(folder, args.speed)


if __name__ == "__main__":
    main()
