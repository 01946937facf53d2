"""Where the logo is used in a document: placed images first, page renders where needed.

Shared per document through `Document.analysis`, so every rule that cares about logo uses (the
logo rule, an accessibility rule skipping the logo's alt text...) runs the search once.

What the search could not look at is kept beside what it found (`Search.unexamined`): a picture
that may be the logo but cannot be decoded, a page or a logo's surroundings that cannot be
rendered. The logo rule reports those as `logo-unchecked`, never as "no logo". Pictures larger
than a few megapixels are looked at on a scaled-down copy. The background behind a logo placed
in Word is the document's page colour where it sets one, else white paper
(`Use.background_from` says which).

Word and PowerPoint pages are searched as LibreOffice lays them out (`Document.rendered_pages`)
only where the logo is required, the structure shows none there, and something there is drawn
that the structure cannot show as pixels: an EMF or WMF picture, shapes drawn as vectors. What
is found there is measured and judged on the rendered page (`Search.view`) and says so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profilecheck.checks.logo.found import Search, Unexamined, Use
from profilecheck.checks.logo.placed import as_array, placed_use
from profilecheck.core.colour import lab, parse_colour
from profilecheck.core.model import Box, Document, Format, Page

OFFICE_FORMATS = (Format.DOCX, Format.PPTX)
NO_LAYOUT = "no LibreOffice to lay out the pages"

if TYPE_CHECKING:
    from profilecheck.checks.logo.artwork import Detection, MarkModel
    from profilecheck.checks.logo.params import LogoParams
    from profilecheck.core.facts import Rendering

__all__ = ["Search", "Unexamined", "Use", "find_uses"]


@lru_cache(maxsize=64)
def _resolved(folder: Path, name: str) -> str:
    """An artwork file's absolute path, resolved once per run (not once per file checked)."""
    return str((folder / name).resolve())


def find_uses(document: Document, params: LogoParams, folder: Path, layout: bool = True) -> Search:
    """Every use of the logo in `document`; with `layout`, a Word logo is also located on the
    page as LibreOffice lays it out (`Use.laid_out`), for its clear space."""
    search = Search([], [])
    if not _worth_looking(document, params):
        return search  # no pictures and nothing to render: not even the artwork needs loading
    from profilecheck.checks.logo import artwork

    versions = tuple(
        (v.name, _resolved(folder, v.file), v.background, v.layout, v.tone, tuple(v.shield))
        for v in params.versions
    )
    model = artwork.load_model(_resolved(folder, params.mark), versions)
    if document.format is Format.IMAGE:
        search.uses = _image_file(document, model, search.unexamined)
        return search
    rendered = 0
    memo: dict = {}  # what each image's pixels say, once per image (a master's vapen)
    for page in document.pages:
        unseen: list[Unexamined] = []
        found = [
            u
            for image in page.images
            if (u := placed_use(page, image, model, params, unseen, memo))
        ]
        searchable = page.can_render and rendered < params.max_rendered_pages
        if not found and searchable and _search_page(page, params) and _has_pictures(page):
            rendered += 1
            found = _rendered(page, model, params.render_dpi, unseen)
            if not any(u.why == "page-not-rendered" for u in unseen):
                # the render showed every picture MuPDF can draw, undecodable ones included
                unseen = [u for u in unseen if u.why != "picture-undecodable"]
        search.uses += found
        search.unexamined += unseen
    _word_paper(document, search.uses)
    if document.format in OFFICE_FORMATS:
        _office_rendering(document, params, model, search)
    if layout and not document.paginated and params.clear_space > 0:
        _word_layout(document, params, model, search)
    return search


def required_pages(document: Document, required: str) -> list[int]:
    """The pages that must show the logo (`LogoParams.required_for`); a Word document's one
    page stands for all of it."""
    count = len(document.pages)
    if required == "nowhere" or not count:
        return []
    if required == "first-page" or not document.paginated:
        return [1]
    if required == "first-or-last-page":
        return sorted({1, count})
    return list(range(1, count + 1))


def unseen_on(document: Document, page: Page, shapes: bool = True) -> list[str]:
    """What is drawn on `page` that only a render shows (none on a page that renders): the
    names of pictures that cannot be decoded (EMF, WMF), and "" for shapes drawn as vectors
    (a Word document's; with `shapes`, a slide's painted shapes too)."""
    if page.can_render:
        return []
    unseen = [image.name or "" for image in page.images if not image.pixel_width]
    word = document.metadata.word
    slide_shapes = shapes and document.format is Format.PPTX and bool(page.paints)
    if (word is not None and word.drawn_shapes) or slide_shapes:
        unseen.append("")
    return unseen


def _office_rendering(
    document: Document, params: LogoParams, model: MarkModel, search: Search
) -> None:
    """Search the rendered pages that must show the logo, show none in the structure, and
    draw something the structure cannot show as pixels. Without LibreOffice nothing is done
    (the rule then says what it could not look at); a failed rendering leaves those pages
    unchecked."""
    required = params.required_for(document.format)
    wanted = required_pages(document, required)
    found = {use.page for use in search.uses}
    if required == "first-or-last-page" and found & set(wanted):
        return
    pages = [n for n in wanted if n not in found and unseen_on(document, document.pages[n - 1])]
    pages = pages[: params.max_rendered_pages]
    rendering = document.rendered_pages() if pages else None
    if rendering is None:
        return
    for number in pages:
        if number > len(rendering.pages):
            laid_out = rendering.problem or f"LibreOffice laid out {len(rendering.pages)} pages"
            search.unexamined.append(Unexamined(number, "page-not-rendered", "", laid_out))
            continue
        unseen: list[Unexamined] = []
        uses = _rendered(rendering.pages[number - 1], model, params.render_dpi, unseen)
        for use in uses:
            use.source = "office-render"
        search.uses += uses
        search.unexamined += unseen
        if not any(u.why == "page-not-rendered" for u in unseen):
            search.seen.add(number)
    _keep_view(document, rendering, search)


def _word_layout(document: Document, params: LogoParams, model: MarkModel, search: Search) -> None:
    """Word logos found by their structure, located on the pages as LibreOffice lays them out
    (`Use.laid_out`): Word text flows, so what stands around a picture is known only there.
    Each is matched to a picture of the same version and size on the first pages."""
    pending = [use for use in search.uses if use.source == "placed-image"]
    rendering = document.rendered_pages() if pending else None
    if rendering is None or not rendering.pages:
        search.layout_problem = rendering.problem if rendering else NO_LAYOUT
        return
    _keep_view(document, rendering, search)
    memo: dict = {}
    for page in rendering.pages[: params.max_rendered_pages]:
        for image in page.images:
            laid = placed_use(page, image, model, params, [], memo)
            same = next((use for use in pending if laid and _same_picture(use, laid)), None)
            if same is not None and laid is not None:
                laid.source, laid.part = "office-render", same.part
                same.laid_out = laid
                pending.remove(same)
        if not pending:
            return


def _same_picture(use: Use, laid: Use) -> bool:
    """The rendered picture is the Word one: the same version, within 3 % of its size."""
    width, height = use.box.width, use.box.height
    return (
        use.version == laid.version
        and abs(laid.box.width - width) <= 0.03 * width
        and abs(laid.box.height - height) <= 0.03 * height
    )


def _keep_view(document: Document, rendering: Rendering, search: Search) -> None:
    search.note = dict(rendering.note)
    if search.view is None:
        search.view = Document(
            document.path, Format.PDF, rendering.pages, metadata=document.metadata
        )


def _worth_looking(document: Document, params: LogoParams) -> bool:
    if document.format is Format.IMAGE:
        return True
    office = document.format in OFFICE_FORMATS
    return any(
        page.images
        or (page.can_render and _search_page(page, params))
        or (office and unseen_on(document, page))
        for page in document.pages
    )


def _has_pictures(page: Page) -> bool:
    """Whether anything but text is painted: a page of text alone cannot show the vapen."""
    return bool(page.images) or any(drawn.kind != "text" for drawn in page.drawn)


def _search_page(page: Page, params: LogoParams) -> bool:
    if params.search == "every-page" or params.required == "every-page":
        return True
    return page.number == 1 and params.required == "first-page"


def _rendered(page: Page, model: MarkModel, dpi: float, unseen: list[Unexamined]) -> list[Use]:
    from profilecheck.checks.logo import mark_search

    try:
        render = page.render(round(dpi))
    except Exception as error:
        detail = str(error) or type(error).__name__
        unseen.append(Unexamined(page.number, "page-not-rendered", "", detail))
        return []
    scale = 72 / dpi
    search = mark_search.search_marks(render, model)
    unseen += [_unmeasured(item, page.number, scale) for item in search.unmeasured]
    return [_from_detection(d, model, page.number, scale, "render") for d in search.found]


def _image_file(document: Document, model: MarkModel, unseen: list[Unexamined]) -> list[Use]:
    from profilecheck.checks.logo import mark_search, raster

    page = document.pages[0]
    image = page.images[0] if page.images else None
    if image is None:
        return []
    try:
        pixels = as_array(image.pixels())
    except Exception as error:  # the picture is not examined, which is not "no logo"
        detail = str(error) or type(error).__name__
        unseen.append(Unexamined(1, "picture-undecodable", image.name, detail, image.box))
        return []
    info = document.metadata.image
    dpi = (info.dpi if info else None) or 72.0
    known = info is not None and info.dpi_known
    rgb = raster.flatten(pixels)
    search = mark_search.search_marks(rgb, model)
    unseen += [_unmeasured(item, 1, 72 / dpi) for item in search.unmeasured]
    uses = [_from_detection(d, model, 1, 72 / dpi, "image", size_known=known) for d in search.found]
    if not uses:
        whole = placed_use(page, image, model, _NoRender(), unseen)
        if whole is not None:
            whole.source = "image"
            whole.mark_width_pt = whole.mark_width_pt if known else None
            whole.background_lightness = None  # the artwork file itself: nothing around it
            whole.background_from = ""
            uses.append(whole)
    return uses


def _word_paper(document: Document, uses: list[Use]) -> None:
    """A Word document's page colour, where it sets one, behind the logos on its pages."""
    word = document.metadata.word
    colour = word.page_colour if word is not None else None
    if not colour:
        return
    try:
        lightness = lab(parse_colour(colour))
    except ValueError:
        return
    for use in uses:
        if use.background_from == "white-paper" and lightness is not None:
            use.background_lightness = lightness[0]
            use.background_from = "page-colour"


def _unmeasured(item: Any, page: int, scale: float) -> Unexamined:
    """Something the mark search takes for the vapen but could not measure (its `why`:
    "shape", "no-alignment"): the logo there is not checked."""
    x0, y0, x1, y1 = item.box
    box = Box(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
    return Unexamined(page, "mark-unmeasured", "", item.why, box)


class _NoRender:
    render_dpi = 72.0


def _from_detection(
    detection: Detection,
    model: MarkModel,
    page: int,
    scale: float,
    source: str,
    size_known: bool = True,
) -> Use:
    from profilecheck.checks.logo import artwork

    version, distance = artwork.nearest_version(model, detection.observed, detection.kind)
    x0, y0, x1, y1 = detection.box
    return Use(
        version=version.name,
        kind=detection.kind,
        page=page,
        box=Box(x0 * scale, y0 * scale, x1 * scale, y1 * scale),
        mark_width_pt=detection.mark_width * scale if size_known else None,
        mark_width_px=detection.mark_width,
        aspect=detection.aspect_change,
        rotation=detection.rotation,
        mirrored=detection.mirrored,
        delta_e=distance,
        background_lightness=detection.background_lightness,
        background_from="render" if source == "render" else "pixels",
        source=source,
        covered=detection.covered,
        likeness=detection.likeness,
    )
