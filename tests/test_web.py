"""`profilecheck serve`: the API's contract, the page, the limits, the token, the queue.

Starlette's TestClient drives the application in this process; the limits that must hold
while a body streams in are tested against a real server on a free local port (the
TestClient reads a request's whole body before the application sees it).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import stat
import threading
import time
import warnings
from pathlib import Path

import pytest
from conftest import load_script

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")

from click.testing import CliRunner

with warnings.catch_warnings():  # Starlette suggests httpx2; httpx is what it still supports
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from profilecheck.batch.workers import ProcessLimits
from profilecheck.cli.main import main
from profilecheck.core.model import Status
from profilecheck.core.results import FileResult
from profilecheck.web import security
from profilecheck.web.app import WebConfig, create_app
from profilecheck.web.jobs import check_run, unstored

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
OLD_NUMBER = FIXTURES / "pdf" / "letter-old-number.pdf"  # contact-outdated on page 1
HOSTILE = FIXTURES / "hostile"
LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def engine():
    from profilecheck.engine.engine import Engine
    from profilecheck.profile.config import load_settings
    from profilecheck.profile.loading import load_profile

    settings = load_settings(None, True)
    return Engine(load_profile(settings.profile, None), settings)


def make_client(engine, runner=None, base: str = LOCAL, **changes) -> TestClient:
    config = WebConfig(engine=engine, limits=ProcessLimits(60, 2048), **changes)
    return TestClient(create_app(config, runner), base_url=base)


@pytest.fixture(scope="module")
def client(engine, tmp_path_factory):
    uploads = tmp_path_factory.mktemp("uploads")
    with make_client(engine, temp_root=str(uploads)) as test_client:
        test_client.uploads = uploads
        yield test_client


def upload(*paths: Path, names: list[str] | None = None) -> list:
    names = names or [path.name for path in paths]
    return [
        ("file", (name, path.read_bytes(), "application/octet-stream"))
        for path, name in zip(paths, names, strict=True)
    ]


def cli_json(tmp_path: Path, *paths: Path) -> dict:
    """What `profilecheck check --format json` says of the same files, named alike."""
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path) as here:
        for path in paths:
            shutil.copy(path, Path(here) / path.name)
        outcome = runner.invoke(
            main, ["check", "--isolated", "--format", "json", *(p.name for p in paths)]
        )
    assert outcome.exit_code in (0, 1), outcome.output
    return json.loads(outcome.stdout)


# --- the API's contract -----------------------------------------------------------------


def test_api_check_is_the_cli_json_report(client, tmp_path):
    answer = client.post("/api/check", files=upload(OLD_NUMBER))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    report = answer.json()
    assert report["format_version"] == 1
    assert report == cli_json(tmp_path, OLD_NUMBER)
    assert "contact-outdated" in {f["name"] for f in report["files"][0]["findings"]}


def test_api_check_several_files_each_with_its_status(client, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    text = tmp_path / "notes.txt"
    text.write_text("plain text, not a document")
    files = [OLD_NUMBER, HOSTILE / "encrypted.pdf", HOSTILE / "truncated.pdf", empty, text]
    report = client.post("/api/check", files=upload(*files)).json()
    statuses = {entry["path"]: entry["status"] for entry in report["files"]}
    expected = cli_json(tmp_path, *files)
    assert statuses == {entry["path"]: entry["status"] for entry in expected["files"]}
    assert statuses["encrypted.pdf"] == "encrypted"
    assert statuses["notes.txt"] == "unsupported"
    assert statuses["empty.pdf"] in ("unreadable", "unsupported")
    assert report["summary"]["files"] == 5


def test_api_check_in_english_on_request(client):
    report = client.post("/api/check?lang=en", files=upload(OLD_NUMBER)).json()
    assert report["language"] == "en"


def test_api_health_and_rules(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["profile"]["name"] == "ale"
    assert set(health["checks"]) == {"running", "waiting", "at_once"}
    rules = client.get("/api/rules").json()
    outcome = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert rules == json.loads(outcome.stdout)


def test_api_errors_are_json_with_a_plain_message(client):
    no_files = client.post("/api/check", files=[("other", ("x.pdf", b"%PDF", "application/pdf"))])
    assert no_files.status_code == 400
    assert no_files.json()["status"] == "no-files"
    not_multipart = client.post(
        "/api/check", content=b"{}", headers={"content-type": "application/json"}
    )
    assert not_multipart.status_code == 400 and not_multipart.json()["status"] == "not-multipart"
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json()["status"] == "not-found"
    wrong_method = client.get("/api/check")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["message"] and "Traceback" not in wrong_method.text


# --- the page -----------------------------------------------------------------------------


def test_page_is_swedish_by_default_and_switches_to_english(client):
    swedish = client.get("/")
    assert swedish.status_code == 200
    assert '<html lang="sv">' in swedish.text and "Granska innan du publicerar" in swedish.text
    assert (
        '<label for="file"' in swedish.text
        and 'type="file" id="file" name="file" multiple' in swedish.text
    )
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Check before you publish" in english.text
    assert client.get("/").text.count('lang="en"') >= 1  # remembered in a cookie
    client.cookies.clear()


def test_page_check_shows_the_report_and_downloads(client):
    answer = client.post("/check", files=upload(OLD_NUMBER), data={"lang": "en"})
    assert answer.status_code == 200 and "/jobs/" in str(answer.url)
    page = answer.text
    assert 'id="verdict"' in page and "Compliance report" in page
    assert "letter-old-number.pdf" in page
    assert "0303-33 00 00" in page  # the finding's message
    assert '<rect class="outline"' in page and "data:image/jpeg;base64," in page
    assert "/explain/contact-outdated" in page
    job = str(answer.url).rsplit("/", 1)[1].split("?")[0]
    for ext, check in (
        ("json", lambda text: json.loads(text)["format_version"] == 1),
        ("sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("md", lambda text: "letter-old-number.pdf" in text),
        ("html", lambda text: "data:image/jpeg;base64," in text and "<!DOCTYPE html>" in text),
    ):
        download = client.get(f"/jobs/{job}/report.{ext}")
        assert download.status_code == 200, ext
        assert "attachment" in download.headers["content-disposition"]
        assert check(download.text), ext
    assert client.get(f"/jobs/{job}/report.exe").status_code == 404
    explained = client.get("/explain/K403?lang=en")
    assert explained.status_code == 200 and "contact-outdated" in explained.text
    client.cookies.clear()


def test_page_has_no_inline_script_or_style_and_a_strict_policy(client):
    for path in ("/", "/?lang=en", "/api/health", "/static/app.js", "/nothing"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
    page = client.get("/").text
    assert re.findall(r"<script(?![^>]*\ssrc=)", page) == []
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"https?://(?!127\.0\.0\.1)", page)  # nothing from another host
    client.cookies.clear()


def test_errors_are_plain_pages_never_a_trace(engine):
    def broken(engine, job):
        raise RuntimeError("secret document text")

    with make_client(engine, broken) as failing:
        page = failing.post("/check", files=upload(OLD_NUMBER))
        assert page.status_code == 500
        assert "Granskningen kunde inte slutföras" in page.text
        assert "secret" not in page.text and "Traceback" not in page.text
        api = failing.post("/api/check?lang=en", files=upload(OLD_NUMBER))
        assert api.status_code == 500 and api.json()["status"] == "check-failed"


# --- limits, names, the private folder ----------------------------------------------------


def test_a_file_over_its_limit_is_refused_and_leaves_nothing(engine, tmp_path):
    with make_client(engine, temp_root=str(tmp_path), max_file_bytes=1000) as small:
        answer = small.post(
            "/api/check?lang=en", files=[("file", ("big.pdf", b"x" * 5000, "application/pdf"))]
        )
        assert answer.status_code == 413
        assert answer.json() == {
            "status": "file-too-large",
            "message": "A file is too large: at most 0.001 MB per file.",
        }
        page = small.post("/check", files=[("file", ("big.pdf", b"x" * 5000, "application/pdf"))])
        assert page.status_code == 413 and "En fil är för stor" in page.text
    assert list(tmp_path.iterdir()) == []


def test_a_request_over_its_limit_is_refused_from_its_length(engine, tmp_path):
    with make_client(engine, temp_root=str(tmp_path), max_request_bytes=10_000) as small:
        files = [("file", (f"{n}.pdf", b"x" * 4000, "application/pdf")) for n in range(3)]
        answer = small.post("/api/check", files=files)
        assert answer.status_code == 413 and answer.json()["status"] == "request-too-large"
    assert list(tmp_path.iterdir()) == []


def test_uploads_go_to_a_private_folder_that_is_emptied(engine, tmp_path):
    seen = {}

    def recording(engine, job):
        folder = job.received.folder
        seen["mode"] = stat.S_IMODE(folder.stat().st_mode)
        seen["paths"] = [Path(f.path) for f in job.received.files]
        seen["names"] = [f.name for f in job.received.files]
        return check_run(engine, job, ProcessLimits(60, 2048))

    hostile = [
        "../../../../tmp/escape.pdf",
        "C:\\Windows\\evil.pdf",
        "<img src=x onerror=alert(1)>.pdf",
        "bell\x07\x1b[31mred\n.pdf",
        "\u202eevil.fdp",
        "..",
        "evil.pdf",
        "evil.pdf",
    ]
    files = [("file", (name, OLD_NUMBER.read_bytes(), "application/pdf")) for name in hostile]
    with make_client(engine, recording, temp_root=str(tmp_path)) as test_client:
        report = test_client.post("/api/check", files=files).json()
        page = test_client.post("/check", files=files[2:3]).text
    assert seen["mode"] == 0o700
    for path in seen["paths"]:
        assert path.parent.parent == tmp_path and re.fullmatch(
            r"upload-\d+(\.[a-z0-9]+)?", path.name
        )
    assert list(tmp_path.iterdir()) == []  # deleted when the check ended
    shown = [entry["path"] for entry in report["files"]]
    assert shown == [
        "escape.pdf",
        "evil.pdf",
        "<img src=x onerror=alert(1)>.pdf",
        "bell%07\\x1b[31mred%0A.pdf",  # httpx sends BEL and LF percent-encoded
        "\\u202eevil.fdp",
        "file-6",
        "evil.pdf (2)",
        "evil.pdf (3)",
    ]
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page
    assert not (Path("/tmp") / "escape.pdf").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_server(engine, tmp_path):
    """A real uvicorn server in a thread, small limits, uploads under tmp_path/uploads."""
    import uvicorn

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    config = WebConfig(
        engine=engine,
        limits=ProcessLimits(60, 2048),
        max_request_bytes=2_000_000,
        max_file_bytes=1_000_000,
        temp_root=str(uploads),
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(config), port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield port, uploads
    server.should_exit = True
    thread.join(timeout=10)


def _complete(answer: bytes) -> bool:
    head, separator, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
    return bool(separator) and (length is None or len(body) >= int(length.group(1)))


@pytest.mark.parametrize("limit", ["file", "request"])
def test_limits_are_enforced_while_the_body_streams(live_server, limit):
    """A chunked body of 50 MB, sent as a generator would: the server answers 413 when the
    limit is passed, long before the sender is done, and keeps nothing."""
    port, uploads = live_server
    boundary = "pcboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    if limit == "request":  # many files, each under the file limit, together over the request's
        part_size = 900_000
        parts = (head + b"x" * part_size + b"\r\n" for _ in range(60))
    else:
        parts = iter([head] + [b"x" * 65536] * 800)
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(
            (
                "POST /api/check?lang=en HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                "Transfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        answer = b""
        connection.setblocking(False)
        for part in parts:
            try:
                connection.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                sent += len(part)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
            try:
                answer += connection.recv(65536)
            except BlockingIOError:
                continue
            if answer:
                break
        connection.setblocking(True)
        connection.settimeout(20)
        while not _complete(answer):
            more = connection.recv(65536)
            if not more:
                break
            answer += more
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    expected = b"file-too-large" if limit == "file" else b"request-too-large"
    body = answer.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in answer else b""
    assert expected in body or expected in answer
    assert sent < 20_000_000  # refused while streaming, not after
    deadline = time.monotonic() + 5
    while list(uploads.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(uploads.iterdir()) == []


# --- the queue ------------------------------------------------------------------------------


def test_checks_wait_in_order_with_their_place_in_line(engine):
    release = threading.Event()
    order: list[str] = []
    running = {"now": 0, "most": 0}
    lock = threading.Lock()

    def slow(engine, job):
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
            order.append(job.received.files[0].name)
        release.wait(20)
        with lock:
            running["now"] -= 1
        return engine.run_result([FileResult(job.received.files[0].name, "pdf", Status.CHECKED)])

    with make_client(engine, slow, jobs=2) as test_client:
        jobs = []
        for n in range(5):
            answer = test_client.post(
                "/check?async=1", files=[("file", (f"{n}.pdf", b"%PDF-1.4", "application/pdf"))]
            )
            assert answer.status_code == 202
            jobs.append(answer.json())
        time.sleep(0.3)
        positions = [test_client.get(f"{job['url']}/status").json()["position"] for job in jobs]
        assert positions == [0, 0, 1, 2, 3]
        waiting = test_client.get(jobs[4]["url"], params={"lang": "en"})
        assert "number 3 in line" in waiting.text
        assert test_client.get("/api/health").json()["checks"] == {
            "running": 2,
            "waiting": 3,
            "at_once": 2,
        }
        release.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            states = [test_client.get(f"{job['url']}/status").json()["state"] for job in jobs]
            if set(states) == {"done"}:
                break
            time.sleep(0.05)
        assert states == ["done"] * 5
    # first come, first served; with two runners, one taken a moment after the other may enter
    # `slow` first, so each job starts within one place of its turn
    assert sorted(order) == [f"{n}.pdf" for n in range(5)]
    assert all(abs(place - int(name[0])) <= 1 for place, name in enumerate(order))
    assert running["most"] == 2


def test_concurrent_api_checks_each_get_their_own_report(engine):
    with make_client(engine, jobs=2) as test_client:
        files = [OLD_NUMBER, FIXTURES / "pdf" / "letter-compliant.pdf", HOSTILE / "encrypted.pdf"]
        results: dict[str, dict] = {}

        def send(path: Path) -> None:
            results[path.name] = test_client.post("/api/check", files=upload(path)).json()

        threads = [threading.Thread(target=send, args=(path,)) for path in files * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert set(results) == {path.name for path in files}
    for name, report in results.items():
        assert [entry["path"] for entry in report["files"]] == [name]
    assert results["encrypted.pdf"]["files"][0]["status"] == "encrypted"


# --- the token and the host -----------------------------------------------------------------


def test_a_token_is_required_off_localhost(engine):
    with make_client(
        engine, token="s3cret-token", loopback_only=False, base="http://intranet.example"
    ) as remote:
        refused = remote.post("/api/check", files=upload(OLD_NUMBER))
        assert refused.status_code == 401 and refused.json()["status"] == "unauthorized"
        assert refused.headers["www-authenticate"] == "Bearer"
        wrong = remote.get("/api/rules", headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert (
            remote.get("/api/rules", headers={"authorization": "Bearer s3cret-token"}).status_code
            == 200
        )
        assert remote.get("/api/health").status_code == 200
        form = remote.get("/")
        assert form.status_code == 401 and 'name="token"' in form.text
        assert remote.post("/token", data={"token": "nope"}).status_code == 401
        entered = remote.post("/token", data={"token": "s3cret-token"}, follow_redirects=False)
        assert entered.status_code == 303
        remote.cookies.set(security.COOKIE, "s3cret-token")
        assert 'id="file"' in remote.get("/").text


def test_serve_refuses_another_address_without_a_token(monkeypatch):
    monkeypatch.delenv("PROFILECHECK_TOKEN", raising=False)
    outcome = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--isolated"])
    assert outcome.exit_code == 2
    assert "needs an access token" in outcome.output


def test_a_tokenless_local_server_answers_only_to_local_names(engine):
    with make_client(engine, base="http://attacker.example") as rebound:
        answer = rebound.get("/api/health")
        assert answer.status_code == 400 and answer.json()["status"] == "bad-host"
    with make_client(engine, base="http://localhost:8150") as local:
        assert local.get("/api/health").status_code == 200


def test_the_token_is_compared_in_constant_time():
    assert security.token_matches("abc", "abc")
    assert not security.token_matches("abc", "abd") and not security.token_matches("abc", None)
    assert "compare_digest" in Path(security.__file__).read_text(encoding="utf-8")


# --- keeping reports, the catalogue -----------------------------------------------------------


def test_keep_reports_keeps_the_reports_not_the_uploads(engine, tmp_path):
    keep = tmp_path / "kept"
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    with make_client(engine, keep_reports=keep, temp_root=str(uploads)) as test_client:
        test_client.post("/api/check", files=upload(OLD_NUMBER))
    (folder,) = keep.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.json"]
    assert json.loads((folder / "report.json").read_text())["files"][0]["path"] == OLD_NUMBER.name
    assert list(uploads.iterdir()) == []


def test_the_page_catalogues_are_compiled_and_complete():
    compiler = load_script("compile_catalogues")
    web = ROOT / "profilecheck" / "web"
    reporters = ROOT / "profilecheck" / "reporters" / "locale"
    used: set[str] = set()
    for source in [*web.glob("*.py"), *web.glob("templates/*.j2")]:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bN?_\(\"([^\"]+)\"\)", text))
        used |= set(re.findall(r"\bN?_\('([^']+)'\)", text))
    for lang in ("sv", "en"):
        po = web / "locale" / lang / "LC_MESSAGES" / "web.po"
        known = compiler.parse_po(po.read_text(encoding="utf-8"))
        assert po.with_suffix(".mo").read_bytes() == compiler.mo_bytes(known), f"recompile {po}"
        shared = compiler.parse_po(
            (reporters / lang / "LC_MESSAGES" / "profilecheck.po").read_text(encoding="utf-8")
        )
        assert used - set(known) - set(shared) == set(), lang


def test_a_post_from_another_sites_page_is_refused(client):
    foreign = client.post(
        "/check", files=upload(OLD_NUMBER), headers={"origin": "https://elsewhere.example"}
    )
    assert foreign.status_code == 403
    own = client.post(
        "/api/check", files=upload(OLD_NUMBER), headers={"origin": "http://127.0.0.1"}
    )
    assert own.status_code == 200


def test_a_full_line_asks_to_come_back(engine):
    with make_client(engine, max_waiting=0) as full:
        answer = full.post("/api/check?lang=en", files=upload(OLD_NUMBER))
        assert answer.status_code == 503 and answer.json()["status"] == "busy"


def test_stored_paths_never_show_even_cut_short():
    stored = "/tmp/some/long/private/folder/profilecheck-web-abc123/upload-1.png"
    message = f"colour in “{stored[:40]}”; cannot read {stored}: damaged"
    assert unstored(message, stored, "vapen.png") == (
        "colour in “vapen.png”; cannot read vapen.png: damaged"
    )
    assert unstored("nothing here", stored, "vapen.png") == "nothing here"


def test_stopping_the_server_deletes_the_uploads_still_in_line(engine, tmp_path):
    release = threading.Event()

    def held(engine, job):
        release.wait(20)
        return engine.run_result([])

    with make_client(engine, held, temp_root=str(tmp_path)) as test_client:
        for n in range(3):
            files = [("file", (f"{n}.pdf", b"%PDF-1.4", "application/pdf"))]
            assert test_client.post("/check?async=1", files=files).status_code == 202
        assert len(list(tmp_path.iterdir())) == 3
        threading.Timer(1.0, release.set).start()  # stops while all three are unfinished
    deadline = time.monotonic() + 10
    while list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.iterdir()) == []


def test_no_report_opens_a_file_by_the_name_a_client_gave(engine, tmp_path, monkeypatch):
    """A kept HTML report of an API check has no pictures: it must not draw them from a file
    of the same name in the server's folder."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(OLD_NUMBER, tmp_path / "local.pdf")  # what a by-name lookup would find
    keep = tmp_path / "kept"
    with make_client(engine, keep_reports=keep) as test_client:
        test_client.post("/api/check", files=upload(OLD_NUMBER, names=["local.pdf"]))
    (folder,) = keep.iterdir()
    assert "data:image/jpeg" not in (folder / "report.html").read_text(encoding="utf-8")
