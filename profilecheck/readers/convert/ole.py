"""Whether a legacy Office file or an OpenDocument package is password-protected.

Asked before LibreOffice is started, so an encrypted file ends as `encrypted` (with the reason)
rather than as a conversion that failed. A Word 97-2003 file says so in its File Information
Block: bit `fEncrypted` of the flags at offset 0x0A of the `WordDocument` stream, which is
found through the compound file's directory (a small reader of [MS-CFB]: header, FAT,
directory). A PowerPoint 97-2003 file that is encrypted has an `EncryptedSummary` stream; an
OpenDocument package lists `encryption-data` in its manifest.
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

from profilecheck.core.files import open_regular

HEADER = 512
DIR_ENTRY = 128
END_OF_CHAIN = 0xFFFFFFFE
MAX_SECTOR = 0xFFFFFFFA
MAX_DIRECTORY_SECTORS = 4096  # 16 MB of directory at 4 KB sectors: a loop or a bomb beyond
FIB_FLAGS = 0x0A
F_ENCRYPTED = 0x0100
MANIFEST_LIMIT = 1024 * 1024


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def doc_encrypted(path: str) -> bool:
    """Whether a Word 97-2003 file's FIB says it is encrypted (False where it cannot tell)."""
    with open_regular(path) as handle:
        try:
            return _fib_encrypted(handle)
        except (struct.error, ValueError, OSError):
            return False


def ppt_encrypted(path: str) -> bool:
    with open_regular(path) as handle:
        return _utf16("EncryptedSummary") in handle.read(4 * 1024 * 1024)


def odf_encrypted(path: str) -> bool:
    with open_regular(path) as handle:
        try:
            with zipfile.ZipFile(handle) as archive:
                info = archive.getinfo("META-INF/manifest.xml")
                if info.file_size > MANIFEST_LIMIT:
                    return False
                return b"encryption-data" in archive.read(info)
        except Exception:  # damaged or no manifest: LibreOffice will say what it can
            return False


def _fib_encrypted(handle: BinaryIO) -> bool:
    header = handle.read(HEADER)
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return False
    size = 1 << shift
    cutoff = struct.unpack_from("<I", header, 0x38)[0]
    fat = _fat(handle, header, size)
    sector = struct.unpack_from("<I", header, 0x30)[0]
    for _ in range(MAX_DIRECTORY_SECTORS):
        if sector > MAX_SECTOR:
            return False
        handle.seek((sector + 1) * size)
        block = handle.read(size)
        for offset in range(0, len(block) - DIR_ENTRY + 1, DIR_ENTRY):
            entry = block[offset : offset + DIR_ENTRY]
            length = struct.unpack_from("<H", entry, 64)[0]
            if entry[: max(length - 2, 0)] != _utf16("WordDocument") or entry[66] != 2:
                continue
            start, stream_size = struct.unpack_from("<II", entry, 116)
            if stream_size < cutoff or start > MAX_SECTOR:  # in the mini stream: not read here
                return False
            handle.seek((start + 1) * size + FIB_FLAGS)
            flags = struct.unpack("<H", handle.read(2))[0]
            return bool(flags & F_ENCRYPTED)
        sector = fat[sector] if sector < len(fat) else END_OF_CHAIN
    return False


def _fat(handle: BinaryIO, header: bytes, size: int) -> list[int]:
    """The FAT from the header's DIFAT (109 sectors: files up to about 7 MB at 512-byte
    sectors, 448 MB at 4 KB; the directory of a larger file sits early in practice)."""
    count = min(struct.unpack_from("<I", header, 0x2C)[0], 109)
    sectors = struct.unpack_from(f"<{count}I", header, 0x4C)
    fat: list[int] = []
    for sector in sectors:
        if sector > MAX_SECTOR:
            break
        handle.seek((sector + 1) * size)
        block = handle.read(size)
        fat += struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4])
    return fat
