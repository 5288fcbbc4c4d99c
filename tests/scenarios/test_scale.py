"""``rural-cars bench scale`` end to end on tiny days (issue 9)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scenarios import scale
from web.commands import main

FIELDS = {"n", "method", "seconds", "peak_mb", "served_pct", "km", "valid"}


def test_bench_scale_runs_both_methods_and_writes_json(tmp_path: Path) -> None:
    """Tiny sizes run ours and OR-Tools in child processes; the JSON holds one valid record
    per size and method with the documented fields, and the table names both methods."""
    out = tmp_path / "scale.json"
    result = CliRunner().invoke(
        main, ["bench", "scale", "--sizes", "20,40", "--time-limit", "2", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["n"], r["method"]) for r in records] == [
        (20, "ours"),
        (20, "ortools"),
        (40, "ours"),
        (40, "ortools"),
    ]
    for record in records:
        assert set(record) >= FIELDS
        assert record["valid"] is True
        assert 0 <= record["served_pct"] <= 100
        assert record["peak_mb"] > 0 and record["seconds"] < 30
    assert "| ours" in result.output or "ours |" in result.output
    assert "ortools" in result.output


def test_bench_scale_rejects_sizes_without_drivers() -> None:
    """A size below 8 would have no driver: the command refuses it with a usage error."""
    result = CliRunner().invoke(main, ["bench", "scale", "--sizes", "4"])
    assert result.exit_code == 2
    assert "at least 8" in result.output


def test_table_shows_missing_values_as_dashes() -> None:
    """A method that produced no plan appears in the table with dashes and valid NO."""
    record = scale.Record(5000, "ortools", None, None, None, None, False, 625, None, None, 1,
                          60.0, 2, None, "timed out")  # fmt: skip
    text = scale.table([record])
    assert "| NO |" in text.replace("  ", " ") or "NO |" in text
    assert " - " in text


def test_bench_scale_records_the_first_solution_strategy(tmp_path: Path) -> None:
    """``--first-solution`` reaches the OR-Tools child and is recorded with its row."""
    out = tmp_path / "scale.json"
    result = CliRunner().invoke(
        main,
        ["bench", "scale", "--sizes", "16", "--time-limit", "2", "--method", "ortools",
         "--first-solution", "LOCAL_CHEAPEST_INSERTION", "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["method"], r["first_solution"], r["valid"]) for r in records] == [
        ("ortools", "LOCAL_CHEAPEST_INSERTION", True)
    ]
