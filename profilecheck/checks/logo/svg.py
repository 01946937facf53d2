"""Vector artwork (SVG, PDF) rendered to RGBA pixels for `profilecheck profile artwork`.

An SVG is read with lxml, without entities, DTDs or the network, and anything it points at
outside itself (an `href` that is not `#...` or `data:`) is removed: an artwork file never
makes the renderer read another file. It is then given an explicit viewBox and a size in user
units: its own viewBox; else its width and height (as CSS pixels: `50mm` is 188.98 units); else
the bounds of what it draws. One user unit is then one pixel at zoom 1, whichever renderer runs.

Renderers, measured: PyMuPDF (MuPDF's SVG) draws paths, transforms, gradients and embedded
raster images, but ignores `clip-path`, `mask`, `filter` and CSS (`<style>`, `class`): a
clipped shape is drawn whole and a styled one black. SVGs that use any of those are rendered
with resvg (the `resvg-py` package); the others with PyMuPDF, so the bundled Ale artwork
renders as it always did. A PDF's first page is rendered with PyMuPDF.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

UNITS = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
LENGTH = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-z%]*)\s*$")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# What MuPDF's SVG renderer ignores (see the module's docstring).
UNSUPPORTED_TAGS = {"clipPath", "mask", "style", "filter", "pattern", "symbol"}
UNSUPPORTED_ATTRIBUTES = {"clip-path", "mask", "class", "filter", "style"}
MAX_SVG_BYTES = 32 * 1024 * 1024
MAX_UNITS = 1_000_000.0  # a viewBox side beyond this is not artwork


class VectorError(Exception):
    """An SVG or PDF that cannot be rendered; the message says why, in plain words."""


@dataclass
class Vector:
    """A vector drawing ready to render: an SVG (as normalised text) or a PDF's first page."""

    kind: str  # "svg" or "pdf"
    width: float  # in user units (SVG) or points (PDF)
    height: float
    renderer: str  # "pymupdf" or "resvg"
    svg: bytes = b""
    pdf: bytes = b""
    view: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the SVG's viewBox

    def render(self, zoom: float, region: tuple[float, float, float, float] | None = None) -> Any:
        """RGBA pixels (h×w×4 uint8) of `region` (x, y, w, h in units from the top left; None:
        all of it) at `zoom` pixels per unit."""
        if self.renderer == "resvg":
            return self._resvg(zoom, region)
        return self._pymupdf(zoom, region)

    def pixmap_png(self, zoom: float, dpi: int) -> bytes | None:
        """The whole drawing as PNG bytes straight from PyMuPDF (None with resvg): how the
        bundled artwork was first rendered, so it regenerates byte for byte."""
        if self.renderer != "pymupdf":
            return None
        with self._open() as document:
            pixmap = document[0].get_pixmap(matrix=_matrix(zoom), alpha=True)
            pixmap.set_dpi(dpi, dpi)
            return pixmap.tobytes("png")

    def _open(self) -> Any:
        import pymupdf

        if self.kind == "pdf":
            return pymupdf.open(stream=self.pdf, filetype="pdf")
        return pymupdf.open(stream=self.svg, filetype="svg")

    def _pymupdf(self, zoom: float, region: tuple[float, float, float, float] | None) -> Any:
        import numpy as np
        import pymupdf

        with self._open() as document:
            page = document[0]
            clip = None
            if region is not None:
                x, y, w, h = region
                origin = page.rect.top_left
                clip = pymupdf.Rect(origin.x + x, origin.y + y, origin.x + x + w, origin.y + y + h)
            pixmap = page.get_pixmap(matrix=_matrix(zoom), alpha=True, clip=clip)
            shape = (pixmap.height, pixmap.width, pixmap.n)
            return np.frombuffer(pixmap.samples, np.uint8).reshape(shape).copy()

    def _resvg(self, zoom: float, region: tuple[float, float, float, float] | None) -> Any:
        import numpy as np
        from PIL import Image

        try:
            import resvg_py
        except ImportError as error:
            raise VectorError(
                "it uses clip paths, masks, filters or CSS, which PyMuPDF ignores, and resvg "
                "(pip install resvg-py) is not installed"
            ) from error
        vx, vy, vw, vh = self.view
        x, y, w, h = region or (0.0, 0.0, vw, vh)
        text = _with_view(self.svg, (vx + x, vy + y, w, h))
        width, height = max(1, round(w * zoom)), max(1, round(h * zoom))
        try:
            png = resvg_py.svg_to_bytes(
                svg_string=text.decode("utf-8"),
                width=width,
                height=height,
                skip_system_fonts=b"<text" not in text,
            )
        except (ValueError, RuntimeError) as error:
            raise VectorError(f"resvg cannot render it ({error})") from error
        with Image.open(io.BytesIO(bytes(png))) as image:
            return np.asarray(image.convert("RGBA")).copy()


def _matrix(zoom: float) -> Any:
    import pymupdf

    return pymupdf.Matrix(zoom, zoom)


def read_pdf(data: bytes) -> Vector:
    import pymupdf

    try:
        with pymupdf.open(stream=data, filetype="pdf") as document:
            if document.needs_pass:
                raise VectorError("the PDF is encrypted")
            if document.page_count < 1:
                raise VectorError("the PDF has no pages")
            rect = document[0].rect
    except (RuntimeError, ValueError) as error:
        raise VectorError(f"not a readable PDF ({error})") from error
    if not (0 < rect.width <= MAX_UNITS and 0 < rect.height <= MAX_UNITS):
        raise VectorError(f"the PDF's first page is {rect.width:g} × {rect.height:g} points")
    return Vector("pdf", rect.width, rect.height, "pymupdf", pdf=data)


def read_svg(data: bytes) -> Vector:
    """An SVG made safe and explicit (see the module's docstring)."""
    from lxml import etree

    if len(data) > MAX_SVG_BYTES:
        raise VectorError(f"the SVG is larger than {MAX_SVG_BYTES // (1024 * 1024)} MB")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise VectorError(f"not valid XML ({error})") from error
    if root is None or etree.QName(root).localname != "svg":
        raise VectorError("not an SVG drawing (no <svg> root element)")
    renderer = "pymupdf"
    for entity in list(root.iter(etree.Entity)):  # never resolved: left out
        entity.getparent().remove(entity)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        for attribute in list(element.attrib):
            local = etree.QName(attribute).localname
            value = element.attrib[attribute].strip()
            if local == "href" and not value.startswith(("#", "data:")):
                del element.attrib[attribute]
            elif local in UNSUPPORTED_ATTRIBUTES:
                renderer = "resvg"
        if name in UNSUPPORTED_TAGS:
            renderer = "resvg"
    view = _view_box(root)
    if view is None:
        width, height = _length(root.get("width")), _length(root.get("height"))
        view = (0.0, 0.0, width, height) if width and height else _drawn_bounds(root)
    vx, vy, vw, vh = view
    if not (0 < vw <= MAX_UNITS and 0 < vh <= MAX_UNITS):
        raise VectorError(f"its drawing area is {vw:g} × {vh:g} units")
    root.set("viewBox", f"{vx:.10g} {vy:.10g} {vw:.10g} {vh:.10g}")
    root.set("width", f"{vw:.10g}")
    root.set("height", f"{vh:.10g}")
    root.attrib.pop("preserveAspectRatio", None)
    text = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Vector("svg", vw, vh, renderer, svg=text, view=view)


def _view_box(root: Any) -> tuple[float, float, float, float] | None:
    numbers = [float(n) for n in NUMBER.findall(root.get("viewBox") or "")]
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return numbers[0], numbers[1], numbers[2], numbers[3]
    return None


def _length(text: str | None) -> float | None:
    match = LENGTH.match(text or "")
    if not match or match.group(2) not in ("", *UNITS):
        return None
    value = float(match.group(1)) * UNITS.get(match.group(2), 1.0)
    return value if value > 0 else None


def _drawn_bounds(root: Any) -> tuple[float, float, float, float]:
    """Neither viewBox nor size: the bounds of what the drawing paints, as MuPDF measures them
    (strokes generously), on a canvas large enough for any placement."""
    import pymupdf
    from lxml import etree

    probe = etree.fromstring(etree.tostring(root))
    side = MAX_UNITS / 10
    probe.set("viewBox", f"{-side / 2:.10g} {-side / 2:.10g} {side:.10g} {side:.10g}")
    probe.set("width", f"{side:.10g}")
    probe.set("height", f"{side:.10g}")
    try:
        with pymupdf.open(stream=etree.tostring(probe), filetype="svg") as document:
            boxes = [pymupdf.Rect(box) for _kind, box in document[0].get_bboxlog()]
    except (RuntimeError, ValueError) as error:
        raise VectorError(f"cannot measure the drawing ({error})") from error
    boxes = [box for box in boxes if box.is_valid and not box.is_empty]
    if not boxes:
        raise VectorError("it draws nothing")
    x0 = min(b.x0 for b in boxes) - side / 2
    y0 = min(b.y0 for b in boxes) - side / 2
    x1 = max(b.x1 for b in boxes) - side / 2
    y1 = max(b.y1 for b in boxes) - side / 2
    return x0, y0, x1 - x0, y1 - y0


def _with_view(svg: bytes, view: tuple[float, float, float, float]) -> bytes:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(svg, parser)
    x, y, w, h = view
    root.set("viewBox", f"{x:.10g} {y:.10g} {w:.10g} {h:.10g}")
    root.set("width", f"{w:.10g}")
    root.set("height", f"{h:.10g}")
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)
