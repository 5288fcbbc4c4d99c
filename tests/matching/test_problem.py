"""Constructors of the problem dataclasses reject bad data with a message naming the field."""

from __future__ import annotations

import numpy as np
import pytest

from matching import LockedRoute, Problem, Request, Shift, Weights, solve, validate
from tests.matching.conftest import line_matrices, make_problem


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pickup_window": (10, 5)}, "Request.pickup_window"),
        ({"dropoff_window": (-1, 5)}, "Request.dropoff_window"),
        ({"max_ride_time": -3}, "Request.max_ride_time"),
        ({"load": ()}, "Request.load"),
        ({"load": (1, -1, 0)}, "Request.load"),
        ({"priority": 0}, "Request.priority"),
        ({"pickup_service": -1}, "Request.pickup_service"),
        ({"languages": {"es"}}, "Request.languages"),
    ],
)
def test_request_rejects_bad_fields(make_request, overrides, field):
    """Each malformed request field raises ValueError naming that field."""
    with pytest.raises(ValueError, match=field):
        make_request(**overrides)


def test_request_cannot_link_to_itself(make_request):
    """A request linked to its own id is rejected."""
    with pytest.raises(ValueError, match=r"Request\.linked"):
        make_request(id=7, linked=7)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"window": (5, 1)}, "Shift.window"),
        ({"capacity": (3, -1, 0)}, "Shift.capacity"),
        ({"max_duration": -5}, "Shift.max_duration"),
        ({"start": -1}, "Shift.start"),
    ],
)
def test_shift_rejects_bad_fields(make_shift, overrides, field):
    """Each malformed vehicle field raises ValueError naming that field."""
    with pytest.raises(ValueError, match=field):
        make_shift(**overrides)


def test_locked_route_needs_pickup_before_dropoff():
    """A locked route that drops off before picking up is rejected."""
    with pytest.raises(ValueError, match=r"LockedRoute\.stops"):
        LockedRoute(shift=0, stops=((1, "dropoff"), (1, "pickup")))


def test_locked_route_needs_every_dropoff():
    """A locked route that never drops off a rider is rejected."""
    with pytest.raises(ValueError, match=r"LockedRoute\.stops"):
        LockedRoute(shift=0, stops=((1, "pickup"),))


def test_problem_rejects_non_square_matrix(make_request, make_shift):
    """Durations must be a square matrix."""
    with pytest.raises(ValueError, match=r"Problem\.durations"):
        Problem(
            (make_request(),),
            (make_shift(),),
            np.zeros((2, 3), dtype=int),
            np.zeros((2, 3), dtype=int),
        )


def test_problem_rejects_float_matrix(make_request, make_shift):
    """Matrices must hold integers (seconds, metres)."""
    durations, distances = line_matrices()
    with pytest.raises(ValueError, match=r"Problem\.distances"):
        make_problem([make_request()], [make_shift()], distances=distances * 0.5)
    del durations


def test_problem_rejects_node_outside_matrix(make_request, make_shift):
    """A request node beyond the matrix size is rejected."""
    with pytest.raises(ValueError, match=r"Problem\.requests"):
        make_problem([make_request(dropoff=99)], [make_shift()])


def test_problem_rejects_duplicate_request_ids(make_request, make_shift):
    """Two requests with the same id are rejected."""
    with pytest.raises(ValueError, match="duplicate id"):
        make_problem([make_request(id=1), make_request(id=1)], [make_shift()])


def test_problem_rejects_one_sided_link(make_request, make_shift):
    """Links must be mutual: outward knows return and return knows outward."""
    with pytest.raises(ValueError, match="not mutual"):
        make_problem([make_request(id=1, linked=2), make_request(id=2)], [make_shift()])


def test_problem_rejects_mixed_dimensions(make_request, make_shift):
    """Loads and capacities must have the same number of dimensions."""
    with pytest.raises(ValueError, match="dimensions"):
        make_problem([make_request(load=(1,))], [make_shift()])


def test_problem_rejects_lock_of_unknown_vehicle(make_request, make_shift):
    """A lock naming an unknown vehicle is rejected."""
    request = make_request()
    lock = LockedRoute(shift=42, stops=((request.id, "pickup"), (request.id, "dropoff")))
    with pytest.raises(ValueError, match=r"Problem\.locked"):
        make_problem([request], [make_shift()], locked=(lock,))


def test_weights_reject_negative():
    """Objective weights cannot be negative."""
    with pytest.raises(ValueError, match=r"Weights\.language_bonus"):
        Weights(language_bonus=-1)


def test_problem_accepts_nested_tuples(make_request, make_shift):
    """Nested tuples are accepted and frozen into a read-only array."""
    durations, distances = line_matrices()
    problem = Problem(
        (make_request(),),
        (make_shift(),),
        tuple(tuple(int(x) for x in row) for row in durations),
        tuple(tuple(int(x) for x in row) for row in distances),
    )
    assert not problem.durations.flags.writeable
    assert isinstance(problem.request(problem.requests[0].id), Request)
    assert isinstance(problem.shift(problem.shifts[0].id), Shift)


@pytest.mark.parametrize("method", ["lns", "ortools"])
def test_an_empty_day_is_a_problem_with_an_empty_plan(method: str) -> None:
    """A re-plan whose every request rides on an accepted route gives the solver nothing:
    no request, no shift, no place. That is a day, not an error."""
    empty = np.zeros((0, 0), dtype=np.int64)
    problem = Problem(requests=(), shifts=(), durations=empty, distances=empty)
    solution = solve(problem, time_limit=1.0, method=method)  # type: ignore[arg-type]
    assert (solution.routes, solution.unassigned, solution.objective) == ((), (), 0)
    assert validate(problem, solution) == []


def test_a_matrix_that_is_not_square_is_refused() -> None:
    with pytest.raises(ValueError, match="square"):
        Problem(requests=(), shifts=(), durations=np.zeros((2, 3), dtype=np.int64),
                distances=np.zeros((2, 3), dtype=np.int64))  # fmt: skip
