"""Bounded checks: every file within a time and a memory limit, and readers whose memory is
bounded by design, each bomb built small here and checked through the command line.

`check` runs every file in a worker of the scan's executor (batch/workers.py) with a time and a
memory limit; a file past either is `timeout` / `resource-limit` naming the limit, and the run
goes on. Inside, the readers bound what a file can cost (core/limits.py): a large image is
decoded reduced (a warning says so), a PDF page over its operation or text budget and a Word
file over its run count are read in part, with a `resource-limit` finding that names the limit.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import bombs
import pytest
from conftest import make_pdf, run_cli, run_json
from lxml import etree

from profilecheck.core.limits import DEFAULT_LIMITS, Limits, hit
from profilecheck.core.model import Status
from profilecheck.engine.engine import Engine
from profilecheck.profile.config import Settings
from profilecheck.profile.loading import load_profile
from profilecheck.readers.image import read_image
from profilecheck.readers.pixels import reduction

# The patched engine below reaches the worker only when it is forked (Linux), not spawned.
FORKED = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux only")


def _only(report: dict) -> dict:
    (entry,) = report["files"]
    return entry


def _file_findings(entry: dict) -> list[tuple[str, str]]:
    return [(f["name"], f["message"]) for f in entry["findings"] if f["code"].startswith("F")]


def _check_bomb(path: Path, *args: str, status: str = "checked") -> tuple[str, str]:
    """`check` of one bomb: it ends quickly, fails (exit 1) and has one file-level finding,
    returned as (name, message)."""
    started = time.monotonic()
    code, report = run_json("--lang", "en", *args, str(path))
    entry = _only(report)
    assert (entry["status"], code) == (status, 1), entry
    ((name, message),) = _file_findings(entry)
    assert report["summary"]["not_checked"] == 1 and report["summary"]["failed"]
    assert time.monotonic() - started < 30
    return name, message


def _header_png(path: Path, width: int, height: int) -> Path:
    """A PNG that declares its size and holds (almost) no pixels: refused from the header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = [(b"IHDR", header), (b"IDAT", zlib.compress(b"\0" * 64)), (b"IEND", b"")]
    data = b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        for kind, body in chunks
    )
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + data)
    return path


# --- images: refused from the header, or decoded reduced ------------------------------------


def test_a_13000_pixel_square_png_is_checked_reduced_with_a_warning(tmp_path):
    path = bombs.png_bomb(tmp_path / "big.png")  # 169 megapixels, about 0.5 MB
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    code, report = run_json("--select", "C", "--lang", "en", str(path))
    entry = _only(report)
    assert entry["status"] == "checked", entry
    assert _file_findings(entry) == []
    assert code == 0
    (note,) = [w for w in entry.get("warnings", []) if "max_decoded_pixels" in w]
    assert "13,000×13,000" in note and "4,334×4,334" in note
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("size", "limit"),
    [((14_000, 14_000), "max_image_pixels = 180,000,000"), ((20_000, 20_000), "180,000,000")],
    ids=["over-ours", "over-pillows-too"],
)
def test_image_refusals_quote_the_real_limit(tmp_path, size, limit):
    path = _header_png(tmp_path / "bomb.png", *size)
    name, message = _check_bomb(path, status="unreadable")
    assert name == "resource-limit"
    assert limit in message and "360" not in message and "before decoding" in message


def test_an_image_one_pixel_high_and_180_million_wide_is_refused(tmp_path):
    path = _header_png(tmp_path / "line.png", 180_000_000, 1)
    name, message = _check_bomb(path, status="unreadable")
    assert name == "resource-limit" and "max_image_side = 65,535" in message


def test_the_reader_keeps_the_page_size_and_gives_the_reduced_pixels(tmp_path):
    path = bombs.png_bomb(tmp_path / "grey.png", 3000, 2000, colour=0)
    limits = Limits(max_decoded_pixels=1_000_000)
    factor = reduction(3000, 2000, limits.max_decoded_pixels)
    with read_image(str(path), limits) as document:
        page, (image,) = document.pages[0], document.pages[0].images
        assert (round(page.width), round(page.height)) == (3000, 2000)  # 72 dpi: points
        assert image.pixels().size == (image.pixel_width, image.pixel_height)
        assert (image.pixel_width, image.pixel_height) == (-(-3000 // factor), -(-2000 // factor))
        assert image.pixel_width * image.pixel_height <= limits.max_decoded_pixels
        assert document.metadata.image.dpi == pytest.approx(72 / factor, rel=0.01)
        assert any("max_decoded_pixels = 1,000,000" in w for w in document.warnings)


def test_the_reduction_fits_the_budget_at_any_shape():
    for width, height in [(13_000, 13_000), (65_535, 3), (1, 65_535), (7, 5), (40_000, 4_000)]:
        factor = reduction(width, height, 1_000_000)
        assert -(-width // factor) * -(-height // factor) <= 1_000_000
        assert factor == 1 or -(-width // (factor - 1)) * -(-height // (factor - 1)) > 1_000_000


# --- PDF pages over their budget ------------------------------------------------------------


def test_a_page_with_500000_filled_paths_is_not_read_past_its_budget(tmp_path):
    path = bombs.pdf_paths_bomb(tmp_path / "paths.pdf")
    assert path.stat().st_size < 100_000
    name, message = _check_bomb(path)
    assert name == "resource-limit"
    assert "page 1 has 500,000 painting operations" in message
    assert hit("max_page_operations") in message


def test_forms_count_as_often_as_they_are_drawn(tmp_path):
    path = bombs.pdf_forms_bomb(tmp_path / "forms.pdf")  # 1,000 paths drawn 1,000 times
    assert path.stat().st_size < 2_000
    name, message = _check_bomb(path, "--select", "C")
    assert name == "resource-limit"
    assert "max_page_operations" in message and "at least" in message


def test_a_50_megabyte_string_is_not_laid_out(tmp_path):
    path = bombs.pdf_string_bomb(tmp_path / "string.pdf")
    assert path.stat().st_size < 200_000
    name, message = _check_bomb(path)
    assert name == "resource-limit" and hit("max_page_text_bytes") in message


@pytest.mark.parametrize("ascii85", [False, True], ids=["flate", "ascii85-flate"])
def test_a_content_stream_that_inflates_past_the_limit_is_not_decoded(tmp_path, ascii85):
    path = bombs.pdf_inflating_bomb(tmp_path / "inflates.pdf", 100, ascii85=ascii85)
    assert path.stat().st_size < 200_000  # 100 MB of spaces
    name, message = _check_bomb(path)
    assert name == "resource-limit" and hit("max_content_stream") in message


def test_a_page_whose_content_cannot_be_decoded_is_not_checked_silently(tmp_path):
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    garbage = b"<< /Length 19 /Filter /FlateDecode >>\nstream\nnot zlib, not text\nendstream"
    catalog, pages = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    )
    path = bombs.pdf_from_objects(tmp_path / "damaged.pdf", [catalog, pages, page, garbage])
    name, message = _check_bomb(path, "--select", "K")
    assert name == "unreadable-file" and message.startswith("page 1: content stream 4 0 R")


def test_a_normal_pdf_has_no_limit_findings(tmp_path):
    path = make_pdf(tmp_path / "letter.pdf", ["Ring Kontaktcenter 0303-70 30 00."] * 30)
    code, report = run_json("--exit-zero", str(path))
    entry = _only(report)
    assert entry["status"] == "checked" and _file_findings(entry) == [] and code == 0


# --- Word ----------------------------------------------------------------------------------


def test_a_docx_with_a_million_runs_is_read_up_to_the_run_limit(tmp_path):
    path = bombs.docx_runs_bomb(tmp_path / "runs.docx")
    assert path.stat().st_size < 2_000_000
    name, message = _check_bomb(path, "--select", "K")
    assert name == "resource-limit" and hit("max_word_runs") in message


def test_an_xml_part_over_the_element_limit_is_refused(tmp_path):
    path = bombs.docx_runs_bomb(tmp_path / "runs.docx", runs=20_000)
    limits = Limits(max_xml_elements=10_000)
    engine = Engine(load_profile("ale"), Settings(), limits)
    result = engine.check_file(str(path))
    assert result.status is Status.UNREADABLE
    ((finding),) = result.findings
    assert finding.name == "resource-limit" and "max_xml_elements = 10,000" in finding.message


def test_memory_running_out_in_an_xml_part_is_a_limit_not_damage(tmp_path, monkeypatch):
    """libxml2 says "unknown error" when an allocation fails under the memory limit."""
    from profilecheck.readers.ooxml import package

    def starved(*_args, **_kwargs):
        raise etree.XMLSyntaxError("unknown error", 2, 0, 0)  # XML_ERR_NO_MEMORY

    monkeypatch.setattr(package.etree, "fromstring", starved)
    path = bombs.docx_runs_bomb(tmp_path / "small.docx", runs=10)
    result = Engine(load_profile("ale"), Settings(), DEFAULT_LIMITS).check_file(str(path))
    assert result.status is Status.UNREADABLE
    assert [(f.name, f.message) for f in result.findings] == [
        ("resource-limit", "ran out of memory")
    ]


# --- time and memory per file, through the worker --------------------------------------------

SLOW = """
import sys, time
from profilecheck.engine.engine import Engine
checked = Engine.check_file

def check_file(self, path, explicit=True):
    if "slow" in path:
        time.sleep(60)
    if "hog" in path:
        hog = bytearray(3_000_000_000)  # far over any limit below
    return checked(self, path, explicit)

Engine.check_file = check_file
from profilecheck.cli.main import main
main(sys.argv[1:], prog_name="profilecheck")
"""


def _patched_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SLOW), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@FORKED
def test_check_stops_a_file_at_its_time_limit_and_goes_on(tmp_path):
    slow = make_pdf(tmp_path / "a-slow.pdf", ["Ring 0303-70 30 00."])
    next_one = make_pdf(tmp_path / "b-next.pdf", ["Ring 0303-70 30 00."])
    started = time.monotonic()
    # 4 s: the slow file never ends; the next one must finish well within it on a busy machine
    done = _patched_cli("check", "--format", "json", "--timeout", "4", str(slow), str(next_one))
    elapsed = time.monotonic() - started
    report = json.loads(done.stdout)
    first, second = report["files"]
    assert first["status"] == "timeout"
    assert _file_findings(first) == [
        ("resource-limit", "stopped at the time limit of 4 s per file (--timeout)")
    ]
    assert second["status"] == "checked"
    assert done.returncode == 1 and report["summary"]["not_checked"] == 1
    assert elapsed < 30


@FORKED
def test_check_stops_a_file_at_its_memory_limit_and_goes_on(tmp_path):
    hog = make_pdf(tmp_path / "a-hog.pdf", ["Ring 0303-70 30 00."])
    next_one = make_pdf(tmp_path / "b-next.pdf", ["Ring 0303-70 30 00."])
    done = _patched_cli(
        "check", "--format", "json", "--max-memory", "1500", str(hog), str(next_one)
    )
    report = json.loads(done.stdout)
    first, second = report["files"]
    assert first["status"] == "unreadable"
    ((name, message),) = _file_findings(first)
    assert name == "resource-limit"
    assert "memory limit of 1,500 MB per file (--max-memory)" in message
    assert second["status"] == "checked" and done.returncode == 1


def test_check_and_scan_offer_the_same_limits_with_their_own_defaults():
    check_help = run_cli("check", "--help").stdout
    scan_help = run_cli("scan", "--help").stdout
    for text in (check_help, scan_help):
        assert "--timeout" in text and "--max-memory" in text and "0: no limit" in text
    assert "120" in check_help and "2048" in check_help


def test_no_limits_checks_in_process(tmp_path):
    path = make_pdf(tmp_path / "letter.pdf", ["Ring Kontaktcenter 0303-70 30 00."])
    code, report = run_json("--timeout", "0", "--max-memory", "0", "--exit-zero", str(path))
    assert _only(report)["status"] == "checked" and code == 0


@pytest.mark.parametrize("collecting", [True, False])
def test_a_check_in_this_process_leaves_the_collector_as_it_found_it(collecting):
    import gc

    from click.testing import CliRunner

    from profilecheck.cli.main import main

    docx = Path(__file__).resolve().parents[1] / "fixtures" / "docx" / "letter-compliant.docx"
    args = ["check", "--isolated", "--exit-zero", "--timeout", "0", "--max-memory", "0"]
    was = gc.isenabled()
    if not collecting:
        gc.disable()
    try:
        result = CliRunner().invoke(main, [*args, str(docx)])
        assert result.exit_code == 0, result.output
        assert gc.isenabled() is collecting  # the build paused it, the check ran with it on
        assert gc.get_freeze_count() == 0  # what the build made was moved, not left frozen
    finally:
        if was:
            gc.enable()
