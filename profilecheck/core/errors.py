"""Errors that end a file's check, or the run, with a clear status and message."""

from __future__ import annotations

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
