"""Render the bundled SVG artwork (vapen and logotypes) to PNG with PyMuPDF.

Every ``*.svg`` in the artwork folder (default: ``rules/ale/artwork``) is
rendered twice into ``<folder>/png/``:

* ``<name>-screen.png`` -- 256 px high, for screen use and previews;
* ``<name>-print.png``  -- 300 dpi with the shield 30 mm wide.

The artwork convention is that the shield is 200 SVG units wide (240 high) in
every file, so the print scale is the same for the vapen and the logotypes.
All renders keep an alpha channel, so the white (negative) versions can be
composited on dark backgrounds. The output is deterministic: the same SVGs
give byte-identical PNGs.

Usage::

    python scripts/render_artwork.py [ARTWORK_FOLDER]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pymupdf

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = REPO_ROOT / "rules" / "ale" / "artwork"

SHIELD_WIDTH_UNITS = 200.0  # shield width in SVG user units, in every file
SCREEN_HEIGHT_PX = 256
PRINT_DPI = 300
PRINT_SHIELD_WIDTH_MM = 30.0
MM_PER_INCH = 25.4

_VIEWBOX = re.compile(
    r'viewBox="\s*([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)\s*"'
)


def viewbox_width(svg_path: Path) -> float:
    """Width of the SVG's viewBox in user units."""
    match = _VIEWBOX.search(svg_path.read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{svg_path}: no viewBox attribute")
    return float(match.group(3))


def render(svg_path: Path, zoom: float, dpi: int) -> bytes:
    """Render the first page of ``svg_path`` at ``zoom`` and return PNG bytes."""
    with pymupdf.open(svg_path) as doc:
        pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=True)
        pix.set_dpi(dpi, dpi)
        return pix.tobytes("png")


def render_svg(svg_path: Path, out_dir: Path) -> list[Path]:
    """Write the screen and print PNGs for one SVG; return their paths."""
    with pymupdf.open(svg_path) as doc:
        page_rect = doc[0].rect
    # PyMuPDF page units per SVG user unit (1.0 when width/height match the viewBox).
    page_per_unit = page_rect.width / viewbox_width(svg_path)

    screen_zoom = SCREEN_HEIGHT_PX / page_rect.height
    shield_px = PRINT_SHIELD_WIDTH_MM / MM_PER_INCH * PRINT_DPI
    print_zoom = shield_px / (SHIELD_WIDTH_UNITS * page_per_unit)

    written: list[Path] = []
    for suffix, zoom, dpi in (
        ("screen", screen_zoom, 96),
        ("print", print_zoom, PRINT_DPI),
    ):
        target = out_dir / f"{svg_path.stem}-{suffix}.png"
        target.write_bytes(render(svg_path, zoom, dpi))
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_FOLDER
    svgs = sorted(folder.glob("*.svg"))
    if not svgs:
        print(f"no SVG files in {folder}", file=sys.stderr)
        return 1
    out_dir = folder / "png"
    out_dir.mkdir(exist_ok=True)
    for svg in svgs:
        for png in render_svg(svg, out_dir):
            print(f"{png.relative_to(folder)}  ({png.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
