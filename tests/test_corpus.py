"""Every real-world file, hostile ones included, ends in a clear status: no crash, no hang."""

from __future__ import annotations

import os

from conftest import run_json

STATUSES = {"checked", "unreadable", "encrypted", "unsupported", "timeout", "skipped"}


def _corpus_files(root) -> set[str]:
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found |= {os.path.join(folder, name) for name in files if not name.startswith(".")}
    return found


def test_check_accounts_for_every_corpus_file(corpus):
    code, report = run_json("--isolated", str(corpus))
    assert code in (0, 1)
    reported = {entry["path"] for entry in report["files"]}
    assert reported == _corpus_files(str(corpus))
    for entry in report["files"]:
        assert entry["status"] in STATUSES, entry
        if entry["status"] not in ("checked", "skipped"):
            assert entry["message"] and entry["findings"], entry
        assert all(len(w) < 2000 for w in entry.get("warnings", []))
    statuses = report["summary"]["statuses"]
    assert statuses.get("encrypted", 0) >= 9
    assert statuses["checked"] > 250
