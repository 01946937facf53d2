"""What a PDF page costs to read, counted before MuPDF reads it, and what the reader may read.

MuPDF's extractions grow with the page's content: a drawing list of 500,000 paths takes 0.7 GB,
a text trace some 500 bytes per character shown, a text extraction some 30. So before any of
them, the page's content streams are decoded with bounded memory (Flate, ASCIIHex and ASCII85
here, with an output cap; the rare rest by MuPDF) and counted: painting operations (paths, text shown, images,
shadings) and bytes of text shown, each Form XObject counted as often as it is drawn (a small
form drawn a thousand times is a thousand forms). The counts are an upper bound where the
content is odd (text inside strings, inline image data), never less than what MuPDF will do.

`PageGuard` then says what may be read, and records on the document, once per page, what was
not and why, naming the limit (`resource-limit`), or that the content cannot be decoded at all
(`unreadable-file`): a page whose content no viewer can show is not "checked, nothing found".
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from profilecheck.core.limits import Limits, hit
from profilecheck.readers.pdf.content import pdf_name

DELIMITED = rb"(?=[\s\x00()<>\[\]{}/%]|$)"
OPERATIONS = re.compile(
    rb"(?<![^\s\x00)\]>])(?:f\*?|F|[bB]\*?|[sS]|sh|Do|BI|T[jJ]|'|\")" + DELIMITED
)
FORM_USES = re.compile(rb"/([^\s\x00()<>\[\]{}/%]+)[\s\x00]*Do" + DELIMITED)
OUTSIDE = re.compile(rb"[(%<]|(?<![^\s\x00])ID(?=[\s\x00])")
INSIDE = re.compile(rb"[()\\]")
LINE_END = re.compile(rb"[\r\n]")
INLINE_END = re.compile(rb"[\s\x00]EI(?=[\s\x00]|$)")
FLATE = {"FlateDecode", "Fl"}
MAX_FORM_DEPTH = 12  # MuPDF's own nesting is shallower; deeper forms are counted as drawn once


class Unreadable(Exception):
    """A content stream cannot be decoded at all."""


@dataclass
class Cost:
    operations: int = 0
    text_bytes: int = 0
    own_bytes: int = 0  # the page's own content streams, decoded
    at_least: bool = False  # counting stopped far over the limit
    oversized: str | None = None  # a stream over max_content_stream, not decoded
    unreadable: str | None = None  # why the content cannot be decoded
    # the page's own content, every stream decoded, joined as the font walk joins them; kept
    # only until that walk takes it (`take_content`), so the streams are decoded once
    content: bytes | None = field(default=None, repr=False)


def page_cost(pdf: Any, page: Any, limits: Limits) -> Cost:
    return _Counter(pdf, limits).page(page)


class _Counter:
    def __init__(self, pdf: Any, limits: Limits) -> None:
        self.pdf = pdf
        self.limits = limits
        self.forms: dict[int, tuple[int, int]] = {}  # xref -> (operations, text bytes)
        self.active: set[int] = set()
        self.cost = Cost()

    def page(self, page: Any) -> Cost:
        cost = self.cost
        try:
            streams = page.get_contents()
        except Exception as error:
            cost.unreadable = f"its content streams cannot be listed ({error})"
            return cost
        decoded, whole = [], True
        for xref in streams:
            try:
                data = self.decode(xref)
            except Unreadable as error:
                cost.unreadable = f"content stream {xref} 0 R cannot be decoded ({error})"
                whole = False
                continue
            if data is None:
                cost.oversized = f"content stream {xref} 0 R decodes to more than {self._cap()}"
                return cost
            decoded.append(data)
        if streams and not decoded:
            return cost  # nothing at all to read: unreadable says why
        cost.unreadable = None  # some of it can be read, as MuPDF will
        data = b"\n".join(decoded)
        cost.own_bytes = len(data)
        cost.content = data if whole else None
        resources = _resources_owner(self.pdf, page.xref)
        try:
            cost.operations, cost.text_bytes = self.count(data, resources, depth=0)
        except _Oversized as error:
            cost.oversized = str(error)
        return cost

    def decode(self, xref: int) -> bytes | None:
        """The stream decoded, None when it decodes to more than max_content_stream. Flate,
        ASCIIHex and ASCII85 are decoded here with bounded output (a Flate bomb is stopped at
        the limit, wrapped in ASCII85 or not); anything else (LZW, RunLength, a predictor,
        damage) by MuPDF, as when it shows the page, bounded by the per-file memory limit."""
        limit = self.limits.max_content_stream
        try:
            raw = self.pdf.xref_stream_raw(xref)
            filters = _names(self.pdf.xref_get_key(xref, "Filter")[1])
            plain = self.pdf.xref_get_key(xref, "DecodeParms")[0] == "null"
        except Exception as error:
            raise Unreadable(f"not a stream: {error}")
        if raw is None:
            raise Unreadable("not a stream")
        data = raw
        for name in filters:
            try:
                if name in FLATE:
                    data = zlib.decompressobj().decompress(data, limit + 1)
                elif name in ("ASCIIHexDecode", "AHx"):
                    data = _hex(data)
                elif name in ("ASCII85Decode", "A85"):
                    data = _a85(data)
                else:
                    return self._by_mupdf(xref, raw)
            except (zlib.error, ValueError):  # damaged: MuPDF reads what it can
                return self._by_mupdf(xref, raw)
            if len(data) > limit:
                return None
        return data if plain else self._by_mupdf(xref, raw)  # predictors do not grow it

    def _by_mupdf(self, xref: int, raw: bytes) -> bytes | None:
        try:
            data = self.pdf.xref_stream(xref)
        except Exception as error:
            raise Unreadable(str(error))
        if raw and not data:
            raise Unreadable(_mupdf_told() or "it decodes to nothing")
        return data if len(data) <= self.limits.max_content_stream else None

    def count(self, data: bytes, owner: int, depth: int) -> tuple[int, int]:
        """(operations, text bytes) of a content stream and the forms it draws. A page's own
        stream within the text limit counts whole as text (it cannot show more); a form's is
        looked at closely, since it may be drawn many times."""
        operations = sum(map(bool, OPERATIONS.finditer(data)))
        cap = self.limits.max_page_text_bytes
        text = len(data) if depth == 0 and len(data) <= cap else text_bytes(data, cap)
        if b"Do" not in data:
            return operations, text
        uses: dict[bytes, int] = {}
        for found in FORM_USES.finditer(data):
            uses[found.group(1)] = uses.get(found.group(1), 0) + 1
        for name, times in uses.items():
            form = self.form(owner, pdf_name(name), depth)
            operations += times * form[0]
            text += times * form[1]
            if operations > 10 * self.limits.max_page_operations:
                self.cost.at_least = True
                break  # over by far: the exact count does not matter
        return operations, text

    def form(self, owner: int, name: str, depth: int) -> tuple[int, int]:
        """(operations, text bytes) of the form XObject `name` of the resources of `owner`,
        counted once per form; an image, a missing or a recursive form costs nothing more."""
        if depth >= MAX_FORM_DEPTH:
            return 0, 0
        try:
            kind, value = self.pdf.xref_get_key(owner, f"Resources/XObject/{name}")
            if kind != "xref":
                return 0, 0
            xref = int(value.split()[0])
            if self.pdf.xref_get_key(xref, "Subtype")[1] != "/Form" or xref in self.active:
                return 0, 0
        except Exception:
            return 0, 0
        if xref not in self.forms:
            try:
                data = self.decode(xref)
            except Unreadable:
                data = b""
            if data is None:
                raise _Oversized(f"form {xref} 0 R decodes to more than {self._cap()}")
            own = self.pdf.xref_get_key(xref, "Resources")[0] != "null"
            self.active.add(xref)
            try:
                self.forms[xref] = self.count(data, xref if own else owner, depth + 1)
            finally:
                self.active.discard(xref)
        return self.forms[xref]

    def _cap(self) -> str:
        return hit("max_content_stream", self.limits)


class _Oversized(Exception):
    pass


def text_bytes(data: bytes, stop: int) -> int:
    """Bytes of the strings in `data` (hex strings count half), outside comments and inline
    image data; counting stops soon after `stop`."""
    count, position, end = 0, 0, len(data)
    while count <= stop:
        found = OUTSIDE.search(data, position)
        if found is None:
            return count
        char, position = data[found.start()], found.end()
        if char == 0x28:  # "(": a literal string, with balanced parentheses and escapes
            start, depth = position, 1
            while depth:
                inner = INSIDE.search(data, position)
                if inner is None:
                    position = end
                    break
                position = inner.end()
                mark = data[inner.start()]
                if mark == 0x5C:
                    position += 1
                else:
                    depth += 1 if mark == 0x28 else -1
            count += position - start
        elif char == 0x25:  # "%": a comment, to the end of the line
            line = LINE_END.search(data, position)
            position = line.end() if line else end
        elif char == 0x3C:  # "<<" a dictionary, "<" a hex string
            if data[position : position + 1] == b"<":
                position += 1
                continue
            close = data.find(b">", position)
            close = end if close < 0 else close
            count += (close - position) // 2
            position = close + 1
        else:  # "ID": inline image data, to "EI"
            image_end = INLINE_END.search(data, position)
            position = image_end.end() if image_end else end
    return count


def _hex(data: bytes) -> bytes:
    digits = bytes(c for c in data.split(b">", 1)[0] if c not in b" \t\r\n\f\x00")
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _a85(data: bytes) -> bytes:
    text = data.strip().removeprefix(b"<~").split(b"~>", 1)[0]
    return base64.a85decode(text, ignorechars=b" \t\r\n\f\x00")


def _names(value: str) -> list[str]:
    return re.findall(r"/([^\s/\[\]<>()]+)", value or "")


def _resources_owner(pdf: Any, xref: int) -> int:
    """The page, or the ancestor in the page tree, whose Resources the page uses."""
    for _ in range(64):
        try:
            if pdf.xref_get_key(xref, "Resources")[0] != "null":
                return xref
            kind, parent = pdf.xref_get_key(xref, "Parent")
        except Exception:
            return xref
        if kind != "xref":
            return xref
        xref = int(parent.split()[0])
    return xref


def _count(value: int, at_least: bool) -> str:
    return f"at least {value:,}" if at_least else f"{value:,}"


def _mupdf_told() -> str:
    import pymupdf

    told = (pymupdf.TOOLS.mupdf_warnings(reset=False) or "").splitlines()
    return "; ".join(dict.fromkeys(line for line in told[-3:] if line and "..." not in line))


class PageGuard:
    """What may be read of one page, decided on first use; what may not is recorded in
    `unread` (the document's) once, naming the limit."""

    def __init__(self, pdf: Any, index: int, limits: Limits, unread: list) -> None:
        self.pdf, self.index, self.limits, self.unread = pdf, index, limits, unread
        self.reason = ""  # why something was not read, as recorded
        self._cost: Cost | None = None

    @property
    def cost(self) -> Cost:
        if self._cost is None:
            try:
                page = self.pdf.load_page(self.index)
            except Exception as error:
                self._cost = Cost(unreadable=f"the page cannot be loaded ({error})")
            else:
                self._cost = page_cost(self.pdf, page, self.limits)
        return self._cost

    def take_content(self) -> bytes | None:
        """The page's own content as `cost` decoded it (every stream), once; None when it was
        not decoded whole or was taken already."""
        content, self.cost.content = self.cost.content, None
        return content

    def allows(self, what: str) -> bool:
        """Whether the page's `what` ("graphics", "text", "render", "images") may be read: over
        max_page_operations, not its vector graphics nor a render; over max_page_text_bytes,
        nothing (MuPDF lays the text out whatever it is asked for)."""
        cost, limits, number = self.cost, self.limits, self.index + 1
        if cost.unreadable:
            self._note("unreadable-file", f"page {number}: {cost.unreadable}")
            return False
        if cost.oversized:
            self._note("resource-limit", f"page {number}: {cost.oversized}; not read")
            return False
        many = cost.operations > limits.max_page_operations
        much = cost.text_bytes > limits.max_page_text_bytes
        if many and what in ("graphics", "render"):
            self._note(
                "resource-limit",
                f"page {number} has {_count(cost.operations, cost.at_least)} painting operations "
                f"(forms counted as often as they are drawn), over "
                f"{hit('max_page_operations', limits)}: its vector graphics were not read and it "
                "was not rendered",
            )
            return False
        if much:  # MuPDF lays out the text whatever it extracts: none of it is read
            self._note(
                "resource-limit",
                f"page {number} shows {_count(cost.text_bytes, True)} bytes of text, over "
                f"{hit('max_page_text_bytes', limits)}: its content was not read and it was not "
                "rendered",
            )
            return False
        return True

    def _note(self, name: str, message: str) -> None:
        self.reason = message
        if (name, message) not in self.unread:
            self.unread.append((name, message))
