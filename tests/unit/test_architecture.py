"""The tree shows the architecture and keeps it: no import circles (imports inside functions
count), a pure domain, running services that never load a development tool at import, and
modules of one purpose that stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PACKAGES = ("events", "services", "projections")
IO_LIBRARIES = (
    "psycopg",
    "psycopg_pool",
    "aiokafka",
    "faststream",
    "eventsourcing.postgres",
    "openpyxl",
    "socket",
    "subprocess",
    "fastapi",
    "httpx",
    "uvicorn",
    "multiprocessing",
    "threading",
    "asyncio",
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """The project's modules (and others) a module imports."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # what runs at import: the module's body, `if` and `try` blocks in it
        nodes = [n for top in tree.body for n in ast.walk(top) if not _in_function(top, n)]
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _in_function(top: ast.AST, node: ast.AST) -> bool:
    if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
        return True
    if isinstance(top, ast.ClassDef):
        return any(
            node in ast.walk(f)
            for f in top.body
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        )
    return False


def _project(names: set[str]) -> set[str]:
    return {n for n in names if n in MODULES}


def test_there_are_no_import_circles_even_through_imports_inside_functions() -> None:
    graph = {m: _project(_imports(p)) - {m} for m, p in MODULES.items()}
    # a package's __init__ importing its own submodules is how a package is made: not a circle
    for m in graph:
        graph[m] = {
            d for d in graph[m] if not (d.startswith(m + ".") and MODULES[m].name == "__init__.py")
        }
    seen: dict[str, int] = {}  # 1: on the path, 2: done
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        seen[m] = 1
        for d in sorted(graph[m]):
            if seen.get(d) == 1:
                cycles.append([*path[path.index(d) :], d] if d in path else [m, d])
            elif d not in seen:
                visit(d, [*path, d])
        seen[m] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m, [m])
    assert cycles == []


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if m.startswith(("services.domain", "events")))
)
def test_the_domain_and_the_contract_import_no_io_library(module: str) -> None:
    used = {
        n
        for n in _imports(MODULES[module])
        for lib in IO_LIBRARIES
        if n == lib or n.startswith(lib + ".")
    }
    assert used == set()


def test_the_running_services_import_no_development_tool_at_module_level() -> None:
    running = [m for m in MODULES if not m.startswith("services.devtools")]
    offenders = {
        m: sorted(
            d
            for d in _imports(MODULES[m], top_level_only=True)
            if d.startswith("services.devtools")
        )
        for m in running
    }
    assert {m: d for m, d in offenders.items() if d} == {}


def test_the_development_tools_are_imported_only_inside_the_functions_that_run_them() -> None:
    cli = ROOT / "services" / "entrypoints" / "cli" / "devtools.py"
    assert not any(n.startswith("services.devtools") for n in _imports(cli, top_level_only=True))


@pytest.mark.parametrize(
    "path", sorted(p for m, p in MODULES.items()) + sorted((ROOT / "tests").rglob("*.py")), ids=str
)
def test_no_module_is_longer_than_about_four_hundred_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 420, path
