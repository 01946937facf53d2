"""Import a municipality's official artwork files: `profilecheck profile artwork`.

Each file (SVG, PDF: its first page; PNG, JPEG, TIFF, WebP, GIF) is rendered or scaled twice:

* print: 300 dpi with the shield `shield_mm` (30 mm) wide, with alpha;
* screen: 256 px high, with alpha;

both trimmed to the ink, the paper around an opaque picture made transparent (anatomy.py).
The shield, the name, the layout and the tone are read from the picture (anatomy.py) unless
the caller says them. Vector files are rendered at an analysis resolution first to measure the
shield in the drawing's units, then once more at exactly the print scale. A drawing that fills
its own page (the bundled Ale SVGs) is rendered whole by PyMuPDF, as the bundled PNGs were first
made, so they regenerate byte for byte.

Anything the import cannot use raises `ArtworkRefused` with the reason in plain words: not a
picture, unreadable, empty, no ink, several marks, or larger than the limits of core/limits.py.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from profilecheck.checks.logo.anatomy import (
    Anatomy,
    AnatomyError,
    analyse,
    clear_paper,
    ink_box,
    margins,
)
from profilecheck.checks.logo.svg import Vector, VectorError, read_pdf, read_svg
from profilecheck.core.limits import DEFAULT_LIMITS, Limits, hit

MM_PER_INCH = 25.4
PRINT_DPI = 300
SCREEN_DPI = 96
SCREEN_HEIGHT = 256
ANALYSIS_SIDE = 3000  # pixels: the longest side of a vector drawing's analysis render
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_OUTPUT_SIDE = 20_000
RASTER_KINDS = {"PNG": "png", "JPEG": "jpeg", "TIFF": "tiff", "WEBP": "webp", "GIF": "gif"}


class ArtworkRefused(Exception):
    """A file the import cannot use; the message says why."""


@dataclass
class Imported:
    source: Path
    name: str  # the version's name: the file's name without its extension, lower case
    kind: str  # "svg", "pdf", "png", "jpeg", ...
    anatomy: Anatomy  # of the print picture
    print_png: bytes
    screen_png: bytes
    screen_size: tuple[int, int]
    renderer: str  # "pymupdf", "resvg" or "pillow"
    paper: str | None = None  # the colour made transparent around the artwork
    notes: list[str] = field(default_factory=list)


def version_name(path: Path) -> str:
    name = re.sub(r"[\W_]+", "-", path.stem.lower()).strip("-")
    return name or "artwork"


def import_file(
    path: Path,
    layout: str = "auto",
    tone: str = "auto",
    shield_mm: float = 30.0,
    limits: Limits = DEFAULT_LIMITS,
) -> Imported:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArtworkRefused(f"the file is {size:,} bytes; artwork files are under 64 MB")
        data = path.read_bytes()
    except OSError as error:
        raise ArtworkRefused(f"cannot read it ({error.strerror or error})")
    if not data.strip():
        raise ArtworkRefused("the file is empty")
    shield_px = shield_mm / MM_PER_INCH * PRINT_DPI
    try:
        kind = _kind(data)
        if kind in ("svg", "pdf"):
            vector = read_svg(data) if kind == "svg" else read_pdf(data)
            result = _import_vector(vector, layout, tone, shield_px, limits)
        else:
            result = _import_raster(_decode(data, limits), layout, tone, shield_px, limits)
            kind = result.kind
    except (AnatomyError, VectorError) as error:
        raise ArtworkRefused(str(error))
    except ArtworkRefused:
        raise
    except MemoryError:
        raise ArtworkRefused("it ran out of memory")
    except Exception as error:  # a decoder's or renderer's surprise: refused, never a traceback
        raise ArtworkRefused(f"it cannot be imported ({type(error).__name__}: {error})")
    result.source, result.name, result.kind = path, version_name(path), kind
    return result


def _kind(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"<") and b"<svg" in data[:65536]:
        return "svg"
    return "raster"


def _decode(data: bytes, limits: Limits) -> tuple[Any, str]:
    """RGBA pixels of a raster file, refused before decoding beyond the limits."""
    import warnings

    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = RASTER_KINDS.get(image.format or "")
            if kind is None:
                raise ArtworkRefused(f"not a picture profilecheck reads ({image.format} file)")
            width, height = image.size
            if max(width, height) > limits.max_image_side:
                raise ArtworkRefused(f"it is {width:,} × {height:,} px: {hit('max_image_side')}")
            if width * height > limits.max_decoded_pixels:
                raise ArtworkRefused(
                    f"it is {width:,} × {height:,} px: {hit('max_decoded_pixels')}"
                )
            image = ImageOps.exif_transpose(image)
            if image.mode in ("I;16", "I;16B", "I;16L", "I"):
                image = image.point(lambda v: v / 256).convert("L")
            rgba = np.asarray(image.convert("RGBA")).copy()
    except ArtworkRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ArtworkRefused(f"it is too large to decode ({error}); {hit('max_image_pixels')}")
    except UnidentifiedImageError:
        raise ArtworkRefused("not a picture, an SVG or a PDF that profilecheck can read")
    except (OSError, ValueError, SyntaxError) as error:
        raise ArtworkRefused(f"the picture cannot be decoded ({error})")
    return rgba, kind


def _import_raster(
    decoded: tuple[Any, str], layout: str, tone: str, shield_px: float, limits: Limits
) -> Imported:
    rgba, kind = decoded
    rgba, paper = clear_paper(rgba)
    rgba = _trimmed(rgba, threshold=8)
    first = analyse(rgba, layout, tone)
    scale = shield_px / first.shield[2]
    width, height = _scaled_size(rgba, scale, limits)
    printed = _resized(rgba, width, height)
    anatomy = _final(printed, first)
    screen_width = max(1, round(rgba.shape[1] * SCREEN_HEIGHT / rgba.shape[0]))
    screen = _resized(rgba, screen_width, SCREEN_HEIGHT)
    notes = []
    if scale > 1.5:
        notes.append(f"scaled up {scale:.1f}× for print: a larger file would print sharper")
    return Imported(
        Path(),
        "",
        kind,
        anatomy,
        encode_png(printed, PRINT_DPI),
        encode_png(screen, SCREEN_DPI),
        (screen.shape[1], screen.shape[0]),
        "pillow",
        paper,
        notes,
    )


def _import_vector(
    vector: Vector, layout: str, tone: str, shield_px: float, limits: Limits
) -> Imported:
    zoom = min(8.0, 2048.0 / max(vector.width, vector.height))
    region: tuple[float, float, float, float] | None = None
    rendered, paper = clear_paper(vector.render(zoom))  # paper: judged on the whole page only
    if paper is None:
        rendered, paper = _placed_paper(rendered)
    for step in range(3):  # the ink's box, ever finer: a small drawing on a large page
        if step:
            rendered = _cleared(vector.render(zoom, region), paper)
        box = ink_box(rendered)
        if box is None:
            raise ArtworkRefused("it draws nothing visible")
        finer = _region(box, zoom, vector, region)
        rw, rh = (finer[2], finer[3]) if finer else (vector.width, vector.height)
        next_zoom = ANALYSIS_SIDE / max(rw, rh)
        next_zoom = min(64.0, float(int(next_zoom))) if next_zoom >= 1 else next_zoom
        if step and finer == region and next_zoom == zoom:
            break
        region, zoom = finer, next_zoom
    analysed = _trimmed(rendered)
    first = analyse(analysed, layout, tone)
    shield_units = first.shield[2] / zoom
    print_zoom = shield_px / shield_units
    _scaled_size(analysed, print_zoom / zoom, limits)
    printed, print_png = _vector_picture(vector, region, print_zoom, PRINT_DPI, paper)
    anatomy = _final(printed, first)
    screen_zoom = SCREEN_HEIGHT / (region[3] if region else vector.height)
    screen, screen_png = _vector_picture(vector, region, screen_zoom, SCREEN_DPI, paper)
    return Imported(
        Path(),
        "",
        vector.kind,
        anatomy,
        print_png,
        screen_png,
        (screen.shape[1], screen.shape[0]),
        vector.renderer,
        paper,
    )


def _region(
    box: tuple[int, int, int, int],
    zoom: float,
    vector: Vector,
    within: tuple[float, float, float, float] | None,
) -> tuple[float, float, float, float] | None:
    """The part of the drawing with ink, in its units, from its box in a render of `within`
    (None: all of it) at `zoom`; None when that is (nearly) all of the drawing."""
    ox, oy = (within[0], within[1]) if within else (0.0, 0.0)
    x, y, w, h = box
    pad = 1.0 / zoom
    x0, y0 = max(0.0, ox + x / zoom - pad), max(0.0, oy + y / zoom - pad)
    x1 = min(vector.width, ox + (x + w) / zoom + pad)
    y1 = min(vector.height, oy + (y + h) / zoom + pad)
    slack_x = max(2.0 / zoom, 0.005 * vector.width)
    slack_y = max(2.0 / zoom, 0.005 * vector.height)
    if (
        x0 <= slack_x
        and y0 <= slack_y
        and x1 >= vector.width - slack_x
        and y1 >= vector.height - slack_y
    ):
        return None
    return x0, y0, x1 - x0, y1 - y0


def _vector_picture(
    vector: Vector,
    region: tuple[float, float, float, float] | None,
    zoom: float,
    dpi: int,
    paper: str | None,
) -> tuple[Any, bytes]:
    """The drawing at `zoom`, paper cleared and trimmed: its pixels and PNG bytes. A whole
    drawing that needs neither is PyMuPDF's own PNG, as the bundled artwork was made."""
    direct = vector.pixmap_png(zoom, dpi) if region is None else None
    if direct is not None:
        rgba = decode_png(direct)
        if paper is None and max(margins(rgba)) <= 1:  # a pixel row of rounding is no margin
            return rgba, direct
        trimmed = _trimmed(_cleared(rgba, paper))
        return trimmed, encode_png(trimmed, dpi)
    trimmed = _trimmed(_cleared(vector.render(zoom, region), paper))
    return trimmed, encode_png(trimmed, dpi)


def _placed_paper(rgba: Any) -> tuple[Any, str | None]:
    """A picture placed on a transparent page (a scan of the artwork in a PDF or an SVG) may
    bring its own paper: judged on the border of the ink's box, kept only if ink remains."""
    box = ink_box(rgba)
    if box is None:
        return rgba, None
    x, y, w, h = box
    cleared, paper = clear_paper(rgba[y : y + h, x : x + w])
    if paper is None or ink_box(cleared, 127) is None:
        return rgba, None
    return clear_paper(rgba, paper)[0], paper


def _cleared(rgba: Any, paper: str | None) -> Any:
    """A render with the drawing's paper (found on the whole page) made transparent."""
    return clear_paper(rgba, paper)[0] if paper else rgba


def _final(printed: Any, first: Anatomy) -> Anatomy:
    """The anatomy of the print picture, keeping the layout and tone read at analysis size."""
    anatomy = analyse(printed, first.layout, first.tone)
    anatomy.ink = first.ink or anatomy.ink
    anatomy.notes = list(dict.fromkeys([*first.notes, *anatomy.notes]))
    anatomy.name_lines = first.name_lines or anatomy.name_lines
    return anatomy


def _trimmed(rgba: Any, threshold: int = 0) -> Any:
    box = ink_box(rgba, threshold)
    if box is None:
        raise ArtworkRefused("it has no ink: every pixel is transparent or paper")
    x, y, w, h = box
    return rgba[y : y + h, x : x + w].copy()


def _scaled_size(rgba: Any, scale: float, limits: Limits) -> tuple[int, int]:
    width = max(1, round(rgba.shape[1] * scale))
    height = max(1, round(rgba.shape[0] * scale))
    if max(width, height) > MAX_OUTPUT_SIDE or width * height > limits.max_decoded_pixels:
        raise ArtworkRefused(
            f"at print size it would be {width:,} × {height:,} px: the shield is too small a "
            "part of the picture (is it the mark?)"
        )
    return width, height


def _resized(rgba: Any, width: int, height: int) -> Any:
    import numpy as np
    from PIL import Image

    if (width, height) == (rgba.shape[1], rgba.shape[0]):
        return rgba
    image = Image.fromarray(rgba, "RGBA").convert("RGBa")
    resized = image.resize((width, height), Image.Resampling.LANCZOS).convert("RGBA")
    return np.asarray(resized).copy()


def encode_png(rgba: Any, dpi: int) -> bytes:
    """PNG bytes with alpha and the resolution, written by PyMuPDF like the bundled artwork."""
    import numpy as np
    import pymupdf

    height, width = rgba.shape[:2]
    samples = np.ascontiguousarray(rgba, dtype=np.uint8).tobytes()
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, width, height, samples, 1)
    pixmap.set_dpi(dpi, dpi)
    return pixmap.tobytes("png")


def decode_png(data: bytes) -> Any:
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGBA")).copy()
