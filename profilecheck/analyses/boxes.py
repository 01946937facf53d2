"""Which boxes of a page meet a given box, without trying every one: the spans under a text
paint, the fills under a span. A page of 2,000 spans and as many paints asked one by one is
four million `Box.intersects` calls; filed in bands of the page's height it is a few each.

`BoxIndex(boxes).meeting(box)` is exactly `[i for i, b in enumerate(boxes) if b is not None and
b.intersects(box)]`, in that order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from profilecheck.core.model import Box

BAND = 24.0  # points: about two lines of body text
MAX_BANDS = 200  # a box taller than this many bands is tried against every query instead


class BoxIndex:
    def __init__(self, boxes: Sequence[Box | None], band: float = BAND) -> None:
        self.boxes = boxes
        self.band = band
        self.bands: dict[int, list[int]] = {}
        self.always: list[int] = []  # boxes too tall (or not finite) to file in bands
        for index, box in enumerate(boxes):
            if box is None:
                continue
            first, last = self._bands(box)
            if first is None:
                self.always.append(index)
                continue
            for number in range(first, last + 1):
                self.bands.setdefault(number, []).append(index)

    def _bands(self, box: Box) -> tuple[int | None, int]:
        if not (math.isfinite(box.y0) and math.isfinite(box.y1)):
            return None, 0
        first, last = math.floor(box.y0 / self.band), math.floor(box.y1 / self.band)
        if last - first > MAX_BANDS or last < first:
            return None, 0
        return first, last

    def meeting(self, box: Box) -> list[int]:
        """The indices of the boxes that intersect `box`, in ascending order."""
        first, last = self._bands(box)
        if first is None:
            candidates = range(len(self.boxes))
        else:
            found = set(self.always)
            for number in range(first, last + 1):
                found.update(self.bands.get(number, ()))
            candidates = sorted(found)
        boxes = self.boxes
        return [i for i in candidates if boxes[i] is not None and boxes[i].intersects(box)]

    def first_meeting(self, box: Box) -> int | None:
        """The lowest index of a box that intersects `box`, or None."""
        meeting = self.meeting(box)
        return meeting[0] if meeting else None
