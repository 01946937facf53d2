"""The cache key's probes (Tesseract's version and languages, the libraries' and plug-ins'
versions) are kept in the cache folder with the stamps of what they read (batch/stamps.py) and
reused only while every stamp is the same: another Tesseract, its library, its languages,
TESSDATA_PREFIX or an installed package asks again, and a damaged memo is never trusted."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from profilecheck.analyses import ocr
from profilecheck.batch import provenance, stamps

FAKE = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "tesseract {version}"; exit 0; fi
echo 'List of available languages in "{tessdata}/" (2):'
for f in {tessdata}/*.traineddata; do basename "$f" .traineddata; done
"""


@pytest.fixture
def tesseract(tmp_path, monkeypatch) -> dict:
    """A stand-in `tesseract` (a shell script) and its language folder."""
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    for language in ("eng", "swe"):
        (tessdata / f"{language}.traineddata").write_bytes(language.encode())
    program = tmp_path / "bin" / "tesseract"
    program.parent.mkdir()
    program.write_text(FAKE.format(version="5.3.0", tessdata=tessdata))
    program.chmod(0o755)
    monkeypatch.setattr(ocr, "tesseract_path", lambda: str(program))
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    _clear()
    yield {"program": program, "tessdata": tessdata, "folder": tmp_path / "cache"}
    _clear()


def _clear() -> None:
    provenance.ocr_engine.cache_clear()
    provenance.code_digest.cache_clear()
    getattr(ocr.installed_languages, "cache_clear", lambda: None)()  # patched by one test


@pytest.fixture
def asked(monkeypatch) -> list[int]:
    """Counts the probes actually run (Tesseract asked, metadata read)."""
    calls: list[int] = []
    real = provenance.library_versions

    def counted() -> dict:
        calls.append(1)
        return real()

    monkeypatch.setattr(provenance, "library_versions", counted)
    return calls


def _probes(folder: Path) -> dict:
    _clear()
    return provenance.probes(folder)


def test_the_answers_are_kept_and_reused_while_nothing_changed(tesseract, asked):
    first = _probes(tesseract["folder"])
    assert first["ocr"] == {"tesseract": "tesseract 5.3.0", "languages": ["eng", "swe"]}
    assert (tesseract["folder"] / stamps.MEMO_NAME).is_file()
    again = _probes(tesseract["folder"])
    assert len(asked) == 1
    assert {k: again[k] for k in ("libraries", "plugins", "ocr")} == {
        k: first[k] for k in ("libraries", "plugins", "ocr")
    }


def test_the_kept_answers_are_the_probes_answers(tesseract):
    """So the key is the same whether its parts were asked or read back (`config_key` reads
    the libraries, plug-ins and OCR engine from them, nothing else)."""
    _probes(tesseract["folder"])
    kept = _probes(tesseract["folder"])
    _clear()
    asked = provenance.probes()
    assert {k: kept[k] for k in asked} == asked
    assert json.dumps(kept["ocr"], sort_keys=True) == json.dumps(asked["ocr"], sort_keys=True)


def _touch_later(path: Path) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


def test_another_tesseract_program_asks_again(tesseract, asked):
    _probes(tesseract["folder"])
    program = tesseract["program"]
    program.write_text(FAKE.format(version="5.4.1", tessdata=tesseract["tessdata"]))
    answer = _probes(tesseract["folder"])
    assert len(asked) == 2 and answer["ocr"]["tesseract"] == "tesseract 5.4.1"


def test_the_same_program_touched_asks_again(tesseract, asked):
    _probes(tesseract["folder"])
    _touch_later(tesseract["program"])
    _probes(tesseract["folder"])
    assert len(asked) == 2


def test_another_language_asks_again(tesseract, asked):
    _probes(tesseract["folder"])
    (tesseract["tessdata"] / "fin.traineddata").write_bytes(b"fin")
    answer = _probes(tesseract["folder"])
    assert len(asked) == 2 and answer["ocr"]["languages"] == ["eng", "fin", "swe"]


def test_a_replaced_language_file_asks_again(tesseract, asked):
    _probes(tesseract["folder"])
    (tesseract["tessdata"] / "swe.traineddata").write_bytes(b"a newer model")
    _probes(tesseract["folder"])
    assert len(asked) == 2


def test_tessdata_prefix_asks_again(tesseract, asked, monkeypatch):
    _probes(tesseract["folder"])
    monkeypatch.setenv("TESSDATA_PREFIX", str(tesseract["tessdata"]))
    _probes(tesseract["folder"])
    assert len(asked) == 2


def test_a_package_installed_on_the_path_asks_again(tesseract, asked, monkeypatch, tmp_path):
    packages = tmp_path / "site"
    packages.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(packages)])
    _probes(tesseract["folder"])
    (packages / "other-1.0.dist-info").mkdir()
    _touch_later(packages)  # the folder's time, whatever the file system's resolution
    _probes(tesseract["folder"])
    assert len(asked) == 2


def test_no_tesseract_is_kept_too_and_asks_again_when_it_appears(tesseract, asked, monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    assert _probes(tesseract["folder"])["ocr"] == {"tesseract": "absent"}
    _probes(tesseract["folder"])
    assert len(asked) == 1
    monkeypatch.setattr(ocr, "tesseract_path", lambda: str(tesseract["program"]))
    assert _probes(tesseract["folder"])["ocr"]["tesseract"] == "tesseract 5.3.0"
    assert len(asked) == 2


def test_languages_the_folder_does_not_show_are_never_kept(tesseract, asked, monkeypatch):
    """Where the language files found are not the languages Tesseract listed, the stamps do
    not cover the answer: nothing is kept and the probes run each time."""
    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset({"eng", "swe", "deu"}))
    _probes(tesseract["folder"])
    _probes(tesseract["folder"])
    assert len(asked) == 2
    assert not (tesseract["folder"] / stamps.MEMO_NAME).exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace("tesseract 5.3.0", "tesseract 9.9.9"),
        lambda text: "[]",
        lambda text: "\x00garbage",
    ],
)
def test_a_damaged_or_altered_memo_is_not_trusted(tesseract, asked, damage):
    _probes(tesseract["folder"])
    memo = tesseract["folder"] / stamps.MEMO_NAME
    memo.write_text(damage(memo.read_text()))
    answer = _probes(tesseract["folder"])
    assert len(asked) == 2 and answer["ocr"]["tesseract"] == "tesseract 5.3.0"
    assert json.loads(memo.read_text())["body"]["entries"][0]["answer"]["ocr"] == answer["ocr"]


def test_without_a_cache_folder_nothing_is_kept(tesseract, asked):
    _probes(None)
    _probes(None)
    assert len(asked) == 2


def test_the_language_folder_is_read_from_the_listing():
    first = 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):\neng\n'
    assert stamps.tessdata_folder(first) == "/usr/share/tesseract-ocr/5/tessdata/"
    assert stamps.tessdata_folder("List of available languages (3):\neng\n") is None


def test_warmed_answers_serve_one_key_only(tesseract, asked):
    """A scan's `warm_up` serves its own key; a later key (another scan in the same process,
    with another Tesseract perhaps) asks again."""
    provenance.warm_up(tesseract["folder"])
    first = provenance._answers()
    assert not provenance._WARMING and len(asked) == 1
    provenance._answers()
    assert len(asked) == 2
    provenance.warm_up(None)
    provenance.cool_down()  # a command that ended before its key: nothing left behind
    assert not provenance._WARMING
    assert first["ocr"]["tesseract"] == "tesseract 5.3.0"


def test_kept_answers_of_another_shape_are_not_used(tesseract, asked):
    """A memo whose checksum holds but whose answers are not what the key is made of (written
    by other code) is asked again."""
    _probes(tesseract["folder"])
    memo = tesseract["folder"] / stamps.MEMO_NAME
    entries = json.loads(memo.read_text())["body"]["entries"]
    entries[0]["answer"]["libraries"] = ["not", "a", "table"]
    stamps._write(memo, entries)
    answer = _probes(tesseract["folder"])
    assert len(asked) == 2 and isinstance(answer["libraries"], dict)
    entries[0]["answer"]["tessdata"] = 42  # not a folder: the memo is not read at all
    stamps._write(memo, entries)
    assert _probes(tesseract["folder"])["ocr"]["tesseract"] == "tesseract 5.3.0"
    assert len(asked) == 3


def test_environments_sharing_a_cache_folder_each_keep_theirs(tesseract, asked, monkeypatch):
    """Two installs (here: another folder on sys.path) scanning with one cache folder, turn
    about: each finds its own answers, neither asks again."""
    first = [*sys.path, str(tesseract["folder"].parent / "one")]
    second = [*sys.path, str(tesseract["folder"].parent / "two")]
    for path in first[-1:] + second[-1:]:
        Path(path).mkdir()
    for path in (first, second, first, second):
        monkeypatch.setattr(sys, "path", path)
        _probes(tesseract["folder"])
    assert len(asked) == 2
    entries = json.loads((tesseract["folder"] / stamps.MEMO_NAME).read_text())["body"]["entries"]
    assert len(entries) == 2


def test_the_memo_keeps_the_last_few_environments(tesseract, asked, monkeypatch):
    for n in range(stamps.MEMO_ENTRIES + 2):
        monkeypatch.setattr(sys, "path", [*sys.path, f"/nonexistent/{n}"])
        _probes(tesseract["folder"])
    entries = json.loads((tesseract["folder"] / stamps.MEMO_NAME).read_text())["body"]["entries"]
    assert len(entries) == stamps.MEMO_ENTRIES
