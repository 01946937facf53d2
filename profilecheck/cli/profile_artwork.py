"""`profilecheck profile artwork PROFILE_DIR FILE...`: import a municipality's official artwork.

    profilecheck profile artwork min-profil officiellt/*.svg --name "Ale kommun"
    profilecheck profile artwork min-profil vapen.pdf --layout vapen --tone colour

Each FILE (SVG, PDF, PNG, JPEG, TIFF, WebP, GIF) is rendered at print (300 dpi, the shield
`--shield-mm` wide) and screen size (256 px high) into PROFILE_DIR/artwork/png/, trimmed to the
ink, with a copy of the file in PROFILE_DIR/artwork/; its layout (vapen, horizontal, stacked)
and tone (colour, black, white) are read from its content, or taken from `--layout` and
`--tone`, which apply to every FILE of the run (import files that need different ones in
separate runs: each run keeps the versions earlier runs wrote). The logo rule file
PROFILE_DIR/rules/logo.toml gets the `[[params.versions]]` (name = the file's name without
extension, file, background, layout, tone, shield) and `mark` (the colour vapen; if only colour
logotypes are given, their shield cut out). Files it cannot use are refused with the reason.
Exit code 0: all imported; 1: some refused; 2: usage or profile errors.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from profilecheck.core.errors import UsageError
from profilecheck.core.printable import printable

LAYOUTS = ("auto", "vapen", "horizontal", "stacked")
TONES = ("auto", "colour", "black", "white")


@click.command("artwork")
@click.argument("profile_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--name", help='The municipality\'s name in the logotype, e.g. "Ale kommun".')
@click.option("--layout", type=click.Choice(LAYOUTS), default="auto", show_default=True,
              help="The layout of every FILE given (auto: read from each file).")  # fmt: skip
@click.option("--tone", type=click.Choice(TONES), default="auto", show_default=True,
              help="The tone of every FILE given (auto: read from each file).")  # fmt: skip
@click.option("--shield-mm", type=click.FloatRange(min=5, max=500), default=30.0,
              show_default=True, help="The shield's width in the print PNGs.")  # fmt: skip
def artwork(
    profile_dir: Path,
    files: tuple[Path, ...],
    name: str | None,
    layout: str,
    tone: str,
    shield_mm: float,
) -> None:
    """Import official artwork files into a profile and write its logo rule's versions.

    FILE: SVG, PDF (first page), PNG, JPEG, TIFF, WebP or GIF. Each is rendered at print size
    (300 dpi, the shield --shield-mm wide) and screen size (256 px high) into
    PROFILE_DIR/artwork/png/, trimmed to the ink, and copied to PROFILE_DIR/artwork/. Its
    layout and tone are read from it unless --layout or --tone say them (for every FILE of the
    run: import files that need different ones in separate runs; each run keeps the versions
    that earlier runs wrote). PROFILE_DIR/rules/logo.toml gets the versions (name: the file's
    name) and the mark. Exit 0: all imported; 1: a file refused; 2: usage or profile errors.
    """
    try:
        code = import_artwork(profile_dir, files, name, layout, tone, shield_mm)
    except UsageError as error:
        click.echo(printable(f"profilecheck: {error}"), err=True)
        code = 2
    sys.exit(code)


def import_artwork(
    profile_dir: Path,
    files: tuple[Path, ...],
    name: str | None,
    layout: str,
    tone: str,
    shield_mm: float,
) -> int:
    from profilecheck.checks.logo.importing import ArtworkRefused, import_file, version_name
    from profilecheck.cli.artwork_toml import existing_versions, write_logo_rule
    from profilecheck.profile.loading import PROFILE_FILE, RULES_FOLDER, load_profile

    if not (profile_dir / PROFILE_FILE).is_file():
        raise UsageError(
            f"{profile_dir} is not a profile folder (no {PROFILE_FILE}); "
            f"start one with: profilecheck profile init {profile_dir}"
        )
    loaded = load_profile(str(profile_dir))
    rule_id = next((r.id for r in loaded.rules if r.type == "logo"), "logo")
    rule_path = profile_dir / RULES_FOLDER / f"{rule_id}.toml"
    out = profile_dir / "artwork"
    refused, imported, seen = 0, [], set()
    for path in files:
        shown = printable(path)
        if version_name(path) in seen:
            click.echo(f"refused: {shown}: another file given has the same name")
            refused += 1
            continue
        try:
            if not path.is_file():
                raise ArtworkRefused("no such file")
            result = import_file(path, layout, tone, shield_mm)
        except ArtworkRefused as error:
            click.echo(f"refused: {shown}: {printable(error)}")
            refused += 1
            continue
        seen.add(result.name)
        _save(result, out)
        imported.append(result)
        click.echo(printable(_describe(result)))
    if not imported:
        click.echo("nothing imported; the rule file is unchanged", err=True)
        return 1
    versions = _merged(existing_versions(rule_path), [_version(r) for r in imported])
    mark = _mark(versions, imported, out)
    if mark is None:
        click.echo(
            "no colour version: `mark` is left as it was (import a colour vapen or logotype)",
            err=True,
        )
        mark = _current_mark(rule_path, loaded, rule_id, profile_dir)
    write_logo_rule(rule_path, mark, versions, name)
    click.echo(printable(f"wrote {rule_path}: mark = {mark}, {len(versions)} version(s)"))
    click.echo(printable(f"next: profilecheck profile validate {profile_dir}"))
    return 1 if refused else 0


def _save(result: Any, out: Path) -> None:
    png = out / "png"
    png.mkdir(parents=True, exist_ok=True)
    (png / f"{result.name}-print.png").write_bytes(result.print_png)
    (png / f"{result.name}-screen.png").write_bytes(result.screen_png)
    copy = out / f"{result.name}{result.source.suffix.lower()}"
    if not (copy.exists() and os.path.samefile(copy, result.source)):
        shutil.copyfile(result.source, copy)


def _version(result: Any) -> dict[str, Any]:
    anatomy = result.anatomy
    return {
        "name": result.name,
        "file": f"../artwork/png/{result.name}-print.png",
        "background": anatomy.background,
        "layout": anatomy.layout,
        "tone": anatomy.tone,
        "shield": list(anatomy.shield),
    }


def _merged(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Earlier versions kept unless imported again; new ones vapen, horizontal, stacked, each
    colour, black, white (the order the detector tries them in)."""
    names = {v["name"] for v in new}
    ordered = sorted(new, key=lambda v: (LAYOUTS.index(v["layout"]), TONES.index(v["tone"])))
    return [v for v in old if v.get("name") not in names] + ordered


def _mark(versions: list[dict[str, Any]], imported: list[Any], out: Path) -> str | None:
    """The colour vapen's file; else the shield cut out of a colour logotype imported now."""
    for version in versions:
        if version.get("layout") == "vapen" and version.get("tone") == "colour":
            return str(version["file"])
    for result in imported:
        if result.anatomy.tone == "colour":
            return _cut_shield(result, out)
    return None


def _cut_shield(result: Any, out: Path) -> str:
    import math

    from profilecheck.checks.logo.importing import PRINT_DPI, decode_png, encode_png

    rgba = decode_png(result.print_png)
    x, y, w, h = result.anatomy.shield
    x0, y0 = max(0, math.floor(x)), max(0, math.floor(y))
    x1, y1 = min(rgba.shape[1], math.ceil(x + w)), min(rgba.shape[0], math.ceil(y + h))
    name = f"{result.name}-shield"
    (out / "png" / f"{name}-print.png").write_bytes(encode_png(rgba[y0:y1, x0:x1], PRINT_DPI))
    click.echo(printable(f"mark: the shield cut out of {result.name} -> png/{name}-print.png"))
    return f"../artwork/png/{name}-print.png"


def _current_mark(rule_path: Path, loaded: Any, rule_id: str, profile_dir: Path) -> str:
    rule = next((r for r in loaded.rules if r.id == rule_id), None)
    mark = str(rule.params.get("mark", "")) if rule else ""
    if not mark or rule is None:
        raise UsageError("no colour version imported and no mark to keep: import a colour file")
    target = (rule.folder / mark).resolve()
    return Path(os.path.relpath(target, rule_path.parent.resolve())).as_posix()


def _describe(result: Any) -> str:
    a = result.anatomy
    x, y, w, h = a.shield
    name = ""
    if a.name_box:
        lines = "two-line" if a.name_lines == 2 else f"{a.name_lines}-line"
        name = f", {lines} name {'beside' if a.layout == 'horizontal' else 'below'} it"
    colours = ", ".join(f"{hex_} {share:.0%}" for hex_, share in a.colours[:5])
    field = a.field_colour or "transparent"
    paper = f"; {result.paper} paper made transparent" if result.paper else ""
    notes = "".join(f"; {note}" for note in [*a.notes, *result.notes])
    return (
        f"{result.source}: {result.kind} ({result.renderer}) -> {result.name}: {a.layout}, "
        f"{a.tone}, for {a.background} backgrounds; print {a.width} × {a.height} px, "
        f"screen {result.screen_size[0]} × {result.screen_size[1]} px; shield {w:.1f} × "
        f"{h:.1f} px at ({x:.1f}, {y:.1f}){name}; field {field}; colours {colours}{paper}{notes}"
    )
