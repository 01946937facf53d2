"""The reporters' own words (headings, labels, summary lines) in the run's language.

Catalogues are GNU gettext files under `profilecheck/locale/<lang>/LC_MESSAGES/profilecheck.mo`,
compiled from the `.po` files next to them by `scripts/compile_catalogues.py` and committed, so
no tool is needed at run time. Source strings are English; a language without a catalogue falls
back to them. Finding messages are not translated here: rule files and rule types already give
them in the profile's language.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

DOMAIN = "profilecheck"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Marks a string for translation where it is defined; `_` translates it where shown."""
    return message


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue for `lang` ("sv", "sv-SE", "en"), or the English source strings."""
    base = (lang or "en").replace("-", "_").split("_")[0].lower()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[base], fallback=True)


def translator(lang: str) -> Callable[[str], str]:
    """`_` for `lang`: `_("Files checked")` -> "Kontrollerade filer" in Swedish."""
    return translations(lang).gettext


SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
STATUS_LABELS = {
    "checked": N_("checked"),
    "unreadable": N_("unreadable"),
    "encrypted": N_("encrypted"),
    "unsupported": N_("unsupported"),
    "timeout": N_("timed out"),
    "skipped": N_("skipped"),
}


def label(labels: dict[str, str], key: str, lang: str) -> str:
    """The translated word for a severity or status value (the value itself if unknown)."""
    return translator(lang)(labels.get(key, key)) if key in labels else key
