"""The cyclic garbage collector paused around bulk work whose objects form no cycles.

A scan's own objects (the walk's entries, one or two results per file, the report's lines) and
what building the engine makes (imports, the profile, the rules) are freed as they are dropped,
or live to the end; the collector would only go over them again and again: tens of milliseconds
of a warm re-scan, about 2 ms of a one-file check. Worker processes collect as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused(promote: bool = False) -> Iterator[None]:
    """The collector off inside, as it was after. `promote`: what was made inside goes to the
    oldest generation unscanned (freeze, then unfreeze), unless someone else froze objects."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if promote and not frozen:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
