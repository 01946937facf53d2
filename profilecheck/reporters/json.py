"""The JSON report: a stable, versioned document (see docs in the README)."""

from __future__ import annotations

import json

from profilecheck.core.results import RunResult
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
        "files": [result.as_dict() for result in run.files],
        "summary": run.summary(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
