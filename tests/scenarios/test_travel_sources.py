"""One day planned on two travel-time sources, each plan driven on the other's times."""

from __future__ import annotations

import datetime as dt

import numpy as np

import matching
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


def test_the_command_is_mounted_and_wants_two_sources() -> None:
    """``rural-cars bench travel-sources`` prints the table; one source is a usage error."""
    from click.testing import CliRunner

    from web.cli import main

    one = CliRunner().invoke(main, ["bench", "travel-sources", "--source", "model"])
    assert one.exit_code == 2 and "give two" in one.output
    args = ["bench", "travel-sources", "--source", "model", "--source", "model",
            "--requests", "16", "--drivers", "3", "--time-limit", "1"]  # fmt: skip
    both = CliRunner().invoke(main, args)
    assert both.exit_code == 0, both.output
    assert both.output.count("\nmodel ") == 2 and "late >5 min" in both.output
