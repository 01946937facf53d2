"""The JSON report: a stable, versioned document (see docs in the README).

The output is always valid UTF-8 that strict parsers accept, whatever the names: a file name
that is not valid UTF-8 shows its undecodable bytes as U+FFFD in `path` (and in the findings'
`location.path`), and the file's entry adds `path_bytes`, the name's exact bytes in hex.
Control and bidi characters are written as `\\uXXXX` escapes, so the report is also safe to
print on a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from profilecheck.core.printable import has_undecodable, name_bytes, safe_json
from profilecheck.core.results import FileResult, RunResult
from profilecheck.reporters import Options

FORMAT_VERSION = 1


def render(run: RunResult, options: Options) -> str:
    return "".join(chunks(run, options))


def chunks(run: RunResult, options: Options) -> Iterator[str]:
    """The report in pieces, written as they come: one line per top-level key and one per
    file, each made by the C encoder (`indent` would run Python's pure-Python encoder)."""
    head = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "profilecheck", "version": run.tool_version},
        "profile": {
            "name": run.profile_name,
            "version": run.profile_version,
            "title": run.profile_title,
        },
        "language": run.lang,
        "fail_on": run.fail_on.value,
    }
    yield "{\n" + "".join(f"  {_key(k)}: {_compact(v)},\n" for k, v in head.items())
    yield '  "files": ['
    separator = "\n    "
    for result in run.files:
        yield separator + _compact(file_entry(result))
        separator = ",\n    "
    yield "\n  ]" if run.files else "]"
    tail = {"summary": run.summary(), **dict(options.json_extra)}
    yield "".join(f",\n  {_key(k)}: {_compact(v)}" for k, v in tail.items()) + "\n}\n"


def file_entry(result: FileResult) -> dict[str, Any]:
    entry = result.as_dict()
    if not has_undecodable(result.path):
        return entry
    return {"path": entry.pop("path"), "path_bytes": name_bytes(result.path).hex(), **entry}


def dumps(document: Any) -> str:
    """The report's JSON text: valid UTF-8 (lone surrogates as U+FFFD), terminal-safe."""
    return safe_json(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # separators ", " and ": ", in C


def _compact(value: Any) -> str:
    """One value on one line, valid UTF-8 and terminal-safe like `dumps`."""
    return safe_json(_ENCODE(value))


def _key(name: str) -> str:
    return safe_json(_ENCODE(name))
