"""Set partitioning (matching.search.set_partitioning): pooled routes recombined by a MIP."""

from __future__ import annotations

from matching.instance import Instance
from matching.search.set_partitioning import RoutePool, vehicle_classes
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.search.conftest import state_of


def test_identical_shifts_share_a_class(make_shift, make_request):
    """Shifts with the same places, hours, capacity and languages are interchangeable."""
    problem = make_problem(
        [make_request()],
        [make_shift(), make_shift(), make_shift(start=3), make_shift(window=(0, 600))],
    )
    assert vehicle_classes(Instance.from_problem(problem)) == [0, 0, 1, 2]


def test_pool_keeps_the_cheapest_route_of_each_request_set(make_request, make_shift):
    """Routes that changed are remembered once per (class, requests), the cheapest version;
    unchanged and locked vehicles' routes are not."""
    problem = make_problem(
        [make_request(pickup=1, dropoff=4), make_request(pickup=2, dropoff=3)],
        [make_shift(), make_shift(), make_shift()],
    )
    state = state_of(problem)
    pool = RoutePool(state, frozenset({2}))
    before = state.empty_plan()
    after = before.snapshot()
    assert state.apply(after, 0, [pickup(0), pickup(1), dropoff(1), dropoff(0)], None)
    assert state.apply(after, 2, [pickup(1), dropoff(1)], None)
    pool.remember(after, before)
    dearer = before.snapshot()
    assert state.apply(dearer, 1, [pickup(1), pickup(0), dropoff(0), dropoff(1)], None)
    assert dearer.routes[1].cost == 10_000
    pool.remember(dearer, before)
    assert list(pool.pool) == [(0, frozenset({0, 1}))]
    assert pool.pool[(0, frozenset({0, 1}))] == (
        8000,
        [pickup(0), pickup(1), dropoff(1), dropoff(0)],
    )


def test_recombination_finds_the_cheaper_split(make_request, make_shift):
    """Two trips served by two cars; a pooled route serving both in one car is cheaper: the
    MIP picks it, and the plan keeps serving both."""
    problem = make_problem(
        [make_request(pickup=1, dropoff=4), make_request(pickup=2, dropoff=3)],
        [make_shift(), make_shift()],
    )
    state = state_of(problem)
    pool = RoutePool(state)
    empty = state.empty_plan()
    shared = empty.snapshot()
    assert state.apply(shared, 1, [pickup(0), pickup(1), dropoff(1), dropoff(0)], None)
    pool.remember(shared, empty)
    split = empty.snapshot()
    assert state.apply(split, 0, [pickup(0), dropoff(0)], None)
    assert state.apply(split, 1, [pickup(1), dropoff(1)], None)
    state.settle(split, state.candidates)
    assert split.key() == (0, 14_000)
    better = pool.recombine(split, 5.0)
    assert better is not None and better.key() == (0, 8000)
    assert sorted(state.where) == [0, 0]
    assert pool.recombine(better, 5.0) is None
