"""Opening input files without trusting what the path is.

A path named on a command line or found in a walk may be a FIFO, a device (`/dev/zero`), a
socket or a link to one: opening a FIFO blocks until someone writes to it, and reading a device
may never end. Only regular files are ever opened: the path is stat'ed before opening (nothing
else is opened at all), opened with `O_NONBLOCK` (a FIFO swapped in after the stat cannot block
the open), and the open file is stat'ed again (what was opened is what is read).
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class NotRegularFile(OSError):
    """The path is not a regular file (a FIFO, a device, a socket): it is never read."""

    def __init__(self, path: str | os.PathLike, mode: int) -> None:
        self.kind = file_kind(mode)
        self.message = not_regular_message(mode)
        self.path = os.fspath(path)
        super().__init__(self.message)


def file_kind(mode: int) -> str:
    for test, name in KINDS:
        if test(mode):
            return name
    return "not a regular file"


def not_regular_message(mode: int) -> str:
    """What a walk or a check says about a path that is not a regular file."""
    return f"not a regular file: {file_kind(mode)}; it is not read"


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """`open(path, "rb")` for regular files only; NotRegularFile for anything else, without
    blocking (FIFOs) or reading forever (devices)."""
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise NotRegularFile(path, before.st_mode)
    descriptor = os.open(path, OPEN_FLAGS)
    try:
        now = os.fstat(descriptor)
        if not stat.S_ISREG(now.st_mode):
            raise NotRegularFile(path, now.st_mode)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
