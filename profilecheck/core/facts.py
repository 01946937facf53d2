"""Typed facts a reader records about a whole file, beside its pages: the contract between
readers, which fill them, and rules, which only read them.

`Metadata` (here, and imported by `model`) holds one of these per format: `ImageInfo` for an
image file, `WordInfo` for a Word package, `PresentationInfo` for a PowerPoint one,
`StructureTree` for a PDF. A fact the format does not have is `None` there, never a guess.
`Rendering` is a Word or PowerPoint file's pages as LibreOffice lays them out. Nothing here
imports the rest of the model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """An image file as stored: its resolution and encoding."""

    # the stored resolution, or the assumed 72 when `dpi_known` is False; of the pixels rules
    # get, when the image was decoded reduced (core.limits max_decoded_pixels)
    dpi: float
    dpi_known: bool  # the file states a plausible resolution (10..10000 dpi)
    codec: str | None  # Pillow's format name: "JPEG", "PNG", "TIFF", "WEBP", "GIF"
    frames: int = 1
    icc_profile: bool = False  # an embedded ICC colour profile
    orientation: int = 1  # EXIF orientation (1: as stored; 5-8 swap the axes)


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What a Word package says about itself, beside its text."""

    core_language: str | None = None  # dc:language of the core properties (Word ignores it)
    sections: int = 1
    macros: bool = False  # the package holds a VBA project
    page_colour: str | None = None  # "#RRGGBB" of w:background (Design > Page Color), if set
    drawn_shapes: int = 0  # shapes drawn as vectors (not pictures or text boxes)


@dataclass(frozen=True, slots=True)
class PresentationInfo:
    """What a PowerPoint package says about itself, beside its slides (one page each)."""

    slides: int = 0
    hidden: tuple[int, ...] = ()  # slides hidden in a slide show (included, page numbers)
    notes: tuple[int, ...] = ()  # slides with speaker notes (their text is `Part.NOTES`)
    core_language: str | None = None  # dc:language of the core properties
    macros: bool = False  # the package holds a VBA project (.pptm)
    kind: str = "presentation"  # "presentation", "template", "slide show"


@dataclass(frozen=True, slots=True)
class Figure:
    """A /Figure element of a PDF's structure tree."""

    page: int | None  # None: the element does not say which page
    alt: str | None  # /Alt, else /ActualText; None when absent or blank
    type: str = "Figure"  # the tag as written, before the /RoleMap took it to Figure


@dataclass(frozen=True, slots=True)
class TreeWalk:
    """What a bounded walk of /StructTreeRoot found."""

    figures: tuple[Figure, ...] = ()
    tags: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # after /RoleMap
    elements: int = 0  # structure elements visited
    truncated: bool = False  # the node limit stopped the walk
    error: str | None = None  # the tree could not be read (the walk stops, never raises)


@dataclass(frozen=True, slots=True)
class StructureTree:
    """A PDF's structure tree (tags).

    `present` and `marked` come from the catalog and cost nothing; the rest comes from walking
    the tree, done the first time one of them is read and then kept.
    """

    present: bool = False  # the catalog has /StructTreeRoot
    marked: bool = False  # /MarkInfo /Marked true
    _walk: Callable[[], TreeWalk] | None = field(default=None, repr=False, compare=False)
    _walked: list[TreeWalk] = field(default_factory=list, repr=False, compare=False)

    @property
    def walk(self) -> TreeWalk:
        if not self._walked:
            self._walked.append(self._walk() if self.present and self._walk else TreeWalk())
        return self._walked[0]

    @property
    def figures(self) -> tuple[Figure, ...]:
        return self.walk.figures

    @property
    def tags(self) -> Mapping[str, int]:
        return self.walk.tags

    @property
    def elements(self) -> int:
        return self.walk.elements

    @property
    def truncated(self) -> bool:
        return self.walk.truncated

    @property
    def error(self) -> str | None:
        return self.walk.error


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    language: str | None = None
    tagged: bool | None = None  # None: not applicable to the format
    display_title: bool | None = None
    author: str | None = None
    created: str | None = None  # ISO 8601 where known
    modified: str | None = None
    producer: str | None = None
    encrypted: bool = False  # opened, but had encryption (owner password only)
    # What only one format has; None for the others (see `facts`).
    image: ImageInfo | None = None
    word: WordInfo | None = None
    presentation: PresentationInfo | None = None
    structure: StructureTree | None = None  # PDF: the tags, walked on first use


@dataclass(frozen=True, slots=True)
class Rendering:
    """A Word or PowerPoint document's pages as LibreOffice lays them out: the document rendered
    to PDF once per file in the run (`readers/convert/render.py`), read by the PDF reader.

    `pages` are model `Page`s of that PDF (page N of a presentation is slide N): they render
    like a PDF's (`page.render(dpi, clip)`, `can_render`) and have the PDF's text spans,
    images and paints. `pdf` is the rendered PDF's path, readable by PyMuPDF while the document
    is open. When the rendering could not be made (a time or memory limit, a crash) `pages` is
    empty and `problem` says why. `note` ({"sv": ..., "en": ...}) is what a finding made from
    the rendering adds to its message: LibreOffice's layout can differ slightly from Word's.
    """

    pages: Sequence[Any] = ()
    pdf: str | None = None
    problem: str = ""
    note: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
