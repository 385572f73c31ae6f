"""The layout's rules, checked on the source (docs/architecture.md explains them):

* ``service/credit/`` is pure: it imports no HTTP framework, no database library and nothing
  of the service outside ``credit/`` — that is what lets the rules be tested by the thousand;
* routers do not talk SQL: the few that still import SQLAlchemy are listed and may not grow;
* no module-level import cycle anywhere in ``service/``;
* each folder holds one kind of thing: at most 12 modules at ``service/``'s top, and no family
  of three or more modules spelled by a shared file-name prefix (``x.py``, ``x_reads.py``…).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICE = ROOT / "service"
IO_LIBRARIES = frozenset(
    {"sqlalchemy", "sqlmodel", "asyncpg", "aiosqlite", "fastapi", "starlette", "httpx", "uvicorn"}
)
# Routers that query the database themselves (pre-dating this rule); the list only shrinks.
ROUTERS_WITH_SQL = frozenset({"blacklist", "catalog", "health", "rulesets"})


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(source: str, module: str) -> set[str]:
    """Modules imported at module level, those for type checking included (a cycle hidden
    behind TYPE_CHECKING is still two modules that cannot be understood apart)."""
    found: set[str] = set()
    package = module if module.endswith("__init__") else module.rsplit(".", 1)[0]
    body = ast.parse(source).body
    nodes = [n for n in body if not isinstance(n, ast.If)]
    nodes += [n for block in body if isinstance(block, ast.If) for n in block.body]
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def forbidden_in_credit(source: str, module: str) -> list[str]:
    bad = []
    for name in sorted(top_level_imports(source, module) | _all_imports(source)):
        root = name.split(".")[0]
        if root in IO_LIBRARIES or (root == "service" and not name.startswith("service.credit")):
            bad.append(name)
    return bad


def _all_imports(source: str) -> set[str]:
    """Every import, function-level ones included (a lazy import is still a dependency)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _modules() -> dict[str, Path]:
    return {module_name(p): p for p in SERVICE.rglob("*.py")}


def test_the_checker_catches_io_in_credit() -> None:
    for line in ("import sqlalchemy", "from fastapi import Depends", "from service.db import X"):
        assert forbidden_in_credit(line, "service.credit.example"), line
    assert forbidden_in_credit("def f():\n    import sqlalchemy\n", "service.credit.example")
    pure = "from service.credit.codes import parse_code"
    assert not forbidden_in_credit(pure, "service.credit.example")


def test_credit_is_pure() -> None:
    offenders = {
        name: bad
        for name, path in _modules().items()
        if name.startswith("service.credit")
        and (bad := forbidden_in_credit(path.read_text(encoding="utf-8"), name))
    }
    assert offenders == {}


def test_routers_do_not_grow_sql() -> None:
    with_sql = {
        path.stem
        for path in (SERVICE / "routers").glob("*.py")
        if any(
            n.split(".")[0] in {"sqlalchemy", "sqlmodel", "asyncpg"}
            for n in _all_imports(path.read_text(encoding="utf-8"))
        )
    }
    assert with_sql <= ROUTERS_WITH_SQL, f"new router with SQL: {with_sql - ROUTERS_WITH_SQL}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_service() -> None:
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        graph[name] |= {
            dep
            for dep in top_level_imports(path.read_text(encoding="utf-8"), name)
            if dep in modules and dep != name
        }
    assert _cycles(dict(graph)) == []


def test_top_level_stays_small() -> None:
    top = sorted(p.name for p in SERVICE.glob("*.py"))
    assert len(top) <= 12, top


@pytest.mark.parametrize("folder", sorted({p.parent for p in SERVICE.rglob("*.py")}), ids=str)
def test_no_prefix_families(folder: Path) -> None:
    families: dict[str, list[str]] = defaultdict(list)
    for path in folder.glob("*.py"):
        if path.stem != "__init__":  # records.py, record_reads.py, record_rows.py: one family
            families[path.stem.split("_")[0].removesuffix("s")].append(path.stem)
    assert {k: v for k, v in families.items() if len(v) >= 3} == {}, folder
