"""The scan cache: digests, stat shortcuts, batches, damaged databases, result round trips."""

from __future__ import annotations

import dataclasses
import os
import pickle

import pytest

from profilecheck.batch.cache import (
    DATABASE_NAME,
    Cache,
    CachedFileResult,
    FileRow,
    bind_path,
    content_digest,
    path_neutral,
    settings_key,
)
from profilecheck.batch.integrity import payload, sound_result
from profilecheck.core.model import Box, Part, Severity, Status
from profilecheck.core.results import FileResult, Finding, Location


def _result(path: str) -> FileResult:
    finding = Finding(
        "K403",
        "contact-outdated",
        Severity.ERROR,
        "Outdated phone number",
        Location(path, page=2, box=Box(10.123, 20, 110.5, 40), part=Part.FOOTER),
        rule="ale/outdated-switchboard",
        suggestion="Use 0303-70 30 00",
        measured={"value": 1.23456, "limit": 2},
    )
    return FileResult(path, "pdf", Status.CHECKED, [finding], pages=2, warnings=["odd xref"])


def test_file_result_round_trips_through_its_dict():
    data = _result("/share/a.pdf").as_dict()
    assert FileResult.from_dict(data).as_dict() == data


def test_result_is_stored_without_its_path_and_bound_to_another(tmp_path):
    data = _result("/share/a.pdf").as_dict()
    neutral = path_neutral(data)
    assert neutral["path"] == "" and neutral["findings"][0]["location"]["path"] == ""
    moved = FileResult.from_dict(bind_path(neutral, "/share/b.pdf"))
    assert moved.path == "/share/b.pdf"
    assert moved.findings[0].location.path == "/share/b.pdf"


def test_digest_depends_on_content_only(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a.write_bytes(b"same")
    b.write_bytes(b"same")
    c.write_bytes(b"other")
    assert content_digest(str(a)) == content_digest(str(b)) != content_digest(str(c))


def test_stat_shortcut_notices_size_mtime_and_inode(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"one")
    row = FileRow.of(os.stat(path), "d")
    assert row.matches(os.stat(path))
    os.utime(path, ns=(1, 1))
    assert not row.matches(os.stat(path))


def test_settings_key_changes_with_settings_and_ignores():
    base = settings_key("config", False, ())
    assert base == settings_key("config", False, ())
    assert base != settings_key("other-config", False, ())
    assert base != settings_key("config", True, ())
    assert base != settings_key("config", False, ("K403",))


def test_store_and_read_back_below_a_root(tmp_path):
    root = str(tmp_path / "share")
    inside, outside = os.path.join(root, "a.pdf"), str(tmp_path / "share2" / "b.pdf")
    with Cache(tmp_path / "cache") as cache:
        cache.store(
            [(inside, FileRow(1, 2, 3, "d1")), (outside, FileRow(1, 2, 3, "d2"))],
            [("k1", path_neutral(_result(inside).as_dict()))],
        )
    with Cache(tmp_path / "cache") as cache:
        rows = cache.file_rows([root])
        assert list(rows) == [os.fsencode(inside)]
        assert set(cache.results(["k1", "missing"])) == {"k1"}
        assert cache.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_paths_that_are_not_utf8_are_stored(tmp_path):
    path = os.fsdecode(b"/share/caf\xe9.pdf")
    with Cache(tmp_path) as cache:
        cache.store([(path, FileRow(1, 2, 3, "d"))], [])
        assert os.fsencode(path) in cache.file_rows(["/share"])


def test_a_damaged_database_is_set_aside_with_a_warning(tmp_path):
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not a database" * 100)
    warnings = []
    with Cache(tmp_path, warn=warnings.append) as cache:
        assert cache.recovered
        assert cache.results(["k"]) == {}
    assert any(p.name.startswith(f"{DATABASE_NAME}.damaged-") for p in tmp_path.iterdir())
    (warning,) = warnings
    assert "damaged" in warning and "header" in warning and "moved aside" in warning


def test_cached_result_builds_its_findings_on_first_use_and_acts_as_a_file_result():
    template = FileResult.from_dict(path_neutral(_result("/share/a.pdf").as_dict()))
    cached = CachedFileResult.of(template, "/share/b.pdf")
    expected = FileResult.from_dict(bind_path(template.as_dict(), "/share/b.pdf"))
    assert cached.as_dict() == expected.as_dict()
    assert cached.findings[0].location.path == "/share/b.pdf"
    assert template.findings[0].location.path == ""  # the shared template is left alone
    cached.warnings.append("a note")
    assert template.warnings == ["odd xref"]
    assert pickle.loads(pickle.dumps(cached)).as_dict() == cached.as_dict()
    replaced = dataclasses.replace(cached, findings=[])
    assert replaced.findings == [] and replaced.path == "/share/b.pdf"
    unread = CachedFileResult.of(template, "/share/c.pdf")
    unread.findings = []  # set before it was ever read
    assert unread.findings == []


def test_file_rows_come_back_as_database_rows(tmp_path):
    with Cache(tmp_path / "cache") as cache:
        cache.store([("/share/a.pdf", FileRow(1, 2, 3, "d"))], [])
        (row,) = cache.file_rows(["/share"]).values()
    assert FileRow.of_row(row) == FileRow(1, 2, 3, "d")


def test_a_stored_result_is_counted_and_written_from_its_row_its_findings_built_when_read():
    row = path_neutral(_result("/share/a.pdf").as_dict())
    data, check = payload("k", row)
    stored = sound_result("k", data, check)
    assert stored is not None and stored.row == row and stored.shared_form() is None
    judged = stored.judged
    assert [(j.name, j.severity, j.suppressed) for j in judged] == [
        ("contact-outdated", Severity.ERROR, None)
    ]
    assert stored.judged is judged and stored._pending is not None  # not built yet
    assert stored.worst is Severity.ERROR and not stored.not_checked
    cached = CachedFileResult.of(stored, "/share/b.pdf")
    assert cached.judged is judged and cached.shared_form() is stored.row
    assert stored._pending is not None  # counting and writing built nothing
    assert cached.as_dict() == bind_path(row, "/share/b.pdf")
    assert stored.findings == FileResult.from_dict(row).findings  # read: built, the same
    assert stored.judged == stored.findings


@pytest.mark.parametrize(
    "damage",
    [
        {"severity": "fatal"},
        {"message": 12},
        {"name": None},
        {"location": {"page": 1}},
        {"location": {"path": "", "part": "margin"}},
        {"location": {"path": "", "box_pt": [1, 2, 3]}},
        {"location": {"path": "", "page": "1"}},
        {"measured": [1, 2]},
        {"suppressed": 1},
    ],
)
def test_a_stored_finding_that_would_not_build_is_refused_before_it_is_used(damage):
    row = path_neutral(_result("/share/a.pdf").as_dict())
    row["findings"][0].update(damage)
    data, check = payload("k", row)
    assert sound_result("k", data, check) is None
    assert sound_result("k", *payload("k", path_neutral(_result("/a").as_dict()))) is not None
