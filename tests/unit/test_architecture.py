"""The domain stays pure: it never imports the web, the stores' drivers or the outer packages."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
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


ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "config", "store", "projections", "replay", "api", "demo", "bench", "cli")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _copy_of_the_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree)
    for package in (*PACKAGES, "tests"):
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("*.pyc"))
    return tree


def test_a_back_up_import_breaks_the_layers_contract(tmp_path: Path) -> None:
    tree = _copy_of_the_tree(tmp_path)
    assert _lint_imports(tree).returncode == 0
    target = tree / "projections" / "freshness.py"
    target.write_text(target.read_text() + "\nfrom api import app  # noqa\n")
    broken = _lint_imports(tree)
    assert broken.returncode != 0
    assert "projections is not allowed to import api" in broken.stdout
