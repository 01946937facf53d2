"""The mark model (profilecheck.checks.logo.artwork.MarkModel) kept on disk between processes.

Building the model (every artwork file decoded, its shield located by a search over scales,
regions, signatures and shapes) costs about 0.25 s, once per process: a fixed cost of every
`check`, however small the file. With a cache folder (core.cachedir: `check` and `scan` use the
user's cache folder unless `--no-cache`), the model is kept in its `models` folder as one
compressed `.npz` file of numpy arrays and plain values (a JSON text; no pickles: read back with
`allow_pickle=False`) and read back in a few milliseconds.

The file's name is a digest of everything the model is made from: the bytes of each artwork file,
the arguments (paths, backgrounds, layouts, tones, shield boxes), the source of the code that
builds it (every module of the logo rule, and core/colour.py) and the versions of numpy, OpenCV
and Pillow. A changed file, profile, code or library is a different name, so nothing is ever
served stale. A file that cannot be read or does not hold what a model needs is taken as absent
and the model is computed again; writing is atomic (a temporary file, then a rename) and a folder
that cannot be written is left alone. Without a folder (`--no-cache`, and the default for a
program using profilecheck as a library) nothing is read or written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MarkModel = Any  # profilecheck.checks.logo.artwork.MarkModel, which imports this module

FORMAT = 1  # the layout of the stored file; bump when `_arrays`/`_plain` change
PREFIX = "logo-model-"
KEEP = 16  # models kept in the folder (several profiles, a changed artwork), newest first


def folder() -> Path | None:
    """Where models are kept: `models` in the cache folder the command line set (core.cachedir)."""
    from profilecheck.core import cachedir

    root = cachedir.folder()
    return root / "models" if root is not None else None


def cached(
    mark_path: str, versions: tuple[tuple, ...], build: Callable[[], MarkModel], kind: type
) -> MarkModel:
    """The model for these arguments: read from the cache folder, else `build()` and stored.
    `kind`: the MarkModel class (its module, artwork.py, is part of the key)."""
    kept = folder()
    if kept is None:
        return build()
    try:
        path = kept / f"{PREFIX}{key(mark_path, versions, kind)}.npz"
    except OSError:  # an artwork file that cannot be read: the build says so
        return build()
    model = load(path, kind)
    if model is None:
        model = build()
        store(path, model)
    return model


def key(mark_path: str, versions: tuple[tuple, ...], kind: type) -> str:
    """A digest of the artwork files' bytes, the arguments, the model code and its libraries."""
    import cv2
    import numpy as np
    import PIL

    from profilecheck.core import colour

    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr((FORMAT, np.__version__, cv2.__version__, PIL.__version__)).encode())
    digest.update(repr((mark_path, versions)).encode())
    # every module of the logo rule, not only those the build calls today: a helper moved
    # between them must never leave a stale model
    logo = Path(sys.modules[kind.__module__].__file__).parent  # type: ignore[arg-type]
    for source in [*sorted(logo.glob("*.py")), Path(colour.__file__)]:  # type: ignore[arg-type]
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for path in dict.fromkeys([mark_path, *(entry[1] for entry in versions)]):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


# ---- reading and writing ------------------------------------------------------------------


def load(path: Path, kind: type) -> MarkModel | None:
    """The model (a `kind`) stored at `path`; None when it is missing, unreadable or not a
    whole model."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        return _model(json.loads(str(arrays.pop("plain"))), arrays, kind)
    except Exception:  # absent, truncated, damaged or another layout: computed again
        return None


def store(path: Path, model: MarkModel) -> None:
    """Write `model` to `path` atomically; a folder that cannot be written is left alone."""
    import numpy as np

    arrays = {name: np.asarray(value) for name, value in _arrays(model).items()}
    if any(array.dtype == object for array in arrays.values()):
        return  # a part that is not plain numbers (None): it could not be read back
    arrays["plain"] = np.array(json.dumps(_plain(model)))
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=PREFIX, suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            np.savez_compressed(handle, **arrays)
        os.replace(temporary, path)
        temporary = None
        _prune(path.parent)
    except (OSError, ValueError):  # a folder that cannot be written, a disk that is full
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path) -> None:
    """Only the KEEP most recently written models stay."""
    stored = sorted(folder.glob(f"{PREFIX}*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stored[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _arrays(model: MarkModel) -> dict[str, Any]:
    arrays = {"template": model.template, "inner": model.inner}
    arrays |= {"silhouette": model.silhouette, "charges": model.charges}
    for index, mask in enumerate(model.regions.values()):
        arrays[f"region_{index}"] = mask
    for index, shape in enumerate(model.shapes):
        arrays[f"shape_{index}"] = shape
    for index, version in enumerate(model.versions):
        arrays[f"rgba_{index}"] = version.rgba
        for which, signature in enumerate(model.signatures[version.name]):
            arrays[f"signature_{index}_{which}"] = signature
    return arrays


def _plain(model: MarkModel) -> dict[str, Any]:
    versions = [
        {
            "name": v.name,
            "path": str(v.path),
            "background": v.background,
            "aspect": v.aspect,
            "mark": list(v.mark),
            "colours": [[name, c if c is None else list(c)] for name, c in v.colours.items()],
            "layout": v.layout,
            "tone": v.tone,
            "signatures": len(model.signatures[v.name]),
        }
        for v in model.versions
    ]
    return {
        "format": FORMAT,
        "width": model.width,
        "regions": list(model.regions),
        "field": model.field_name,
        "shapes": len(model.shapes),
        "versions": versions,
        "logotypes": [_index(model.versions, v) for v in model.logotypes],
        "drawn": [list(charges) for charges in model.drawn],
    }


def _index(versions: list, version: Any) -> int:
    return next(i for i, v in enumerate(versions) if v is version)


def _model(plain: dict[str, Any], arrays: dict[str, Any], kind: type) -> MarkModel:
    """The model from what `store` wrote; KeyError, ValueError or TypeError when it is not."""
    from profilecheck.checks.logo.versions import Version

    if plain["format"] != FORMAT:
        raise ValueError("another layout")
    template = arrays["template"]
    if template.ndim != 2 or template.dtype.kind != "f":
        raise ValueError("not a template")
    regions = {str(name): arrays[f"region_{i}"] for i, name in enumerate(plain["regions"])}
    if any(mask.shape != template.shape or mask.dtype != bool for mask in regions.values()):
        raise ValueError("a region outside the template's frame")
    model = kind(template, float(plain["width"]), regions, [], {}, field_name=plain["field"])
    model.inner, model.silhouette = arrays["inner"], arrays["silhouette"]
    model.charges = arrays["charges"]
    model.shapes = [arrays[f"shape_{i}"] for i in range(int(plain["shapes"]))]
    for index, entry in enumerate(plain["versions"]):
        rgba = arrays[f"rgba_{index}"]
        if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != "uint8":
            raise ValueError("not an artwork picture")
        colours = {str(n): (None if c is None else tuple(c)) for n, c in entry["colours"]}
        version = Version(
            str(entry["name"]), Path(entry["path"]), str(entry["background"]), rgba,
            entry["aspect"], tuple(entry["mark"]), colours, entry["layout"], entry["tone"],
        )  # fmt: skip
        model.versions.append(version)
        count = int(entry["signatures"])
        model.signatures[version.name] = [arrays[f"signature_{index}_{n}"] for n in range(count)]
    model.logotypes = [model.versions[i] for i in plain["logotypes"]]
    model.drawn = [tuple(charges) for charges in plain["drawn"]]
    return model
