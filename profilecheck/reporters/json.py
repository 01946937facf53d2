"""The JSON report: a stable, versioned document (see docs in the README).

The output is always valid UTF-8 that strict parsers accept, whatever the names: a file name
that is not valid UTF-8 shows its undecodable bytes as U+FFFD in `path` (and in the findings'
`location.path`), and the file's entry adds `path_bytes`, the name's exact bytes in hex.
Control and bidi characters are written as `\\uXXXX` escapes, so the report is also safe to
print on a terminal.
"""

from __future__ import annotations

import json
from typing import Any

from profilecheck.core.printable import has_undecodable, name_bytes, safe_json
from profilecheck.core.results import FileResult, RunResult
from profilecheck.reporters import Options

FORMAT_VERSION = 1


def render(run: RunResult, options: Options) -> str:
    document = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "profilecheck", "version": run.tool_version},
        "profile": {
            "name": run.profile_name,
            "version": run.profile_version,
            "title": run.profile_title,
        },
        "language": run.lang,
        "fail_on": run.fail_on.value,
        "files": [file_entry(result) for result in run.files],
        "summary": run.summary(),
    }
    return dumps(document)


def file_entry(result: FileResult) -> dict[str, Any]:
    entry = result.as_dict()
    if not has_undecodable(result.path):
        return entry
    return {"path": entry.pop("path"), "path_bytes": name_bytes(result.path).hex(), **entry}


def dumps(document: Any) -> str:
    """The report's JSON text: valid UTF-8 (lone surrogates as U+FFFD), terminal-safe."""
    return safe_json(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
