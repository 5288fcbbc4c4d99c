"""One day planned on travel-time sources, each plan driven on another source's times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import matching
from geo.travel import AreaTravelModel, TravelModel, save_travel_model
from scenarios.as_problem import scenario_problem
from scenarios.demand import generate
from scenarios.travel_sources import LATE_S, compare, drive, table

DAY = dt.date(2025, 3, 12)


def test_a_plan_driven_on_its_own_times_keeps_every_promise() -> None:
    """Same source twice: no pickup late, the same km both ways."""
    rows = compare(("model", "model"), requests=16, drivers=3, seed=1, date=DAY, time_limit=1.0)
    for row in rows:
        assert row.served > 0 and row.pickups == row.served
        assert row.late == 0 and row.km_own == row.km_other
    assert "planned on" in table(rows)


def test_slower_roads_make_promised_pickups_late() -> None:
    """Roads half as fast: some promised pickups come more than 5 minutes late, none early (the
    car waits); the roads twice as long count twice the km."""
    problem = scenario_problem(generate(16, 3, 1, date=DAY)).problem
    solution = matching.solve(problem, time_limit=1.0, seed=1)
    slow = drive(problem, solution.routes, np.asarray(problem.durations) * 2,
                 np.asarray(problem.distances) * 2)  # fmt: skip
    own = drive(problem, solution.routes, problem.durations, problem.distances)
    assert set(own.delays_s) == {0}
    assert slow.metres == 2 * own.metres
    assert any(delay > LATE_S for delay in slow.delays_s)
    assert all(delay >= 0 for delay in slow.delays_s)


def _slow_roads(tmp_path: Path) -> str:
    """A ``model:`` setting for roads at half the embedded model's speed."""
    slow = AreaTravelModel(base=TravelModel(speed_kmh=TravelModel().speed_kmh / 2))
    return f"model:{save_travel_model(slow, tmp_path / 'slow.json')}"


def test_every_plan_is_driven_on_the_truth(tmp_path: Path) -> None:
    """Three sources and a truth (roads at half speed): the plan made on the truth keeps its
    promises on it, the plans made on faster times come late on it, as many times each."""
    truth = _slow_roads(tmp_path)
    rows = compare(("model", "model", truth), requests=16, drivers=3, seed=1, date=DAY,
                   time_limit=1.0, truth=truth)  # fmt: skip
    assert [row.source for row in rows] == ["model", "model", truth]
    assert rows[0] == rows[1] and rows[0].late > 0 and rows[0].km_own == rows[0].km_other
    assert rows[2].late == 0 and rows[2].km_own == rows[2].km_other
    with pytest.raises(ValueError, match="two sources"):
        compare(("model", "model", truth), requests=16, drivers=3, seed=1, date=DAY,
                time_limit=1.0)  # fmt: skip


def test_the_command_is_mounted_and_wants_two_sources_or_a_truth(tmp_path: Path) -> None:
    """``rural-cars bench travel-sources`` prints the table; one source without --truth is a
    usage error, one with --truth is driven on it."""
    from click.testing import CliRunner

    from web.cli import main

    one = CliRunner().invoke(main, ["bench", "travel-sources", "--source", "model"])
    assert one.exit_code == 2 and "give two" in one.output
    truth = _slow_roads(tmp_path)
    on_truth = CliRunner().invoke(main, ["bench", "travel-sources", "--source", "model",
                                         "--truth", truth, "--requests", "16", "--drivers", "3",
                                         "--time-limit", "1"])  # fmt: skip
    assert on_truth.exit_code == 0, on_truth.output
    assert f"driven on {truth}'s travel times" in on_truth.output
    args = ["bench", "travel-sources", "--source", "model", "--source", "model",
            "--requests", "16", "--drivers", "3", "--time-limit", "1"]  # fmt: skip
    both = CliRunner().invoke(main, args)
    assert both.exit_code == 0, both.output
    assert both.output.count("\nmodel ") == 2 and "late >5 min" in both.output
