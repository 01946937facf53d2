"""PDF reader: PyMuPDF pages into the document model, lazily, page by page."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pymupdf

from profilecheck.core.errors import ReadError, is_out_of_memory
from profilecheck.core.facts import StructureTree, TreeWalk
from profilecheck.core.limits import Limits, hit
from profilecheck.core.model import (
    Box,
    Colour,
    Document,
    Drawn,
    Format,
    Metadata,
    Page,
    Paint,
    PlacedImage,
    Status,
    TextSpan,
    Transform,
)
from profilecheck.core.timing import timed
from profilecheck.readers.pdf.budget import PageGuard
from profilecheck.readers.pdf.colours import declared_colours, paired_paths, paired_texts
from profilecheck.readers.pdf.fonts import read_fonts
from profilecheck.readers.pdf.identities import PixelIdentities
from profilecheck.readers.pdf.names import fix_mupdf_name, strip_subset
from profilecheck.readers.pdf.opening import (
    ATTACHMENT_NOTE,
    attachments_only,
    open_past_attachments,
    open_pdf,
)
from profilecheck.readers.pdf.pixmaps import render_page
from profilecheck.readers.pdf.raster import image_info, is_raster, raster_boxes
from profilecheck.readers.pixels import pdf_image_loader

BOLD_FLAG, ITALIC_FLAG = 16, 2
BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
ITALIC_NAME = re.compile(r"italic|oblique", re.IGNORECASE)
# MuPDF says how often its last warning repeated when the next one comes, in the same process
REPEATED = re.compile(r"\.\.\. repeated \d+ times")

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


def read_pdf(path: str, limits: Limits) -> Document:
    pymupdf.TOOLS.reset_mupdf_warnings()
    try:
        pdf = open_pdf(path)
    except Exception as error:  # PyMuPDF raises several types for damaged files
        if is_out_of_memory(error):
            raise MemoryError(str(error)) from error
        reason = str(error).replace(f"'{path}'", "it")
        raise ReadError(Status.UNREADABLE, "unreadable-file", f"not a readable PDF: {reason}")
    unread: list[tuple[str, str]] = []  # filled here and as pages are read (PageGuard)
    try:
        # whether a password is needed, as PyMuPDF asked on opening (`is_encrypted`), and the
        # empty one tried once: each try derives the key again (milliseconds for AES-256)
        refused = pdf.is_encrypted and not pdf.authenticate("")
        if refused and attachments_only(pdf):
            pdf.close()
            pdf = open_past_attachments(path) or open_pdf(path)
            refused = pdf.is_encrypted and not pdf.authenticate("")
            unread += [ATTACHMENT_NOTE] if not pdf.is_encrypted else []
        encrypted = bool(pdf.is_encrypted or (pdf.metadata or {}).get("encryption"))
        if refused:
            raise ReadError(
                Status.ENCRYPTED,
                "encrypted-file",
                "the PDF is encrypted and needs a password to open, so it cannot be checked",
            )
        page_count = pdf.page_count
    except ReadError:
        pdf.close()
        raise
    except Exception as error:
        pdf.close()
        if is_out_of_memory(error):
            raise MemoryError(str(error)) from error
        raise ReadError(Status.UNREADABLE, "unreadable-file", f"the PDF is damaged: {error}")
    warnings: list[str] = []
    if page_count > limits.max_pages:
        message = f"only the first {limits.max_pages:,} of {page_count:,} pages were read"
        unread.append(("resource-limit", f"{message} ({hit('max_pages', limits)})"))
    guards = [
        PageGuard(pdf, index, limits, unread) for index in range(min(page_count, limits.max_pages))
    ]
    identities = PixelIdentities(pdf)  # which pictures are the same, found once per document
    listed: dict[int, list] = {}  # page index -> its fonts as PyMuPDF lists them (the font walk)
    pages = [
        _page(pdf, index, warnings, guard, identities, listed) for index, guard in enumerate(guards)
    ]
    if not any(page.width and page.height for page in pages):
        pdf.close()
        raise _no_readable_page(page_count, encrypted)
    document = Document(
        path=path,
        format=Format.PDF,
        pages=pages,
        fonts=read_fonts(pdf, guards, warnings, listed),
        metadata=_metadata(pdf, encrypted),
        warnings=warnings,
        unread=unread,
        _close=pdf.close,
    )
    _keep_library_warnings(warnings, limits)
    return document


def _no_readable_page(page_count: int, encrypted: bool) -> ReadError:
    """A PDF that no viewer could show: no page survives MuPDF's repair."""
    told = (pymupdf.TOOLS.mupdf_warnings(reset=False) or "").splitlines()
    reason = "; ".join(dict.fromkeys(line for line in told if line and "..." not in line))
    found = "no pages" if page_count == 0 else f"none of its {page_count} page(s) can be read"
    because = f" (MuPDF: {reason[:300]})" if reason else ""
    if encrypted:
        message = f"the PDF is encrypted and its content cannot be read: {found}{because}"
        return ReadError(Status.ENCRYPTED, "encrypted-file", message)
    return ReadError(Status.UNREADABLE, "unreadable-file", f"not a readable PDF: {found}{because}")


def _keep_library_warnings(warnings: list[str], limits: Limits) -> None:
    text = pymupdf.TOOLS.mupdf_warnings(reset=True) or ""
    lines = text.splitlines()
    while lines and REPEATED.match(lines[0]):  # counts the last warning of the file before
        lines.pop(0)
    warnings.extend(f"mupdf: {line}" for line in lines[: limits.max_warnings])
    if len(lines) > limits.max_warnings:
        warnings.append(f"mupdf: {len(lines) - limits.max_warnings} more warnings not kept")


def _page(
    pdf: pymupdf.Document,
    index: int,
    warnings: list,
    guard: PageGuard,
    identities: PixelIdentities,
    listed: dict,
) -> Page:
    """A page whose content is read on first use, within the limits (`budget.PageGuard`); what
    cannot be read, damaged or over a limit, is recorded in `guard.unread` (findings)."""
    try:
        rect = pdf.load_page(index).rect
        width, height = rect.width, rect.height
    except Exception as error:
        warnings.append(f"page {index + 1}: could not be loaded ({error})")
        width, height = 0.0, 0.0
    number = index + 1

    def guarded(load: Any, what: str, kind: str) -> Any:
        def run() -> list:
            if not guard.allows(kind):
                return []
            try:
                return load(pdf.load_page(index), number)
            except Exception as error:
                if is_out_of_memory(error):
                    raise MemoryError(f"page {number}: reading {what}: {error}") from error
                message = f"page {number}: its {what} could not be read ({error})"
                guard.unread.append(("unreadable-file", message))
                return []

        return run

    def render(dpi: float, clip: Box | None) -> Any:
        if not guard.allows("render"):
            raise ReadError(Status.UNREADABLE, "resource-limit", guard.reason)
        return render_page(pdf, index, dpi, clip)

    return Page(
        number=number,
        width=width,
        height=height,
        _load_spans=guarded(lambda page, n: _spans(page, n, listed.get(index)), "text", "text"),
        _load_images=guarded(
            lambda page, n: _images(page, n, warnings, guard, identities), "images", "images"
        ),
        _load_paints=guarded(
            lambda page, n: _paints(page, n, guard), "vector graphics", "graphics"
        ),
        _load_drawn=guarded(_drawn, "painting order", "graphics"),
        _render=render,
    )


def _spans(page: pymupdf.Page, number: int, fonts: list | None = None) -> list[TextSpan]:
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    spans = []
    lines = (
        line
        for block in page.get_text("dict", flags=flags)["blocks"]
        for line in block.get("lines", ())
    )
    full_names = _full_font_names(page, fonts)
    rotated = bool(page.rotation)  # asked once: MuPDF looks it up in the page tree each time
    for line_number, line in enumerate(lines):
        for span in line["spans"]:
            if not span["text"].strip():
                continue
            font = _span_font(span["font"], full_names)
            spans.append(
                TextSpan(
                    text=span["text"],
                    font=font,
                    size=round(span["size"], 2),
                    bold=bool(span["flags"] & BOLD_FLAG) or bool(BOLD_NAME.search(font)),
                    italic=bool(span["flags"] & ITALIC_FLAG) or bool(ITALIC_NAME.search(font)),
                    colour=Colour.from_rgb_int(span["color"]),
                    box=_box(span["bbox"], page) if rotated else Box(*span["bbox"]),
                    page=number,
                    line=line_number,
                )
            )
    return spans


def placement_transform(matrix: tuple[float, ...], pixel_w: int, pixel_h: int) -> Transform:
    """Rotation, mirroring and distortion of an image placed by `matrix` (PyMuPDF space)."""
    a, b, c, d = matrix[:4]
    rotation = -math.degrees(math.atan2(b, a))
    rotation = round((rotation + 180) % 360 - 180, 2) + 0.0
    printed_w, printed_h = math.hypot(a, b), math.hypot(c, d)
    change = 1.0
    if pixel_w and pixel_h and printed_h:
        change = (printed_w / pixel_w) / (printed_h / pixel_h)
    return Transform(rotation=rotation, mirrored=(a * d - b * c) < 0, aspect_ratio_change=change)


def _images(
    page: pymupdf.Page,
    number: int,
    notes: list,
    guard: PageGuard,
    identities: PixelIdentities,
) -> list[PlacedImage]:
    pdf, limits, placed = page.parent, guard.limits, []
    infos = image_info(page, identities)
    unclaimed = raster_boxes(page) if any(not info.get("xref") for info in infos) else {}
    for info in infos:
        width, height, xref = info["width"], info["height"], info.get("xref", 0)
        raster = is_raster(info, unclaimed)
        placed.append(
            PlacedImage(
                box=_box(info["bbox"], page),
                pixel_width=width,
                pixel_height=height,
                page=number,
                transform=placement_transform(
                    tuple(pymupdf.Matrix(info["transform"]) * page.rotation_matrix), width, height
                ),
                name=f"xref {xref}" if xref else "inline image" if raster else "shading",
                colour_mode=info.get("cs-name", ""),
                digest=(info.get("digest") or b"").hex(),
                raster=raster,
                _loader=pdf_image_loader(pdf, xref, (width, height), notes.append, limits)
                if xref
                else None,
            )
        )
    return placed


DRAWN_KINDS = {
    "fill-text": "text",
    "stroke-text": "text",
    "fill-path": "path",
    "stroke-path": "path",
    "fill-image": "image",
    "fill-imgmask": "image",
    "fill-shade": "shade",
}


def _drawn(page: pymupdf.Page, number: int) -> list[Drawn]:
    log = page.get_bboxlog()
    return [Drawn(DRAWN_KINDS[kind], _box(rect, page)) for kind, rect in log if kind in DRAWN_KINDS]


def _paints(page: pymupdf.Page, number: int, guard: PageGuard) -> list[Paint]:
    """Vector fills and strokes, then text colours (operation "text"), as declared where the
    content stream could be paired with PyMuPDF's sRGB view (see readers/pdf/colours.py)."""
    drawings = page.get_drawings()
    small = guard.cost.own_bytes <= guard.limits.max_colour_stream
    with timed("page", "content-stream parse (colours)"):
        declared = declared_colours(page.parent, page, guard.limits) if small else None
    pairs = paired_paths(declared, drawings)
    paints = []
    for index, drawing in enumerate(drawings):
        box = _box(drawing["rect"], page)
        for operation, key in (("fill", "fill"), ("stroke", "color")):
            rgb = drawing.get(key)
            if rgb is not None and len(rgb) == 3:
                wanted = getattr(pairs[index], operation) if pairs else None
                paints.append(Paint(_declared(wanted, rgb), box, number, operation))
    return paints + _text_paints(page, number, declared)


def _text_paints(page: pymupdf.Page, number: int, declared: Any) -> list[Paint]:
    trace = [t for t in page.get_texttrace() if t.get("type") in (0, 1, 2)]
    colours = paired_texts(declared, trace)
    if colours is None:  # unpaired: the palette rule falls back to the spans' sRGB colours
        return []
    return [
        Paint(_declared(colour, entry["color"]), _box(entry["bbox"], page), number, "text")
        for colour, entry in zip(colours, trace, strict=False)
        if colour is not None and len(entry.get("color") or ()) == 3
    ]


def _declared(colour: Colour | None, rgb: Any) -> Colour:
    rgb = tuple(float(c) for c in rgb)
    if colour is None:
        return Colour("rgb", rgb, exact=False)
    if colour.space == "separation":
        return Colour(colour.space, colour.components, colour.name, True, rgb)
    return colour


def _box(rect: Any, page: pymupdf.Page) -> Box:
    """A box in the page as shown: PyMuPDF gives content in unrotated coordinates."""
    if page.rotation:
        rect = pymupdf.Rect(rect) * page.rotation_matrix
        rect.normalize()
    return Box(*rect)


def _full_font_names(page: pymupdf.Page, entries: list | None = None) -> dict[str, str]:
    """The page's font names as the file gives them, and MuPDF's "Type3 (8 0 R)" for a named
    Type 3 font to its name; `entries`: the page's `get_fonts(full=True)`, if already had."""
    try:
        entries = page.get_fonts(full=True) if entries is None else entries
    except Exception:
        return {}
    names = {}
    for xref, _ext, kind, basefont, *_ in entries:
        name = fix_mupdf_name(basefont)
        names[name] = name
        if kind == "Type3" and name:
            names[f"Type3 ({xref} 0 R)"] = name
    return names


def _span_font(name: str, full_names: dict[str, str]) -> str:
    """The span's font name as the file gives it: MuPDF's UTF-8 read as Latin-1 undone, and
    its name cut at 31 bytes ("ABCDEF+HelveticaNeue LT 45 Ligh") made whole again."""
    name = fix_mupdf_name(name)
    if name in full_names:
        name = full_names[name]
    elif len(name.encode("utf-8")) >= 31:
        longer = {full for full in full_names.values() if full.startswith(name)}
        if len(longer) == 1:
            name = longer.pop()
    return strip_subset(name)


def _metadata(pdf: pymupdf.Document, encrypted: bool) -> Metadata:
    info = pdf.metadata or {}
    catalog = _catalog_value
    marked = catalog(pdf, "MarkInfo/Marked") == "true"
    has_tree = catalog(pdf, "StructTreeRoot") is not None
    return Metadata(
        title=(info.get("title") or "").strip() or None,
        language=catalog(pdf, "Lang"),
        tagged=marked and has_tree,
        display_title=catalog(pdf, "ViewerPreferences/DisplayDocTitle") == "true",
        author=(info.get("author") or "").strip() or None,
        created=_pdf_date(info.get("creationDate")),
        modified=_pdf_date(info.get("modDate")),
        producer=(info.get("producer") or "").strip() or None,
        encrypted=encrypted,
        structure=StructureTree(present=has_tree, marked=marked, _walk=_structure(pdf)),
    )


def _structure(pdf: pymupdf.Document) -> Callable[[], TreeWalk]:
    """A walker of the structure tree's figures and tags: walked only if a rule asks."""

    def walk() -> TreeWalk:
        from profilecheck.readers.pdf.tags import read_structure

        return read_structure(pdf)

    return walk


def _catalog_value(pdf: pymupdf.Document, key: str) -> str | None:
    try:
        kind, value = pdf.xref_get_key(pdf.pdf_catalog(), key)
    except Exception:
        return None
    if kind == "null":
        return None
    if kind == "string":
        return value.strip() or None
    return value


def _pdf_date(value: str | None) -> str | None:
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", value or "")
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return f"{year}-{month}-{day}"
