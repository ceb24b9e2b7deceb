"""The package's shape: each module lives in the folder of its stage, imports (lazy
ones inside functions included) point only down the pipeline, and no module
imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "exporter"

# Bottom first. A module may import from its own stage and the stages before it.
# The exporters (anki, sheet, book) share a level and never import each other.
LEVELS: list[set[str]] = [
    {"text"},       # labels, locale, direction, fonts
    {"model"},      # the typed guide
    {"releases"},   # the ledger beside each source, read with the model's field types
    {"source"},     # reading a source into the model, with its source map
    {"build"},      # registry, workers, signals, staged writes, the clock
    {"lint"},       # rules on the model
    {"anki", "sheet", "book"},
    {"preview"},    # `serve`: a view of the build, through the exporters
    {"cli"},        # the command line, the top
]
TOP = {"__init__", "__main__"}


def stage_of(module: str) -> str:
    """`exporter.sheet.weasyprint.adapter` -> `sheet`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def level_of(stage: str) -> int:
    for level, stages in enumerate(LEVELS):
        if stage in stages:
            return level
    raise AssertionError(f"{stage!r} is no stage of the pipeline; add it to LEVELS")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every `exporter…` module a file imports, wherever in the file the import is."""
    found = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("exporter")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("exporter"):
                continue
            for alias in node.names:  # `from exporter.sheet import pdf` imports a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _is_module(candidate) else target)
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {target for target in imports_of(path) if target in modules and target != name}
            for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_lives_in_a_stage_folder():
    flat = [path.name for path in PACKAGE.glob("*.py") if path.stem not in TOP]
    assert flat == [], f"modules outside a stage folder: {flat}"
    for path in PACKAGE.rglob("*.py"):
        if path.parent != PACKAGE:
            level_of(stage_of(module_name(path)))


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_imports_point_down_the_pipeline():
    upward = []
    for module, targets in sorted(graph().items()):
        stage = stage_of(module)
        if stage in TOP:
            continue
        for target in sorted(targets):
            other = stage_of(target)
            if other == stage or other in TOP and target == "exporter":
                continue
            if other in TOP or level_of(other) >= level_of(stage):
                upward.append(f"{module} -> {target}")
    assert upward == [], "imports that run up the pipeline or across exporters:\n" + "\n".join(upward)


def test_the_check_sees_a_cycle_and_an_upward_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert level_of("cli") > level_of("model") > level_of("text")
    with pytest.raises(AssertionError):
        level_of("nowhere")
