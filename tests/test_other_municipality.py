"""Another municipality is data, not code: the invented Norrvik kommun (tests/profiles/norrvik)
gets the contact, logo and accessibility checks with its own contact centre, numbers, domain,
places, logotype name and words, and none of Ale's."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import pytest
from conftest import make_pdf, run_cli, run_rule

from profilecheck.checks.contact import ContactParams, ContactRule, lexicon
from profilecheck.core.codes import CATALOGUE
from profilecheck.core.model import Severity
from profilecheck.core.results import Finding
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

ROOT = Path(__file__).resolve().parents[1]
NORRVIK = Path(__file__).resolve().parent / "profiles" / "norrvik"
ALE = ROOT / "rules" / "ale"
VAPEN = ALE / "artwork" / "png" / "vapen-colour-print.png"
MM = 72 / 25.4


@functools.cache
def engine(profile: Path, lang: str, select: str) -> Engine:
    settings = Settings(profile=str(profile), lang=lang, select=select.split(","))
    return Engine(load_profile(str(profile)), settings)


def check(path: Path, select: str, lang: str = "sv", profile: Path = NORRVIK) -> list[Finding]:
    return engine(profile, lang, select).check_file(str(path)).findings


def names(findings: list[Finding]) -> list[str]:
    return sorted(f.name for f in findings)


def only(findings: list[Finding], name: str) -> Finding:
    (finding,) = [f for f in findings if f.name == name]
    return finding


def test_the_profile_is_valid_and_stands_alone():
    done = run_cli("profile", "validate", str(NORRVIK))
    assert done.returncode == 0, done.stdout + done.stderr
    profile = load_profile(str(NORRVIK))
    assert profile.chain == ["norrvik"]
    assert {rule.type for rule in profile.rules} == {"contact", "logo", "accessibility"}


# --- contact ------------------------------------------------------------------------------


def test_a_named_norrvik_contact_passes(tmp_path):
    lines = ["Handläggare: Lisa Berg", "Telefon 070-174 06 50", "lisa.berg@norrvik.example"]
    assert check(make_pdf(tmp_path / "ok.pdf", lines), "K") == []


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("sv", "Norrviks dokument saknar kontaktperson (bara Medborgarservice, 0980-319 200)"),
        ("en", "Norrvik's document names no contact person (just Medborgarservice, 0980-319 200)"),
    ],
)
def test_medborgarservice_alone_is_warned_in_norrviks_words(tmp_path, lang, message):
    pdf = make_pdf(tmp_path / "generic.pdf", ["Frågor? Ring Medborgarservice 0980-319 200."])
    (finding,) = check(pdf, "K", lang)
    assert (finding.name, finding.severity) == ("contact-missing", Severity.WARNING)
    assert finding.message == message


@pytest.mark.parametrize(
    ("lang", "message", "suggestion"),
    [
        ("sv", "Gammal kontaktuppgift ”0980-319 250” (Medborgarservice gamla nummer)",
         "Ring Medborgarservice på 0980-319 200"),
        ("en", "Old contact detail “0980-319 250” (Medborgarservice's old number)",
         "Call Medborgarservice on 0980-319 200"),
    ],
)  # fmt: skip
def test_norrviks_old_number_is_outdated(tmp_path, lang, message, suggestion):
    pdf = make_pdf(tmp_path / "old.pdf", ["Kontakt: Lisa Berg, 0980-319 250"])
    (finding,) = check(pdf, "K", lang)
    assert finding.name == "contact-outdated" and finding.code == "K403"
    assert (finding.message, finding.suggestion) == (message, suggestion)
    assert finding.location.page == 1 and finding.location.box is not None


def test_ales_old_number_is_not_wired_in(tmp_path):
    pdf = make_pdf(tmp_path / "ale-old.pdf", ["Kontakt: Lisa Berg, 0303-33 00 00"])
    assert check(pdf, "K") == []  # Norrvik's rule files do not list it
    assert names(check(pdf, "K", profile=ALE)) == ["contact-outdated"]  # Ale's do


def test_ales_contact_centre_is_nobody_here(tmp_path):
    pdf = make_pdf(tmp_path / "ale-centre.pdf", ["Frågor? Ring Kontaktcenter 0303-70 30 00."])
    norrvik = check(pdf, "K")
    assert names(norrvik) == ["contact-incomplete", "contact-missing"]
    missing = only(norrvik, "contact-missing")
    assert missing.severity is Severity.ERROR  # not "only the contact centre": a warning
    assert missing.message == "Norrviks dokument saknar kontaktperson (inga kontaktuppgifter)"
    incomplete = only(norrvik, "contact-incomplete").message
    assert (
        incomplete == "Kontakten är ofullständig: ingen namngiven person hör till ”0303-70 30 00”"
    )
    (ale,) = check(pdf, "K", profile=ALE)
    assert (ale.name, ale.severity) == ("contact-missing", Severity.WARNING)
    assert ale.message == "Ingen namngiven kontaktperson (endast Kontaktcenter: 0303-70 30 00)"


def test_only_norrviks_domain_is_accepted(tmp_path):
    pdf = make_pdf(tmp_path / "ale-mail.pdf", ["Kontakt: Lisa Berg, lisa.berg@ale.se"])
    (finding,) = check(pdf, "K")
    assert finding.name == "contact-outdated"
    assert finding.message == (
        "Gammal kontaktuppgift ”lisa.berg@ale.se” (inte en adress på norrvik.example)"
    )
    assert check(pdf, "K", profile=ALE) == []


def test_norrviks_places_are_not_people(tmp_path):
    """Klara Strand is a Norrvik quay; Klara and Strand are a given name and a surname."""
    pdf = make_pdf(tmp_path / "quay.pdf", ["Kontakt: Klara Strand, 0980-319 200"])
    assert names(check(pdf, "K")) == ["contact-missing"]
    source = NORRVIK / "rules" / "contact.toml"
    table = tomllib.loads(source.read_text("utf-8"))["params"]
    without_places = {key: value for key, value in table.items() if key != "generic-words"}
    from profilecheck.core.limits import DEFAULT_LIMITS
    from profilecheck.readers import read_document, sniff

    with read_document(str(pdf), sniff(pdf), DEFAULT_LIMITS) as document:
        assert run_rule(ContactRule, without_places, document, source, str(NORRVIK)) == []
    norrvik = lexicon(ContactParams(generic_words=table["generic-words"]))
    assert norrvik.generic("Storbacken") and not norrvik.generic("Nödinge")


# --- logo -------------------------------------------------------------------------------------


def vapen_pdf(path: Path, width_mm: float | None = 35, beside: str = "") -> Path:
    """An A4 page with the vapen `width_mm` wide at the top left (none: no vapen) and, if given,
    text set at the name's size beside it."""
    import pymupdf
    from PIL import Image

    document = pymupdf.open()
    page = document.new_page(width=595.28, height=841.89)
    page.insert_text((72, 400), "Välkommen till Norrvik", fontsize=12)
    if width_mm is not None:
        with Image.open(VAPEN) as image:
            aspect = image.height / image.width
        rect = pymupdf.Rect(72, 72, 72 + width_mm * MM, 72 + width_mm * MM * aspect)
        page.insert_image(rect, filename=str(VAPEN), keep_proportion=False)
        if beside:
            page.insert_text((rect.x1 + 10, (rect.y0 + rect.y1) / 2 + 7), beside, fontsize=20)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def logos(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("norrvik-logo")
    return {
        "bare": vapen_pdf(folder / "bare.pdf"),
        "small": vapen_pdf(folder / "small.pdf", width_mm=25),
        "none": vapen_pdf(folder / "none.pdf", width_mm=None),
        "own-name": vapen_pdf(folder / "own-name.pdf", beside="Norrvik kommun"),
        "ale-name": vapen_pdf(folder / "ale-name.pdf", beside="Ale kommun"),
    }


def test_the_bare_vapen_is_found_as_norrviks_and_reported_without_its_name(logos):
    findings = check(logos["bare"], "L")
    assert names(findings) == ["logo-found", "logo-separated"]
    found = only(findings, "logo-found")
    assert found.measured["version"] == "norrvik-vapen"
    # no message for logo-found in Norrvik's rule file: the catalogue's summary
    assert found.message == CATALOGUE["logo-found"].summary
    separated = only(findings, "logo-separated")
    assert separated.message == "Vapnet står utan namnet Norrvik kommun"
    assert separated.suggestion == "Använd Norrviks logotyp med namnet"
    english = only(check(logos["bare"], "L", "en"), "logo-separated")
    assert english.message == "The coat of arms stands without the name Norrvik kommun"
    assert english.suggestion == "Use Norrvik's logotype with the name"


def test_norrviks_minimum_size_not_ales(logos):
    small = only(check(logos["small"], "L"), "logo-too-small")
    assert small.message == "Norrviks vapen är för litet: 25.0 mm (minst 30 mm)"
    assert "logo-too-small" not in names(check(logos["small"], "L", profile=ALE))  # 20 mm


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("sv", "Norrviks vapen saknas på sidan 1"),
        ("en", "Norrvik's coat of arms is missing on page 1"),
    ],
)
def test_missing_in_norrviks_words(logos, lang, message):
    (finding,) = check(logos["none"], "L", lang)
    assert (finding.name, finding.message) == ("logo-missing", message)


def test_the_logotype_name_is_norrviks(logos):
    own = only(check(logos["own-name"], "L"), "logo-recombined")
    assert own.message == "Vapnet är satt ihop med text: namnet är skrivet som text"
    assert own.suggestion == "Använd Norrviks logotypfil"
    ale = only(check(logos["ale-name"], "L"), "logo-recombined")
    assert ale.message == "Vapnet är satt ihop med text: ”Ale kommun” där namnet ska stå"
    under_ale = only(check(logos["ale-name"], "L", profile=ALE), "logo-recombined")
    assert under_ale.message == "Vapnet är kombinerat med text: namnet är satt som text"


# --- accessibility: the logotype's name is exempt from contrast ---------------------------------


def test_only_norrviks_logotype_text_is_exempt_from_contrast(tmp_path):
    import pymupdf

    def pale_beside_vapen(name: str, text: str) -> Path:
        document = pymupdf.open()
        page = document.new_page(width=595.28, height=841.89)
        page.insert_image(pymupdf.Rect(40, 100, 70, 136), filename=str(VAPEN))
        page.insert_text((72, 120), text, fontsize=12, color=(0.6, 0.8, 0.6))  # 1.6:1
        document.save(tmp_path / name)
        return tmp_path / name

    own = pale_beside_vapen("own.pdf", "Norrvik kommun")
    ale = pale_beside_vapen("ale.pdf", "Ale kommun")
    assert check(own, "A505") == []
    (finding,) = check(ale, "A505")
    assert finding.message.startswith("För låg kontrast ") and "”Ale kommun”" in finding.message
    assert names(check(own, "A505", profile=ALE)) == ["text-contrast-low"]
    assert check(ale, "A505", profile=ALE) == []
