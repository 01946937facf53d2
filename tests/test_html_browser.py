"""The HTML report in real headless Chromium: it renders, and hostile input runs no script.

Needs Debian's `chromium` and Python `playwright` (no browser download: Playwright drives the
system Chromium by its path). Skipped cleanly when either is missing.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS

from profilecheck.core.model import Box, Part, Severity, Status
from profilecheck.core.results import FileResult, Finding, Location, RunResult
from profilecheck.reporters import Options, render

HOSTILE_NAME = "<img src=x onerror=alert(1)>.pdf"
HOSTILE_TEXT = "<script>window.__pwned=1</script>"
HOSTILE_MESSAGE = '<img src=x onerror="window.__pwned=2"><b>bold</b>'

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def write_report(tmp_path: Path, name: str, text: str, message: str, lang: str = "en") -> Path:
    pdf = tmp_path / name
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 100), text)
    page.draw_rect(pymupdf.Rect(300, 300, 500, 400), color=(0.7, 0.1, 0.1), fill=(0.9, 0.8, 0.1))
    document.save(pdf)
    findings = [
        Finding(
            "K403",
            "contact-outdated",
            Severity.ERROR,
            message,
            Location(str(pdf), 1, Box(70, 88, 260, 104), Part.BODY),
            rule="ale/outdated-switchboard",
            suggestion=HOSTILE_TEXT,
            measured={"value": HOSTILE_TEXT, "limit": 20},
        ),
        Finding(
            "C201",
            "colour-off-palette",
            Severity.WARNING,
            "Colour #E6CC1A is not in the palette",
            Location(str(pdf), 1, Box(300, 300, 500, 400), Part.BODY),
        ),
    ]
    result = FileResult(str(pdf), "pdf", Status.CHECKED, findings, pages=1)
    run = RunResult("0.1.0", "ale", "2026.1", "Ale kommun", [result], lang=lang)
    report = tmp_path / "report.html"
    report.write_text(render("html", run, Options(cwd=str(tmp_path))), encoding="utf-8")
    return report


def test_report_renders_with_headings_and_picture(browser, tmp_path):
    report = write_report(tmp_path, "leaflet.pdf", "Ring 0303-33 00 00", "Outdated number")
    page = browser.new_page(viewport={"width": 1000, "height": 1200})
    page.goto(report.as_uri())
    shot = page.screenshot(full_page=True)
    assert shot.startswith(b"\x89PNG\r\n\x1a\n") and len(shot) > 20_000
    _assert_not_blank(shot)
    headings = page.locator("h2").all_inner_texts()
    assert headings == ["Overview", "Files", "About the checks"]
    assert page.locator("#files-checked").inner_text() == "1"
    assert page.locator("figure svg use").count() == 2
    assert page.locator("figure rect.outline").count() == 2
    drawn = page.evaluate("document.querySelector('figure svg').getBoundingClientRect().height")
    assert drawn > 100  # the page picture is shown, not collapsed
    page.set_viewport_size({"width": 375, "height": 800})  # a phone: nothing wider than it
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380
    page.close()


def _assert_not_blank(png: bytes) -> None:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    low, high = image.getextrema()
    assert high - low > 100
    assert 500 < image.width < 3000 and image.height > 800


def test_hostile_names_and_text_run_no_script(browser, tmp_path):
    report = write_report(tmp_path, HOSTILE_NAME, HOSTILE_TEXT, HOSTILE_MESSAGE, lang="sv")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("script").count() == 0
    assert page.locator("main img").count() == 0  # no element made from the file name
    body = page.locator("body").inner_text()
    assert HOSTILE_NAME in body and HOSTILE_MESSAGE in body and HOSTILE_TEXT in body
    assert page.locator("h2").first.inner_text() == "Översikt"
    page.close()
