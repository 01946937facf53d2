"""The script classes (core/scripts.py) answer `search` as their compiled patterns do, and
compile only when a text could hold such a character (the east-Asian class is slow to compile)."""

from __future__ import annotations

import re

import pytest

from profilecheck.core.scripts import COMPLEX_SCRIPT, EAST_ASIAN, SLOT_SCRIPTS, Script

TEXTS = [
    "",
    "Kallelse till möte – ring 0303-70 30 00 “idag”",
    "שלום",
    "مرحبا",
    "日本語のテキスト",
    "한국어",
    "a\u1100b",
    "x\U00020000y",
    "\u0590",
    "\u058f",
    "\u10ff\u11ff",
    "\u2e7f",
    "\ud800 lone surrogate",
    "\uffef\ufff0",
]


@pytest.mark.parametrize("script", [COMPLEX_SCRIPT, EAST_ASIAN])
@pytest.mark.parametrize("text", TEXTS)
def test_search_is_the_compiled_patterns(script, text):
    found, expected = script.search(text), re.compile(script.pattern).search(text)
    assert (found is None) == (expected is None)
    if found is not None:
        assert (found.span(), found.group()) == (expected.span(), expected.group())


def test_latin_text_never_compiles_the_class():
    script = Script(EAST_ASIAN.pattern)
    assert script.search("Kallelse till möte, Ale kommun") is None
    assert "compiled" not in vars(script)
    assert script.search("会議") is not None and "compiled" in vars(script)


def test_the_slots_are_the_two_classes():
    assert SLOT_SCRIPTS == {"eastAsia": EAST_ASIAN, "cs": COMPLEX_SCRIPT}
