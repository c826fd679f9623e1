"""The domain stays pure: it never imports the web, the stores' drivers or the outer packages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
FORBIDDEN = {
    "api",
    "projections",
    "replay",
    "psycopg",
    "psycopg_pool",
    "sqlite3",
    "fastapi",
    "starlette",
    "uvicorn",
    "typer",
    "tests",
    "bench",
}
ALLOWED_EVENTSOURCING = {
    "eventsourcing.domain",
    "eventsourcing.application",
    "eventsourcing.persistence",
    "eventsourcing.utils",
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


MODULES = sorted(DOMAIN.rglob("*.py"))


def test_the_domain_has_modules_to_check() -> None:
    assert len(MODULES) > 10


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_domain_module_imports_nothing_outside_the_domain(module: Path) -> None:
    for name in _imports(module):
        top = name.split(".")[0]
        assert top not in FORBIDDEN, f"{module.name} imports {name}"
        if top == "eventsourcing":
            assert name in ALLOWED_EVENTSOURCING, f"{module.name} imports {name}"


def test_the_check_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom fastapi import FastAPI\n", encoding="utf-8")
    assert {"sqlite3", "fastapi"} <= set(_imports(bad))
