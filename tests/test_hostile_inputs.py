"""Hostile files and names (issue 16): zips zipfile cannot read, symlink loops, FIFOs and
devices, links that leave the folder, and Word packages whose main part is named oddly. Each
ends as a clear status for that file; the run goes on, with no traceback and no hang."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import make_pdf, run_cli

from profilecheck.batch.cache import content_digest
from profilecheck.batch.walk import WalkOptions, walk_entries
from profilecheck.core.errors import ReadError
from profilecheck.core.files import NotRegularFile, open_regular
from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.core.model import Format
from profilecheck.readers.sniffer import sniff
from profilecheck.readers.word.reader import read_docx

POSIX = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")
WITHIN = 60  # seconds: a run that blocks on a FIFO or reads /dev/zero never ends


def _docx(path: Path, text: str = "Hej") -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def _renamed(source: Path, target: Path, rename: dict[str, str]) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as out:
        for info in original.infolist():
            out.writestr(rename.get(info.filename, info.filename), original.read(info))
    return target


def _central_field(path: Path, offset: int, value: int) -> Path:
    """Set a 2-byte field of every central directory entry (6: version needed, 10: method)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + offset : at + offset + 2] = value.to_bytes(2, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command line, stopped after `WITHIN` seconds (a hang fails, not blocks, the suite)."""
    return subprocess.run(
        [sys.executable, "-m", "profilecheck", *args],
        capture_output=True, text=True, cwd=cwd, timeout=WITHIN,
    )  # fmt: skip


def _check(*args: str, cwd: Path) -> tuple[int, dict, str]:
    done = run_cli("check", "--isolated", "--format", "json", *args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr


def _scan(*args: str, cwd: Path) -> tuple[int, dict, str]:
    done = run_cli("scan", "--isolated", "--format", "json", "-j", "1", *args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr


def _by_name(report: dict) -> dict[str, dict]:
    return {os.path.basename(entry["path"]): entry for entry in report["files"]}


# --- item 2: a zip with a version field zipfile refuses --------------------------------------


def test_zip_version_25_4_is_unreadable_not_a_crash_and_the_run_goes_on(tmp_path):
    bad = _central_field(_docx(tmp_path / "version.docx"), 6, 254)  # "zip file version 25.4"
    with pytest.raises(NotImplementedError, match=r"zip file version 25\.4"):
        zipfile.ZipFile(bad)  # what used to escape from the sniffer
    _central_field(_docx(tmp_path / "method.docx"), 10, 99)  # AES: not supported
    make_pdf(tmp_path / "fine.pdf", ["Hej"])
    assert sniff(bad).format is Format.DOCX
    with pytest.raises(ReadError) as error:
        read_docx(str(bad), DEFAULT_LIMITS)
    assert "zip file version 25.4" in error.value.message

    for command in (_check, _scan):
        extra = ("--no-cache",) if command is _scan else ()
        code, report, _ = command(*extra, str(tmp_path), cwd=tmp_path)
        files = _by_name(report)
        assert code == 1 and sorted(files) == ["fine.pdf", "method.docx", "version.docx"]
        assert files["fine.pdf"]["status"] == "checked"
        version = files["version.docx"]
        assert version["status"] == "unreadable"
        assert "zip file version 25.4" in version["message"]
        assert version["findings"][0]["name"] == "unreadable-file"
        assert files["method.docx"]["status"] == "unreadable"
        assert "compression method" in files["method.docx"]["message"]


# --- item 3: a symlink to itself -------------------------------------------------------------


def test_self_referencing_link_in_a_tree_or_named_is_a_skipped_entry(tmp_path):
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    make_pdf(tree / "fine.pdf", ["Hej"])
    (tree / "loop.pdf").symlink_to("loop.pdf")
    (tree / "sub" / "loop").symlink_to("loop")  # no suffix: could be a folder or a file
    named = tmp_path / "named.pdf"
    named.symlink_to("named.pdf")
    for follow in (False, True):
        entries = walk_entries([str(tree)], WalkOptions(follow_links=follow))
        problems = {entry.relative: entry.problem for entry in entries}
        assert problems == {
            "fine.pdf": None,
            "loop.pdf": ("skipped", "symbolic link loop"),
            "sub/loop": ("skipped", "symbolic link loop"),
        }
    for command in (_check, _scan):
        extra = ("--no-cache",) if command is _scan else ()
        code, report, _ = command(*extra, str(tree), str(named), cwd=tmp_path)
        files = _by_name(report)
        assert sorted(files) == ["fine.pdf", "loop", "loop.pdf", "named.pdf"]
        assert files["fine.pdf"]["status"] == "checked"
        for name in ("loop", "loop.pdf", "named.pdf"):
            assert files[name]["status"] == "skipped"
            assert files[name]["message"] == "symbolic link loop"
        assert report["summary"]["statuses"] == {"checked": 1, "skipped": 3}
        assert code in (0, 1)  # the checked file's findings decide


# --- item 4: FIFOs and devices are never opened ----------------------------------------------


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _finishes(work, seconds: float = 10) -> object:
    """Run `work` in a thread; fail (instead of hanging the suite) if it blocks."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked: a FIFO or a device was opened or read"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


@POSIX
def test_fifo_and_dev_zero_are_not_regular_files_and_never_block(tmp_path):
    fifo = _fifo(tmp_path / "fifo.pdf")
    zero = tmp_path / "zero.pdf"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        for read in (open_regular, sniff, content_digest):
            with pytest.raises(NotRegularFile) as error:
                _finishes(lambda read=read, path=path: read(str(path)))
            assert "not a regular file" in str(error.value)


@POSIX
def test_a_fifo_swapped_in_after_the_stat_is_caught_by_fstat_without_blocking(
    tmp_path, monkeypatch
):
    fifo = _fifo(tmp_path / "swapped.pdf")
    regular = os.stat(make_pdf(tmp_path / "real.pdf", ["Hej"]))
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: regular if p == str(fifo) else real_stat(p))
    with pytest.raises(NotRegularFile) as error:
        _finishes(lambda: open_regular(str(fifo)))
    assert stat.S_ISFIFO(real_stat(fifo).st_mode) and "named pipe" in str(error.value)


@POSIX
def test_check_and_scan_give_fifos_and_devices_a_status_and_go_on(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    make_pdf(tree / "fine.pdf", ["Hej"])
    _fifo(tree / "in-tree.pdf")
    fifo = _fifo(tmp_path / "fifo.pdf")
    zero = tmp_path / "zero.pdf"
    zero.symlink_to("/dev/zero")
    cache = tmp_path / "cache"
    runs = (
        ("check", _run("check", "--isolated", "--format", "json", str(fifo), str(zero),
                       str(tree), cwd=tmp_path)),
        ("scan", _run("scan", "--isolated", "--format", "json", "-j", "1", "--cache-dir",
                      str(cache), str(fifo), str(zero), str(tree), cwd=tmp_path)),
    )  # fmt: skip
    for command, done in runs:
        assert "Traceback" not in done.stderr, (command, done.stderr)
        files = _by_name(json.loads(done.stdout))
        assert files["fine.pdf"]["status"] == "checked", command
        for name, kind in (("fifo.pdf", "named pipe"), ("zero.pdf", "character device")):
            assert files[name]["status"] == "unsupported", (command, files[name])  # named
            assert "not a regular file" in files[name]["message"]
            assert kind in files[name]["message"]
            assert files[name]["findings"][0]["name"] == "unsupported-format"
        assert files["in-tree.pdf"]["status"] == "skipped", command  # found in a walk
        assert "not a regular file" in files["in-tree.pdf"]["message"]


# --- item 10: the sniffer and the Word reader agree on the main part -------------------------


@pytest.mark.parametrize(
    "rename",
    [{"word/document.xml": "word/DOCUMENT.XML"}, {"word/document.xml": "/word/document.xml"},
     {"word/document.xml": "Word/Document.xml", "[Content_Types].xml": "[content_types].XML"}],
    ids=["upper-case", "leading-slash", "mixed-case"],
)  # fmt: skip
def test_an_oddly_named_main_part_is_a_docx_to_the_sniffer_and_the_reader(tmp_path, rename):
    path = _renamed(
        _docx(tmp_path / "base.docx", "Ring 0303-33 00 00"), tmp_path / "odd.docx", rename
    )
    assert sniff(path) == sniff(tmp_path / "base.docx")
    with read_docx(str(path), DEFAULT_LIMITS) as document:
        assert any("0303-33 00 00" in span.text for span in document.spans())
    (tmp_path / "base.docx").unlink()
    for args in ((str(path),), (str(tmp_path),)):  # named, and found in a walk
        code, report, _ = _check(*args, cwd=tmp_path)
        (entry,) = report["files"]
        assert entry["status"] == "checked" and entry["format"] == "docx", entry
        assert any(f["name"] == "contact-outdated" for f in entry["findings"])
        assert code == 1


def test_the_main_part_comes_from_the_package_relationship_and_content_types(tmp_path):
    main = "word/main.xml"  # not word/document.xml: found through _rels/.rels only
    path = _renamed(
        _docx(tmp_path / "base.docx"), tmp_path / "rel.docx", {"word/document.xml": main}
    )
    data = {}
    with zipfile.ZipFile(path) as archive:
        data = {info.filename: archive.read(info) for info in archive.infolist()}
    data["_rels/.rels"] = data["_rels/.rels"].replace(b"word/document.xml", b"/word/main.xml")
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(b"document.xml", b"main.xml")
    data["word/_rels/main.xml.rels"] = data.pop("word/_rels/document.xml.rels")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in data.items():
            archive.writestr(name, content)
    path.write_bytes(buffer.getvalue())
    assert sniff(path).format is Format.DOCX
    with read_docx(str(path), DEFAULT_LIMITS) as document:
        assert any("Hej" in span.text for span in document.spans())
    # a workbook's main part is not Word's, though the relationship is an officeDocument one
    spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    types = data["[Content_Types].xml"]
    start = types.index(b'PartName="/word/main.xml"')
    type_at = types.index(b'ContentType="', start) + len('ContentType="')
    end = types.index(b'"', type_at)
    data["[Content_Types].xml"] = types[:type_at] + spreadsheet.encode() + types[end:]
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in data.items():
            archive.writestr(name, content)
    assert sniff(path).format is Format.UNKNOWN
    with pytest.raises(ReadError, match="no main Word document part"):
        read_docx(str(path), DEFAULT_LIMITS)


# --- item 11: links are not followed out of the folder being walked --------------------------


def test_links_to_folders_and_out_of_the_root_get_a_skipped_entry(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "real").mkdir(parents=True)
    outside.mkdir()
    make_pdf(root / "real" / "a.pdf", ["Hej"])
    make_pdf(outside / "b.pdf", ["Hej"])
    (root / "folder-link").symlink_to(outside, target_is_directory=True)
    (root / "inner-link").symlink_to(root / "real", target_is_directory=True)
    (root / ".hidden-link").symlink_to(outside, target_is_directory=True)
    (root / "file-in.pdf").symlink_to(root / "real" / "a.pdf")
    (root / "file-out.pdf").symlink_to(outside / "b.pdf")
    entries = {e.relative: e.problem for e in walk_entries([str(root)])}
    assert entries == {
        "file-in.pdf": None,  # a link inside the root is another name for a file in it
        "file-out.pdf": ("skipped", "symlinked file outside the folder being walked; not followed"),
        "folder-link": ("skipped", "symlinked folder not followed"),
        "inner-link": ("skipped", "symlinked folder not followed"),
        "real/a.pdf": None,
    }
    followed = {
        e.relative: e.problem for e in walk_entries([str(root)], WalkOptions(follow_links=True))
    }
    assert followed == {
        "file-in.pdf": None,
        "file-out.pdf": None,
        "folder-link/b.pdf": None,
        "inner-link/a.pdf": None,
        "real/a.pdf": None,
    }
    named = list(walk_entries([str(root / "file-out.pdf"), str(root / "folder-link")]))
    assert [e.problem for e in named] == [None, None]  # named on the command line: followed
    _, report, _ = _check(str(root), cwd=tmp_path)
    statuses = {os.path.relpath(e["path"], root): e["status"] for e in report["files"]}
    assert statuses == {
        "file-in.pdf": "checked",
        "file-out.pdf": "skipped",
        "folder-link": "skipped",
        "inner-link": "skipped",
        os.path.join("real", "a.pdf"): "checked",
    }
