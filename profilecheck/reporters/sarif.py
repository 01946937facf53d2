"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning and others).

- Rules: one per finding name that ran or fired; `id` is the code (L102), `name` the finding
  name, the help text the catalogue summary plus the rule types' docstrings.
- Levels: error -> error, warning -> warning, info -> note. Suppressed findings carry an
  external suppression with the waiver's reason.
- Locations: documents are not text files, so the region's `startLine` is the *page number*
  (1 for Word documents, which have no fixed pages); the region's `properties` hold the page,
  the box in points and millimetres and the part of the document. Paths are relative to the
  working directory (`%SRCROOT%`), their bytes percent-encoded: a name that is not valid UTF-8
  keeps its exact bytes (`caf%E9.pdf`). Texts are valid UTF-8 (such bytes shown as U+FFFD).
- Fingerprints: `partialFingerprints["profilecheck/v1"]` hashes the code, path, page, part and
  the box rounded to 4 pt — never the message, so a reworded message or a new language does
  not make a finding "new". Findings identical in all of these get an occurrence number.
- Limits (GitHub code scanning): at most 25,000 results per run and 10 MB gzipped; above them
  the most severe results are kept and a notification says how many were left out.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from profilecheck.core.printable import name_bytes, safe_json
from profilecheck.core.results import Finding, RunResult
from profilecheck.reporters import Options, display_path
from profilecheck.reporters.rulehelp import RuleHelp, rule_help

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1024 * 1024
BOX_GRID_PT = 4.0
FINGERPRINT_KEY = "profilecheck/v1"


def render(run: RunResult, options: Options) -> str:
    findings = sorted(run.findings(), key=lambda f: (-f.severity.rank, f.sort_key))
    helps = rule_help({*run.checks, *(f.name for f in findings)})
    index = {help.name: number for number, help in enumerate(helps)}
    results = _results(findings, index, options)
    kept = min(len(results), MAX_RESULTS)
    while True:
        text = _document(run, helps, results[:kept], len(results) - kept, options)
        if kept == 0 or _gzipped_fits(text.encode()):
            return text
        kept //= 2


def _gzipped_fits(data: bytes) -> bool:
    """Whether `data` gzipped stays within the upload limit; compressed only when its own
    size does not already say so (gzip adds at most 5 bytes per 16 KiB block and a header)."""
    if len(data) + len(data) // 1000 + 64 <= MAX_GZIP_BYTES:
        return True
    return len(gzip.compress(data, 6)) <= MAX_GZIP_BYTES


def _document(
    run: RunResult, helps: list[RuleHelp], results: list[dict], omitted: int, options: Options
) -> str:
    notifications = []
    if omitted:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{omitted} results were left out to stay within code-scanning "
                    f"upload limits; the most severe {len(results)} are included."
                },
            }
        )
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "profilecheck",
                "version": run.tool_version,
                "semanticVersion": run.tool_version,
                "rules": [_rule(help) for help in helps],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _directory_uri(options.cwd)}},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "language": run.lang,
        "results": results,
        "properties": {
            "profile": {
                "name": run.profile_name,
                "version": run.profile_version,
                "title": run.profile_title,
            }
        },
    }
    return _layout({"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]})


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # in C, unlike json.dumps(indent=...)


def _layout(document: dict[str, Any]) -> str:
    """The document's JSON with each result on a line of its own: readable, and made by the
    C encoder. Valid UTF-8 and terminal-safe (`safe_json`)."""
    sarif_run = document["runs"][0]
    head = {key: value for key, value in document.items() if key != "runs"}
    fields = [f"{_ENCODE(k)}: {_ENCODE(v)}" for k, v in sarif_run.items() if k != "results"]
    at = list(sarif_run).index("results")
    results = ",\n".join(_ENCODE(result) for result in sarif_run["results"])
    fields.insert(at, '"results": [' + (f"\n{results}\n" if results else "") + "]")
    text = _ENCODE(head)[:-1] + ', "runs": [{\n' + ",\n".join(fields) + "\n}]}\n"
    return safe_json(text)


def _rule(help: RuleHelp) -> dict[str, Any]:
    return {
        "id": help.code,
        "name": help.name,
        "shortDescription": {"text": help.summary},
        "fullDescription": {"text": help.text},
        "help": {"text": help.text},
        "defaultConfiguration": {"level": LEVELS[help.severity.value]},
        "properties": {"tags": ["profilecheck", help.code[:1]]},
    }


def _results(findings: list[Finding], index: dict[str, int], options: Options) -> list[dict]:
    seen: dict[str, int] = {}
    results = []
    for finding in findings:
        basis = _fingerprint_basis(finding, options)
        occurrence = seen.get(basis, 0)
        seen[basis] = occurrence + 1
        results.append(_result(finding, index[finding.name], basis, occurrence, options))
    return results


def _result(
    finding: Finding, rule_index: int, basis: str, occurrence: int, options: Options
) -> dict[str, Any]:
    text = finding.message
    if finding.suggestion:
        text += f" ({finding.suggestion})"
    fingerprint = hashlib.sha256(name_bytes(f"{basis}|{occurrence}")).hexdigest()
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity.value],
        "message": {"text": text or finding.name},
        "locations": [_location(finding, options)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"name": finding.name, "rule": finding.rule},
    }
    if finding.measured:
        result["properties"]["measured"] = finding.as_dict().get("measured", {})
    if finding.suppressed:
        result["suppressions"] = [{"kind": "external", "justification": finding.suppressed}]
    return result


def _location(finding: Finding, options: Options) -> dict[str, Any]:
    location = finding.location
    region: dict[str, Any] = {"startLine": location.page or 1}
    extra = {k: v for k, v in location.as_dict().items() if k != "path"}
    if extra:
        region["properties"] = extra
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(location.path, options),
            "region": region,
        }
    }


def _artifact(path: str, options: Options) -> dict[str, str]:
    shown = _shown(path, options.cwd, os.getcwd())
    if os.path.isabs(shown):
        return {"uri": "file://" + _quote(shown.replace(os.sep, "/"))}
    return {"uri": _quote(shown.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _directory_uri(cwd: str) -> str:
    absolute = os.path.abspath(cwd).replace(os.sep, "/").rstrip("/") + "/"
    return "file://" + _quote(absolute if absolute.startswith("/") else "/" + absolute)


def _quote(path: str) -> str:
    """A URI path from a file name's bytes, whatever they are (RFC 3986 percent-encoding)."""
    return quote(name_bytes(path))


@lru_cache(maxsize=4096)
def _shown(path: str, cwd: str, where: str) -> str:
    """`display_path`, worked out once per file of a report rather than twice per finding
    (`where`, the working directory, is part of the key: `cwd` may be relative to it)."""
    return display_path(path, cwd)


def _fingerprint_basis(finding: Finding, options: Options) -> str:
    location = finding.location
    box = location.box
    rounded = [round(v / BOX_GRID_PT) for v in box.as_list()] if box else []
    part = location.part.value if location.part else ""
    path = _shown(location.path, options.cwd, os.getcwd()).replace(os.sep, "/")
    return f"{finding.code}|{path}|{location.page or 0}|{part}|{rounded}"
