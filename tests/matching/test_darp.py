"""The Cordeau benchmark reader, the exact float checker and the a2-16 regression (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from matching import solve, validate
from matching.benchmarks import darp
from matching.cli import darp as darp_command

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "darp" / "a"


@pytest.fixture(scope="module")
def a2_16() -> darp.DarpInstance:
    """a2-16 from the small copy in tests/matching/data."""
    return darp.read_instance(DATA / "a2-16.txt")


def test_reader_gets_sizes_and_depots(a2_16):
    """The header and the 2n+2 node lines are read."""
    assert (a2_16.vehicles, a2_16.requests, a2_16.capacity) == (2, 16, 3)
    assert len(a2_16.x) == 2 * 16 + 2
    assert a2_16.max_ride == 30


def test_checker_rejects_missing_and_late_nodes(a2_16):
    """The float checker flags unvisited nodes and impossible schedules."""
    _, errors = darp.check_routes(a2_16, [[1, 17]])
    assert any("exactly once" in e for e in errors)
    everything = [[i for r in range(1, 17) for i in (r, r + 16)]]
    _, errors = darp.check_routes(a2_16, everything)
    assert errors


def test_issue_4_a2_16_is_solved_validly_near_optimum(a2_16):
    """Issue 4 regression: a2-16 gets a solution valid in full precision within 1 %."""
    problem = darp.to_problem(a2_16)
    solution = solve(problem, time_limit=3.0, seed=0)
    assert validate(problem, solution) == []
    assert solution.unassigned == ()
    cost, errors = darp.check_routes(a2_16, darp._node_routes(a2_16, solution))
    assert errors == []
    assert cost <= 294.25 * 1.01


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="the shared benchmark folder is not beside this checkout"
)
def test_shared_copy_matches_test_copy():
    """The test copy of a2-16 is the shared benchmark file, byte for byte."""
    assert (SHARED / "a2-16.txt").read_bytes() == (DATA / "a2-16.txt").read_bytes()


def test_cli_prints_table_and_writes_solutions(tmp_path):
    """`darp --instances DIR --out DIR` prints a row and a mean-gap line and writes JSON."""
    result = CliRunner().invoke(
        darp_command,
        [
            "--instances",
            str(DATA),
            "--time-limit",
            "1",
            "--solvers",
            "ours",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "a2-16" in result.output
    assert "mean gap" in result.output
    assert (tmp_path / "ours" / "a2-16.json").exists()


def test_cli_iteration_cap_gives_the_same_costs_twice():
    """`darp --iterations N` with a fixed seed prints the same table twice (the time limit
    does not bind), so a benchmark run can be compared before and after a refactor."""
    args = ["--instances", str(DATA), "--solvers", "ours", "--seed", "3",
            "--iterations", "60", "--time-limit", "120"]  # fmt: skip
    first = CliRunner().invoke(darp_command, args)
    second = CliRunner().invoke(darp_command, args)
    assert first.exit_code == 0, first.output
    row = next(line for line in first.output.splitlines() if line.startswith("a2-16"))
    again = next(line for line in second.output.splitlines() if line.startswith("a2-16"))
    cost = row.split("|")[1].split()[0]
    assert again.split("|")[1].split()[0] == cost
    assert row.split()[-1] == "yes"


def test_cli_rejects_unknown_solver():
    """An unknown solver name is a usage error."""
    result = CliRunner().invoke(darp_command, ["--instances", str(DATA), "--solvers", "magic"])
    assert result.exit_code != 0
