"""The ejection pool (matching.search.pool): chains as long as serving a trip needs."""

from __future__ import annotations

import random

from matching.search.eject import Ejector
from matching.search.pool import PoolEjector
from tests.matching.search.conftest import (
    allowed_vehicles,
    check_every_attempt,
    routes_of,
    single_seat_row,
)


def test_the_pool_moves_a_row_longer_than_any_ejection_chain(make_request, make_shift):
    """Seven trips: six moves along the row, twice the three links of an ejection chain; the
    chains fail and leave the plan as it was, the pool serves everyone."""
    state, plan = single_seat_row(make_request, make_shift, 7)
    before = (routes_of(plan), list(state.where))
    assert not Ejector(state, allowed_vehicles(state)).try_serve(plan, 1)
    assert (routes_of(plan), list(state.where)) == before
    pool = PoolEjector(state, allowed_vehicles(state), random.Random(0), steps=50)
    assert pool.try_serve(plan, 1)
    assert plan.unassigned == set()
    assert state.where == [1, 0, 2, 3, 4, 5, 6]
    expected = plan.key()
    state.refresh(plan)  # the totals kept along the way are the recomputed ones
    assert plan.key() == expected


def test_an_attempt_out_of_steps_changes_nothing(make_request, make_shift):
    """The same row with fewer steps than moves: the attempt fails and every edit is undone."""
    state, plan = single_seat_row(make_request, make_shift, 7)
    before = (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where))
    assert not PoolEjector(state, allowed_vehicles(state), random.Random(0), steps=4).try_serve(
        plan, 1
    )
    assert (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where)) == before


def test_any_trips_in_the_way_may_be_ejected_together(make_request, make_shift):
    """Not only trips riding one after the other: every pair of those in the way, and for the
    trip to serve (``most`` = 3) every three."""
    state, _ = single_seat_row(make_request, make_shift, 3)
    pool = PoolEjector(state, allowed_vehicles(state), random.Random(0), steps=10)
    assert pool._ejection_sets([5, 6, 7], 2) == [(5,), (6,), (7,), (5, 6), (5, 7), (6, 7)]
    assert (5, 6, 7) in pool._ejection_sets([5, 6, 7], 3)
    chains = Ejector(state, allowed_vehicles(state))
    assert chains._ejection_sets([5, 6, 7], 2) == [(5,), (6,), (7,), (5, 6), (6, 7)]


def test_the_pool_never_makes_a_plan_worse_and_keeps_links():
    """On random days with linked trips every attempt lowers the key, with no lone leg, or
    changes nothing at all; some attempts serve more."""

    def pool(state, plan):
        vehicles = state.open_vehicles
        return PoolEjector(state, lambda i: vehicles, random.Random(1), steps=60).try_serve

    assert check_every_attempt(pool, shifts=5) > 0
