"""The HTML report: one self-contained file a communicator can open, read on a phone and print.

An overview (files checked, passed, failed, compliance scores, the worst checks), then per file
its findings grouped by check, each with a thumbnail of its page and the offending area outlined,
the message, measured value and limit, the suggestion and a link to the check's explanation in
the appendix. PDF pages and images are re-opened read-only through the readers to draw the
thumbnails (each page embedded once as a JPEG data: URI, capped per file and per report); Word
documents are shown by a text excerpt.

Security: Jinja2 autoescaping on, no `|safe` anywhere; the only URIs in the page are data: URIs
built here from base64; a Content-Security-Policy forbids scripts and remote content.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from functools import cache

from profilecheck.core import codes
from profilecheck.core.model import Box, Format, Severity, Status
from profilecheck.core.results import FileResult, Finding, RunResult
from profilecheck.engine.score import file_passed, scores, worst_checks
from profilecheck.reporters import Options, display_path
from profilecheck.reporters.i18n import SEVERITY_LABELS, STATUS_LABELS, label, translator
from profilecheck.reporters.rulehelp import rule_help

MAX_PICTURES = 200  # page thumbnails per report
MAX_PICTURES_PER_FILE = 20
MAX_FINDINGS_PER_FILE = 300
THUMBNAIL_PX = 480  # width of a thumbnail in pixels (shown at up to 360 CSS px)
JPEG_QUALITY = 70
EXCERPT_CHARS = 1500


@dataclass
class Picture:
    id: str
    uri: str  # data:image/jpeg;base64,... built here
    width: float  # page size in points: the SVG viewBox
    height: float


@dataclass
class FindingView:
    finding: Finding
    severity: str
    picture: Picture | None
    outline: Box | None


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
    excerpt: str = ""
    hidden: int = 0  # findings beyond MAX_FINDINGS_PER_FILE


def render(run: RunResult, options: Options) -> str:
    _ = translator(run.lang)
    result_scores = scores(run)
    budget = [MAX_PICTURES]
    files = [
        _file_view(number, result, run, options, result_scores.by_path[result.path], budget)
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


@cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("profilecheck.reporters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _file_view(
    number: int, result: FileResult, run: RunResult, options: Options, score, budget: list[int]
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
    pictures: dict[int, Picture] = {}
    if result.status is Status.CHECKED:
        pictures, view.excerpt = _open_for_pictures(result, shown, number, budget)
    view.pictures = list(pictures.values())
    view.groups = _groups(shown, pictures, run.lang)
    return view


def _groups(findings: list[Finding], pictures: dict[int, Picture], lang: str) -> list[GroupView]:
    by_name: dict[str, list[Finding]] = {}
    for finding in findings:
        by_name.setdefault(finding.name, []).append(finding)
    groups = []
    for name, found in by_name.items():
        worst = max((f.severity for f in found), key=lambda s: s.rank)
        check = codes.CATALOGUE.get(name)
        items = [
            FindingView(
                f,
                f.severity.value,
                pictures.get(f.location.page or 0),
                _outline(f.location.box, pictures.get(f.location.page or 0)),
            )
            for f in found
        ]
        label_text = label(SEVERITY_LABELS, worst.value, lang)
        groups.append(GroupView(check.code if check else "?", name, worst.value, label_text, items))
    groups.sort(key=lambda g: (-Severity(g.severity).rank, g.code))
    return groups


def _outline(box: Box | None, picture: Picture | None) -> Box | None:
    """The finding's box clipped to the page, at least 4 pt wide and high so it shows."""
    if box is None or picture is None:
        return None
    x0, y0 = max(box.x0, 0.0), max(box.y0, 0.0)
    x1, y1 = min(box.x1, picture.width), min(box.y1, picture.height)
    if x1 < x0 or y1 < y0:
        return None
    return Box(x0, y0, x1, y1).expanded(2.0)


def _open_for_pictures(
    result: FileResult, findings: list[Finding], number: int, budget: list[int]
) -> tuple[dict[int, Picture], str]:
    """Thumbnails of the pages with findings (PDF, images), or a text excerpt (Word)."""
    from profilecheck.readers import read_document, sniff

    wanted = sorted({f.location.page for f in findings if f.location.page})
    try:
        sniffed = sniff(result.path)
        if sniffed.format not in (Format.PDF, Format.IMAGE, Format.DOCX):
            return {}, ""
        with read_document(result.path, sniffed) as document:
            if sniffed.format is Format.DOCX:
                return {}, document.text[:EXCERPT_CHARS]
            return _thumbnails(document, wanted, number, budget), ""
    except Exception:  # the file changed or broke since the check: the report goes on without
        return {}, ""


def _thumbnails(document, pages: list[int], number: int, budget: list[int]) -> dict[int, Picture]:
    pictures: dict[int, Picture] = {}
    for page_number in pages[:MAX_PICTURES_PER_FILE]:
        if budget[0] <= 0 or not 1 <= page_number <= len(document.pages):
            break
        page = document.pages[page_number - 1]
        if not page.can_render or page.width <= 0 or page.height <= 0:
            continue
        dpi = round(min(max(72 * THUMBNAIL_PX / page.width, 4), 150))  # PyMuPDF wants int
        try:
            uri = _jpeg_data_uri(page.render(dpi=dpi))
        except Exception:
            continue
        pictures[page_number] = Picture(
            f"p{number}-{page_number}", uri, round(page.width, 2), round(page.height, 2)
        )
        budget[0] -= 1
    return pictures


def _jpeg_data_uri(pixels) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
