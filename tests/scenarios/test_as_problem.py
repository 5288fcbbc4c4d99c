"""A generated scenario becomes the same kind of problem planning builds from the database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import matching
from scenarios.as_problem import scenario_problem
from scenarios.demand import generate
from web.commands import main


def test_scenario_problem_has_every_trip_and_shift() -> None:
    """One solver request per trip, one vehicle per driver, returns linked to their outward trip."""
    scenario = generate(60, 8, 4, date="2030-03-05")
    problem = scenario_problem(scenario).problem
    assert len(problem.requests) == 60 and len(problem.shifts) == 8
    returns = [t for t in scenario.requests if t.return_of]
    linked = [r for r in problem.requests if r.linked is not None]
    assert len(linked) == 2 * len(returns)


def test_solving_a_scenario_gives_a_valid_plan() -> None:
    """The solver's answer on a generated day passes the independent validator."""
    built = scenario_problem(generate(40, 6, 9, date="2030-03-05"))
    solution = matching.solve(built.problem, time_limit=2.0)
    assert matching.validate(built.problem, solution) == []
    assert len(solution.served) + len(solution.unassigned) == 40


def test_generate_command_is_reproducible(tmp_path: Path) -> None:
    """The same seed writes the same bytes; the summary line names the counts."""
    runner = CliRunner()
    files = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        result = runner.invoke(
            main,
            [
                "generate",
                "--requests",
                "30",
                "--drivers",
                "4",
                "--seed",
                "5",
                "--date",
                "2030-03-05",
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        assert "30 requests" in result.output and "4 drivers" in result.output
        files.append(out.read_bytes())
    assert files[0] == files[1]
