"""Reporters: views of one `RunResult`. Each module has `render(run, options) -> str`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

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


def render(format_name: str, run: RunResult, options: Options) -> str:
    module = importlib.import_module(FORMATS[format_name])
    return module.render(run, options)


def display_path(path: str, cwd: str) -> str:
    """`path` relative to `cwd` when it lies below it, else as given."""
    import os.path

    absolute, base = os.path.abspath(path), os.path.abspath(cwd)
    if os.path.commonpath([absolute, base]) == base:
        return os.path.relpath(absolute, base)
    return path
