"""`profilecheck serve` under load: 20 clients upload at once, fixtures and hostile files mixed.

Every upload is answered, each with exactly the entry `profilecheck check --format json` gives
the same file; nothing is lost; the server's memory after the load is within 1.5 times its
memory after start-up (the checks run in worker processes, under their own limits); and it
still answers afterwards. The server is started as a user starts it, on a free local port.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
FILES = [
    FIXTURES / "pdf" / "letter-old-number.pdf",
    FIXTURES / "pdf" / "letter-compliant.pdf",
    FIXTURES / "pdf" / "poster-off-palette.pdf",
    FIXTURES / "docx" / "letter-wrong-font.docx",
    FIXTURES / "images" / "vapen-recoloured.png",
    FIXTURES / "hostile" / "encrypted.pdf",
    FIXTURES / "hostile" / "not-a-pdf.pdf",
    FIXTURES / "hostile" / "truncated.pdf",
]
CLIENTS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the server's memory")
    port = free_port()
    folder = tmp_path_factory.mktemp("load")
    uploads = folder / "tmp"
    uploads.mkdir()
    log = (folder / "serve.log").open("w")
    command = [sys.executable, "-m", "profilecheck", "serve", "--isolated", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--jobs", "3"],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "TMPDIR": str(uploads)},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    assert process.poll() is None, (folder / "serve.log").read_text()
    yield base, process, uploads
    process.terminate()
    process.wait(timeout=20)
    log.close()


def cli_entries(folder: Path) -> dict[str, dict]:
    """`check --format json` on the same files, named as the clients name them."""
    for path in FILES:
        shutil.copy(path, folder / path.name)
    done = subprocess.run(
        [sys.executable, "-m", "profilecheck", "check", "--isolated", "--format", "json"]
        + [path.name for path in FILES],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=folder,
    )
    return {entry["path"]: entry for entry in json.loads(done.stdout)["files"]}


def test_twenty_clients_at_once_all_answered_like_the_cli(server, tmp_path):
    base, process, uploads = server
    expected = cli_entries(tmp_path)
    httpx.post(f"{base}/api/check", files={"file": ("warm.pdf", FILES[0].read_bytes())})
    start_rss = rss_mb(process.pid)
    answers: dict[int, httpx.Response | Exception] = {}

    def client(number: int) -> None:
        chosen = [FILES[number % len(FILES)]]
        if number % 3 == 0:  # some clients send two files in one request
            chosen.append(FILES[(number + 3) % len(FILES)])
        files = [("file", (path.name, path.read_bytes())) for path in chosen]
        try:
            answers[number] = httpx.post(f"{base}/api/check", files=files, timeout=300)
        except Exception as error:  # recorded: a lost answer fails the test below
            answers[number] = error

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(400)
    assert sorted(answers) == list(range(CLIENTS))
    for number, answer in answers.items():
        assert isinstance(answer, httpx.Response), (number, answer)
        assert answer.status_code == 200, (number, answer.text[:300])
        report = answer.json()
        assert report["format_version"] == 1
        names = [FILES[number % len(FILES)].name]
        if number % 3 == 0:
            names.append(FILES[(number + 3) % len(FILES)].name)
        assert [entry["path"] for entry in report["files"]] == names
        for entry in report["files"]:
            assert entry == expected[entry["path"]], (number, entry["path"])
    after_rss = rss_mb(process.pid)
    assert after_rss <= 1.5 * start_rss, (start_rss, after_rss)
    health = httpx.get(f"{base}/api/health").json()
    assert health["status"] == "ok" and health["checks"]["running"] == 0
    assert health["checks"]["waiting"] == 0
    again = httpx.post(f"{base}/api/check", files={"file": ("again.pdf", FILES[0].read_bytes())})
    assert again.status_code == 200
    assert [p for p in uploads.iterdir() if p.name.startswith("profilecheck-web-")] == []
