"""Reporters (HTML, SARIF, JUnit, Markdown), the compliance score and the catalogues."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner
from conftest import load_script

from profilecheck.cli.main import main
from profilecheck.core.model import Box, Part, Severity, Status
from profilecheck.core.results import FileResult, Finding, Location, RunResult
from profilecheck.engine.score import file_score, overall_score, scores, worst_checks
from profilecheck.reporters import Options, render
from profilecheck.reporters import html as html_reporter
from profilecheck.reporters import markdown as markdown_reporter
from profilecheck.reporters import sarif as sarif_reporter
from profilecheck.reporters.i18n import LOCALE_DIR, translator

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
HOSTILE = "<script>window.__pwned=1</script>"


def finding(
    name: str,
    code: str,
    path: str,
    severity: Severity = Severity.ERROR,
    page: int | None = 1,
    box: Box | None = None,
    message: str = "Something is wrong",
    **extra,
) -> Finding:
    location = Location(path, page, box, Part.BODY if page else None)
    return Finding(code, name, severity, message, location, rule="ale/test", **extra)


def make_pdf(path: Path, pages: int = 1, text: str = "Ring 0303-33 00 00") -> Path:
    document = pymupdf.open()
    for _ in range(pages):
        page = document.new_page()
        page.insert_text((72, 100), text)
    document.save(path)
    return path


def sample_run(tmp_path: Path, lang: str = "en", message: str = "Old number <b>here</b>"):
    pdf = str(make_pdf(tmp_path / "leaflet.pdf"))
    findings = [
        finding(
            "contact-outdated",
            "K403",
            pdf,
            box=Box(70, 88, 200, 104),
            message=message,
            suggestion="Use 0303-70 30 00",
            measured={"value": 12.1, "limit": 20},
        ),
        finding("font-not-embedded", "T302", pdf, Severity.WARNING, page=None),
        finding("logo-found", "L100", pdf, Severity.INFO),
    ]
    broken = str(tmp_path / "broken.pdf")
    unreadable = finding("unreadable-file", "F001", broken, page=None, message="damaged")
    files = [
        FileResult(pdf, "pdf", Status.CHECKED, findings, pages=1),
        FileResult(broken, "pdf", Status.UNREADABLE, [unreadable], message="damaged"),
        FileResult(str(tmp_path / "clean.png"), "image", Status.CHECKED, [], pages=1),
    ]
    checks = {
        "contact-outdated": Severity.ERROR,
        "font-not-embedded": Severity.WARNING,
        "contact-missing": Severity.ERROR,
        "logo-found": Severity.INFO,
    }
    return RunResult("0.1.0", "ale", "2026.1", "Ale kommun", files, lang=lang, checks=checks)


def options(tmp_path: Path) -> Options:
    return Options(cwd=str(tmp_path))


# --- score -------------------------------------------------------------------------------


def test_score_weighs_failed_checks_by_severity(tmp_path):
    run = sample_run(tmp_path)
    checks = {"contact-outdated": Severity.ERROR, "font-not-embedded": Severity.WARNING}
    checks |= {"contact-missing": Severity.ERROR, "logo-found": Severity.INFO}
    # total weight 3 + 1 + 3 + 0 = 7; contact-outdated (3) and font-not-embedded (1) failed
    assert file_score(run.files[0], checks) == round(100 * 3 / 7, 1)
    assert file_score(run.files[1], checks) == 0.0  # unreadable
    assert file_score(run.files[2], checks) == 100.0
    result = scores(run)
    assert result.overall == round((42.9 + 0 + 100) / 3, 1)


def test_score_uses_worst_reported_severity_and_skips_unsupported(tmp_path):
    checks = {"font-not-embedded": Severity.WARNING, "contact-missing": Severity.ERROR}
    raised = finding("font-not-embedded", "T302", "a.pdf", Severity.ERROR)
    result = FileResult("a.pdf", "pdf", Status.CHECKED, [raised])
    assert file_score(result, checks) == 50.0  # weighs 3 as an error: 3 of 6 lost
    suppressed = FileResult("a.pdf", "pdf", Status.CHECKED, [_suppressed(raised)])
    assert file_score(suppressed, checks) == 100.0
    assert file_score(FileResult("x.xlsx", "unknown", Status.UNSUPPORTED), checks) is None
    assert overall_score([None, None]) is None


def test_score_a_crashed_rule_fails_all_its_checks():
    checks = {"contact-outdated": Severity.ERROR, "contact-missing": Severity.ERROR}
    checks |= {"font-not-embedded": Severity.WARNING, "logo-found": Severity.INFO}
    crash = Finding("F005", "rule-failed", Severity.ERROR, "boom", Location("a.pdf"), "ale/contact")
    result = FileResult("a.pdf", "pdf", Status.CHECKED, [crash])
    rules = {"ale/contact": ("contact-outdated", "contact-missing"), "ale/fonts": ()}
    assert file_score(result, checks, rules) == round(100 * 1 / 7, 1)  # 6 of 7 lost
    # a run that does not say which checks the rule runs: the crash is one failed error check
    assert file_score(result, checks) == round(100 * 7 / 10, 1)
    waived = FileResult("a.pdf", "pdf", Status.CHECKED, [_suppressed(crash)])
    assert file_score(waived, checks, rules) == 100.0


def _suppressed(found: Finding) -> Finding:
    from dataclasses import replace

    return replace(found, suppressed="waived")


def test_worst_checks_lists_errors_first(tmp_path):
    from profilecheck.engine import registry

    registry.load_builtins()  # the codes (ties sort by code), as a run has them; not test order
    tallies = worst_checks(sample_run(tmp_path))
    assert [t.name for t in tallies] == ["unreadable-file", "contact-outdated", "font-not-embedded"]


def test_every_format_says_how_many_files_were_not_checked(tmp_path):
    run = sample_run(tmp_path)  # one unreadable file among three
    assert run.failed and run.not_checked == 1
    text = render("text", run, options(tmp_path)).splitlines()[-1]
    assert text.endswith(" 1 file(s) not (fully) checked."), text
    swedish = render("text", sample_run(tmp_path, lang="sv"), options(tmp_path))
    assert swedish.splitlines()[-1].endswith(" 1 fil(er) kunde inte kontrolleras (helt).")
    summary = json.loads(render("json", run, options(tmp_path)))["summary"]
    assert summary["not_checked"] == 1 and summary["failed"] is True
    assert "**Not (fully) checked:** 1" in render("markdown", run, options(tmp_path))
    assert '<span class="number" id="not-checked">1</span>' in render(
        "html", run, options(tmp_path)
    )
    checked = RunResult("0.1", "ale", "1", "Ale", [run.files[2]])
    assert not checked.failed and checked.not_checked == 0
    assert "not (fully) checked" not in render("text", checked, options(tmp_path))


# --- SARIF -------------------------------------------------------------------------------


def _validate_sarif(text: str) -> dict:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.exists():
        pytest.skip("SARIF schema not available")
    document = json.loads(text)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, errors[0].message
    return document


def test_sarif_validates_and_describes_rules_and_locations(tmp_path):
    document = _validate_sarif(render("sarif", sample_run(tmp_path), options(tmp_path)))
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["K403"]["name"] == "contact-outdated"
    assert rules["K403"]["defaultConfiguration"]["level"] == "error"
    assert rules["K403"]["help"]["text"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"K403": "error", "T302": "warning", "L100": "note", "F001": "error"}
    k403 = next(r for r in run["results"] if r["ruleId"] == "K403")
    location = k403["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "leaflet.pdf", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 1
    assert location["region"]["properties"]["box_pt"] == [70, 88, 200, 104]
    assert run["tool"]["driver"]["rules"][k403["ruleIndex"]]["id"] == "K403"


def test_sarif_fingerprints_ignore_message_and_language(tmp_path):
    first = json.loads(render("sarif", sample_run(tmp_path, "en", "one"), options(tmp_path)))
    second = json.loads(render("sarif", sample_run(tmp_path, "sv", "två"), options(tmp_path)))

    def prints(document):
        return [r["partialFingerprints"] for r in document["runs"][0]["results"]]

    assert prints(first) == prints(second)
    assert len({json.dumps(p) for p in prints(first)}) == len(prints(first))


def test_sarif_percent_encodes_odd_file_names(tmp_path):
    name = str(tmp_path / "<img src=x> å.pdf")
    found = finding("contact-missing", "K401", name)
    run = RunResult("0.1", "ale", "1", "Ale", [FileResult(name, "pdf", Status.CHECKED, [found])])
    document = _validate_sarif(render("sarif", run, options(tmp_path)))
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"] == "%3Cimg%20src%3Dx%3E%20%C3%A5.pdf"


def test_sarif_truncates_to_upload_limits(tmp_path, monkeypatch):
    many = [
        finding("colour-off-palette", "C201", "big.pdf", Severity.WARNING, page=n)
        for n in range(1, 26)
    ]
    errors = [finding("contact-missing", "K401", "big.pdf", page=n) for n in range(1, 6)]
    result = FileResult("big.pdf", "pdf", Status.CHECKED, many + errors)
    run = RunResult("0.1", "ale", "1", "Ale", [result])
    monkeypatch.setattr(sarif_reporter, "MAX_RESULTS", 10)
    document = _validate_sarif(render("sarif", run, options(tmp_path)))
    sarif_run = document["runs"][0]
    assert len(sarif_run["results"]) == 10
    assert [r["ruleId"] for r in sarif_run["results"][:5]] == ["K401"] * 5  # errors kept first
    notes = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert "20 results were left out" in notes[0]["message"]["text"]
    monkeypatch.setattr(sarif_reporter, "MAX_GZIP_BYTES", 1500)
    shrunk = json.loads(render("sarif", run, options(tmp_path)))
    assert len(shrunk["runs"][0]["results"]) < 10


def test_sarif_real_limit_on_a_big_synthetic_run(tmp_path):
    found = [
        finding("colour-off-palette", "C201", f"f{n % 50}.pdf", Severity.WARNING, page=n)
        for n in range(25_010)
    ]
    run = RunResult("0.1", "ale", "1", "Ale", [FileResult("all", "pdf", Status.CHECKED, found)])
    document = json.loads(render("sarif", run, options(tmp_path)))
    assert len(document["runs"][0]["results"]) == sarif_reporter.MAX_RESULTS


# --- JUnit -------------------------------------------------------------------------------


def test_junit_one_case_per_file_and_check(tmp_path):
    run = sample_run(tmp_path, message="Bad \x00 <tag> & \x1b")
    root = ET.fromstring(render("junit", run, options(tmp_path)))
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"leaflet.pdf", "broken.pdf", "clean.png"}
    leaflet = suites["leaflet.pdf"]
    cases = {case.get("name"): case for case in leaflet.iter("testcase")}
    failure = cases["K403 contact-outdated"].find("failure")
    assert failure is not None and "<tag> &" in failure.get("message")
    assert cases["T302 font-not-embedded"].find("failure") is None  # below fail-on error
    assert cases["K401 contact-missing"].find("failure") is None  # ran, found nothing
    assert leaflet.get("failures") == "1"
    assert suites["broken.pdf"].find("testcase/error") is not None
    assert root.get("errors") == "1"


def test_junit_file_without_findings_passes_when_checks_unknown(tmp_path):
    result = FileResult("ok.pdf", "pdf", Status.CHECKED, [])
    root = ET.fromstring(render("junit", RunResult("0.1", "a", "1", "A", [result]), Options()))
    assert [case.get("name") for case in root.iter("testcase")] == ["profile"]
    assert root.get("failures") == "0"


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_summary_escapes_document_text(tmp_path):
    run = sample_run(tmp_path, message="<img src=x onerror=alert(1)> | [link](http://x) *")
    text = render("markdown", run, options(tmp_path))
    assert "| `leaflet.pdf` | ❌" in text
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert r"\| `[link](http://x)` \*" in text  # a link in a code span stays text
    assert "<details>" in text and "Most frequent problems" in text


def test_markdown_in_swedish_and_cut_short(tmp_path, monkeypatch):
    run = sample_run(tmp_path, lang="sv")
    assert "Kontrollerade filer" in render("markdown", run, options(tmp_path))
    monkeypatch.setattr(markdown_reporter, "MAX_CHARS", 600)
    text = render("markdown", run, options(tmp_path))
    assert "Rapporten kortades av här" in text


# --- HTML --------------------------------------------------------------------------------


def test_html_report_escapes_and_embeds_pictures(tmp_path):
    run = sample_run(tmp_path, message=HOSTILE)
    page = render("html", run, options(tmp_path))
    assert HOSTILE not in page and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert page.count("data:image/jpeg;base64,") == 1
    assert 'class="outline"' in page
    assert 'href="#rule-K403"' in page and 'id="rule-K403"' in page
    assert "Use 0303-70 30 00" in page and "12.1" in page and "20" in page
    assert "<script" not in page.lower().replace("&lt;script", "")


def test_html_report_in_swedish(tmp_path):
    page = render("html", sample_run(tmp_path, lang="sv"), options(tmp_path))
    assert '<html lang="sv">' in page and "Översikt" in page and "Efterlevnadspoäng" in page


def test_html_caps_pictures(tmp_path, monkeypatch):
    pdf = str(make_pdf(tmp_path / "many.pdf", pages=3))
    found = [finding("contact-missing", "K401", pdf, page=n) for n in (1, 2, 3)]
    run = RunResult("0.1", "a", "1", "A", [FileResult(pdf, "pdf", Status.CHECKED, found)])
    assert render("html", run, Options()).count("data:image/jpeg") == 3
    monkeypatch.setattr(html_reporter, "MAX_PICTURES_PER_FILE", 2)
    assert render("html", run, Options()).count("data:image/jpeg") == 2
    monkeypatch.setattr(html_reporter, "MAX_PICTURES", 1)
    assert render("html", run, Options()).count("data:image/jpeg") == 1


def test_html_survives_a_file_that_vanished(tmp_path):
    gone = str(tmp_path / "gone.pdf")
    found = [finding("contact-missing", "K401", gone)]
    run = RunResult("0.1", "a", "1", "A", [FileResult(gone, "pdf", Status.CHECKED, found)])
    page = render("html", run, Options())
    assert "data:image" not in page and "K401 contact-missing" in page


# --- catalogues --------------------------------------------------------------------------


def test_translations_follow_language():
    assert translator("sv")("Overview") == "Översikt"
    assert translator("sv-SE")("Overview") == "Översikt"
    assert translator("en")("Overview") == "Overview"
    assert translator("de")("Overview") == "Overview"


def test_committed_catalogues_are_compiled_and_complete():
    compiler = load_script("compile_catalogues")
    assert compiler.compile_all(check=True) == [], "run scripts/compile_catalogues.py"
    used = set()
    sources = [*ROOT.glob("profilecheck/reporters/*.py")]
    sources += ROOT.glob("profilecheck/reporters/templates/*.j2")
    for source in sources:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bN?_\(\"([^\"]+)\"\)", text))
        used |= set(re.findall(r"\bN?_\('([^']+)'\)", text))
    for lang in ("sv", "en"):
        po = LOCALE_DIR / lang / "LC_MESSAGES" / "profilecheck.po"
        known = compiler.parse_po(po.read_text(encoding="utf-8"))
        assert used - set(known) == set(), lang


# --- end to end --------------------------------------------------------------------------


def test_check_writes_several_reports_in_one_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pdf(tmp_path / "flyer.pdf", text="Ring växeln på 0303-33 00 00")
    arguments = ["check", "flyer.pdf", "--isolated", "--lang", "en"]
    for fmt, name in [("html", "r.html"), ("sarif", "r.sarif"), ("junit", "r.xml")]:
        arguments += ["--report", f"{fmt}:{name}"]
    arguments += ["--report", "markdown:r.md"]
    outcome = CliRunner().invoke(main, arguments)
    assert outcome.exit_code in (0, 1), outcome.output
    assert "flyer.pdf" in outcome.output  # the text report still goes to the terminal
    assert "Compliance report" in (tmp_path / "r.html").read_text(encoding="utf-8")
    _validate_sarif((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    ET.fromstring((tmp_path / "r.xml").read_text(encoding="utf-8"))
    assert "| `flyer.pdf` |" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_check_rejects_a_bad_report_option(tmp_path):
    make_pdf(tmp_path / "flyer.pdf")
    outcome = CliRunner().invoke(main, ["check", str(tmp_path), "--report", "pdf:x.pdf"])
    assert outcome.exit_code == 2
