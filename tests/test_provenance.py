"""The scan cache keys a result on what produced it: the code, the libraries, the OCR engine."""

from __future__ import annotations

from importlib import metadata

import pytest

from profilecheck.analyses import ocr
from profilecheck.batch import provenance
from profilecheck.batch.scan import config_key
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile


@pytest.fixture
def engine() -> Engine:
    return Engine(load_profile("ale"), Settings(profile="ale"))


@pytest.fixture(autouse=True)
def fresh_caches():
    for cached in (provenance.code_digest, provenance.ocr_engine, ocr.tesseract_path):
        cached.cache_clear()
    ocr.installed_languages.cache_clear()
    yield
    for cached in (provenance.code_digest, provenance.ocr_engine, ocr.tesseract_path):
        cached.cache_clear()
    ocr.installed_languages.cache_clear()


def test_the_key_is_stable(engine: Engine) -> None:
    assert config_key(engine) == config_key(engine)


def test_a_result_made_without_tesseract_is_not_reused_with_it(engine, monkeypatch) -> None:
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    without = config_key(engine)
    monkeypatch.setattr(ocr, "tesseract_path", lambda: "/usr/bin/tesseract-that-is-not-there")
    provenance.ocr_engine.cache_clear()
    assert config_key(engine) != without


def test_other_ocr_languages_change_the_key(engine, monkeypatch) -> None:
    monkeypatch.setattr(ocr, "tesseract_path", lambda: "/bin/echo")
    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset({"eng"}))
    english = config_key(engine)
    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset({"eng", "swe"}))
    provenance.ocr_engine.cache_clear()
    assert config_key(engine) != english


def test_edited_code_of_the_same_version_changes_the_key(engine, monkeypatch, tmp_path) -> None:
    before = config_key(engine)
    copy = tmp_path / "profilecheck"
    copy.mkdir()
    (copy / "module.py").write_text("print('edited')\n")
    monkeypatch.setattr(provenance, "PACKAGE", copy)
    provenance.code_digest.cache_clear()
    assert config_key(engine) != before


def test_another_library_version_changes_the_key(engine, monkeypatch) -> None:
    before = config_key(engine)
    real = metadata.version
    monkeypatch.setattr(
        metadata,
        "version",
        lambda dist: "0.0-other" if "opencv" in dist else real(dist),
    )
    assert config_key(engine) != before
    assert provenance.library_versions()["opencv"].endswith("0.0-other")
