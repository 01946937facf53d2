"""Accuracy and speed of the logo rule, scored from `profilecheck check --format json` itself.

    python benchmarks/logo_accuracy.py              # 450 positives, 225 negatives, seed 4
    python benchmarks/logo_accuracy.py --count 60   # a quick run
    python benchmarks/logo_accuracy.py --held-out   # the held-out cases: report, never tune
    python benchmarks/logo_accuracy.py --held-out --count 60 \
        --artwork rules/ale --artwork benchmarks/artwork/ale-b --artwork benchmarks/artwork/eda \
        --same-arms rules/ale=benchmarks/artwork/ale-b   # several artworks side by side

--artwork DIR (repeatable) runs the same cases on other artwork: DIR is a profile folder (its
logo rule's versions are placed and it checks them) or an artwork set of benchmarks/artwork/
(or its source/ folder): its source files are imported into a temporary profile with
`profilecheck profile artwork` (by hand from our own renders while that command is missing),
and the pictures show the set as drawn. --same-arms PROFILE=SET checks pictures of SET with
PROFILE: the same arms in another drawing, where `logo-not-original` is the right finding;
--other-arms PROFILE=SET checks pictures of other arms, where every mark found (its "recall")
is a false positive.
With either, one table gives the figures for every artwork side by side.

Prints recall (marks ≥ 40 px tall), false positives on negatives, distortion / rotation /
recolour flag rates, the error of measured aspect ratio and rotation, the same per band of the
angle the mark is turned by (folded to 0–180°: 0–40°, 40–135°, 135–180°), and the median time
per 2-megapixel image against a baseline run of the same files that only reads them
(--select F), for pictures with an upright mark, with a turned mark and with none.

Half the marks are turned anywhere on the circle (a fifth of those by 90°, 180° or 270°
exactly); stretched ones by 3–40 % either way; mirrored logotypes may be turned as well;
one-colour versions "in another ink" only in inks 16 ΔE2000 or more from every colour of the
set drawn (logo_cases.other_inks: a black vapen in the arms' own blue may be the colour one). The
development seed (4) is what thresholds may be tuned on; `--held-out` draws the cases from a
seed kept for reporting only.
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
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from logo_cases import (
    ANGLE_BANDS,
    Case,
    Version,
    band_of,
    folded,
    from_profile,
    generate,
    measure_shield,
    ordered,
    recoloured,
    two_megapixel,
)

BATCH = 60
DEVELOPMENT_SEED = 4
HELD_OUT_SEED = 20_260_615  # never tuned on: run it to report, not to choose thresholds
RIGHT_ANGLE = 10.0  # a found mark measured within this many degrees is where it was put


def run_check(
    paths: list[str], select: str = "L", profile: Path | None = None
) -> dict[str, list[dict]]:
    findings: dict[str, list[dict]] = {}
    chosen = ["--profile", str(profile)] if profile else []
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
            *chosen,
            *batch,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if not done.stdout.strip():
            raise SystemExit(f"check failed ({done.returncode}): {done.stderr[-2000:]}")
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
            if folded(info["rotation"] - case.rotation) > RIGHT_ANGLE:
                wrong.append("angle-off")
            if folded(case.rotation) >= 2 and "logo-rotated" not in found:
                wrong.append("rotation-missed")
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
        rotation_errors.append(folded(info["rotation"] - case.rotation))
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
    by_band(cases, findings)


def found_marks(findings: list[dict]) -> list[dict]:
    """Every logo-found: its measurements and box (pixels: the cases carry no resolution)."""
    return [
        {**f["measured"], "box": f["location"].get("box_pt")}
        for f in findings
        if f["name"] == "logo-found"
    ]


def on_case(mark: dict, case: Case) -> bool:
    """Whether a found mark's centre lies on the logo the case placed."""
    if not case.positive or not mark["box"] or not case.box:
        return False
    x = (mark["box"][0] + mark["box"][2]) / 2
    y = (mark["box"][1] + mark["box"][3]) / 2
    return case.box[0] <= x <= case.box[2] and case.box[1] <= y <= case.box[3]


def by_band(cases: list[Case], findings: dict[str, list[dict]]) -> None:
    """Recall, precision, rotation flagged and angle error per band of the turned angle.

    Recall counts marks ≥ 40 px tall, not covered, by the angle they were put at. Precision
    counts every logo-found by the angle it was measured at: right when it lies on a placed
    logo and its angle is within RIGHT_ANGLE of the one put there; a mark found on a negative,
    off the logo or at a wrong angle is wrong. Unchecked: logo-unchecked reported.
    """
    print(f"by angle turned (folded to 0–180°; a found mark is right within {RIGHT_ANGLE:g}°):")
    print(
        f"  {'band':9} {'recall ≥ 40 px':>18} {'precision':>18} {'turned ≥ 2° flagged':>20} "
        f"{'angle err med/95th':>19} {'unchecked':>10}"
    )
    bands = [f"{low:.0f}–{high:.0f}°" for low, high in ANGLE_BANDS]
    for band in bands:
        big = [
            c
            for c in cases
            if c.positive
            and c.mark_height >= 40
            and "occluded" not in c.extras
            and band_of(c.rotation) == band
        ]
        hits = [c for c in big if any(on_case(m, c) for m in found_marks(findings[c.file]))]
        right = wrong = 0
        errors = []
        for case in cases:
            for mark in found_marks(findings[case.file]):
                if band_of(mark["rotation"]) != band:
                    continue
                error = folded(mark["rotation"] - case.rotation)
                if on_case(mark, case) and error <= RIGHT_ANGLE:
                    right += 1
                else:
                    wrong += 1
        for case in hits:
            mark = next(m for m in found_marks(findings[case.file]) if on_case(m, case))
            errors.append(folded(mark["rotation"] - case.rotation))
        turned = [c for c in hits if folded(c.rotation) >= 2]
        flagged = sum("logo-rotated" in names(findings[c.file]) for c in turned)
        unchecked = sum("logo-unchecked" in names(findings[c.file]) for c in big)
        error = (
            f"{statistics.median(errors):.2f}/{sorted(errors)[int(0.95 * len(errors))]:.2f}°"
            if errors
            else "n/a"
        )
        print(
            f"  {band:9} {rate(len(hits), len(big)):>18} {rate(right, right + wrong):>18} "
            f"{rate(flagged, len(turned)):>20} {error:>19} {unchecked:>10}"
        )
    negatives = [c for c in cases if not c.positive]
    unchecked = sum("logo-unchecked" in names(findings[c.file]) for c in negatives)
    print(f"logo-unchecked on negatives:       {rate(unchecked, len(negatives))}")
    strong = [
        c
        for c in cases
        if c.positive
        and abs(c.aspect - 1) > 0.15
        and any(on_case(m, c) for m in found_marks(findings[c.file]))
    ]
    flagged = sum("logo-distorted" in names(findings[c.file]) for c in strong)
    print(f"distortion 15–40 % flagged:        {rate(flagged, len(strong))}")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(paths: list[str], select: str, profile: Path | None = None) -> float:
    """CPU seconds of the CLI subprocesses: wall time is unreliable on a shared machine."""
    started = cpu_seconds()
    run_check(paths, select, profile)
    return cpu_seconds() - started


def timing(folder: Path, count: int, marks: str, repeats: int = 3) -> None:
    paths = [str(p) for p in two_megapixel(folder, count, marks=marks)]
    run_check(paths[:2])  # warm the file cache
    baseline, logo = timed(paths, "F"), timed(paths, "L")
    print(f"-- 2-megapixel images, {marks} marks:")
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


# --- several artworks side by side (--artwork, --same-arms) -----------------------------------

ROOT = Path(__file__).resolve().parents[1]
SETS = Path(__file__).resolve().parent / "artwork"
# The bundled profile's logo parameters other than the artwork, for profiles made by hand.
HAND_PARAMS = """type = "logo"
severity = "error"

[severities]
logo-found = "info"
logo-clear-space = "warning"
logo-unchecked = "warning"

[params]
mark = "{mark}"
required = "first-page"
min-width-mm = 20.0
absolute-min-width-mm = 12.0
min-width-px = 60
clear-space = 0.25
aspect-tolerance = 0.03
rotation-tolerance = 1.0
recolour-delta-e = 8.0
name = "{name}"
vapen-alone = "allowed"
"""


@dataclass
class Column:
    label: str
    profile: Path  # checked with
    versions: list[Version]  # what the pictures show
    how: str  # how the profile got its artwork
    same_arms: bool = False  # pictures of another drawing of the profile's arms
    other_arms: bool = False  # pictures of other arms: every logo-found is a false positive


def artwork_command() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "profilecheck", "profile", "artwork", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


def set_folder(path: Path) -> Path | None:
    """The artwork set a path names (benchmarks/artwork/NAME or its source/), if it is one."""
    for folder in (path, path.parent):
        if (folder / "manifest.json").is_file():
            return folder
    return None


def drawn_versions(folder: Path, work: Path) -> list[Version]:
    """A set's versions as drawn (clip paths applied), rendered by benchmarks/draw_artwork.py."""
    import draw_artwork
    from logo_cases import _trimmed

    made = draw_artwork.reference(folder.name, work / "drawn" / folder.name)
    versions = []
    for entry in made:
        art = _trimmed(Path(entry["file"]))
        shield = measure_shield(art, entry["layout"])
        versions.append(
            Version(
                entry["version"], Path(entry["file"]), entry["layout"], entry["tone"], shield, art
            )
        )
    return ordered(versions)


def minimal_profile(target: Path, name: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    (target / "rules").mkdir(exist_ok=True)
    slug = target.name
    (target / "profile.toml").write_text(
        f'name = "{slug}"\ntitle = "{name} (benchmark)"\nversion = "0.1"\nlanguage = "sv"\n'
        f'description = "{name}: artwork drawn for profilecheck\'s benchmarks"\n',
        encoding="utf-8",
    )


def by_hand(folder: Path, target: Path, versions: list[Version], name: str) -> None:
    """What a profile's author does without the import command: our renders of the set,
    trimmed to the ink, listed with their layout, tone and shield in rules/logo.toml."""
    import shutil

    minimal_profile(target, name)
    art = target / "artwork"
    art.mkdir(exist_ok=True)
    lines = []
    for v in versions:
        shutil.copy(v.file, art / f"{v.name}.png")
        background = "dark" if v.tone == "white" else "light"
        shield = ", ".join(f"{x:g}" for x in v.shield)
        lines.append(
            f'\n[[params.versions]]\nname = "{v.name}"\nfile = "../artwork/{v.name}.png"\n'
            f'background = "{background}"\nlayout = "{v.layout}"\ntone = "{v.tone}"\n'
            f"shield = [{shield}]\n"
        )
    mark = next(v for v in versions if v.layout == "vapen" and v.tone == "colour")
    text = HAND_PARAMS.format(mark=f"../artwork/{mark.name}.png", name=name) + "".join(lines)
    (target / "rules" / "logo.toml").write_text(text, encoding="utf-8")


def imported(folder: Path, target: Path, versions: list[Version]) -> str:
    """The set's source files into a profile at `target`: with `profilecheck profile artwork`
    where it exists, else by hand. Returns how."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    name = manifest["name"]
    if artwork_command():
        minimal_profile(target, name)
        files = [str(folder / "source" / entry["file"]) for entry in manifest["files"]]
        command = [sys.executable, "-m", "profilecheck", "profile", "artwork", str(target)]
        done = subprocess.run(
            [*command, *files, "--name", name], capture_output=True, text=True, check=False
        )
        if done.returncode == 0 and (target / "rules" / "logo.toml").is_file():
            return "import"
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        print(f"{folder.name}: profile artwork failed ({reason[0][:200]}): by hand instead")
        return f"by hand (import failed: {reason[0][:60]})"
    by_hand(folder, target, versions, name)
    return "by hand"


def columns(args: argparse.Namespace, work: Path) -> list[Column]:
    made: list[Column] = []
    for given in args.artwork:
        path = Path(given)
        folder = set_folder(path)
        if folder is None and (path / "profile.toml").is_file():
            made.append(Column(path.name, path, from_profile(path), "own files"))
            continue
        if folder is None:
            raise SystemExit(f"{given}: neither a profile folder nor an artwork set")
        versions = drawn_versions(folder, work)
        target = work / "profiles" / folder.name
        how = imported(folder, target, versions)
        made.append(Column(folder.name, target, versions, how))
    for given in args.same_arms:
        profile, _, drawing = given.partition("=")
        folder = set_folder(Path(drawing))
        if folder is None or not (Path(profile) / "profile.toml").is_file():
            raise SystemExit(f"--same-arms {given}: give PROFILE_DIR=ARTWORK_SET")
        label = f"{Path(profile).name} on {folder.name}"
        made.append(
            Column(label, Path(profile), drawn_versions(folder, work), "own files", same_arms=True)
        )
    for given in args.other_arms:
        profile, _, drawing = given.partition("=")
        folder = set_folder(Path(drawing))
        if folder is None or not (Path(profile) / "profile.toml").is_file():
            raise SystemExit(f"--other-arms {given}: give PROFILE_DIR=ARTWORK_SET")
        label = f"{Path(profile).name} on {folder.name} (other)"
        versions = drawn_versions(folder, work)
        made.append(Column(label, Path(profile), versions, "own files", other_arms=True))
    return made


def has(findings: dict[str, list[dict]], case: Case, name: str) -> bool:
    return name in names(findings[case.file])


def figures(cases: list[Case], findings: dict[str, list[dict]], column: Column) -> dict[str, str]:
    """The table's rows for one artwork."""
    positives = [c for c in cases if c.positive]
    negatives = [c for c in cases if not c.positive]
    big = [c for c in positives if c.mark_height >= 40 and "occluded" not in c.extras]
    seen = [c for c in big if has(findings, c, "logo-found")]
    row: dict[str, str] = {}
    row["recall, marks ≥ 40 px"] = short(len(seen), len(big))
    false = sum(has(findings, c, "logo-found") for c in negatives)
    row["false positives (negatives)"] = short(false, len(negatives))
    stretched = [c for c in seen if abs(c.aspect - 1) >= 0.03]
    row["distortion ≥ 3 % flagged"] = short(
        sum(has(findings, c, "logo-distorted") for c in stretched), len(stretched)
    )
    plain = [c for c in seen if c.aspect == 1.0 and c.rotation == 0 and not c.mirrored]
    wrong = sum(
        has(findings, c, "logo-distorted") or has(findings, c, "logo-rotated") for c in plain
    )
    row["undistorted upright flagged dist./rot."] = short(wrong, len(plain))
    turned = [c for c in seen if folded(c.rotation) >= 2]
    row["rotation ≥ 2° flagged"] = short(
        sum(has(findings, c, "logo-rotated") for c in turned), len(turned)
    )
    hue = [c for c in seen if c.recolour_delta_e >= 8 and not c.other_ink]
    row["recolour (colour, hue) flagged"] = short(
        sum(has(findings, c, "logo-recoloured") for c in hue), len(hue)
    )
    ink = [c for c in seen if c.other_ink]
    row["one-colour in other ink flagged"] = short(
        sum(has(findings, c, "logo-recoloured") for c in ink), len(ink)
    )
    original = [c for c in seen if c.recolour_delta_e == 0]
    row["original colours flagged recoloured"] = short(
        sum(has(findings, c, "logo-recoloured") for c in original), len(original)
    )
    errors = []
    for case in seen:
        if case.aspect != 1.0 or not case.shield_width:
            continue
        info = next(f for f in findings[case.file] if f["name"] == "logo-found")["measured"]
        if info.get("shield_width_px"):
            errors.append(abs(info["shield_width_px"] - case.shield_width) / case.shield_width)
    row["shield width error, 95th pct"] = (
        f"{sorted(errors)[int(0.95 * len(errors))]:.1%} (n={len(errors)})" if errors else "n/a"
    )
    if not (column.same_arms or column.other_arms):
        kinds = {v.name: (v.layout, v.tone) for v in from_profile(column.profile)}
        right = 0
        for c in seen:
            info = next(f for f in findings[c.file] if f["name"] == "logo-found")["measured"]
            right += kinds.get(info.get("version")) == (c.layout, c.tone)
        row["version named correctly"] = short(right, len(seen))
    else:
        row["version named correctly"] = "—"
    row["logo-not-original on found marks"] = short(
        sum(has(findings, c, "logo-not-original") for c in seen), len(seen)
    )
    return row


def short(hits: int, total: int) -> str:
    return f"{hits / total:.2f} ({hits}/{total})" if total else "n/a"


def speed(folder: Path, count: int, column: Column) -> str:
    """The logo rule's CPU time per additional 2 MP image with an upright colour vapen."""
    if count < 2:
        return "—"
    paths = [
        str(p) for p in two_megapixel(folder, count, marks="upright", versions=column.versions)
    ]
    run_check(paths[:1], "L", column.profile)  # warm the file cache
    first_l, first_f = timed(paths[:1], "L", column.profile), timed(paths[:1], "F", column.profile)
    all_l, all_f = timed(paths, "L", column.profile), timed(paths, "F", column.profile)
    per_image = ((all_l - first_l) - (all_f - first_f)) / (len(paths) - 1) * 1000
    return f"{per_image:.0f} ms"


def side_by_side(args: argparse.Namespace, seed: int, work: Path) -> None:
    chosen = columns(args, work)
    held = " (held out)" if seed == HELD_OUT_SEED else " (development)"
    print(
        f"{args.count} positives + {max(1, args.count // 2)} negatives + "
        f"{max(6, args.count // 3)} recoloured positives per artwork, seed {seed}"
        f"{held}; artwork command: {'yes' if artwork_command() else 'not yet (by hand)'}"
    )
    table: dict[str, dict[str, str]] = {}
    for column in chosen:
        folder = work / "cases" / column.label.replace(" ", "_")
        folder.mkdir(parents=True)
        started = time.perf_counter()
        cases = generate(folder, args.count, max(1, args.count // 2), seed, column.versions)
        cases += recoloured(folder, max(6, args.count // 3), seed, column.versions)
        (folder / "labels-all.json").write_text(json.dumps([asdict(c) for c in cases], indent=1))
        findings = run_check([c.file for c in cases], "L", column.profile)
        (folder / "findings.json").write_text(json.dumps(findings, indent=1), encoding="utf-8")
        row = figures(cases, findings, column)
        row["ms per extra 2-MP image"] = speed(folder, args.speed, column)
        row["profile's artwork"] = column.how
        table[column.label] = row
        print(f"  {column.label}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.show_errors:
            print(f"-- errors, {column.label}:")
            show_errors(cases, findings)
    labels = list(table)
    rows = list(next(iter(table.values())))
    width = max(len(r) for r in rows)
    cells = {c: max(len(c), *(len(table[c][r]) for r in rows)) for c in labels}
    print(f"{'':{width}}  " + "  ".join(f"{c:>{cells[c]}}" for c in labels))
    for r in rows:
        print(f"{r:{width}}  " + "  ".join(f"{table[c][r]:>{cells[c]}}" for c in labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=450, help="positives (negatives: half)")
    parser.add_argument("--speed", type=int, default=20, help="2 MP images timed")
    parser.add_argument("--show-errors", action="store_true", help="list every wrong case")
    parser.add_argument("--keep", type=Path, help="write the cases to this folder and keep them")
    parser.add_argument("--seed", type=int, default=DEVELOPMENT_SEED, help="cases' seed")
    parser.add_argument(
        "--held-out", action="store_true", help=f"the held-out cases (seed {HELD_OUT_SEED})"
    )
    parser.add_argument(
        "--marks",
        default="upright,turned,none",
        help="speed runs: comma-separated upright, turned, none (empty: no speed runs)",
    )
    parser.add_argument(
        "--artwork",
        action="append",
        default=[],
        help="a profile folder or an artwork set (benchmarks/artwork/NAME): repeatable",
    )
    parser.add_argument(
        "--other-arms",
        action="append",
        default=[],
        metavar="PROFILE=SET",
        help="check pictures of other arms SET with PROFILE: every mark found is a false one",
    )
    parser.add_argument(
        "--same-arms",
        action="append",
        default=[],
        metavar="PROFILE=SET",
        help="check pictures of artwork SET with PROFILE (another drawing of its arms)",
    )
    args = parser.parse_args()
    seed = HELD_OUT_SEED if args.held_out else args.seed
    if args.artwork or args.same_arms or args.other_arms:
        if "--speed" not in sys.argv:
            args.speed = 6
        with tempfile.TemporaryDirectory() as tmp:
            side_by_side(args, seed, args.keep or Path(tmp))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.keep:
            folder = args.keep
            folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        cases = generate(folder, args.count, max(1, args.count // 2), seed)
        held = " (held out)" if seed == HELD_OUT_SEED else ""
        print(
            f"generated {len(cases)} cases, seed {seed}{held}, "
            f"in {time.perf_counter() - started:.1f} s"
        )
        findings = run_check([c.file for c in cases])
        score(cases, findings)
        if args.show_errors:
            show_errors(cases, findings)
        for marks in filter(None, args.marks.split(",")):
            timing(folder, args.speed, marks)


if __name__ == "__main__":
    main()
