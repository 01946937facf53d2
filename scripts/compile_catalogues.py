"""Compile profilecheck's gettext catalogues (.po -> .mo) without gettext tools or Babel.

    python scripts/compile_catalogues.py          # write every .mo next to its .po
    python scripts/compile_catalogues.py --check  # exit 1 if a committed .mo is stale

The writer follows CPython's Tools/i18n/msgfmt.py: plain msgid/msgstr pairs (no plurals, no
contexts), untranslated entries left out, keys sorted so the output is byte-for-byte stable.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "profilecheck"
LOCALE_DIRS = (PACKAGE / "reporters" / "locale", PACKAGE / "web" / "locale")  # reports, web page
MAGIC = 0x950412DE


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file (the header has msgid "")."""
    messages: dict[str, str] = {}
    section, msgid, msgstr = None, "", ""

    def flush() -> None:
        if section == "msgstr" and msgstr:
            messages[msgid] = msgstr

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            section, msgid, msgstr = "msgid", "", ""
            line = line[len("msgid ") :]
        elif line.startswith("msgstr "):
            section = "msgstr"
            line = line[len("msgstr ") :]
        if not line.startswith('"'):
            raise ValueError(f"line {number}: unsupported .po syntax: {raw!r}")
        value = ast.literal_eval(line)
        if section == "msgid":
            msgid += value
        elif section == "msgstr":
            msgstr += value
        else:
            raise ValueError(f"line {number}: string outside an entry")
    flush()
    return messages


def mo_bytes(messages: dict[str, str]) -> bytes:
    """The GNU .mo image of `messages` (little-endian, no hash table)."""
    keys = sorted(messages)
    ids = [key.encode() for key in keys]
    strs = [messages[key].encode() for key in keys]
    header_size = 7 * 4
    key_table = header_size
    value_table = key_table + len(keys) * 8
    data_start = value_table + len(keys) * 8
    offsets, data = [], b""
    for encoded in ids:
        offsets.append((len(encoded), data_start + len(data)))
        data += encoded + b"\0"
    value_offsets = []
    for encoded in strs:
        value_offsets.append((len(encoded), data_start + len(data)))
        data += encoded + b"\0"
    output = struct.pack("<7I", MAGIC, 0, len(keys), key_table, value_table, 0, 0)
    for length, offset in offsets + value_offsets:
        output += struct.pack("<2I", length, offset)
    return output + data


def compile_all(check: bool = False) -> list[Path]:
    """Write (or with `check`, compare) every catalogue; returns the stale ones."""
    stale = []
    for po in sorted(po for folder in LOCALE_DIRS for po in folder.glob("*/LC_MESSAGES/*.po")):
        image = mo_bytes(parse_po(po.read_text(encoding="utf-8")))
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.read_bytes() == image:
            continue
        stale.append(mo)
        if not check:
            mo.write_bytes(image)
    return stale


if __name__ == "__main__":
    checking = "--check" in sys.argv[1:]
    changed = compile_all(check=checking)
    for path in changed:
        print(f"{'stale' if checking else 'wrote'}: {path}")
    sys.exit(1 if checking and changed else 0)
