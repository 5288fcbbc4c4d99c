"""The package boundaries of DESIGN.md, checked on the code itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "matching": {"flask", "sqlalchemy", "rides", "web", "geo", "alembic", "werkzeug"},
    "geo": {"flask", "sqlalchemy", "rides", "web", "matching", "alembic", "werkzeug"},
    "rides": {"flask", "web", "werkzeug", "flask_login", "flask_wtf", "flask_babel"},
}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_source_never_imports_forbidden_layers(package: str) -> None:
    """No module of the package imports a layer it must not know, even inside a function."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_matching_and_geo_loads_neither_flask_nor_sqlalchemy() -> None:
    """``import matching, geo`` in a clean interpreter pulls in no web or database library."""
    code = (
        "import sys, matching, geo\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'rides', 'web', 'werkzeug'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_importing_every_rides_module_loads_no_flask() -> None:
    """All of ``rides`` can be imported by a process that has no web layer."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "rides").rglob("*.py")
        if "migrations" not in path.parts
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name.removesuffix('.__init__'))\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'web'})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""
