"""Where the time goes: seconds per rule and per shared piece of work, summed over a run.

Off by default, and then free: `timed(kind, name)` returns one shared object whose `with` does
nothing (the model calls it only on a cache miss: the first render of a page at a resolution,
the first decode of an image, the first run of an analysis). `--statistics` turns it on in
the command's process (`enable`); a worker process times each file it checks on its own and
sends `take()` back with the file's result, which the parent `merge`s. Cached results add
nothing. Kinds: "file" (the whole check of each file: the total), "read", "rule", "analysis",
"page" (text, images and the content-stream parses of a page), "render", "decode", "ocr".

A timer nested inside one with the same key (an analysis asking for itself) counts once.
"""

from __future__ import annotations

from time import perf_counter

Key = tuple[str, str]
Row = tuple[str, str, float, int]  # kind, name, seconds, calls

_totals: dict[Key, list[float]] = {}  # key -> [seconds, calls]
_running: set[Key] = set()
_state = {"on": False}

SECTIONS = (  # (title, kinds): what the table shows, each with its share of the total
    ("rules", ("rule",)),
    ("shared work (included in the rules' times)", ("analysis", "page", "render", "decode", "ocr")),
    ("reading (opening each file; pages are read when a rule asks)", ("read",)),
)
TOTAL = ("file", "check")
# a page's lazy lists (core.model.Page), as the table names them
PAGE_WORK = {
    "spans": "text spans",
    "images": "images placed",
    "paints": "vector paints",
    "drawn": "painting order",
}


class _Off:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


OFF = _Off()


class _Timer:
    __slots__ = ("key", "started")

    def __init__(self, key: Key) -> None:
        self.key: Key | None = key
        self.started = 0.0

    def __enter__(self) -> None:
        if self.key in _running:  # inside itself: the outer timer counts the time
            self.key = None
            return
        _running.add(self.key)  # type: ignore[arg-type]
        self.started = perf_counter()

    def __exit__(self, *exc: object) -> None:
        key = self.key
        if key is None:
            return
        elapsed = perf_counter() - self.started
        _running.discard(key)
        entry = _totals.get(key)
        if entry is None:
            _totals[key] = [elapsed, 1]
        else:
            entry[0] += elapsed
            entry[1] += 1


def timed(kind: str, name: str) -> _Timer | _Off:
    """`with timed("render", "pdf page"): ...`: adds the block's seconds when timing is on."""
    return _Timer((kind, name)) if _state["on"] else OFF


def page_work(key: str) -> _Timer | _Off:
    """The timer for what a page caches under `key`: one of its lazy lists, else a render."""
    work = PAGE_WORK.get(key)
    return timed("page", work) if work else timed("render", "page")


def enable(on: bool = True) -> None:
    _state["on"] = on


def enabled() -> bool:
    return _state["on"]


def rows() -> list[Row]:
    return [(kind, name, seconds, int(calls)) for (kind, name), (seconds, calls) in _totals.items()]


def take() -> list[Row]:
    """What this process timed since the last `take`, and start again (a worker, per file)."""
    taken = rows()
    _totals.clear()
    return taken


def merge(taken: list | None) -> None:
    """Add rows a worker sent (lists after pickling or JSON; anything else is ignored)."""
    for row in taken or ():
        try:
            kind, name, seconds, calls = row
            seconds, calls = float(seconds), int(calls)
        except (TypeError, ValueError):
            continue
        if isinstance(kind, str) and isinstance(name, str):
            entry = _totals.setdefault((kind, name), [0.0, 0])
            entry[0] += seconds
            entry[1] += calls


def reset() -> None:
    _totals.clear()
    _running.clear()


def table(top: int = 15, clean: object = str) -> str:
    """The statistics as text: per section the `top` costliest, seconds, share of the total
    checking time and calls, sorted; one line per entry, `clean` applied to names."""
    total = _totals.get(TOTAL, [0.0, 0])
    whole = total[0] or sum(s for (kind, _), (s, _c) in _totals.items() if kind == "rule")
    lines = [f"Timing: {whole:.3f} s checking {int(total[1])} file(s)"]
    for title, kinds in SECTIONS:
        entries = sorted(
            ((s, int(c), f"{k}: {n}") for (k, n), (s, c) in _totals.items() if k in kinds),
            reverse=True,
        )
        if not entries:
            continue
        lines.append(f"  {title}:")
        lines.append(f"  {'seconds':>10}  {'share':>6}  {'calls':>7}  name")
        for seconds, calls, label in entries[:top]:
            share = 100 * seconds / whole if whole else 0.0
            lines.append(f"  {seconds:10.3f}  {share:5.1f}%  {calls:7d}  {clean(label)}")
        if len(entries) > top:
            rest, calls = sum(e[0] for e in entries[top:]), sum(e[1] for e in entries[top:])
            share = 100 * rest / whole if whole else 0.0
            lines.append(
                f"  {rest:10.3f}  {share:5.1f}%  {calls:7d}  more: {len(entries) - top} not shown"
            )
    return "\n".join(lines) + "\n"
