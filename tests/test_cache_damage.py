"""A damaged scan cache (issue 16, item 5): garbage in the middle of the database file, a
truncated file, a garbage header, damaged or altered rows. Each later scan is complete and
correct, says what it did on stderr, and never crashes; damaged rows are checked again."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import zlib
from pathlib import Path

import pytest
from conftest import FORBID_OLD, make_pdf, make_profile

from profilecheck.batch.cache import DATABASE_NAME, Cache
from profilecheck.batch.scan import ScanOptions, scan
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

OLD = "Ring 0303-33 00 00"
FILES = 60


@pytest.fixture(scope="module")
def share(tmp_path_factory) -> tuple[Path, Path]:
    """A tree of small PDFs, half with a finding, each with its own text, and a profile."""
    base = tmp_path_factory.mktemp("damage")
    root = base / "share"
    for i in range(FILES):
        folder = root / f"f{i // 20}"
        folder.mkdir(parents=True, exist_ok=True)
        make_pdf(folder / f"doc{i:03d}.pdf", [f"{OLD if i % 2 else 'Hej'} nummer {i}"])
    return root, make_profile(base / "profile", {"old": FORBID_OLD}, name="test")


def _scan(share: tuple[Path, Path], cache: Path):
    root, profile = share
    engine = Engine(load_profile(str(profile)), Settings(profile=str(profile)))
    return scan([str(root)], engine, ScanOptions(jobs=1, cache_dir=cache))


def _results(outcome) -> list[dict]:
    return [result.as_dict() for result in outcome.run.files]


@pytest.fixture(scope="module")
def reference(share, tmp_path_factory) -> tuple[list[dict], bytes]:
    """The correct results, and a sound cache file holding them."""
    cache = tmp_path_factory.mktemp("reference-cache")
    outcome = _scan(share, cache)
    assert outcome.checked == FILES
    with Cache(cache):  # a clean close: everything in the database file itself
        pass
    return _results(outcome), (cache / DATABASE_NAME).read_bytes()


def _damaged_scan(share, reference, tmp_path, capsys, damage) -> tuple[object, str]:
    """Damage a copy of the sound cache, scan with it, check the scan; (outcome, stderr)."""
    expected, sound = reference
    cache = tmp_path / "cache"
    cache.mkdir()
    database = cache / DATABASE_NAME
    database.write_bytes(sound)
    damage(database)
    capsys.readouterr()
    outcome = _scan(share, cache)
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    assert _results(outcome) == expected, (
        "the scan with a damaged cache is not complete and correct"
    )
    healed = _scan(share, cache)  # and the scan after it trusts the cache again, quietly
    assert _results(healed) == expected and healed.checked == 0
    assert capsys.readouterr().err == ""
    return outcome, stderr


def _garbage(offset_fraction: float, seed: int):
    def damage(database: Path) -> None:
        size = database.stat().st_size
        with open(database, "r+b") as handle:
            handle.seek(max(0, int(size * offset_fraction) - 4096))
            handle.write(random.Random(seed).randbytes(8192))

    return damage


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75, 1.0])
def test_8_kib_of_garbage_in_the_database_is_survived_with_a_warning(
    share, reference, tmp_path, capsys, where
):
    _, stderr = _damaged_scan(share, reference, tmp_path, capsys, _garbage(where, 16))
    (line,) = stderr.splitlines()
    assert line.startswith("profilecheck: warning: ")
    assert "damaged" in line and str(tmp_path / "cache" / DATABASE_NAME) in line
    if "moved aside" in line:  # damage to the file's structure: set aside, named in the line
        aside = [p.name for p in (tmp_path / "cache").iterdir() if ".damaged-" in p.name]
        assert aside and aside[0].startswith(f"{DATABASE_NAME}.damaged-") and aside[0] in line
    else:  # damage inside rows only: those rows are re-checked
        assert "row(s)" in line and "checked again" in line


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda db: os.truncate(db, db.stat().st_size // 2 + 100), "truncated"),
        (lambda db: os.truncate(db, db.stat().st_size // 2 // 4096 * 4096), "truncated"),
        (lambda db: db.write_bytes(b"garbage!" * 64 + db.read_bytes()[512:]), "header"),
        (lambda db: db.write_bytes(b"\x00" * db.stat().st_size), "header"),
        (lambda db: _rows(db, _not_utf8), "Could not decode to UTF-8"),
    ],
    ids=["truncated-mid-page", "truncated-at-a-page", "garbage-header", "zeroed", "not-utf8"],
)
def test_a_truncated_file_or_a_garbage_header_is_set_aside_and_said(
    share, reference, tmp_path, capsys, damage, said
):
    outcome, stderr = _damaged_scan(share, reference, tmp_path, capsys, damage)
    (line,) = stderr.splitlines()
    assert said in line and "moved aside" in line
    assert outcome.checked == FILES


def _rows(database: Path, change) -> None:
    with sqlite3.connect(database) as db:
        change(db)
    sqlite3.connect(database).close()


def _not_utf8(db: sqlite3.Connection) -> None:
    db.execute("UPDATE files SET digest = CAST(X'FF41FE' AS TEXT)")  # text, not UTF-8


def _rewrite_result(make_text):
    """Replace the text of the first three results rows, with a checksum that fits it (so the
    row's own validation, not the checksum, must catch it) unless `make_text` says otherwise."""

    def damage(database: Path) -> None:
        def change(db: sqlite3.Connection) -> None:
            keys = [k for (k,) in db.execute("SELECT key FROM results ORDER BY key LIMIT 3")]
            for key in keys:
                text, fix_check = make_text(key)
                check = zlib.crc32(text) if fix_check else 0
                db.execute('UPDATE results SET result = ?, "check" = ? WHERE key = ?',
                           (text, check, key))  # fmt: skip

        _rows(database, change)

    return damage


def _payload(key: str, result: dict) -> tuple[bytes, bool]:
    return json.dumps({"key": key, "result": result}).encode(), True


@pytest.mark.parametrize(
    "make_text",
    [
        lambda key: (b'{"key": "' + key.encode() + b'", "result": {"path": ""', True),
        lambda key: _payload(key, {"path": ""}),  # no format, no status
        lambda key: _payload(key, {"path": "", "format": "pdf", "status": "perfect"}),
        lambda key: (b"\xff\xfe not even text", False),  # the checksum does not hold
    ],
    ids=["json-decode-error", "key-error", "value-error", "bad-checksum"],
)
def test_damaged_result_rows_are_checked_again_not_trusted(
    share, reference, tmp_path, capsys, make_text
):
    outcome, stderr = _damaged_scan(share, reference, tmp_path, capsys, _rewrite_result(make_text))
    assert outcome.checked == 3 and outcome.from_cache == FILES - 3
    (line,) = stderr.splitlines()
    assert "3 damaged row(s)" in line and "checked again" in line


def test_a_row_whose_digest_was_altered_does_not_serve_another_files_findings(
    share, reference, tmp_path, capsys
):
    root, _ = share
    clean, dirty = root / "f0" / "doc000.pdf", root / "f0" / "doc001.pdf"  # Hej / the old number

    def lend_digest(database: Path) -> None:
        def change(db: sqlite3.Connection) -> None:
            (digest,) = db.execute(
                "SELECT digest FROM files WHERE path = ?", (os.fsencode(dirty),)
            ).fetchone()
            db.execute("UPDATE files SET digest = ? WHERE path = ?", (digest, os.fsencode(clean)))

        _rows(database, change)

    outcome, stderr = _damaged_scan(share, reference, tmp_path, capsys, lend_digest)
    by_path = {result.path: result for result in outcome.run.files}
    assert by_path[str(clean)].findings == []  # its own result, not doc001's outdated number
    assert [f.name for f in by_path[str(dirty)].findings] == ["contact-outdated"]
    assert outcome.checked == 0, "the file is hashed again; its own result is in the cache"
    assert "1 damaged row(s)" in stderr


def test_a_result_row_moved_to_another_key_is_not_served(share, reference, tmp_path, capsys):
    def swap_keys(database: Path) -> None:
        def change(db: sqlite3.Connection) -> None:
            first, second = [k for (k,) in db.execute("SELECT key FROM results LIMIT 2")]
            db.execute("DELETE FROM results WHERE key = ?", (first,))
            db.execute("UPDATE results SET key = ? WHERE key = ?", (first, second))

        _rows(database, change)

    outcome, stderr = _damaged_scan(share, reference, tmp_path, capsys, swap_keys)
    assert outcome.checked == 2  # the row names its own key: neither file takes it
    assert "1 damaged row(s)" in stderr


def test_a_cache_that_cannot_be_used_at_all_is_left_alone_and_the_scan_goes_on(
    share, reference, tmp_path, capsys
):
    expected, _ = reference
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_bytes(b"a file where the cache folder should be")
    outcome = _scan(share, not_a_folder)
    assert _results(outcome) == expected and outcome.checked == FILES
    (line,) = capsys.readouterr().err.splitlines()
    assert "cannot be used" in line and "scanning without it" in line
    assert not_a_folder.read_bytes() == b"a file where the cache folder should be"


def test_damaged_rows_read_before_the_file_is_set_aside_get_no_second_line(tmp_path):
    """Rows found damaged, then the database itself found malformed (the rows are read in a
    thread beside the walk, so either can come first): one warning, the file set aside; the
    rows need no line of their own, since every file the cache held is checked again."""
    lines: list[str] = []
    cache = Cache(tmp_path / "cache", warn=lines.append)
    cache.damaged_rows = 2
    cache._failed(sqlite3.DatabaseError("database disk image is malformed"))
    cache.close()
    (line,) = lines
    assert "moved aside" in line and "row(s)" not in line
    assert [p for p in (tmp_path / "cache").iterdir() if ".damaged-" in p.name]


def test_damaged_rows_alone_are_said_once(tmp_path):
    lines: list[str] = []
    cache = Cache(tmp_path / "cache", warn=lines.append)
    cache.damaged_rows = 2
    cache.close()
    assert lines == [
        f"2 damaged row(s) of the scan cache {tmp_path / 'cache' / DATABASE_NAME} were not "
        "trusted; those files were checked again"
    ]
