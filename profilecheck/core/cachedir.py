"""The folder where things worth keeping between runs are kept.

The scan's cache of results lives there, and so does the logo rule's artwork model, which costs
about a quarter of a second to compute in every process (checks/logo/model_cache.py). The command
line decides the folder (`--cache-dir`, else the user's cache folder; `--no-cache`: none) and
says so with `use`; whoever keeps something asks `folder()`. None, the default (and what a
program using profilecheck as a library gets), keeps nothing.
"""

from __future__ import annotations

from pathlib import Path

_folder: Path | None = None


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("profilecheck", appauthor=False))


def use(folder: Path | None) -> None:
    """Keep things under `folder` from now on (created when first written); None: keep nothing."""
    global _folder
    _folder = Path(folder) if folder is not None else None


def folder() -> Path | None:
    return _folder
