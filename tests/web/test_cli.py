"""The operator's commands, run as an operator would: through the console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from web.cli import main


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_upgrade_then_load_places_twice(tmp_path: Path) -> None:
    """On a new SQLite file: upgrade, load 288 places, then a second load changes nothing."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    upgrade = _run(url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert "database at revision" in upgrade.stdout
    first, second = _run(url, "places", "load"), _run(url, "places", "load")
    assert first.stdout.strip() == "municipalities: 288 created, 0 updated, 0 unchanged"
    assert second.stdout.strip() == "municipalities: 0 created, 0 updated, 288 unchanged"


def test_places_import_named_stops_then_a_wrong_file(tmp_path: Path) -> None:
    """The demo's stops import once, then change nothing; a wrong file exits 1 naming the
    line, and nothing of it is written."""
    url = f"sqlite:///{tmp_path / 'stops.sqlite3'}"
    assert _run(url, "db", "upgrade").returncode == 0
    assert _run(url, "places", "load").returncode == 0
    stops = Path(__file__).resolve().parents[2] / "scenarios" / "data" / "demo_stops.csv"
    first, again = (
        _run(url, "places", "import", str(stops)),
        _run(url, "places", "import", str(stops)),
    )
    assert first.stdout.strip() == "stops: 6 created, 0 updated, 0 unchanged", first.stderr
    assert again.stdout.strip() == "stops: 0 created, 0 updated, 6 unchanged"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,kind,municipality\nFarmacia,shop,Nowhere\n", encoding="utf-8")
    refused = _run(url, "places", "import", str(wrong))
    assert refused.returncode == 1
    assert "line 2.municipality" in refused.stderr and "Nowhere" in refused.stderr
    assert "0 created" in _run(url, "places", "import", str(stops)).stdout


def test_places_load_before_upgrade_fails_with_advice(tmp_path: Path) -> None:
    """Loading into a database with no schema tells the operator what to run, exit 2."""
    result = _run(f"sqlite:///{tmp_path / 'new.sqlite3'}", "places", "load")
    assert result.returncode == 2
    assert "rural-cars db upgrade" in result.stderr


def test_demo_prepares_a_database_with_logins(tmp_path: Path) -> None:
    """``demo --no-serve`` creates, seeds and prints one login per role; a rerun reuses it."""
    runner = CliRunner()
    database = str(tmp_path / "demo.sqlite3")
    first = runner.invoke(main, ["demo", "--fresh", "--no-serve", "--database", database])
    assert first.exit_code == 0, first.output
    for role in ("coordinator", "driver", "newcomer"):
        assert f"{role}@demo.rural-cars.org" in first.output
    assert first.output.index("preparing the solver") < first.output.index("planning ")
    again = runner.invoke(main, ["demo", "--no-serve", "--database", database])
    assert again.exit_code == 0, again.output
    assert "coordinator@demo.rural-cars.org" in again.output
    assert "preparing the solver" not in again.output
    assert "planning " not in again.output


def test_bench_darp_is_mounted_and_runs(tmp_path: Path) -> None:
    """``rural-cars bench darp`` solves an instance folder and prints ours with its gap."""
    data = Path(__file__).resolve().parents[1] / "matching" / "data"
    result = CliRunner().invoke(
        main,
        [
            "bench",
            "darp",
            "--instances",
            str(data),
            "--time-limit",
            "1",
            "--solvers",
            "ours",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "a2-16" in result.output and "294.25" in result.output
