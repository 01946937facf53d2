"""The format-neutral document model and the result types every other module shares.

Readers turn a file into a `Document`; rule types read only this model, never PyMuPDF,
python-docx or Pillow objects. Geometry is in PDF points (1/72 inch) with the origin at the
top left of the page, y growing downwards. Anything costly (text of a page, pixels of an image,
a page render) is produced on first use and then kept.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from profilecheck.core.facts import Metadata, Rendering
from profilecheck.core.timing import page_work, timed

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

MM_PER_PT = 25.4 / 72


class Format(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    PPTX = "pptx"
    IMAGE = "image"
    LEGACY_DOC = "doc"
    # read through a LibreOffice conversion (readers/convert/) to .docx or .pptx
    RTF = "rtf"
    ODT = "odt"
    PPT = "ppt"
    ODP = "odp"
    OLE_ENCRYPTED = "ole-encrypted"
    UNKNOWN = "unknown"


class Status(enum.StrEnum):
    CHECKED = "checked"
    UNREADABLE = "unreadable"
    ENCRYPTED = "encrypted"
    UNSUPPORTED = "unsupported"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return ("info", "warning", "error").index(self.value)


class Part(enum.StrEnum):
    """Where on a page or in a document a piece of content sits."""

    BODY = "body"
    HEADER = "header"
    FOOTER = "footer"
    TABLE = "table"
    TEXT_BOX = "text-box"
    FOOTNOTE = "footnote"
    NOTES = "notes"  # a slide's speaker notes: text, but not laid out on the slide
    IMAGE = "image"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in points: (x0, y0) top left, (x1, y1) bottom right."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(self.width, 0.0) * max(self.height, 0.0)

    def in_mm(self) -> tuple[float, float, float, float]:
        return tuple(round(v * MM_PER_PT, 2) for v in (self.x0, self.y0, self.x1, self.y1))

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def intersects(self, other: Box) -> bool:
        return not (
            other.x0 >= self.x1 or other.x1 <= self.x0 or other.y0 >= self.y1 or other.y1 <= self.y0
        )

    def intersection(self, other: Box) -> Box:
        """The common part (its area is 0 when they do not meet)."""
        return Box(
            max(self.x0, other.x0),
            max(self.y0, other.y0),
            min(self.x1, other.x1),
            min(self.y1, other.y1),
        )

    def contains(self, other: Box) -> bool:
        return (
            self.x0 <= other.x0
            and self.y0 <= other.y0
            and self.x1 >= other.x1
            and self.y1 >= other.y1
        )

    def expanded(self, margin: float) -> Box:
        return Box(self.x0 - margin, self.y0 - margin, self.x1 + margin, self.y1 + margin)

    def as_list(self) -> list[float]:
        return [round(v, 2) for v in (self.x0, self.y0, self.x1, self.y1)]


@dataclass(frozen=True, slots=True)
class Colour:
    """A colour as declared: its space, components in 0..1 and, for spot colours, the name.

    `exact` is False when the reader had to convert the value (e.g. a PDF reader that only
    reports sRGB for a CMYK fill); rules use a wider tolerance then.
    """

    space: str  # "rgb", "cmyk", "gray", "separation", "lab"; "unknown" (a fill only a render shows)
    components: tuple[float, ...]
    name: str | None = None
    exact: bool = True
    alternate_rgb: tuple[float, float, float] | None = None

    @classmethod
    def from_rgb_int(cls, value: int, exact: bool = False) -> Colour:
        r, g, b = (value >> 16) & 255, (value >> 8) & 255, value & 255
        return cls("rgb", (r / 255, g / 255, b / 255), exact=exact)

    @classmethod
    def from_hex(cls, text: str) -> Colour:
        text = text.lstrip("#")
        return cls("rgb", tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)))

    @property
    def hex(self) -> str | None:
        rgb = self.rgb
        return None if rgb is None else "#" + "".join(f"{round(c * 255):02X}" for c in rgb)

    @property
    def rgb(self) -> tuple[float, float, float] | None:
        """sRGB approximation, good enough for display and as a fallback."""
        if self.space == "rgb":
            return tuple(self.components)  # type: ignore[return-value]
        if self.space == "gray":
            return (self.components[0],) * 3
        if self.space == "cmyk":
            c, m, y, k = self.components
            return tuple((1 - v) * (1 - k) for v in (c, m, y))  # type: ignore[return-value]
        return self.alternate_rgb

    def __str__(self) -> str:
        values = " ".join(f"{c:.3g}" for c in self.components)
        label = f"{self.space}({values})"
        return f"{self.name} {label}" if self.name else label


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A run of text with one font, size and colour."""

    text: str
    font: str  # family-ish name, subset prefix removed ("Arial-BoldMT")
    size: float  # points
    bold: bool = False
    italic: bool = False
    colour: Colour | None = None
    box: Box | None = None
    page: int = 1
    part: Part = Part.BODY
    line: int = 0  # spans with the same number share a line (PDF) or paragraph (Word)
    # Word only: the font of each slot (ascii, hAnsi, eastAsia, cs) after style resolution.
    font_slots: tuple[tuple[str, str], ...] = ()
    highlight: Colour | None = None
    shading: Colour | None = None
    language: str | None = None
    # Word only: the name of the paragraph's style, and whether that style is a heading style
    # (an outline level, or a built-in "heading n" in its basedOn chain).
    style: str | None = None
    heading_style: bool = False


@dataclass(frozen=True, slots=True)
class Font:
    name: str  # decoded as shown to people, without subset prefix
    embedded: bool | None = None  # None: the format does not say (Word, images)
    kind: str = ""  # Type1, TrueType, Type3, Type0 (CID), ...
    subset: bool = False
    xref: int = 0  # PDF: the font object; two objects may share a name
    used: bool | None = None  # draws visible text; None: not known (judge by name)
    invisible: bool = False  # draws text only in render mode 3 (an OCR layer's, say)
    pages: tuple[int, ...] = ()  # PDF: pages where it draws text (or is listed, if unused)


@dataclass(frozen=True, slots=True)
class Transform:
    """How an image is placed: physical size and the geometry of its placement."""

    rotation: float = 0.0  # degrees, counter-clockwise
    mirrored: bool = False
    # (printed width / pixel width) / (printed height / pixel height); 1.0 = undistorted
    aspect_ratio_change: float = 1.0
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # l, t, r, b fractions


@dataclass(slots=True)
class PlacedImage:
    """An image placed on a page (or the whole of an image file)."""

    box: Box  # where it sits on the page, in points
    pixel_width: int
    pixel_height: int
    page: int = 1
    part: Part = Part.BODY
    transform: Transform = field(default_factory=Transform)
    name: str = ""
    alt_text: str | None = None
    colour_mode: str = ""  # PIL-style mode or PDF colour space name
    digest: str = ""  # identifies identical image data placed several times
    # Word's recolour effects on the picture (grayscale, duotone, clrChange, biLevel, ...)
    effects: tuple[str, ...] = ()
    decorative: bool = False
    # A raster image (PDF: an image XObject or an inline image); False for what a reader
    # reports as an image but is vector art: a PDF shading (`sh`, shading patterns, meshes)
    raster: bool = True
    _loader: Callable[[], Image.Image] | None = field(default=None, repr=False)
    _pixels: Image.Image | None = field(default=None, repr=False)

    @property
    def dpi(self) -> tuple[float, float]:
        w_in, h_in = self.box.width / 72, self.box.height / 72
        return (self.pixel_width / w_in if w_in else 0.0, self.pixel_height / h_in if h_in else 0.0)

    def pixels(self, keep: bool = True) -> Image.Image:
        """The decoded image in RGB or RGBA, decoded once on first request (`keep=False`:
        decoded without keeping it, for a large image that is looked at once)."""
        if self._pixels is None:
            if self._loader is None:
                raise LookupError(f"no pixels available for image {self.name!r}")
            with timed("decode", "image"):
                if not keep:
                    return self._loader()
                self._pixels = self._loader()
        return self._pixels


@dataclass(frozen=True, slots=True)
class Paint:
    """Colour painted by vector content (a fill or a stroke)."""

    colour: Colour
    box: Box
    page: int
    operation: str = "fill"  # "fill", "stroke", or "text" (a declared text colour)
    part: Part = Part.BODY


@dataclass(frozen=True, slots=True)
class Drawn:
    """One painting operation on a page, listed in the order they are painted."""

    kind: str  # "text", "path", "image" or "shade"
    box: Box


@dataclass(slots=True)
class Page:
    """One page. Content lists are filled by the reader's loaders on first access."""

    number: int  # 1-based
    width: float  # points
    height: float
    _load_spans: Callable[[], list[TextSpan]] = field(default=list, repr=False)
    _load_images: Callable[[], list[PlacedImage]] = field(default=list, repr=False)
    _load_paints: Callable[[], list[Paint]] = field(default=list, repr=False)
    _load_drawn: Callable[[], list[Drawn]] = field(default=list, repr=False)
    _render: Callable[[float, Box | None], np.ndarray] | None = field(default=None, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _cached(self, key: str, load: Callable[[], Any]) -> Any:
        if key not in self._cache:
            with page_work(key):
                self._cache[key] = load()
        return self._cache[key]

    @property
    def spans(self) -> list[TextSpan]:
        return self._cached("spans", self._load_spans)

    @property
    def images(self) -> list[PlacedImage]:
        return self._cached("images", self._load_images)

    @property
    def paints(self) -> list[Paint]:
        return self._cached("paints", self._load_paints)

    @property
    def drawn(self) -> list[Drawn]:
        """Everything painted, in painting order (empty where the format does not say)."""
        return self._cached("drawn", self._load_drawn)

    @property
    def box(self) -> Box:
        return Box(0, 0, self.width, self.height)

    @property
    def can_render(self) -> bool:
        return self._render is not None

    def render(self, dpi: float = 72, clip: Box | None = None, keep: bool = True) -> np.ndarray:
        """The page (or clip) as RGB uint8, cached per dpi and clip (keep=False: not kept)."""
        if self._render is None:
            raise LookupError("this page cannot be rendered")
        key = f"render:{dpi}:{clip.as_list() if clip else ''}"
        if keep or key in self._cache:
            return self._cached(key, lambda: self._render(dpi, clip))
        with page_work(key):
            return self._render(dpi, clip)

    @property
    def text(self) -> str:
        return "\n".join(span.text for span in self.spans)


@dataclass(slots=True)
class Document:
    """A read document. Use it as a context manager so the reader can release its file."""

    path: str
    format: Format
    pages: Sequence[Page]
    fonts: list[Font] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    warnings: list[str] = field(default_factory=list)
    # What the reader could not read, as (finding name, message): a limit it hit
    # ("resource-limit") or content it cannot decode ("unreadable-file"); filled lazily too.
    unread: list[tuple[str, str]] = field(default_factory=list)
    # Text not on a page (Word: headers and footers shown once, text boxes, ...) is still on
    # pages for Word, where page 1 stands for the whole flowing document.
    analyses: dict[str, Any] = field(default_factory=dict, repr=False)
    # How the file was read when not natively, by language ({"sv": ..., "en": ...}): a
    # LibreOffice conversion (readers/convert/). Every finding on the file says so.
    source: dict[str, str] = field(default_factory=dict)
    _close: Callable[[], None] | None = field(default=None, repr=False)
    # Word, PowerPoint: renders the pages with LibreOffice (readers/convert/render.attach)
    _renderer: Callable[[], Rendering] | None = field(default=None, repr=False)

    def analysis(self, name: str, compute: Callable[[Document], Any]) -> Any:
        """Shared per-document work: computed by the first rule that asks, reused by the rest."""
        if name not in self.analyses:
            with timed("analysis", name):
                self.analyses[name] = compute(self)
        return self.analyses[name]

    def rendered_pages(self) -> Rendering | None:
        """Word and PowerPoint: the pages as LibreOffice lays them out, rendered to PDF on the
        first call (once per file in the run) and kept; None where there is no rendering (an
        other format, or no LibreOffice). See `facts.Rendering`."""
        if self._renderer is None:
            return None
        return self.analysis("office-render", lambda _document: self._renderer())

    def rendering_made(self) -> Rendering | None:
        """The rendering `rendered_pages()` made in this run, if a rule asked for it; never
        makes one."""
        return self.analyses.get("office-render")

    def spans(self) -> Iterator[TextSpan]:
        for page in self.pages:
            yield from page.spans

    def images(self) -> Iterator[PlacedImage]:
        for page in self.pages:
            yield from page.images

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    @property
    def paginated(self) -> bool:
        """Word documents flow: their page geometry is the section's, not a laid-out page
        (slides are laid out: one page each)."""
        return self.format in (Format.PDF, Format.IMAGE, Format.PPTX)

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
