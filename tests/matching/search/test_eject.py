"""Ejection chains (matching.search.eject): room for an unserved trip made by moving others."""

from __future__ import annotations

import random

from matching.search.eject import EjectConfig, Ejector
from matching.search.granular import GranularConfig, GranularSearch
from matching.search.repair import Order, sequential_insert
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.days import random_day
from tests.matching.search.conftest import (
    allowed_vehicles,
    check_every_attempt,
    routes_of,
    single_seat_row,
    state_of,
)


def _two_single_seat_shifts(make_request, make_shift, priorities=(1, 1)):
    """Two one-seat shifts and two trips at the same time: trip 0 may ride in either shift,
    trip 1 only in shift 0, where trip 0 sits."""
    window = {"pickup_window": (0, 120), "dropoff_window": (0, 1200)}
    problem = make_problem(
        [make_request(priority=p, **window) for p in priorities],
        [make_shift(capacity=(1, 0, 0)), make_shift(capacity=(1, 0, 0))],
    )
    state = state_of(problem, allowed=[frozenset({0, 1}), frozenset({0})])
    plan = state.empty_plan()
    assert state.insert_request(plan, 0, 0, [pickup(0), dropoff(0)], None)  # type: ignore[arg-type]
    state.settle(plan, state.candidates)
    return state, plan


def test_ejection_serves_a_trip_plain_insertion_cannot(make_request, make_shift):
    """Trip 1 fits in none of its shifts as the plan stands; moving trip 0 to the other shift
    serves both."""
    state, plan = _two_single_seat_shifts(make_request, make_shift)
    assert plan.unassigned == {1}
    assert all(state.best_insertion(plan.routes[k], 1) is None for k in state.allowed[1])
    ejector = Ejector(state, allowed_vehicles(state))
    assert ejector.try_serve(plan, 1)
    assert plan.unassigned == set()
    assert plan.missed == 0
    assert routes_of(plan) == [[pickup(1), dropoff(1)], [pickup(0), dropoff(0)]]
    assert state.where == [1, 0]
    state.refresh(plan)  # the totals kept along the way are the recomputed ones
    assert (plan.missed, plan.cost) == (0, sum(r.cost for r in plan.routes))


def test_a_higher_priority_trip_is_not_ejected_for_a_lower_one(make_request, make_shift):
    """With the other shift closed the only way in is to drop trip 0 for good: taken when
    trip 1 weighs more, and not when trip 0 does; the plan is then exactly as it was."""
    for priorities, served in (((1, 2), 1), ((2, 1), 0)):
        state, plan = _two_single_seat_shifts(make_request, make_shift, priorities)
        state.closed.add(1)
        before = (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where))
        kept = Ejector(state, lambda i: [0]).try_serve(plan, 1)
        assert kept == (served == 1)
        if kept:
            assert state.where == [-1, 0]
            assert plan.unassigned == {0}
        else:
            assert (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where)) == before


def test_ejection_never_makes_the_plan_worse():
    """On random days every attempt either lowers the key, leaving no new lone leg, or
    changes nothing at all; some attempts serve more."""

    def chains(state, plan):
        vehicles = state.open_vehicles
        return Ejector(state, lambda i: vehicles, EjectConfig(depth=2)).try_serve

    assert check_every_attempt(chains) > 0


def test_granular_search_with_ejections_is_deterministic():
    """A fixed iteration count and seed give the same plan twice."""
    results = []
    for _ in range(2):
        problem = random_day(7, 40, 3)
        state = state_of(problem)
        plan = state.empty_plan()
        sequential_insert(state, plan, Order.EARLY, 0.0, random.Random(0))
        search = GranularSearch(state, random.Random(3), GranularConfig(eject_every=2))
        best, _ = search.run(plan, deadline=float("inf"), max_iterations=60)
        results.append((routes_of(best), best.key()))
    assert results[0] == results[1]


def _serve_along_a_row(make_request, make_shift, trips: int, configs):
    """For each (config, served) on the row of ``single_seat_row``: whether serving trip 1
    succeeds, and the trips left unserved; returns the last attempt's ``where``."""
    for config, served in configs:
        state, plan = single_seat_row(make_request, make_shift, trips)
        ejector = Ejector(state, allowed_vehicles(state), config)
        assert ejector.try_serve(plan, 1) == (served == trips)
        assert len(plan.unassigned) == trips - served
    return state.where


def test_a_chain_moves_two_trips_when_one_move_is_not_enough(make_request, make_shift):
    """Three trips: chains of one link fail, of two links serve all three."""
    configs = ((EjectConfig(depth=1), 2), (EjectConfig(depth=2), 3))
    assert _serve_along_a_row(make_request, make_shift, 3, configs) == [1, 0, 2]


def test_a_chain_of_three_links_moves_three_trips(make_request, make_shift):
    """Four trips: serving trip 1 moves three trips one shift along; the default chain
    (``EjectConfig.depth``, three links) does it, two links cannot."""
    configs = ((EjectConfig(depth=2), 3), (EjectConfig(), 4))
    assert _serve_along_a_row(make_request, make_shift, 4, configs) == [1, 0, 2, 3]


def test_a_deeper_link_tries_eight_ejections(make_request, make_shift):
    """Trip 1 fits only in shift 0, where trip 0 sits. Trip 0 may also ride in shifts 1-6, each
    holding one trip; only the trip in shift 6 (the last of equal-cost options) can move on, to
    the empty shift 7. Four tries at that link (the old default) stop at shift 4; the default
    (``EjectConfig.deeper_tries``, eight) reaches shift 6 and serves everyone."""
    window = {"pickup_window": (0, 120), "dropoff_window": (0, 1200)}
    problem = make_problem(
        [make_request(**window) for _ in range(8)],
        [make_shift(capacity=(1, 0, 0)) for _ in range(8)],
    )
    allowed = [frozenset(range(7)), frozenset({0})]
    allowed += [frozenset({k}) for k in range(1, 6)] + [frozenset({6, 7})]
    seated = [(0, 0)] + [(i, i - 1) for i in range(2, 8)]
    for config, served in ((EjectConfig(deeper_tries=4), False), (EjectConfig(), True)):
        state = state_of(problem, allowed=allowed)
        plan = state.empty_plan()
        for i, k in seated:
            assert state.insert_request(plan, i, k, [pickup(i), dropoff(i)], None)  # type: ignore[arg-type]
        state.settle(plan, state.candidates)
        assert Ejector(state, allowed_vehicles(state), config).try_serve(plan, 1) == served
    assert plan.unassigned == set()
    assert state.where == [6, 0, 1, 2, 3, 4, 5, 7]
