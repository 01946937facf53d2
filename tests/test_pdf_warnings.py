"""MuPDF's warnings belong to the file that caused them (readers/pdf/reader.py).

MuPDF counts a repeated warning and says "... repeated N times..." only when the next, different
warning comes, which in a worker may be during the next file: that line is not the next file's.
"""

from __future__ import annotations

import pymupdf

from profilecheck.core.limits import DEFAULT_LIMITS
from profilecheck.readers.pdf import reader


def test_a_count_of_the_previous_files_warning_is_not_kept(monkeypatch):
    told = "... repeated 16 times...\nsomething wrong here\n... repeated 2 times...\nmore\n"
    monkeypatch.setattr(pymupdf.TOOLS, "mupdf_warnings", lambda reset=True: told)
    warnings: list[str] = []
    reader._keep_library_warnings(warnings, DEFAULT_LIMITS)
    assert warnings == [
        "mupdf: something wrong here",
        "mupdf: ... repeated 2 times...",  # this file's own warning, repeated
        "mupdf: more",
    ]
