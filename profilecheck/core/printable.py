"""The one sanitiser for names and messages shown to people or written into reports.

Names come from the file system (file and folder names: on POSIX any bytes but "/" and NUL,
held by Python as surrogate escapes U+DC80–U+DCFF where they are not UTF-8) and from documents
(font names, zip member names, page text, metadata). Written raw, a name can move the cursor,
recolour or retitle a terminal, ring its bell, forge a line of a report (ESC, BEL, CR, LF),
reorder what is shown (bidi overrides), or crash a writer that wants valid UTF-8.

- `printable(text)`: for people: terminals, the text report, the CLI's own lines, and the
  names and messages of the HTML, Markdown and JUnit reports. One line; control characters
  (C0, DEL, C1), line and paragraph separators and bidi controls are shown as `\\x1b`-style
  escapes (`\\u202e` above U+00FF); the bytes of a name that are not UTF-8 as `\\xNN`.
- `valid_unicode(text)`: for data (JSON, SARIF): bytes that are not UTF-8 become U+FFFD.
- `name_bytes(text)`: a name's exact bytes (what `os.fsencode` gives on POSIX), e.g. to
  percent-encode it in a URI or to hash it.
- `safe_json(text)`: JSON from `json.dumps(..., ensure_ascii=False)` made valid UTF-8 (lone
  surrogates as U+FFFD) and safe on a terminal (the characters `printable` escapes written as
  `\\uXXXX`, which JSON reads back as the same characters).
"""

from __future__ import annotations

import re
from functools import cache

# What a terminal acts on or what reorders text: C0 controls, DEL and C1 controls, the line and
# paragraph separators, bidi marks, embeddings, overrides and isolates, and lone surrogates
# (surrogate-escaped bytes of names that are not UTF-8, or broken text from a document).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
ESCAPED_BYTE = range(0xDC80, 0xDD00)  # surrogateescape's range: byte 0x80-0xFF


@cache  # compiled on first use: the text report of a check never needs it
def surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


@cache
def unsafe_in_json() -> re.Pattern[str]:
    """In JSON text: json.dumps already escapes C0 controls inside strings, and outside them
    the only ones are the layout's newlines."""
    return re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in ESCAPED_BYTE:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` as one line that shows as itself on a terminal: see the module's docstring."""
    value = str(text)
    return UNSAFE.sub(_escape, value) if UNSAFE.search(value) else value


def valid_unicode(text: object) -> str:
    """`text` with lone surrogates (bytes of a name that are not UTF-8) as U+FFFD."""
    value = str(text)
    return surrogate().sub("\ufffd", value) if surrogate().search(value) else value


def has_undecodable(text: str) -> bool:
    """Whether `text` holds bytes that are not UTF-8 (as surrogate escapes)."""
    return surrogate().search(text) is not None


def name_bytes(text: str) -> bytes:
    """The bytes of a name: UTF-8 with surrogate-escaped bytes restored (os.fsencode on POSIX);
    other lone surrogates (Windows names) as their UTF-8-like form."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def safe_json(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) as valid UTF-8 that is safe on a
    terminal. JSON's structure is ASCII, so these characters can only be inside strings."""
    unsafe = unsafe_in_json()
    return unsafe.sub(_json_escape, text) if unsafe.search(text) else text
