"""Fuzzing: mutants of real files (byte flips, truncations, damaged zip members and headers) all
end in a documented status, with no traceback, from `check` and from `scan`, and the inputs are
never changed.

Seeded, so a failure can be replayed: PROFILECHECK_FUZZ_SEED picks other mutants and
PROFILECHECK_FUZZ_MUTANTS how many (the default keeps the test to about a minute). The sources
are the shared corpus (../shared/corpus) when present, else the repository's fixtures; mutants are
written to a temporary folder, never into the repository.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import CORPUS, ROOT, run_cli

SEED = int(os.environ.get("PROFILECHECK_FUZZ_SEED", "16"))
MUTANTS = int(os.environ.get("PROFILECHECK_FUZZ_MUTANTS", "200"))
MAX_SOURCE_BYTES = 160_000  # small sources keep the test near a minute
KINDS = {  # what a source is, by its name; a corpus ".fuzz" file is a PDF
    ".pdf": "pdf", ".fuzz": "pdf", ".docx": "docx", ".png": "image", ".jpg": "image",
    ".jpeg": "image", ".gif": "image", ".tif": "image", ".tiff": "image", ".webp": "image",
}  # fmt: skip
STATUSES = {"checked", "unreadable", "encrypted", "unsupported", "timeout", "skipped"}


def _sources() -> list[Path]:
    base = CORPUS if CORPUS.is_dir() else ROOT / "fixtures"
    found = [
        path
        for path in sorted(base.rglob("*"))
        if path.is_file()
        and path.suffix.lower() in KINDS
        and 0 < path.stat().st_size <= MAX_SOURCE_BYTES
    ]
    assert found, f"no sources under {base}"
    return found


# --- mutations: each takes the bytes and a seeded generator and returns the mutant ---


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 4, 32, 256))):
        out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.choice((0, 1, 8, rng.randrange(len(data)), len(data) - 1))]


def splice(data: bytes, rng: random.Random) -> bytes:
    """A stretch of the file repeated or dropped: offsets and lengths stop adding up."""
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randrange(1, 4096))
    if rng.random() < 0.5:
        return data[:end] + data[start:end] * rng.randrange(1, 8) + data[end:]
    return data[:start] + data[end:]


def damage_member(data: bytes, rng: random.Random) -> bytes:
    """One member's content flipped, cut or replaced, in an otherwise valid zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        victim = rng.choice(infos).filename
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                content = source.read(info)
                if info.filename == victim:
                    content = rng.choice((flip_bytes, truncate, splice))(content or b"x", rng)
                target.writestr(info, content)
    return out.getvalue()


def damage_zip_raw(data: bytes, rng: random.Random) -> bytes:
    """Bytes of one member's compressed stream flipped in place: CRC and inflate errors."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        info = rng.choice(source.infolist())
    start = info.header_offset + 30 + len(info.orig_filename.encode()) + len(info.extra)
    out = bytearray(data)
    for _ in range(rng.choice((1, 8, 64))):
        if info.compress_size:
            out[start + rng.randrange(info.compress_size)] ^= rng.randrange(1, 256)
    return bytes(out)


def damage_zip_header(data: bytes, rng: random.Random) -> bytes:
    """A central directory field that zipfile cannot take: the version needed to extract
    (`zip file version 25.4`), the compression method, the flags, a size or an offset."""
    out = bytearray(data)
    entries = [i for i in range(len(out) - 46) if out[i : i + 4] == b"PK\x01\x02"]
    at = rng.choice(entries)
    field, size, values = rng.choice(
        (
            (6, 2, (254, 63, 0xFFFF)),  # version needed to extract
            (10, 2, (99, 9, 14, 0xFFFF)),  # compression method: AES, deflate64, LZMA, junk
            (8, 2, (0x1, 0x41, 0xFFFF)),  # flags: encrypted, strong encryption
            (24, 4, (0, 0xFFFFFFFF, 7)),  # uncompressed size
            (42, 4, (0, 0xFFFFFFF0, 1)),  # local header offset
        )
    )
    out[at + field : at + field + size] = rng.choice(values).to_bytes(size, "little")
    return bytes(out)


def damage_zip_end(data: bytes, rng: random.Random) -> bytes:
    """The end-of-central-directory record claims other member counts or another offset."""
    out = bytearray(data)
    end = out.rfind(b"PK\x05\x06")
    count = rng.choice((0, 1, 0xFFFF, rng.randrange(0x10000)))
    offset = rng.choice((0, 0xFFFFFFFF, rng.randrange(len(data))))
    out[end + 8 : end + 12] = struct.pack("<HH", count, count)
    out[end + 16 : end + 20] = struct.pack("<I", offset)
    return bytes(out)


FLAT: tuple[Callable[[bytes, random.Random], bytes], ...] = (flip_bytes, truncate, splice)
ZIP = (damage_member, damage_zip_raw, damage_zip_header, damage_zip_end, flip_bytes, truncate)


def make_mutants(folder: Path, count: int, seed: int) -> dict[str, str]:
    """`count` mutants in `folder`, sources spread over the kinds; name -> how it was made."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Path]] = {}
    for path in _sources():
        by_kind.setdefault(KINDS[path.suffix.lower()], []).append(path)
    kinds = sorted(by_kind)
    made: dict[str, str] = {}
    for index in range(count):
        source = rng.choice(by_kind[kinds[index % len(kinds)]])
        data = source.read_bytes()
        mutations = ZIP if data.startswith(b"PK\x03\x04") else FLAT
        mutation = rng.choice(mutations)
        try:
            mutant = mutation(data, rng)
        except (zipfile.BadZipFile, IndexError, ValueError):  # a source zip it cannot take apart
            mutation, mutant = flip_bytes, flip_bytes(data, rng)
        name = f"m{index:03d}-{mutation.__name__}{source.suffix.lower()}"
        (folder / name).write_bytes(mutant)
        made[name] = f"{mutation.__name__} of {source.name}"
    return made


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _assert_documented(done, made: dict[str, str], folder: Path, command: str) -> None:
    assert "Traceback" not in done.stderr, f"{command}: {done.stderr[-3000:]}"
    assert done.returncode in (0, 1), f"{command} exited {done.returncode}: {done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    by_name = {Path(entry["path"]).name: entry for entry in report["files"]}
    assert sorted(by_name) == sorted(made), f"{command}: not every mutant has one entry"
    for name, entry in by_name.items():
        what = f"{command}: {name} ({made[name]})"
        assert entry["status"] in STATUSES, what
        if entry["status"] not in ("checked", "skipped"):
            assert entry.get("message"), what
        failed = [f for f in entry["findings"] if f["name"] == "rule-failed"]
        assert not failed, f"{what}: a rule crashed: {failed[0]['message']}"


def test_mutants_end_in_a_documented_status_from_check_and_scan(tmp_path):
    folder = tmp_path / "mutants"
    folder.mkdir()
    sources = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in _sources()}
    made = make_mutants(folder, MUTANTS, SEED)
    before = _digests(folder)

    check = run_cli("check", "--isolated", "--format", "json", str(folder), cwd=tmp_path)
    _assert_documented(check, made, folder, "check")
    assert _digests(folder) == before, "check changed its input files"

    scan = run_cli(
        "scan", "--isolated", "--jobs", "2", "--format", "json", "--no-cache", "--timeout",
        "60", str(folder), cwd=tmp_path,
    )  # fmt: skip
    _assert_documented(scan, made, folder, "scan")
    assert _digests(folder) == before, "scan changed its input files"

    assert {p: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in sources} == sources
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mutants"], "nothing written beside"
