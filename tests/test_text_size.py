"""Rule type `text-size` (T303 text-too-small): a PDF and a Word document, each too small and
large enough, with the minimums of Ale's rule file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, make_pdf, run_json

from profilecheck.checks.text_size import TextSizeRule
from profilecheck.engine.engine import compile_rules
from profilecheck.profile.loading import load_profile

RULE_FILE = ROOT / "rules" / "ale" / "rules" / "text-size.toml"


def make_docx(path: Path, points: float, text: str = "Välkommen till Ale kommun.") -> Path:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_paragraph().add_run(text).font.size = Pt(points)
    document.save(path)
    return path


def findings(path: Path) -> list[dict]:
    """The findings under --select T303, which never hides a crash (rule-failed is kept)."""
    code, report = run_json("--select", "T303", str(path))
    (entry,) = report["files"]
    assert entry["status"] == "checked" and code == 0  # text-too-small is a warning
    return entry["findings"]


@pytest.mark.parametrize(
    ("points", "expected"), [(7, ["T303"]), (8.5, ["T303"]), (9, []), (10, [])]
)
def test_pdf_minimum_is_nine_points(tmp_path: Path, points: float, expected: list) -> None:
    pdf = make_pdf(tmp_path / "letter.pdf", ["Välkommen till Ale kommun.", "Ring oss."], points)
    assert [f["code"] for f in findings(pdf)] == expected


@pytest.mark.parametrize(("points", "expected"), [(10, ["T303"]), (11, []), (12, [])])
def test_word_minimum_is_eleven_points(tmp_path: Path, points: float, expected: list) -> None:
    assert [f["code"] for f in findings(make_docx(tmp_path / "brev.docx", points))] == expected


def test_one_finding_per_page_at_the_smallest_text(tmp_path: Path) -> None:
    import pymupdf

    path = tmp_path / "mixed.pdf"
    with pymupdf.open() as document:
        page = document.new_page()
        page.insert_text((72, 72), "Brödtext i tio punkter.", fontsize=10)
        page.insert_text((72, 100), "Finstilt i åtta punkter.", fontsize=8)
        page.insert_text((72, 120), "Ännu mindre, sex punkter.", fontsize=6)
        document.save(path)
    (finding,) = findings(path)
    assert finding["location"]["page"] == 1 and finding["measured"]["size_pt"] == 6
    assert finding["measured"]["minimum_pt"] == 9.0 and "2" in finding["message"]
    assert finding["severity"] == "warning"


def test_marks_shorter_than_min_characters_are_not_judged(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "note.pdf", ["Text i tio punkter.", "1)"], 10)
    import pymupdf

    with pymupdf.open(pdf) as document:
        document[0].insert_text((300, 72), "*)", fontsize=5)
        document.save(tmp_path / "marked.pdf")
    assert findings(tmp_path / "marked.pdf") == []


def test_formats_the_rule_does_not_name_are_not_judged(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (200, 100), "white").save(tmp_path / "card.png")
    assert findings(tmp_path / "card.png") == []


def test_rule_file_mistakes_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    (folder / "rules").mkdir(parents=True)
    (folder / "profile.toml").write_text('name = "test"\n')
    (folder / "rules" / "size.toml").write_text(
        'type = "text-size"\n[params]\nminimum-pt = { pfd = 9, docx = -1 }\nignore-parts = ["fotter"]\n'
    )
    _, problems = compile_rules(load_profile(str(folder)))
    keys = sorted(p.key for p in problems)
    assert keys == ["params.ignore-parts[0]", "params.minimum-pt.docx", "params.minimum-pt.pfd"]


def test_ale_rule_file_gives_the_minimums_and_both_languages() -> None:
    rule = tomllib.loads(RULE_FILE.read_text(encoding="utf-8"))
    assert rule["type"] == TextSizeRule.name
    assert rule["params"]["minimum-pt"] == {"pdf": 9.0, "docx": 11.0, "pptx": 12.0}
    assert rule["params"]["ignore-parts"] == ["notes"]  # speaker notes are not shown
    assert set(rule["messages"]["text-too-small"]) == {"sv", "en"}
