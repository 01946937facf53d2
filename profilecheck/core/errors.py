"""Errors that end a file's check, or the run, with a clear status and message."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: `check`'s first import stays light
    from profilecheck.core.model import Status


class ReadError(Exception):
    """A file could not be read; it becomes a finding and a file status, never a traceback."""

    def __init__(self, status: Status, finding: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.finding = finding
        self.message = message


class UsageError(Exception):
    """Bad configuration, profile or command line: exit code 2."""


# What libraries say instead of raising MemoryError when an allocation fails under the memory
# limit: MuPDF ("malloc (…) failed"), OpenCV ("Insufficient memory"), the OS (ENOMEM).
OUT_OF_MEMORY_WORDS = (
    "out of memory",
    "memory allocation failed",
    "malloc",
    "insufficient memory",
    "cannot allocate memory",
)
LIBXML2_NO_MEMORY = 2  # lxml's error code for libxml2's XML_ERR_NO_MEMORY ("unknown error")


def is_out_of_memory(error: BaseException) -> bool:
    """Whether `error` means memory ran out (the memory limit), not that the file is damaged."""
    if isinstance(error, MemoryError):
        return True
    if (
        type(error).__name__ == "XMLSyntaxError"
        and getattr(error, "code", None) == LIBXML2_NO_MEMORY
    ):
        return True
    text = str(error).lower()
    return any(words in text for words in OUT_OF_MEMORY_WORDS)
