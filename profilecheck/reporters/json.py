"""The JSON report: a stable, versioned document (see docs in the README).

The output is always valid UTF-8 that strict parsers accept, whatever the names: a file name
that is not valid UTF-8 shows its undecodable bytes as U+FFFD in `path` (and in the findings'
`location.path`), and the file's entry adds `path_bytes`, the name's exact bytes in hex.
Control and bidi characters are written as `\\uXXXX` escapes, so the report is also safe to
print on a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from profilecheck.core.printable import has_undecodable, name_bytes, safe_json, unsafe_in_json
from profilecheck.core.results import FileResult, RunResult
from profilecheck.reporters import Options, encoded

FORMAT_VERSION = 1
FILES_PER_CHUNK = 256  # files per piece written: a few hundred kilobytes at most


def render(run: RunResult, options: Options) -> str:
    return "".join(chunks(run, options))


def chunks(run: RunResult, options: Options) -> Iterator[str]:
    """The report in pieces, written as they come: one line per top-level key and one per
    file, each made by the C encoder (`indent` would run Python's pure-Python encoder); the
    files' lines go out some hundreds at a time."""
    return _chunks(run, options, _as_text)


def byte_chunks(run: RunResult, options: Options) -> Iterator[bytes]:
    """`chunks` as the UTF-8 bytes written to a file: the text shared by files of identical
    content (`FileResult.shared_form`) is encoded once, not once per file."""
    return _chunks(run, options, encoded)


def _as_text(text: str) -> str:
    return text


def _chunks(run: RunResult, options: Options, encoded: Callable[[str], Any]) -> Iterator[Any]:
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
    yield encoded("{\n" + "".join(f"  {_key(k)}: {_compact(v)},\n" for k, v in head.items()))
    yield encoded('  "files": [')
    shared: dict[int, tuple[dict, list | None]] = {}
    files = run.files
    first, between = encoded("\n    "), encoded(",\n    ")
    for start in range(0, len(files), FILES_PER_CHUNK):
        lines = [
            _entry(result, shared, encoded) for result in files[start : start + FILES_PER_CHUNK]
        ]
        yield (first if start == 0 else between) + between.join(lines)
    yield encoded("\n  ]" if files else "]")
    tail = {"summary": run.summary(), **dict(options.json_extra)}
    yield encoded("".join(f",\n  {_key(k)}: {_compact(v)}" for k, v in tail.items()) + "\n}\n")


def file_entry(result: FileResult) -> dict[str, Any]:
    entry = result.as_dict()
    if not has_undecodable(result.path):
        return entry
    return {"path": entry.pop("path"), "path_bytes": name_bytes(result.path).hex(), **entry}


BLANK_PATH = '"path": ""'


def _entry(
    result: FileResult,
    shared: dict[int, tuple[dict, list | None]],
    encoded: Callable[[str], Any] = _as_text,
) -> Any:
    """`file_entry(result)` as one line (`encoded`: as text or as bytes). Results sharing one
    path-neutral form (files of identical content, from the scan cache:
    `FileResult.shared_form`) share its text, encoded once; each fills in its own path."""
    form = result.shared_form()
    if form is None:
        return encoded(_compact(file_entry(result)))
    known = shared.get(id(form))
    if known is None:  # the dict is held with its pieces, so its identity stays its own
        pieces = _pieces(form)
        if pieces is not None:
            pieces = [encoded(piece) for piece in pieces]
        known = shared[id(form)] = (form, pieces)
    pieces = known[1]
    if pieces is None:
        return encoded(_compact(file_entry(result)))
    path = result.path
    where = _encode_string(path)
    if unsafe_in_json().search(where) is None:  # the usual name: nothing to escape or replace
        where = encoded('"path": ' + where)
        return pieces[0] + where + where.join(pieces[1:])
    where = '"path": ' + safe_json(where)
    first = where
    if has_undecodable(path):
        first += f', "path_bytes": "{name_bytes(path).hex()}"'
    return pieces[0] + encoded(first) + encoded(where).join(pieces[1:])


def _pieces(form: dict[str, Any]) -> list[str] | None:
    """The form's line cut where the path goes: at its own `path` (first) and at each finding's
    blank location path; None if the text has that token anywhere else."""
    text = _compact(form)
    pieces = text.split(BLANK_PATH)
    blanks = sum(f["location"]["path"] == "" for f in form.get("findings", ()))
    if not text.startswith("{" + BLANK_PATH) or len(pieces) != blanks + 2:
        return None
    return pieces


def dumps(document: Any) -> str:
    """The report's JSON text: valid UTF-8 (lone surrogates as U+FFFD), terminal-safe."""
    return safe_json(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # separators ", " and ": ", in C
_encode_string = json.encoder.encode_basestring  # what _ENCODE does with a str, without its checks


def _compact(value: Any) -> str:
    """One value on one line, valid UTF-8 and terminal-safe like `dumps`."""
    return safe_json(_ENCODE(value))


def _key(name: str) -> str:
    return safe_json(_ENCODE(name))
