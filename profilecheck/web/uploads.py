"""Uploads streamed straight to a private folder, with the size limits checked on the way.

The request body is parsed as it arrives (python-multipart's push parser, not Starlette's
`form()`, which spools first and counts nothing): every part named `file` goes to its own
file in a fresh folder made by `tempfile.mkdtemp` (mode 0700), written as `upload-<n><.ext>`.
The name the client sent is only ever shown: its last component, through `core.printable`;
the extension is kept (lower case, letters and digits only) because a format is recognised
from it too (.docx against .dotx). The request's size and each file's size are counted while
the bytes come in, so a body over a limit is refused (413) before the rest is read.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header

from profilecheck.core.printable import printable

FIELD = "file"
MAX_FILES = 20
MAX_FIELD_BYTES = 1000  # a form field that is not a file (the page's language)
MAX_NAME_CHARS = 200
SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")


class UploadError(Exception):
    """A request that cannot be taken: `reason` is a key of web.i18n.ERRORS."""

    def __init__(self, reason: str, http_status: int, **values: object):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.values = values


@dataclass
class Upload:
    path: str  # where it was written, inside the private folder
    name: str  # the client's name, for display only
    size: int = 0


@dataclass
class Received:
    folder: Path
    files: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def display_name(raw: str, index: int) -> str:
    """The last component of a client's file name (either slash), one printable line."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = printable(name)[:MAX_NAME_CHARS]
    return name if name not in ("", ".", "..") else f"file-{index}"


def stored_name(raw: str, index: int) -> str:
    suffix = os.path.splitext(raw.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()
    return f"upload-{index}{suffix if SAFE_SUFFIX.fullmatch(suffix) else ''}"


def unique(names: list[str]) -> list[str]:
    """Names made distinct for the report ("a.pdf", "a.pdf (2)"): results are keyed by them."""
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name} ({n})"
        seen.add(candidate)
        out.append(candidate)
    return out


async def receive(
    content_type: str | None,
    content_length: str | None,
    stream: AsyncIterator[bytes],
    max_request: int,
    max_file: int,
    temp_root: str | None = None,
) -> Received:
    """Stream a multipart body into a new private folder. On any error the folder is gone."""
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError("not-multipart", 400)
    if content_length and content_length.isdigit() and int(content_length) > max_request:
        raise UploadError("request-too-large", 413, limit=max_request)
    received = Received(Path(tempfile.mkdtemp(prefix="profilecheck-web-", dir=temp_root)))
    os.chmod(received.folder, 0o700)
    writer = _PartWriter(received, max_file)
    parser = MultipartParser(boundary, writer.callbacks())
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > max_request:
                raise UploadError("request-too-large", 413, limit=max_request)
            parser.write(chunk)
        parser.finalize()
        if not writer.ended:
            raise UploadError("bad-upload", 400)
    except UploadError:
        writer.close()
        received.remove()
        raise
    except Exception:  # a malformed body, a client that went away, a full disk
        writer.close()
        received.remove()
        raise UploadError("bad-upload", 400)
    writer.close()
    for upload, name in zip(received.files, unique([f.name for f in received.files]), strict=True):
        upload.name = name
    return received


class _PartWriter:
    """python-multipart's callbacks: headers of each part, then its data to a file or field."""

    def __init__(self, received: Received, max_file: int):
        self.received = received
        self.max_file = max_file
        self.header_name = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.handle = None
        self.upload: Upload | None = None
        self.field_name: str | None = None
        self.field_value = bytearray()
        self.ended = False

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value_part,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
            "on_end": self.end,
        }

    def part_begin(self) -> None:
        self.headers, self.upload, self.field_name = {}, None, None
        self.field_value = bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def header_value_part(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.header_name.lower()] = self.header_value
        self.header_name, self.header_value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if name == FIELD and filename is not None:
            index = len(self.received.files) + 1
            if index > MAX_FILES:
                raise UploadError("too-many-files", 413, limit=MAX_FILES)
            raw = filename.decode("utf-8", "replace")
            path = self.received.folder / stored_name(raw, index)
            self.handle = open(path, "xb")  # noqa: SIM115 - closed in part_end or close
            self.upload = Upload(str(path), display_name(raw, index))
            self.received.files.append(self.upload)
        else:
            self.field_name = name

    def part_data(self, data: bytes, start: int, end: int) -> None:
        size = end - start
        if self.upload is not None and self.handle is not None:
            self.upload.size += size
            if self.upload.size > self.max_file:
                raise UploadError("file-too-large", 413, limit=self.max_file)
            self.handle.write(data[start:end])
        elif self.field_name is not None:
            self.field_value += data[start:end]
            if len(self.field_value) > MAX_FIELD_BYTES:
                raise UploadError("bad-upload", 400)

    def part_end(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        elif self.field_name:
            value = self.field_value.decode("utf-8", "replace")
            self.received.fields.setdefault(self.field_name, value)

    def end(self) -> None:
        self.ended = True

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
