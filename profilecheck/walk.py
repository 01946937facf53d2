"""Turn the paths on a command line into the files to check."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

SKIPPED_NAMES = ("~$*", ".~lock.*", "Thumbs.db", "desktop.ini", ".DS_Store", "*.tmp", "~*.tmp")


@dataclass(frozen=True)
class Candidate:
    path: str
    explicit: bool  # named on the command line, not found in a folder walk


def iter_candidates(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Candidate]:
    """Named files as they are; folders walked in sorted order, skipping hidden entries,
    Office lock files and anything matching an `exclude` glob. Symlinked folders are not
    followed, so a link loop cannot trap the walk."""
    patterns = list(exclude)
    for path in paths:
        if os.path.isdir(path):
            yield from (Candidate(p, False) for p in _walk(path, patterns))
        else:
            yield Candidate(path, True)


def is_excluded(path: str, patterns: list[str]) -> bool:
    name = os.path.basename(path)
    normalised = path.replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(normalised, pattern)
        for pattern in patterns
    )


def _walk(root: str, patterns: list[str]) -> Iterator[str]:
    for folder, dirs, files in os.walk(root, onerror=None, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not is_excluded(os.path.join(folder, d), patterns)
        )
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.startswith(".") or is_excluded(path, [*SKIPPED_NAMES, *patterns]):
                continue
            yield path
