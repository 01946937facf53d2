"""`profilecheck scan`: walk, workers with limits, cache and resume, Dask, baselines."""

from __future__ import annotations

import fnmatch
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from profilecheck.batch.cache import DATABASE_NAME
from profilecheck.batch.scan import ScanOptions, scan
from profilecheck.batch.walk import WalkOptions, _Globs, walk_entries
from profilecheck.batch.workers import ProcessLimits
from profilecheck.cli.main import main
from profilecheck.core.model import Status
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
OLD_NUMBER = "Ring 0303-33 00 00"
RULE = """type = "text"
severity = "error"
[[params.forbidden]]
kind = "digits"
pattern = "0303-33 00 00"
finding = "contact-outdated"
description = "old switchboard"
[messages.contact-outdated]
sv = "Inaktuellt nummer {match}"
en = "Outdated number {match}"
"""


# --- engines for the worker tests: built in each worker by "module:name" ---


class HangingEngine(Engine):
    def check_file(self, path, explicit=True):
        if "hang" in os.path.basename(path):
            time.sleep(600)
        if "bloat" in os.path.basename(path):
            hog = bytearray(2_000_000_000)  # far past the memory cap
            hog[-1] = 1
        if "crash" in os.path.basename(path):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().check_file(path, explicit)


FACTORY = f"{__name__}:HangingEngine"


# --- fixtures ---


@pytest.fixture
def profile_dir(tmp_path):
    folder = tmp_path / "profile"
    (folder / "rules").mkdir(parents=True)
    (folder / "profile.toml").write_text(
        'name = "tiny"\ntitle = "Tiny"\nversion = "1"\nlanguage = "en"\n', encoding="utf-8"
    )
    (folder / "rules" / "old-number.toml").write_text(RULE, encoding="utf-8")
    return folder


def _pdf(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), text)
    path.write_bytes(document.tobytes())  # PyMuPDF cannot save to a name that is not UTF-8
    document.close()
    return path


def _tree(root: Path, count: int = 6) -> Path:
    for i in range(count):
        folder = root / ("bad" if i % 2 else "good")
        _pdf(folder / f"doc{i:03d}.pdf", OLD_NUMBER if i % 2 else f"Hej {i}")
    return root


def _engine(profile_dir: Path) -> Engine:
    return Engine(load_profile(str(profile_dir)), Settings(profile=str(profile_dir)))


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", "--isolated", *args])
    return result.exit_code, result.stdout, result.stderr


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- walk ---


def test_walk_skips_lock_temp_hidden_and_system_files(tmp_path):
    for name in ("a.pdf", "~$a.docx", "b.tmp", ".hidden.pdf", "Thumbs.db", ".git/x.pdf",
                 "$RECYCLE.BIN/y.pdf", "sub/c.pdf"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    names = lambda options: [e.relative for e in walk_entries([str(tmp_path)], options)]  # noqa: E731
    assert names(WalkOptions()) == ["a.pdf", "sub/c.pdf"]
    everything = WalkOptions(include_hidden=True, include_temp=True)
    assert len(names(everything)) == 8
    assert names(WalkOptions(include=("*.pdf",), exclude=("sub",))) == ["a.pdf"]


def test_walk_reports_link_loops_broken_links_and_denied_folders(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    (tmp_path / "broken.pdf").symlink_to(tmp_path / "missing.pdf")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    entries = list(walk_entries([str(tmp_path)], WalkOptions(follow_links=True)))
    problems = {e.relative: e.problem for e in entries}
    assert problems["a/loop"][0] == "skipped" and "loop" in problems["a/loop"][1]
    assert problems["broken.pdf"] == ("skipped", "broken link: its target does not exist")
    assert problems["locked"][0] == "unreadable"
    (not_followed,) = walk_entries([str(tmp_path / "a")])
    assert not_followed.problem == ("skipped", "symlinked folder not followed")


def test_walk_globs_match_as_fnmatch_does():
    patterns = ("~$*", "*.tmp", "Thumbs.db", "sub", "[ab]*.pdf", "f?o.*", "*", "x*y*z")
    names = ("~$a.docx", "a.tmp", "Thumbs.db", "thumbs.db", "sub", "sub2", "a1.pdf", "c.pdf",
             "foo.pdf", "fo.pdf", "xyz", "xaybzc", "", "a.tmp.pdf")  # fmt: skip
    for pattern in patterns:
        globs = _Globs([pattern])
        for name in names:
            assert globs.match(name) == fnmatch.fnmatchcase(name, pattern), (pattern, name)


def test_walk_has_no_depth_limit(tmp_path):
    folder = tmp_path
    try:
        for _ in range(1100):  # deeper than Python's recursion limit
            (folder / "d").mkdir()
            folder = folder / "d"
        (folder / "deep.pdf").write_bytes(b"x")
        (entry,) = walk_entries([str(tmp_path)])
        assert entry.relative.endswith("d/deep.pdf") and entry.problem is None
    finally:  # from the bottom up: shutil.rmtree (pytest's clean-up) recurses too deep here
        (folder / "deep.pdf").unlink(missing_ok=True)
        while folder != tmp_path:
            folder.rmdir()
            folder = folder.parent


# --- the command ---


def test_scan_reports_every_file_with_folders_and_exit_code(tmp_path, profile_dir):
    root = _tree(tmp_path / "share")
    (root / "notes.txt").write_text("not a document")
    out = tmp_path / "out.json"
    code, _, stderr = _cli(str(root), "--profile", str(profile_dir), "-j", "2", "--no-cache",
                           "--format", "json", "-o", str(out))  # fmt: skip
    assert code == 1, stderr
    document = _json(out)
    statuses = {Path(f["path"]).name: f["status"] for f in document["files"]}
    assert statuses["notes.txt"] == "skipped" and len(statuses) == 7
    assert document["summary"]["by_name"] == {"contact-outdated": 3}
    assert document["folders"][0]["folder"].endswith("bad")
    assert document["folders"][0]["error"] == 3


def test_progress_stays_off_when_stderr_is_not_a_terminal(tmp_path, profile_dir):
    root = _tree(tmp_path / "share", 2)
    code, stdout, stderr = _cli(str(root), "--profile", str(profile_dir), "--no-cache", "-j", "1")
    assert code == 1 and stderr == ""
    assert "Worst folders" in stdout


def test_names_that_are_not_utf8_survive_into_json(tmp_path, profile_dir):
    root = tmp_path / "share"
    root.mkdir()
    raw = os.path.join(os.fsencode(root), b"caf\xe9.pdf")
    _pdf(Path(os.fsdecode(raw)), OLD_NUMBER)
    out = tmp_path / "out.json"
    code, _, _ = _cli(str(root), "--profile", str(profile_dir), "-j", "1", "--cache-dir",
                      str(tmp_path / "cache"), "--format", "json", "-o", str(out))  # fmt: skip
    assert code == 1
    (entry,) = _json(out)["files"]  # valid UTF-8: the exact bytes in hex beside the path
    assert bytes.fromhex(entry["path_bytes"]) == raw
    assert entry["path"] == os.path.join(str(root), "caf\ufffd.pdf")
    assert entry["findings"][0]["name"] == "contact-outdated"
    assert "not valid UTF-8" in entry["warnings"][0]


def test_warm_rescan_uses_the_cache_and_gives_the_same_results(tmp_path, profile_dir):
    root = _tree(tmp_path / "share")
    options = ScanOptions(jobs=2, cache_dir=tmp_path / "cache")
    cold = scan([str(root)], _engine(profile_dir), options)
    warm = scan([str(root)], _engine(profile_dir), options)
    assert cold.checked == 6 and warm.checked == 0 and warm.from_cache == 6
    assert [f.as_dict() for f in warm.run.files] == [f.as_dict() for f in cold.run.files]
    _pdf(root / "good" / "doc000.pdf", OLD_NUMBER)  # an edit is noticed
    edited = scan([str(root)], _engine(profile_dir), options)
    assert edited.checked == 1 and len(list(edited.run.findings())) == 4


def test_identical_files_are_checked_once_each_result_with_its_own_path(tmp_path, profile_dir):
    old, new = _pdf(tmp_path / "old.pdf", OLD_NUMBER), _pdf(tmp_path / "new.pdf", "Hej")
    root = tmp_path / "share"
    for folder in ("a", "b", "c"):
        (root / folder).mkdir(parents=True)
        for original in (old, new):
            (root / folder / original.name).write_bytes(original.read_bytes())
    options = ScanOptions(jobs=1, cache_dir=tmp_path / "cache")
    cold = scan([str(root)], _engine(profile_dir), options)
    warm = scan([str(root)], _engine(profile_dir), options)
    assert cold.checked == 2 and warm.checked == 0 and warm.from_cache == 6
    assert [f.as_dict() for f in warm.run.files] == [f.as_dict() for f in cold.run.files]
    for result in warm.run.files:
        assert all(f.location.path == result.path for f in result.findings)
    assert len(list(warm.run.findings())) == 3


def test_hung_bloated_and_crashing_files_are_stopped_and_the_scan_goes_on(tmp_path, profile_dir):
    root = tmp_path / "share"
    for name in ("a-hang.pdf", "b-bloat.pdf", "c-crash.pdf", "d-fine.pdf"):
        _pdf(root / name, OLD_NUMBER)
    limits = ProcessLimits(timeout=3, max_memory_mb=800)
    options = ScanOptions(jobs=2, limits=limits, engine_factory=FACTORY)
    outcome = scan([str(root)], _engine(profile_dir), options)
    results = {Path(r.path).name: r for r in outcome.run.files}
    assert results["a-hang.pdf"].status is Status.TIMEOUT
    assert results["a-hang.pdf"].findings[0].name == "resource-limit"
    for name in ("b-bloat.pdf", "c-crash.pdf"):
        assert results[name].status is Status.UNREADABLE
        assert results[name].findings[0].name == "resource-limit"
    assert results["d-fine.pdf"].findings[0].name == "contact-outdated"
    assert outcome.restarts >= 2


def test_kill_9_mid_scan_then_rerun_gives_complete_identical_results(tmp_path, profile_dir):
    root = tmp_path / "share"
    for i in range(240):
        _pdf(root / f"f{i // 40}" / f"doc{i:03d}.pdf", f"{OLD_NUMBER if i % 3 else 'ok'} {i}")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "profilecheck", "scan", str(root), "--isolated", "--profile",
               str(profile_dir), "-j", "1", "--format", "json", "--cache-dir", str(cache)]  # fmt: skip
    reference = tmp_path / "reference.json"
    subprocess.run([*command, "--no-cache", "-o", str(reference)], check=False, timeout=300)
    process = subprocess.Popen([*command, "-o", str(tmp_path / "killed.json")])
    stored = _wait_for_results(cache / DATABASE_NAME, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < stored < 240, "the scan should have been killed part-way"
    resumed = tmp_path / "resumed.json"
    subprocess.run([*command, "-o", str(resumed)], check=False, timeout=300)
    assert _json(resumed)["files"] == _json(reference)["files"]
    with sqlite3.connect(cache / DATABASE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM results").fetchone()[0] == 240


def _wait_for_results(database: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if database.exists():
            try:
                with sqlite3.connect(database, timeout=1) as db:
                    count = db.execute("SELECT count(*) FROM results").fetchone()[0]
            except sqlite3.OperationalError:
                count = 0
            if count:
                return count
        time.sleep(0.01)
    return -1


def test_baseline_fails_only_on_new_findings(tmp_path, profile_dir):
    root = _tree(tmp_path / "share")
    base = tmp_path / "baseline.json"
    common = ["--profile", str(profile_dir), "-j", "1", "--cache-dir", str(tmp_path / "cache")]
    assert _cli(str(root), *common, "--write-baseline", str(base))[0] == 1
    assert len(_json(base)["findings"]) == 3
    code, stdout, _ = _cli(str(root), *common, "--baseline", str(base))
    assert code == 0 and "3 suppressed" in stdout
    _pdf(root / "new" / "fresh.pdf", OLD_NUMBER)
    code, stdout, _ = _cli(str(root), *common, "--baseline", str(base), "-q")
    assert code == 1 and "1 error(s)" in stdout


def test_usage_errors_exit_2(tmp_path):
    assert _cli(str(tmp_path / "missing"))[0] == 2
    assert _cli(str(tmp_path), "--report", "nonsense")[0] == 2
    assert _cli(str(tmp_path), "--executor", "dask")[0] == 2


def test_dask_gives_the_same_results_as_local_workers(tmp_path, profile_dir):
    distributed = pytest.importorskip("distributed")
    root = _tree(tmp_path / "share")
    local = scan([str(root)], _engine(profile_dir), ScanOptions(jobs=2))
    cluster = distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=2, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        options = ScanOptions(executor="dask", scheduler=client)
        remote = scan([str(root)], _engine(profile_dir), options)
    assert remote.checked == 6
    assert [f.as_dict() for f in remote.run.files] == [f.as_dict() for f in local.run.files]


@pytest.mark.corpus
def test_corpus_scan_accounts_for_every_file(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("no corpus at ../shared/corpus")
    options = ScanOptions(jobs=2, limits=ProcessLimits(timeout=120))
    engine = Engine(load_profile("ale"), Settings())  # the whole Ale profile, every rule
    walked = [e.path for e in walk_entries([str(CORPUS)])]
    outcome = scan([str(CORPUS)], engine, options)
    assert [r.path for r in outcome.run.files] == walked
    assert all(isinstance(r.status, Status) for r in outcome.run.files)
    assert all(r.message or r.status is Status.CHECKED for r in outcome.run.files)
    crashed = [f for r in outcome.run.files for f in r.findings if f.name == "rule-failed"]
    assert not crashed, crashed[:3]
    assert not [r.path for r in outcome.run.files if r.status is Status.TIMEOUT]
