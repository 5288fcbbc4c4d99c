"""Behaviour of matching.solve on small hand-made days."""

from __future__ import annotations

from matching import Reason, solve, validate
from tests.matching.conftest import make_problem


def test_single_request_is_served_validly(make_request, make_vehicle):
    """One request and one free driver: it is served and the solution validates."""
    problem = make_problem([make_request()], [make_vehicle()])
    solution = solve(problem, time_limit=1.0, max_iterations=50)
    assert validate(problem, solution) == []
    assert solution.unassigned == ()
    assert solution.distance == 8000


def test_wheelchair_request_without_wheelchair_place_gets_reason(make_request, make_vehicle):
    """A wheelchair user with no wheelchair-equipped car is reported with that reason."""
    problem = make_problem([make_request(load=(1, 0, 1))], [make_vehicle()])
    solution = solve(problem, time_limit=1.0, max_iterations=50)
    assert validate(problem, solution) == []
    assert [u.reason for u in solution.unassigned] == [Reason.NO_WHEELCHAIR_PLACE]
