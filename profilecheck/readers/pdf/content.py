"""Reading PDF content streams: one tokenizer for every walk over page content (colours, fonts).

Operands are kept only as far as the walks need them: numbers as floats, names decoded from
their `#xx` escapes, strings (literal and hex) as their length in bytes (an int, never a float;
escapes counted as written); arrays' brackets and dictionaries are dropped, an array's items kept. Inline image data is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Whitespace before a token is part of its match (one match per token, none per gap); a literal
# string without nested parentheses is one match too, the rest is skipped by `skip_string`.
# `op` is an operator that cannot start a number, `op2` one that starts like a number and is
# not one ("-", "+x", ".": after `number` failed), as one pattern tried after `number` had it.
TOKEN = re.compile(
    rb"""[\x00\t\n\x0c\r ]*
    (?:(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
    |(?P<op>[^\x00\t\n\x0c\r ()<>\[\]{}/%+\-.0-9][^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
    |(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
    |(?P<literal>\((?:[^()\\]|\\.)*\))
    |(?P<comment>%[^\r\n]*)
    |(?P<dict><<|>>)
    |(?P<hex><[^>]*>)
    |(?P<string>\()
    |(?P<array>[\[\]])
    |(?P<op2>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
    |(?P<other>.))""",
    re.VERBOSE | re.DOTALL,
)
INLINE_IMAGE_END = re.compile(rb"\sEI(?=[\x00\t\n\x0c\r ]|$)")
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
NOT_HEX = bytes(byte for byte in range(256) if byte not in HEX_DIGITS)  # deleted to count digits
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
MAX_LOOSE_OPERANDS = 64  # operands without an operator: garbage, keep memory bounded


def pdf_name(raw: bytes) -> str:
    """A PDF name without its slash, `#xx` escapes decoded, one character per byte."""
    return NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def operators(stream: bytes) -> Iterator[tuple[str, list[Any]]]:
    """(operator, operands) pairs of a content stream, in order."""
    operands: list[Any] = []
    position, end = 0, len(stream)
    while position < end:
        for match in TOKEN.finditer(stream, position):
            kind = match.lastgroup
            if kind == "number":
                operands.append(float(match.group(kind)))
            elif kind in ("op", "op2"):
                op = match.group(kind).decode("latin-1")
                yield op, operands
                operands = []
                if op == "ID":
                    found = INLINE_IMAGE_END.search(stream, match.end())
                    position = found.end() if found else end
                    break  # on after the image's data
                continue
            elif kind == "name":
                operands.append(pdf_name(match.group(kind)[1:]))
            elif kind == "literal":
                operands.append(match.end() - match.start(kind) - 2)
            elif kind == "string":  # nested parentheses, or no end
                start = match.end()
                position = skip_string(stream, start)
                operands.append(position - start - 1)
                if len(operands) > MAX_LOOSE_OPERANDS:
                    del operands[: -MAX_LOOSE_OPERANDS // 2]
                break  # on after the string
            elif kind == "hex":
                operands.append((len(match.group(kind).translate(None, NOT_HEX)) + 1) // 2)
            else:
                continue
            if len(operands) > MAX_LOOSE_OPERANDS:
                del operands[: -MAX_LOOSE_OPERANDS // 2]
        else:
            return


def skip_string(stream: bytes, position: int) -> int:
    """The position after a literal string whose opening parenthesis ends at `position`."""
    depth = 1
    while position < len(stream) and depth:
        char = stream[position]
        if char == 0x5C:  # backslash escapes the next byte
            position += 1
        elif char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
        position += 1
    return position
