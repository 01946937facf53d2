"""The folder where things worth keeping between runs are kept.

The scan's cache of results lives there, and so does the logo rule's artwork model, which costs
about a quarter of a second to compute in every process (checks/logo/model_cache.py). The command
line decides the folder (`--cache-dir`, else the user's cache folder; `--no-cache`: none) and
says so with `use`; whoever keeps something asks `folder()`. None, the default (and what a
program using profilecheck as a library gets), keeps nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

DEFAULT: Literal["default"] = "default"  # the user's cache folder, found only when first asked
_folder: Path | Literal["default"] | None = None


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("profilecheck", appauthor=False))


def use(folder: Path | Literal["default"] | None) -> None:
    """Keep things under `folder` from now on (created when first written); DEFAULT: the user's
    cache folder; None: keep nothing."""
    global _folder
    _folder = folder if folder in (None, DEFAULT) else Path(folder)  # type: ignore[arg-type]


def folder() -> Path | None:
    global _folder
    if _folder == DEFAULT:  # looked up here: platformdirs is not imported by a check that
        _folder = default_cache_dir()  # keeps nothing (a Word file without pictures)
    return _folder  # type: ignore[return-value]
