"""The web application: the page for people, the API for other systems.

    GET  /                    the page: drop zone and file button, language switch
    POST /check               the page's upload; waits and shows the report (303 to it), or
                              with ?async=1 answers at once with the job to follow (script)
    GET  /jobs/{id}           the report, or where the check is in line
    GET  /jobs/{id}/status    JSON: state and place in line
    GET  /jobs/{id}/report.X  the report as html, json, sarif or md
    GET  /explain/{name}      what a check means (`profilecheck explain`)
    POST /api/check           multipart field `file`, one or more: the JSON report
    GET  /api/health          JSON: up, version, profile, the queue
    GET  /api/rules           JSON: the profile's checks (`profilecheck rules --format json`)

Errors are JSON (`{"status": reason, "message": ...}`) under /api/ and plain pages elsewhere,
in Swedish or English; never a stack trace.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from profilecheck import __version__
from profilecheck.core import codes
from profilecheck.web import security, views
from profilecheck.web.i18n import LANGUAGES, error_text, language, megabytes
from profilecheck.web.jobs import JobQueue, Runner, check_run, status_of, warm
from profilecheck.web.uploads import UploadError, receive

log = logging.getLogger("profilecheck.web")
STATIC = Path(__file__).resolve().parent / "static"
LANG_COOKIE = "profilecheck_lang"
MEDIA = {
    "html": ("html", "text/html; charset=utf-8"),
    "json": ("json", "application/json"),
    "sarif": ("sarif", "application/sarif+json"),
    "md": ("markdown", "text/markdown; charset=utf-8"),
}
WRONG_TOKEN_DELAY = 0.5
HTTP_REASONS = {401: "unauthorized", 404: "not-found", 405: "method-not-allowed"}


@dataclass(frozen=True)
class WebConfig:
    engine: Any  # the Engine of the profile and settings, in the profile's language
    limits: Any  # batch.workers.ProcessLimits: per file, in a worker process
    jobs: int = 1  # checks at once
    token: str | None = None
    loopback_only: bool = True  # answer only under a loopback host name
    max_request_bytes: int = 100_000_000
    max_file_bytes: int = 100_000_000
    keep_reports: Path | None = None
    temp_root: str | None = None  # where the private upload folders are made
    max_waiting: int = 100  # checks waiting in line; more are asked to come back (503)
    warm: bool = False  # check two small files first, so the forked workers start warm


def engines_by_language(engine: Any) -> dict[str, Any]:
    """The engine in each language of the page; its own language first (the API's default)."""
    from profilecheck.engine.engine import Engine

    out = {engine.lang: engine}
    for lang in LANGUAGES:
        if lang not in out:
            out[lang] = Engine(engine.profile, replace(engine.settings, lang=lang), engine.limits)
    return out


def create_app(config: WebConfig, runner: Runner | None = None) -> Starlette:
    engines = engines_by_language(config.engine)
    if config.warm:
        warm(list(engines.values()))
    run = runner or functools.partial(check_run, limits=config.limits)
    queue = JobQueue(engines, run, config.jobs, config.keep_reports)
    web = _Web(config, queue, config.engine)
    routes = [
        Route("/", web.index),
        Route("/check", web.check_page, methods=["POST"]),
        Route("/token", web.token_form, methods=["GET", "POST"]),
        Route("/jobs/{job}", web.job_page),
        Route("/jobs/{job}/status", web.job_status),
        Route("/jobs/{job}/report.{fmt}", web.download),
        Route("/explain/{name}", web.explain),
        Route("/api/check", web.api_check, methods=["POST"]),
        Route("/api/health", web.health),
        Route("/api/rules", web.rules),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers = {HTTPException: web.http_error, Exception: web.server_error}
    app = Starlette(
        routes=routes,
        exception_handlers=handlers,  # type: ignore[arg-type]
        lifespan=queue.lifespan,
    )
    app.state.queue = queue
    app.add_middleware(
        security.Guard, token=config.token, loopback_only=config.loopback_only, refuse=web.refuse
    )
    return app


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return language(chosen)


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path.endswith("/status")


class _Web:
    def __init__(self, config: WebConfig, queue: JobQueue, engine: Any):
        self.config = config
        self.queue = queue
        self.engine = engine

    # --- errors ---

    def error(self, path: str, lang: str, reason: str, status: int, **values: Any) -> Response:
        message = error_text(reason, lang, **values)
        if _is_api(path):
            return JSONResponse({"status": reason, "message": message}, status_code=status)
        body = views.page("error.html.j2", lang, "/", message=message, reason=reason)
        return HTMLResponse(body, status_code=status)

    def refuse(self, scope: dict, reason: str) -> Response:
        request = Request(scope)
        status = {"unauthorized": 401, "bad-origin": 403}.get(reason, 400)
        response = self.error(request.url.path, _lang(request), reason, status)
        if reason == "unauthorized":
            response.headers["www-authenticate"] = "Bearer"
        return response

    async def http_error(self, request: Request, error: Exception) -> Response:
        status = getattr(error, "status_code", 500)
        reason = HTTP_REASONS.get(status, "server-error")
        return self.error(request.url.path, _lang(request), reason, status)

    async def server_error(self, request: Request, error: Exception) -> Response:
        log.error("%s %s: %s", request.method, request.url.path, type(error).__name__)
        return self.error(request.url.path, _lang(request), "server-error", 500)

    # --- the page ---

    def _html(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        lang = _lang(request)
        here = request.url.path if request.method == "GET" else "/"
        body = views.page(name, lang, here, **values)
        response = HTMLResponse(body, status_code=status)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True)
        return response

    async def index(self, request: Request) -> Response:
        if security.needs_token(request.scope, self.config.token):
            return self._html(request, "token.html.j2", 401, wrong=False)
        return self._html(
            request,
            "index.html.j2",
            profile=self.engine.profile,
            max_file_mb=megabytes(self.config.max_file_bytes),
            max_request_mb=megabytes(self.config.max_request_bytes),
        )

    async def token_form(self, request: Request) -> Response:
        if request.method == "GET":
            return self._html(request, "token.html.j2", wrong=False)
        form = await request.form(max_files=0, max_fields=2, max_part_size=4096)
        given = str(form.get("token", ""))
        if self.config.token is None or not security.token_matches(self.config.token, given):
            await asyncio.sleep(WRONG_TOKEN_DELAY)  # slows down guessing
            return self._html(request, "token.html.j2", 401, wrong=True)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(security.COOKIE, given, httponly=True, samesite="strict")
        return response

    async def check_page(self, request: Request) -> Response:
        job = await self._submit(request, pictures=True)
        if isinstance(job, Response):
            return job
        if request.query_params.get("async") == "1":
            body = {**status_of(self.queue, job), "url": f"/jobs/{job.id}"}
            return JSONResponse(body, status_code=202)
        await job.done.wait()
        return RedirectResponse(f"/jobs/{job.id}?lang={job.lang}", status_code=303)

    async def job_page(self, request: Request) -> Response:
        job = self.queue.get(request.path_params["job"])
        if job is None:
            raise HTTPException(404)
        if job.state == "failed":
            return self.error(request.url.path, _lang(request), "check-failed", 500)
        if job.run is None or not job.done.is_set():
            return self._html(
                request, "waiting.html.j2", job=job, position=self.queue.position(job)
            )
        lang = _lang(request)
        return self._html(
            request,
            "report.html.j2",
            job=job,
            run=job.run,
            files=views.file_reports(job.run, lang),
            downloads=views.DOWNLOADS,
        )

    async def job_status(self, request: Request) -> Response:
        job = self.queue.get(request.path_params["job"])
        if job is None:
            raise HTTPException(404)
        return JSONResponse(status_of(self.queue, job))

    async def download(self, request: Request) -> Response:
        from profilecheck.reporters import Options, render

        job = self.queue.get(request.path_params["job"])
        fmt = MEDIA.get(request.path_params["fmt"])
        if job is None or job.run is None or fmt is None:
            raise HTTPException(404)
        name, media = fmt
        text = render(name, job.run, Options())
        ext = request.path_params["fmt"]
        headers = {"content-disposition": f'attachment; filename="profilecheck-report.{ext}"'}
        if name == "html":
            headers["content-security-policy"] = security.REPORT_CSP
        return Response(text.encode("utf-8", "backslashreplace"), media_type=media, headers=headers)

    async def explain(self, request: Request) -> Response:
        name = request.path_params["name"]
        check = codes.CATALOGUE.get(name) or codes.BY_CODE.get(name.upper())
        if check is None:
            raise HTTPException(404)
        help_ = views.explanation(self.engine, check, _lang(request))
        return self._html(request, "explain.html.j2", **help_)

    # --- the API ---

    async def api_check(self, request: Request) -> Response:
        from profilecheck.reporters import Options, render

        job = await self._submit(request, pictures=False)
        if isinstance(job, Response):
            return job
        await job.done.wait()
        self.queue.discard(job)
        if job.run is None:
            return self.error(request.url.path, job.lang, "check-failed", 500)
        text = render("json", job.run, Options())
        return Response(text.encode("utf-8"), media_type="application/json")

    async def health(self, request: Request) -> Response:
        queue = self.queue
        return JSONResponse(
            {
                "status": "ok",
                "version": __version__,
                "profile": {
                    "name": self.engine.profile.name,
                    "version": self.engine.profile.version,
                },
                "checks": {
                    "running": queue.running,
                    "waiting": len(queue.waiting),
                    "at_once": queue.slots,
                },
            }
        )

    async def rules(self, request: Request) -> Response:
        return JSONResponse(views.rule_rows(self.engine))

    async def _submit(self, request: Request, pictures: bool) -> Any:
        page_lang = _lang(request)
        if len(self.queue.waiting) >= self.config.max_waiting:
            return self.error(request.url.path, page_lang, "busy", 503)
        try:
            received = await receive(
                request.headers.get("content-type"),
                request.headers.get("content-length"),
                request.stream(),
                self.config.max_request_bytes,
                self.config.max_file_bytes,
                self.config.temp_root,
            )
        except UploadError as error:
            return self.error(
                request.url.path, page_lang, error.reason, error.http_status, **error.values
            )
        if not received.files:
            received.remove()
            return self.error(request.url.path, page_lang, "no-files", 400)
        chosen = request.query_params.get("lang") or received.fields.get("lang")
        if pictures:
            lang = language(chosen or page_lang)
        else:  # the API: the profile's language, as `check --format json`
            lang = language(chosen) if chosen else self.engine.lang
        return self.queue.submit(received, lang, pictures)
