"""Reporters: views of one `RunResult`. Each module has `render(run, options) -> str`."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI reads FORMATS when it starts; the results come later
    from profilecheck.core.results import RunResult

FORMATS = {
    "text": "profilecheck.reporters.text",
    "json": "profilecheck.reporters.json",
    "html": "profilecheck.reporters.html",
    "sarif": "profilecheck.reporters.sarif",
    "junit": "profilecheck.reporters.junit",
    "markdown": "profilecheck.reporters.markdown",
}


@dataclass(frozen=True)
class Options:
    color: bool = False
    verbose: bool = False  # text: show info findings and library warnings
    quiet: bool = False  # text: the summary line only
    statistics: bool = False  # text: a count per finding instead of the findings
    cwd: str = "."  # paths are shown relative to this
    # json: top-level keys a command adds after the summary (scan: the worst folders)
    json_extra: tuple[tuple[str, Any], ...] = ()


def render(format_name: str, run: RunResult, options: Options) -> str:
    return "".join(chunks(format_name, run, options))


def chunks(format_name: str, run: RunResult, options: Options) -> Iterable[str]:
    """The report as pieces to write one after the other: a reporter with `chunks` streams
    (JSON: one piece per file), the others give their whole text as one."""
    module = importlib.import_module(FORMATS[format_name])
    if hasattr(module, "chunks"):
        return module.chunks(run, options)
    return [module.render(run, options)]


def byte_chunks(format_name: str, run: RunResult, options: Options) -> Iterable[bytes]:
    """`chunks` as the UTF-8 bytes of a file (anything not UTF-8 as a \\udcXX escape, never an
    error), from a reporter's `byte_chunks` where it has one (JSON: text shared by many files
    is encoded once)."""
    module = importlib.import_module(FORMATS[format_name])
    if hasattr(module, "byte_chunks"):
        return module.byte_chunks(run, options)
    return (encoded(piece) for piece in chunks(format_name, run, options))


def encoded(text: str) -> bytes:
    """A report's text as UTF-8. Reporters already show the bytes of names that are not UTF-8
    as escapes or U+FFFD (core.printable); anything left over is written as a \\udcXX escape,
    never an error."""
    return text.encode("utf-8", "backslashreplace")


def display_path(path: str, cwd: str) -> str:
    """`path` relative to `cwd` when it lies below it, else as given."""
    import os.path

    absolute, base = os.path.abspath(path), os.path.abspath(cwd)
    if os.path.commonpath([absolute, base]) == base:
        return os.path.relpath(absolute, base)
    return path
