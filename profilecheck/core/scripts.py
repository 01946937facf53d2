"""Text in the scripts Word keeps a font slot of its own for: east-Asian and complex scripts
(right-to-left and the scripts of South and South-East Asia). The Word reader picks a run's slot
with them; the typeface rule and `fix` judge a slot's font only where such text is present."""

from __future__ import annotations

import re
from functools import cached_property


class Script:
    """A character class with `search` like a compiled pattern's, compiled on first use (the
    east-Asian class takes milliseconds to compile): text whose every character lies below the
    class's first never needs it (most Latin text)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.first = pattern[1]  # "[" then the lowest character of the class

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def search(self, text: str) -> re.Match[str] | None:
        if not text or max(text) < self.first:
            return None
        return self.compiled.search(text)


COMPLEX_SCRIPT = Script("[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\ufb1d-\ufdff\ufe70-\ufeff]")
EAST_ASIAN = Script(
    "[\u1100-\u11ff\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff]"
)
# Word's rFonts attribute of each slot -> the text that shows in that slot's font
SLOT_SCRIPTS = {"eastAsia": EAST_ASIAN, "cs": COMPLEX_SCRIPT}
