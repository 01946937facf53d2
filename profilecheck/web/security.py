"""What every response carries and every request must show: headers, the token, the host.

- Headers: a strict Content-Security-Policy (only this server's own script, style and
  pictures; data: pictures for the page thumbnails; no inline script or style, no frames),
  nosniff, no referrer, and no caching of anything but the static files.
- The token: when the server has one (it must when it listens beyond this machine), every
  request but the health check, the static files and the token form shows it, as
  `Authorization: Bearer <token>` or as the cookie the token form sets. Compared in
  constant time (`hmac.compare_digest`).
- The host: a server on 127.0.0.1 without a token answers only under a loopback name, so a
  web page elsewhere cannot reach it through DNS rebinding; and a browser's POST from a page
  of another origin (a form elsewhere aimed at this server) is refused.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The downloaded HTML report brings its own inline style (and forbids scripts).
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
COOKIE = "profilecheck_token"
OPEN_PATHS = ("/api/health", "/static/", "/token")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")

ASGI = Callable[[dict, Callable, Callable], Awaitable[None]]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def token_matches(expected: str, given: str | None) -> bool:
    if not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "replace"))


def _headers(scope: dict) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope.get("headers", [])}


def presented_token(scope: dict) -> str | None:
    headers = _headers(scope)
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:
        return None
    morsel = cookie.get(COOKIE)
    return morsel.value if morsel else None


class Guard:
    """The ASGI middleware: the host and token checks, then the headers on every answer."""

    def __init__(self, app: ASGI, token: str | None, loopback_only: bool, refuse: Any):
        self.app = app
        self.token = token
        self.loopback_only = loopback_only
        self.refuse = refuse  # (scope, reason) -> a Starlette response

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(n, v) for n, v in HEADERS if n not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", CSP.encode()))
                if b"cache-control" not in present and not path.startswith("/static/"):
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers + extra}
            await send(message)

        reason = self._refusal(scope, path)
        if reason is not None:
            response = self.refuse(scope, reason)
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: dict, path: str) -> str | None:
        headers = _headers(scope)
        host = headers.get(b"host", b"").decode("latin-1")
        if self.loopback_only:
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if not is_loopback(name):
                return "bad-host"
        origin = headers.get(b"origin", b"").decode("latin-1")
        if scope.get("method") == "POST" and origin and origin.split("://", 1)[-1] != host:
            return "bad-origin"  # a form on another site posting here
        if self.token is None or (path == "/" and scope.get("method") == "GET"):
            return None  # the page itself asks for the token when it needs one
        if any(path == p or (p.endswith("/") and path.startswith(p)) for p in OPEN_PATHS):
            return None
        if token_matches(self.token, presented_token(scope)):
            return None
        return "unauthorized"


def needs_token(scope: dict, token: str | None) -> bool:
    return token is not None and not token_matches(token, presented_token(scope))


def json_body(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
