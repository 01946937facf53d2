"""The page's own words, in the same form as the reporters': gettext catalogues.

`web/locale/<lang>/LC_MESSAGES/web.po`, compiled to `.mo` beside it with the functions of
`scripts/compile_catalogues.py` (tests/test_web.py fails on a stale or incomplete one). A word
the page shares with the reports (severities, statuses, "Compliance score") comes from the
reporters' catalogue, which backs this one.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

from profilecheck.reporters.i18n import N_, translations

DOMAIN = "web"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"

# Why a request or a file could not be checked, in plain words (keys: JSON `status`).
ERRORS = {
    "not-multipart": N_("Send the files as a form upload (multipart/form-data, field “file”)."),
    "no-files": N_("No file was sent. Choose one or more files to check."),
    "bad-upload": N_("The upload was broken off or malformed. Please try again."),
    "request-too-large": N_("The upload is too large: at most {limit} in one go."),
    "file-too-large": N_("A file is too large: at most {limit} per file."),
    "too-many-files": N_("Too many files: at most {limit} in one go."),
    "unauthorized": N_("This server needs its access token."),
    "not-found": N_("There is no such page, or the report has expired. Check the file again."),
    "method-not-allowed": N_("That is not how this address is used."),
    "bad-host": N_("This server only answers under its own address."),
    "bad-origin": N_("Files can only be sent from this server's own page."),
    "busy": N_("Many checks are waiting. Please try again in a minute."),
    "check-failed": N_("The check could not be completed. Please try again."),
    "server-error": N_("Something went wrong on the server. Please try again."),
}
# What each status means for the person who sent the file.
STATUS_HELP = {
    "unreadable": N_("The file could not be read: it may be damaged or empty."),
    "encrypted": N_("The file is password-protected. Save a copy without a password."),
    "unsupported": N_(
        "This kind of file cannot be checked: send PDF, Word, PowerPoint or an image."
    ),
    "timeout": N_("The check took too long and was stopped."),
    "skipped": N_("The file was skipped."),
}


def language(value: str | None) -> str:
    base = (value or "").replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    own = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    own.add_fallback(translations(lang))
    return own


def translator(lang: str) -> Callable[[str], str]:
    return _catalogue(language(lang)).gettext


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


SIZES = ("request-too-large", "file-too-large")  # their `limit` is in bytes


def error_text(reason: str, lang: str, **values: object) -> str:
    shown = {
        key: megabytes(value) if reason in SIZES and isinstance(value, int) else value
        for key, value in values.items()
    }
    return translator(lang)(ERRORS.get(reason, ERRORS["server-error"])).format(**shown)
