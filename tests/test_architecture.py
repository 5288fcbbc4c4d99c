"""The package boundaries of docs/architecture.md, checked on the code itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "matching": {"flask", "sqlalchemy", "rides", "web", "geo", "alembic", "werkzeug", "scenarios"},
    "geo": {"flask", "sqlalchemy", "rides", "web", "matching", "alembic", "werkzeug", "scenarios"},
    "rides": {"flask", "web", "werkzeug", "flask_login", "flask_wtf", "flask_babel", "scenarios"},
    "scenarios": {"flask", "web", "werkzeug"},
}

#: Third-party libraries each package may import (the project's own packages aside); a part of
#: a package named by its path prefix may add its own: the solver core stays numpy and
#: OR-Tools (its innermost loops compiled by numba, in two kernel modules), while its command
#: line and benchmarks may draw tables and plots.
ALLOWED = {
    "matching": {
        "": {"numpy", "ortools"},
        "matching/search/kernels.py": {"numba"},
        "matching/search/tail_kernel.py": {"numba"},
        "matching/cli.py": {"click"},
        "matching/benchmarks/": {"click", "matplotlib", "vroom"},
    },
    "geo": {
        "": {"numpy", "geopy", "rapidfuzz"},
        "geo/cli.py": {"click"},
        "geo/engines/http.py": {"httpx"},
    },
    "rides": {
        "": {
            "sqlalchemy",
            "alembic",
            "apscheduler",
            "argon2",
            "babel",
            "email_validator",
            "geopy",
            "icalendar",
            "itsdangerous",
            "phonenumbers",
        },
        # Channel adapters speak their provider's HTTP API.
        "rides/messaging/whatsapp_cloud.py": {"httpx"},
        "rides/messaging/sms_twilio.py": {"httpx"},
    },
    "scenarios": {"": {"numpy", "sqlalchemy"}, "scenarios/scale.py": {"matplotlib"}},
}
OWN = {"rides", "matching", "geo", "web", "scenarios"}


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


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_the_third_party_libraries_it_declares(package: str) -> None:
    """A new dependency of a package is a decision made here, not a line slipped into a module
    (the solver core in particular imports numpy and OR-Tools only)."""
    offenders = {}
    for path in (ROOT / package).rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        allowed = set().union(
            *(libs for prefix, libs in ALLOWED[package].items() if name.startswith(prefix))
        )
        extra = _imported_roots(path) - set(sys.stdlib_module_names) - OWN - allowed
        if extra - {"__future__"}:
            offenders[name] = sorted(extra - {"__future__"})
    assert offenders == {}


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


def _matching_modules_imported(path: Path) -> set[str]:
    """Full names of the ``matching`` modules a file imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] == "matching"}


def _is_matching_tool(path: Path) -> bool:
    """Whether a file of ``matching`` is its command line or one of its benchmarks."""
    relative = path.relative_to(ROOT / "matching")
    return relative == Path("cli.py") or relative.parts[0] == "benchmarks"


def test_matching_core_never_imports_its_command_line_or_benchmarks():
    """No solver module imports ``matching.cli`` or ``matching.benchmarks`` (which would bring
    their third-party packages into every ``import matching``)."""
    offenders = {}
    for path in sorted((ROOT / "matching").rglob("*.py")):
        if _is_matching_tool(path):
            continue
        tools = {
            name
            for name in _matching_modules_imported(path)
            if name == "matching.cli" or name.startswith(("matching.cli.", "matching.benchmarks"))
        }
        if tools:
            offenders[str(path.relative_to(ROOT))] = sorted(tools)
    assert offenders == {}
