"""The package's shape: layers that only import downwards, no import cycles, short modules.

Imports are read with `ast`, including those inside functions (imported late for speed, they are
still dependencies) and under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "profilecheck"
MAX_LINES = 420
SPLIT_PENDING = {}

# Bottom to top. A module may import its own layer's modules and any layer below it.
LAYERS = [
    "core",
    "profile",
    "readers",
    "analyses",
    "engine",
    "checks",
    "fix",
    "suppress",
    "reporters",
    "batch",
    "web",
    "cli",
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The profilecheck modules `path` imports (a name imported from a package counts as the
    submodule when there is one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return {name for name in found if name in known}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_layers_only_import_downwards() -> None:
    upward = []
    for module, targets in graph().items():
        here = layer(module)
        if here is None:
            continue
        for target in targets:
            there = layer(target)
            if there is not None and there > here:
                upward.append(f"{module} -> {target}")
    assert sorted(upward) == []


def test_rule_types_do_not_import_each_other() -> None:
    """A rule type's helpers live in its own home; what two share sits in `analyses`."""
    crossing = []
    for module, targets in graph().items():
        if not module.startswith("profilecheck.checks."):
            continue
        home = module.split(".")[2]
        for target in targets:
            if target.startswith("profilecheck.checks.") and target.split(".")[2] != home:
                crossing.append(f"{module} -> {target}")
    assert crossing == []


def test_every_module_sits_in_a_layer() -> None:
    loose = [m for m in modules() if layer(m) is None and m.count(".") > 0]
    assert sorted(loose) == ["profilecheck.__main__"]


def test_no_module_needs_long_scrolling() -> None:
    long = {
        module_name(path): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == SPLIT_PENDING
