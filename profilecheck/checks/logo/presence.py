"""Whether the logo is where the profile requires it: logo-missing, or logo-unchecked where
the search could not look at everything there (a picture it cannot decode, a page it cannot
render, shapes only a render shows), which is not the same as absent."""

from __future__ import annotations

from profilecheck.checks.logo.found import Search, Unexamined
from profilecheck.checks.logo.params import LogoParams
from profilecheck.checks.logo.uses import unseen_on
from profilecheck.core.model import Document, Page
from profilecheck.engine.ruletype import Report


def report_presence(document: Document, search: Search, params: LogoParams, report: Report) -> None:
    """logo-unchecked for each thing the search could not look at, then logo-missing where the
    logo is required and neither found nor possibly hidden there."""
    for item in search.unexamined:
        _unexamined(item, document, report)
    _missing(document, search, params, report)


def _missing(document: Document, search: Search, params: LogoParams, report: Report) -> None:
    """logo-missing where the profile requires the logo and the search found none, unless
    the search could not look at everything there (then logo-unchecked said so)."""
    required = params.required_for(document.format)
    if required == "nowhere" or not document.pages:
        return
    uses, seen = search.uses, search.seen
    unexamined = {item.page for item in search.unexamined}
    pages = {use.page for use in uses}
    if required == "first-or-last-page":
        ends = {1, len(document.pages)}
        if not (ends & pages or ends & unexamined):
            last = document.pages[-1]
            where = report.text("on-first-or-last-page", last=last.number)
            _absent(report, [document.pages[0], last], 1, where, seen)
        return
    if required == "anywhere" or (required == "first-page" and not document.paginated):
        if not uses and not unexamined:
            _absent(report, document.pages, None, report.text("in-document"), seen)
        return
    wanted = [1] if required == "first-page" else [p.number for p in document.pages]
    for number in wanted:
        if number not in pages and number not in unexamined:
            page = document.pages[number - 1]
            where = report.text("on-page", number=number)
            _absent(report, [page], number, where, seen)


def _absent(report: Report, pages: list[Page], number: int | None, where: str, seen: set[int]):
    """logo-missing, unless something there could not be looked at (an EMF or WMF logo in
    Word, a broken image, shapes drawn in Word): then the logo is unchecked, which is not the
    same as absent. (On a page that can be rendered, or whose LibreOffice rendering was
    searched, the search saw all the renderer could draw.)"""
    document = report.document
    unseen = [
        name
        for page in pages
        if page.number not in seen
        for name in unseen_on(document, page, shapes=False)
    ]
    if unseen:
        what = next((name for name in unseen if name), "") or report.text("a-picture")
        report.unchecked(
            "not-examined",
            page=number,
            where=where,
            what=what,
            measured={"pictures_not_examined": len(unseen)},
        )
        return
    report(
        "logo-missing",
        page=number,
        where=where,
        measured={"value": 0, "limit": 1},
    )


def _unexamined(item: Unexamined, document: Document, report: Report) -> None:
    """logo-unchecked for what the search could not look at, with the reason."""
    where = report.text("on-page", number=item.page) if document.paginated else ""
    report.unchecked(
        item.why,
        page=item.page,
        box=item.box,
        measured={"detail": item.detail} if item.detail else None,
        what=item.what or report.text("a-picture"),
        where=where or report.text("in-document"),
        detail=item.detail,
    )
