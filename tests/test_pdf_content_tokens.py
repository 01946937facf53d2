"""The content-stream tokenizer (readers/pdf/content.py) gives what the plain one-token-a-match
tokenizer it replaced gave (kept here as the reference), on tricky input and on random bytes:
literal strings nested, escaped and unterminated, inline images, comments, hex strings, names
with escapes, numbers run into operators, loose operands past the cap."""

from __future__ import annotations

import random
import re

import pytest

from profilecheck.readers.pdf.content import (
    MAX_LOOSE_OPERANDS,
    operators,
    pdf_name,
    skip_string,
)

REFERENCE_TOKEN = re.compile(
    rb"""(?P<ws>[\x00\t\n\x0c\r ]+)
    |(?P<comment>%[^\r\n]*)
    |(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
    |(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
    |(?P<dict><<|>>)
    |(?P<hex><[^>]*>)
    |(?P<string>\()
    |(?P<array>[\[\]])
    |(?P<op>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
INLINE_IMAGE_END = re.compile(rb"\sEI(?=[\x00\t\n\x0c\r ]|$)")
HEX = frozenset(b"0123456789abcdefABCDEF")
NOT_HEX = bytes(byte for byte in range(256) if byte not in HEX)


def reference(stream: bytes) -> list:
    """The tokenizer as it was: one regular-expression match per token, whitespace included."""
    out, operands = [], []
    position, end = 0, len(stream)
    while position < end:
        match = REFERENCE_TOKEN.match(stream, position)
        kind, text = match.lastgroup, match.group()
        position = match.end()
        if kind == "number":
            operands.append(float(text))
        elif kind == "name":
            operands.append(pdf_name(text[1:]))
        elif kind == "string":
            start, position = position, skip_string(stream, position)  # unchanged: shared
            operands.append(position - start - 1)
        elif kind == "hex":
            operands.append((len(text.translate(None, NOT_HEX)) + 1) // 2)
        elif kind == "op":
            op = text.decode("latin-1")
            if op == "ID":
                found = INLINE_IMAGE_END.search(stream, position)
                position = found.end() if found else end
            out.append((op, operands))
            operands = []
        if len(operands) > MAX_LOOSE_OPERANDS:
            del operands[: -MAX_LOOSE_OPERANDS // 2]
    return out


CASES = [
    b"",
    b"   \n\t",
    b"q 1 0 0 1 72 720 cm /F1 12 Tf (Hello) Tj Q",
    b"BT (a(b)c) Tj (x\\)y) Tj (\\\\) Tj (unterminated",
    b"(ends in a backslash\\",
    b"[(A) -120 (B)] TJ <48656C6C6F> Tj <4 8 6> Tj",
    b"/Name#20with#2Fescapes cs 0.5 .5 -3 +4. scn",
    b"1.5.5 12Tf 3-4 ops.with.dots - + . f*",
    b"% a comment (not a string\nq BI /W 4 /H 4 ID \x00\xff EI Q",
    b"BI /W 1 ID data with no end",
    b"<< /Type /XObject >> /Im1 Do { } ) >",
    b" ".join(b"%d" % n for n in range(200)) + b" re",
    b"(" * 50 + b")" * 20 + b" Tj",
    b"q\r\n0 g\x00\x0cBT/F1 9 Tf(a)'(b)\"ET",
]


@pytest.mark.parametrize("stream", CASES)
def test_tricky_streams(stream):
    assert list(operators(stream)) == reference(stream)


def test_random_bytes_and_cut_up_content():
    rng = random.Random(20261206)
    alphabet = b"()\\<>[]{}/%+-.0123456789 \n\r\t\x00abcfTJjqQBIDEIcm#'\""
    for _ in range(3000):
        stream = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert list(operators(stream)) == reference(stream), stream
    whole = b"\n".join(CASES)
    for _ in range(1000):
        start = rng.randrange(len(whole))
        piece = bytearray(whole[start : start + rng.randint(1, 200)])
        for _ in range(rng.randint(0, 3)):
            piece[rng.randrange(len(piece))] = rng.choice(alphabet)
        assert list(operators(bytes(piece))) == reference(bytes(piece)), bytes(piece)
