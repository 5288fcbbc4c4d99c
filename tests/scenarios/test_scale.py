"""``rural-cars bench scale`` end to end on tiny days (issue 9)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

import matching
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
        assert 0 <= record["language_matches"] <= record["served"]
        assert record["language_bonus"] == 2_000  # the generated day's
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


def test_the_table_shows_the_share_of_riders_in_their_own_language() -> None:
    """What the language bonus buys is a column next to the distance it costs."""
    record = scale.Record(1000, "ours", 57.5, 337.0, 86.6, 28628.0, True, 125, 866, 33.06, 1,
                          60.0, 2, 90.0, None, None, 433, 2000)  # fmt: skip
    text = scale.table([record])
    assert "own language %" in text
    assert "50.0" in text


def test_language_matches_count_riders_whose_driver_speaks_their_language() -> None:
    """On a generated day the count is the one the solver was rewarded for (its objective:
    unserved priority, distance, minus the bonus per match); with drivers who speak nothing,
    it is 0."""
    problem = scale.build_day(40, 2, scale.DEFAULT_DATE)
    solution = matching.solve_large(problem, time_limit=2, workers=1)
    weights = problem.weights
    missed = sum(r.priority for r in problem.requests if r.id not in solution.served)
    rewarded = weights.unserved * missed + weights.distance * solution.distance
    rewarded -= solution.objective
    assert scale.language_matches(problem, solution) * weights.language_bonus == rewarded > 0
    mute = replace(problem, shifts=tuple(replace(s, languages=frozenset()) for s in problem.shifts))
    assert scale.language_matches(mute, solution) == 0


def test_bench_scale_plans_with_the_language_bonus_given(tmp_path: Path) -> None:
    """``--language-bonus 0`` reaches the child: the day is planned on distance alone."""
    out = tmp_path / "scale.json"
    result = CliRunner().invoke(
        main,
        ["bench", "scale", "--sizes", "16", "--time-limit", "2", "--method", "ours",
         "--language-bonus", "0", "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["method"], r["language_bonus"], r["valid"]) for r in records] == [("ours", 0, True)]


def test_bench_scale_refuses_a_negative_language_bonus() -> None:
    """A negative reward is a usage error, not a run."""
    result = CliRunner().invoke(main, ["bench", "scale", "--sizes", "16", "--language-bonus", "-5"])
    assert result.exit_code == 2
    assert "language-bonus" in result.output


def test_a_job_warms_the_solver_up_before_its_clock_starts(monkeypatch) -> None:
    """Each job is a fresh process: the kernels are compiled or loaded (``matching.warm_up``,
    as the service does at start) before the timed solve, not inside its time limit."""
    calls: list[str] = []
    solve = scale.solve_large

    def timed_solve(*args: object, **kwargs: object) -> matching.Solution:
        calls.append("solve")
        return solve(*args, **kwargs)

    monkeypatch.setattr(matching, "warm_up", lambda: calls.append("warm up"))
    monkeypatch.setattr(scale, "solve_large", timed_solve)
    job = scale.Job(20, "ours", 1.0, 2, dt.date(2025, 3, 12), 1)
    record = scale.solve_job(job, lambda message: None)
    assert calls == ["warm up", "solve"] and record.valid
