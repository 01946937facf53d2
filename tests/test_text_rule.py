"""The `text` rule type: forbidden and required text, found across runs and lines."""

from __future__ import annotations

import pytest
from conftest import make_pdf

from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

RULE = """
type = "text"
[[params.forbidden]]
kind = "literal"
pattern = "Ale Kommun"
ignore-case = false
description = "the name is written Ale kommun"
suggestion = "Ale kommun"

[[params.forbidden]]
kind = "digits"
pattern = "0303-33 00 00"

[[params.required]]
kind = "regex"
pattern = "Handläggare:?\\\\s+\\\\w+"
description = "a Handläggare line"

[messages.text-forbidden]
sv = "Otillåten text ”{match}” ({description})"
en = "Forbidden text “{match}” ({description})"

[messages.text-required-missing]
sv = "Obligatorisk text saknas: {description}"
en = "Required text is missing: {description}"
"""


@pytest.fixture
def engine(tmp_path):
    folder = tmp_path / "profile"
    (folder / "rules").mkdir(parents=True)
    (folder / "profile.toml").write_text('name = "t"\nlanguage = "en"\n')
    (folder / "rules" / "words.toml").write_text(RULE)
    return Engine(load_profile(str(folder)), Settings(profile=str(folder)))


def names(engine, path) -> list[str]:
    return sorted(f.name for f in engine.check_file(str(path)).findings)


def test_compliant_text_gives_nothing(engine, tmp_path):
    pdf = make_pdf(tmp_path / "ok.pdf", ["Ale kommun", "Handläggare: Anna Svensson"])
    assert names(engine, pdf) == []


def test_forbidden_literal_with_location_and_suggestion(engine, tmp_path):
    pdf = make_pdf(tmp_path / "bad.pdf", ["Välkommen till Ale Kommun", "Handläggare: Anna"])
    (finding,) = engine.check_file(str(pdf)).findings
    assert (finding.name, finding.code) == ("text-forbidden", "X601")
    assert "Ale Kommun" in finding.message and finding.suggestion == "Ale kommun"
    assert finding.location.page == 1 and finding.location.box is not None


@pytest.mark.parametrize(
    "number",
    ["0303-33 00 00", "0303-330000", "0303/33 00 00", "+46 303 33 00 00", "+46 (0)303-33 00 00"],
)
def test_phone_numbers_compared_by_digits(engine, tmp_path, number):
    pdf = make_pdf(tmp_path / "number.pdf", [f"Ring {number}", "Handläggare: Anna"])
    assert names(engine, pdf) == ["text-forbidden"]


def test_number_split_over_two_runs_is_found(engine, tmp_path):
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), "Ring 0303-", fontname="helv", fontsize=11)
    page.insert_text((127.6, 72), "33 00 00", fontname="hebo", fontsize=11)
    page.insert_text((72, 90), "Handläggare: Anna", fontsize=11)
    path = tmp_path / "split.pdf"
    document.save(path)
    assert names(engine, path) == ["text-forbidden"]


def test_required_text_missing_once_per_document(engine, tmp_path):
    pdf = make_pdf(tmp_path / "nohandler.pdf", ["Ale kommun", "Beslut om bygglov"])
    (finding,) = engine.check_file(str(pdf)).findings
    assert (finding.name, finding.code) == ("text-required-missing", "X602")
    assert "Handläggare" in finding.message
