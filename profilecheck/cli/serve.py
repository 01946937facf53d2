"""`profilecheck serve`: the web page and its API (profilecheck.web), on uvicorn."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from profilecheck.cli.common import (
    SELECTION_OPTIONS,
    limit_options,
    load_engine,
    process_limits,
    run_command,
    with_options,
)
from profilecheck.core.errors import UsageError
from profilecheck.core.printable import printable

# Per file, as `check`: the people who publish check one document at a time.
SERVE_TIMEOUT = 120.0
SERVE_MAX_MEMORY_MB = 2048
TOKEN_ENV = "PROFILECHECK_TOKEN"
MB = 1_000_000


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8150, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--jobs", default=2, show_default=True, type=click.IntRange(min=1), help="Checks at once."
)
@click.option(
    "--token",
    help=f"Access token (or ${TOKEN_ENV}); required when listening beyond 127.0.0.1.",
)
@click.option(
    "--keep-reports",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep each check's JSON and HTML report in this folder (the uploads are never kept).",
)
@click.option(
    "--max-request-mb",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest upload in one request, in MB.",
)
@click.option(
    "--max-file-mb",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest file, in MB.",
)
@with_options(*SELECTION_OPTIONS, *limit_options(SERVE_TIMEOUT, SERVE_MAX_MEMORY_MB))
def serve(**options: Any) -> None:
    """Serve the page where people drop a file and see what to fix, and its API."""
    run_command(lambda: _serve(options))


def _serve(o: dict[str, Any]) -> int:
    try:
        import uvicorn

        from profilecheck.web.app import WebConfig, create_app
        from profilecheck.web.security import is_loopback
    except ImportError as error:
        raise UsageError(f"serve needs the web extra: pip install 'profilecheck[web]' ({error})")
    token = o["token"] or os.environ.get(TOKEN_ENV) or None
    local = is_loopback(o["host"])
    if not local and not token:
        raise UsageError(f"listening on {o['host']} needs an access token: --token or ${TOKEN_ENV}")
    engine = load_engine({**o, "reports": (), "statistics": False, "verbose": False})
    config = WebConfig(
        engine=engine,
        limits=process_limits({**o, "verbose": False}),
        jobs=o["jobs"],
        token=token,
        loopback_only=local and not token,
        max_request_bytes=o["max_request_mb"] * MB,
        max_file_bytes=o["max_file_mb"] * MB,
        keep_reports=o["keep_reports"],
        warm=True,
    )
    app = create_app(config)
    logging.basicConfig(level=logging.INFO, format="profilecheck: %(message)s")
    where = f"http://{o['host'] if ':' not in o['host'] else '[' + o['host'] + ']'}:{o['port']}/"
    click.echo(printable(f"profilecheck: serving {engine.profile.title} on {where}"), err=True)
    if token:
        click.echo(
            "profilecheck: an access token is required (bearer header or the page)", err=True
        )
    else:
        click.echo("profilecheck: no access token; only this computer can connect", err=True)
    sys.stdout.flush()
    uvicorn.run(
        app,
        host=o["host"],
        port=o["port"],
        log_level="warning",
        access_log=False,  # paths only would do, but nothing about the documents is logged
        server_header=False,
    )
    return 0
