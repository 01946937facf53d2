"""The mark model kept on disk (profilecheck/checks/logo/model_cache.py): a second process reads
what the first computed, identical to a fresh build; a damaged file is computed again; a changed
artwork file is another entry; without a folder (the default for a library, `--no-cache`) nothing is written; `check` keeps
the model in the user's cache folder."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
from conftest import make_pdf, run_cli

from profilecheck.checks.logo import artwork, model_cache
from profilecheck.core import cachedir

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules" / "ale" / "rules"


def arguments(rules: Path = RULES) -> tuple[str, tuple[tuple, ...]]:
    """`load_model`'s arguments as the logo rule gives them for the Ale profile."""
    params = tomllib.loads((rules / "logo.toml").read_text("utf-8"))["params"]
    versions = tuple(
        (
            v["name"], str((rules / v["file"]).resolve()), v["background"],
            v.get("layout", "auto"), v.get("tone", "auto"), tuple(v.get("shield", ())),
        )
        for v in params["versions"]
    )  # fmt: skip
    return str((rules / params["mark"]).resolve()), versions


@pytest.fixture
def cache(tmp_path):
    """A cache folder in use, and no model remembered in this process before or after."""
    folder = tmp_path / "models"
    artwork.load_model.cache_clear()
    cachedir.use(tmp_path)
    yield folder
    cachedir.use(None)
    artwork.load_model.cache_clear()


def fresh(*args):
    """`load_model` as a new process calls it: nothing remembered in memory."""
    artwork.load_model.cache_clear()
    return artwork.load_model(*args)


def same(a, b, where="model"):
    """Equal in value and type, arrays in dtype and shape too."""
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and (a.dtype, a.shape) == (b.dtype, b.shape), where
        assert np.array_equal(a, b), where
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for name in a:
            same(a[name], b[name], f"{where}.{name}")
    elif isinstance(a, list | tuple):
        assert type(a) is type(b) and len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{index}]")
    elif hasattr(a, "__dataclass_fields__"):
        assert type(a) is type(b), where
        for name in a.__dataclass_fields__:
            same(getattr(a, name), getattr(b, name), f"{where}.{name}")
    else:
        assert type(a) is type(b) and a == b, (where, a, b)


def never_built(monkeypatch) -> None:
    def fail(*_args):
        raise AssertionError("the model was built, not read from the cache")

    monkeypatch.setattr(artwork, "build_model", fail)


def test_a_second_load_reads_the_stored_model_identical_to_a_build(cache, monkeypatch):
    built = fresh(*arguments())
    assert len(list(cache.glob("logo-model-*.npz"))) == 1
    assert not list(cache.glob("*.tmp"))  # written atomically: no temporary left
    never_built(monkeypatch)
    read = fresh(*arguments())
    assert read is not built
    same(built, read)
    assert [v.kind for v in read.versions] == [v.kind for v in built.versions]
    assert read.logotypes and all(v in read.versions for v in read.logotypes)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other-arrays"])
def test_a_damaged_file_is_computed_again_and_replaced(cache, damage):
    built = fresh(*arguments())
    (stored,) = cache.glob("logo-model-*.npz")
    data = stored.read_bytes()
    if damage == "garbage":
        stored.write_bytes(b"not a zip file at all" * 100)
    elif damage == "truncated":
        stored.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        stored.write_bytes(b"")
    else:  # a readable .npz that is not a model
        np.savez(stored, template=np.zeros((3, 3)))
    assert model_cache.load(stored, artwork.MarkModel) is None
    again = fresh(*arguments())
    same(built, again)
    assert model_cache.load(stored, artwork.MarkModel) is not None  # rewritten whole


def test_a_pickled_array_is_not_loaded(cache):
    fresh(*arguments())
    (stored,) = cache.glob("logo-model-*.npz")
    np.savez(stored, plain=np.array([{"format": 1}], dtype=object))
    assert model_cache.load(stored, artwork.MarkModel) is None


def test_changed_artwork_is_another_entry(cache, tmp_path):
    copy = tmp_path / "ale"
    shutil.copytree(ROOT / "rules" / "ale", copy)
    mark, versions = arguments(copy / "rules")
    first = model_cache.key(mark, versions, artwork.MarkModel)
    assert first == model_cache.key(mark, versions, artwork.MarkModel)
    art = Path(versions[3][1])
    art.write_bytes(art.read_bytes() + b"\0")  # one byte more: another file
    assert model_cache.key(mark, versions, artwork.MarkModel) != first
    assert model_cache.key(mark, versions[:-1], artwork.MarkModel) != model_cache.key(
        mark, versions, artwork.MarkModel
    )


def test_a_folder_that_cannot_be_written_leaves_the_model_built(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    artwork.load_model.cache_clear()
    cachedir.use(blocked)
    try:
        model = fresh(*arguments())
    finally:
        cachedir.use(None)
        artwork.load_model.cache_clear()
    assert model.versions and blocked.read_text().startswith("a file")


def test_a_model_with_a_part_missing_is_not_stored(cache):
    model = fresh(*arguments())
    model.inner = None
    model_cache.store(cache / "model.npz", model)
    assert not (cache / "model.npz").exists()


def test_without_a_folder_nothing_is_read_or_written(tmp_path, monkeypatch):
    assert model_cache.folder() is None  # the default
    calls = []
    monkeypatch.setattr(model_cache, "load", lambda path, kind: calls.append(path))
    monkeypatch.setattr(model_cache, "store", lambda path, model: calls.append(path))
    assert fresh(*arguments()).versions
    artwork.load_model.cache_clear()
    assert calls == []


def _letters(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "fixtures" / "pdf" / "letter-compliant.pdf", folder / "letter.pdf")
    make_pdf(folder / "plain.pdf", ["Ale kommun"])
    return folder


def test_a_check_without_cache_writes_no_user_state(tmp_path):
    """`check --no-cache` of a file whose logo search loads the model: nothing appears under
    the home or cache folders it is given, nor beside the inputs."""
    home = tmp_path / "home"
    home.mkdir()
    folder = _letters(tmp_path)
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    done = run_cli("check", "--no-cache", "--format", "json", str(folder), env=env)
    assert done.returncode in (0, 1), done.stderr
    assert '"logo-found"' in done.stdout  # the model was loaded
    assert [p for p in home.rglob("*")] == []
    assert sorted(os.listdir(folder)) == ["letter.pdf", "plain.pdf"]


def test_a_check_keeps_the_model_in_the_cache_folder_and_reads_it_back(tmp_path):
    """A second `check` reads the model the first kept (in `models` of the user's cache folder,
    or of --cache-dir) and reports the same findings."""
    home = tmp_path / "home"
    folder = _letters(tmp_path)
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    first = run_cli("check", "--format", "json", str(folder), env=env)
    kept = list((home / ".cache" / "profilecheck" / "models").glob("logo-model-*.npz"))
    assert len(kept) == 1, first.stderr
    stamp = kept[0].stat().st_mtime_ns
    second = run_cli("check", "--format", "json", str(folder), env=env)
    assert json.loads(second.stdout)["files"] == json.loads(first.stdout)["files"]
    assert '"logo-found"' in second.stdout and kept[0].stat().st_mtime_ns == stamp
    elsewhere = tmp_path / "elsewhere"
    run_cli("check", "--cache-dir", str(elsewhere), "--format", "json", str(folder), env=env)
    assert len(list((elsewhere / "models").glob("logo-model-*.npz"))) == 1
    assert sorted(os.listdir(folder)) == ["letter.pdf", "plain.pdf"]
