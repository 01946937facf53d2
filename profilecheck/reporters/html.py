"""The HTML report: one self-contained file a communicator can open, read on a phone and print.

An overview (files checked, passed, failed, compliance scores, the worst checks), then per file
its findings grouped by check, each with a thumbnail of its page and the offending area outlined,
the message, measured value and limit, the suggestion and a link to the check's explanation in
the appendix. PDF pages and images are shown as thumbnails (each page embedded once as a JPEG
data: URI, capped per file and per report); Word and PowerPoint files too where LibreOffice
renders them (a Word finding on the page where its excerpt is found, else on page 1, said so),
else Word documents by a text excerpt. The report plans
which pages it shows (`requests`, opening nothing); `reporters.pictures.draw` makes them, in
`scan`'s worker processes under their limits (`RunResult.pictures`), or here when the run
brings none.

Security: Jinja2 autoescaping on, no `|safe` anywhere; every value shown goes through
`core.printable` (control characters and bytes that are not UTF-8 as visible escapes); the only
URIs in the page are data: URIs built from base64; a Content-Security-Policy forbids scripts and
remote content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from profilecheck.core import codes
from profilecheck.core.model import Box, Format, Severity, Status
from profilecheck.core.printable import printable
from profilecheck.core.results import FileResult, Finding, RunResult
from profilecheck.engine.score import file_passed, scores, worst_checks
from profilecheck.readers.convert.render import SOURCES, renderable
from profilecheck.reporters import Options, display_path
from profilecheck.reporters.i18n import SEVERITY_LABELS, STATUS_LABELS, label, translator
from profilecheck.reporters.pictures import JPEG_URI, Drawn, Request, draw
from profilecheck.reporters.rulehelp import rule_help

MAX_PICTURES = 200  # page thumbnails per report
MAX_PICTURES_PER_FILE = 20  # at most pictures.MAX_PAGES
MAX_EXCERPTS = 200  # Word text excerpts per report
MAX_FINDINGS_PER_FILE = 300
PICTURED = (Format.PDF.value, Format.IMAGE.value)
OFFICE = tuple(fmt.value for fmt in SOURCES)  # pictured when LibreOffice renders them
MAX_TEXTS = 100  # excerpts searched per file


@dataclass
class Picture:
    id: str
    uri: str  # data:image/jpeg;base64,... built by reporters.pictures
    width: float  # page size in points: the SVG viewBox
    height: float


@dataclass
class FindingView:
    finding: Finding
    severity: str
    picture: Picture | None
    outline: Box | None
    page: int | None = None  # the page shown: the finding's, or where its excerpt was found
    unplaced: bool = False  # shown on page 1: its place on the rendered pages was not found


@dataclass
class GroupView:
    code: str
    name: str
    severity: str
    severity_label: str
    findings: list[FindingView]


@dataclass
class FileView:
    id: str
    path: str
    result: FileResult
    status: str
    passed: bool
    score: float | None
    groups: list[GroupView] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    excerpt: list[str] = field(default_factory=list)  # lines
    rendered: bool = False  # the pictures are LibreOffice's rendering of a Word/PowerPoint file
    note: str = ""  # why a Word or PowerPoint file's pages are not shown
    hidden: int = 0  # findings beyond MAX_FINDINGS_PER_FILE


def render(run: RunResult, options: Options) -> str:
    _ = translator(run.lang)
    result_scores = scores(run)
    drawn = run.pictures
    if drawn is None:
        drawn = {request.path: draw(request) for request in requests(run)}
    files = [
        _file_view(number, result, run, options, result_scores.by_path[result.path], drawn)
        for number, result in enumerate(run.files, 1)
    ]
    names = {f.name for f in run.findings()}
    template = _environment().get_template("report.html.j2")
    return template.render(
        _=_,
        run=run,
        lang=run.lang,
        files=files,
        overall=result_scores.overall,
        passed=sum(view.passed for view in files),
        counts=run.summary()["findings"],
        worst=worst_checks(run, limit=10),
        rules=rule_help(names),
        severity_label=lambda value: label(SEVERITY_LABELS, value, run.lang),
    )


def requests(run: RunResult) -> list[Request]:
    """What the report shows of each file, from its findings alone: pictures of the pages with
    findings (PDFs, images, and Word and PowerPoint files LibreOffice renders; capped per file
    and per report, in the order of the files) and a text excerpt of Word files with findings
    that are not rendered (capped per report)."""
    out: list[Request] = []
    pictures, excerpts = MAX_PICTURES, MAX_EXCERPTS
    for result in run.files:
        if result.status is not Status.CHECKED or not result.findings:
            continue
        if result.format in OFFICE and pictures > 0 and renderable(result.format):
            shown = result.findings[:MAX_FINDINGS_PER_FILE]
            pages = sorted({f.location.page for f in shown if f.location.page})
            texts = [_excerpt(f) for f in shown if not f.location.page]
            texts = list(dict.fromkeys(text for text in texts if text))[:MAX_TEXTS]
            pages = pages[: min(MAX_PICTURES_PER_FILE, pictures)]
            # at most: these pages, those where the texts are found, and page 1
            pictures -= min(len(pages) + len(texts) + 1, MAX_PICTURES_PER_FILE)
            word = result.format == Format.DOCX.value and excerpts > 0
            excerpts -= word  # shown instead of the pages, if they cannot be rendered
            out.append(Request(result.path, tuple(pages), word, tuple(texts)))
        elif result.format == Format.DOCX.value and excerpts > 0:
            excerpts -= 1
            out.append(Request(result.path, excerpt=True))
        elif result.format in PICTURED and pictures > 0:
            shown = result.findings[:MAX_FINDINGS_PER_FILE]
            pages = sorted({f.location.page for f in shown if f.location.page})
            pages = pages[: min(MAX_PICTURES_PER_FILE, pictures)]
            if pages:
                pictures -= len(pages)
                out.append(Request(result.path, tuple(pages)))
    return out


@cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("profilecheck.reporters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )


def _shown(value: Any) -> Any:
    """Every value the template shows: names and messages as visible text."""
    return printable(value) if isinstance(value, str) else value


def _file_view(
    number: int,
    result: FileResult,
    run: RunResult,
    options: Options,
    score: float | None,
    drawn: dict[str, Drawn],
) -> FileView:
    view = FileView(
        id=f"file-{number}",
        path=display_path(result.path, options.cwd),
        result=result,
        status=label(STATUS_LABELS, result.status.value, run.lang),
        passed=file_passed(result, run.fail_on),
        score=score,
    )
    shown = result.findings[:MAX_FINDINGS_PER_FILE]
    view.hidden = len(result.findings) - len(shown)
    made = drawn.get(result.path, {}) if result.status is Status.CHECKED else {}
    pictures = {
        int(page): Picture(f"p{number}-{page}", p["uri"], float(p["width"]), float(p["height"]))
        for page, p in made.get("pages", {}).items()
        if str(p.get("uri", "")).startswith(JPEG_URI)
    }
    view.excerpt = str(made.get("excerpt", "")).splitlines()
    view.pictures = list(pictures.values())
    view.rendered = bool(made.get("rendered")) and bool(pictures)
    view.note = str(made.get("note", "")) if result.format in OFFICE else ""
    places = made.get("places") if view.rendered else None
    if view.rendered and not isinstance(places, dict):
        places = {}
    view.groups = _groups(shown, pictures, run.lang, places)
    return view


def _excerpt(finding: Finding) -> str:
    """The text a finding quotes (“...”), by which it is found on a rendered page."""
    from profilecheck.readers.convert.render import quoted

    return quoted(finding.message)


def _groups(
    findings: list[Finding],
    pictures: dict[int, Picture],
    lang: str,
    places: dict[str, Any] | None = None,  # a rendered Word/PowerPoint file's
) -> list[GroupView]:
    by_name: dict[str, list[Finding]] = {}
    for finding in findings:
        by_name.setdefault(finding.name, []).append(finding)
    groups = []
    for name, found in by_name.items():
        worst = max((f.severity for f in found), key=lambda s: s.rank)
        check = codes.CATALOGUE.get(name)
        items = [_finding_view(f, pictures, places) for f in found]
        label_text = label(SEVERITY_LABELS, worst.value, lang)
        groups.append(GroupView(check.code if check else "?", name, worst.value, label_text, items))
    groups.sort(key=lambda g: (-Severity(g.severity).rank, g.code))
    return groups


def _finding_view(
    finding: Finding, pictures: dict[int, Picture], places: dict[str, Any] | None
) -> FindingView:
    """A finding with its page's picture: its own page, else (a Word finding on rendered
    pages) the page where its excerpt was found, else page 1 without an outline."""
    severity, page, box = finding.severity.value, finding.location.page, finding.location.box
    if page is None and places is not None and pictures.get(1) is not None:
        place = places.get(_excerpt(finding))
        try:
            page, box = int(place[0]), Box(*map(float, place[1]))
        except (TypeError, ValueError, IndexError):
            return FindingView(finding, severity, pictures[1], None, 1, unplaced=True)
    picture = pictures.get(page or 0)
    return FindingView(finding, severity, picture, _outline(box, picture), page)


def _outline(box: Box | None, picture: Picture | None) -> Box | None:
    """The finding's box clipped to the page, at least 4 pt wide and high so it shows."""
    if box is None or picture is None:
        return None
    x0, y0 = max(box.x0, 0.0), max(box.y0, 0.0)
    x1, y1 = min(box.x1, picture.width), min(box.y1, picture.height)
    if x1 < x0 or y1 < y0:
        return None
    return Box(x0, y0, x1, y1).expanded(2.0)
