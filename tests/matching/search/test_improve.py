"""The polish (matching.search.improve): exact plans, nothing dropped, a local optimum."""

from __future__ import annotations

import random

import pytest

from matching.search.improve import changed_routes, polish, polish_anywhere, relocate
from tests.matching.search.conftest import two_cars_apart
from tests.matching.search.polish_checks import assert_exact, at_local_optimum, planned


@pytest.mark.parametrize("source", ["cordeau", "one home", "generated"])
@pytest.mark.parametrize("seed", range(4))
def test_polish_ends_at_a_local_optimum_of_both_moves(source, seed):
    """No single-request move to another route saves after the polish, no (screened) tail swap
    saves, the cost never rose, and the plan is exact with the same requests served."""
    state, plan = planned(source, seed)
    served = {i for i in range(state.inst.n) if state.where[i] >= 0}
    before = plan.cost
    polish(state, plan, random.Random(seed))
    assert plan.cost <= before
    assert_exact(state, plan, served)
    assert at_local_optimum(state, plan)


def test_polish_improves_a_greedy_plan_of_the_cordeau_day():
    """On a2-16 in random insertion order the polish finds savings for most starts."""
    improved = 0
    for seed in range(6):
        state, plan = planned("cordeau", seed)
        before = plan.cost
        polish(state, plan, random.Random(seed))
        improved += plan.cost < before
    assert improved >= 4


def test_locked_requests_stay_and_closed_routes_are_untouched():
    """A locked request keeps its vehicle, a closed shift keeps its route object."""
    state, plan = planned("cordeau", 1)
    busy = [r for r in plan.routes if r.stops]
    locked = busy[0].stops[0] >> 1
    state.fixed = {locked}
    state.closed = {busy[-1].k}
    state.open_vehicles = [k for k in range(state.inst.m) if k not in state.closed]
    closed_route = busy[-1]
    polish(state, plan, random.Random(0))
    assert state.where[locked] == busy[0].k
    assert plan.routes[closed_route.k] is closed_route


def test_only_changed_routes_are_looked_at():
    """With nothing changed, relocation makes no move; ``changed_routes`` names the vehicles
    whose route objects differ."""
    state, plan = planned("cordeau", 0)
    before = plan.snapshot()
    assert relocate(state, plan, set(), random.Random(0)) == set()
    assert plan.routes == before.routes
    polish(state, plan, random.Random(0))
    moved = {k for k in range(state.inst.m) if plan.routes[k].stops != before.routes[k].stops}
    assert moved  # a2-16 from this start has swaps that save
    assert changed_routes(plan, before) == moved
    assert changed_routes(before, before) == set()


def test_polish_anywhere_moves_requests_out_of_their_ranked_shifts(make_request, make_shift):
    """Two riders each allowed only their own car: the polish cannot join them,
    ``polish_anywhere`` can (8 km saved), and the ranked shifts are the state's again."""
    state, plan, ranked = two_cars_apart(make_request, make_shift)
    polish(state, plan, random.Random(0))
    assert plan.cost == 16_000
    polish_anywhere(state, plan, random.Random(0))
    assert plan.cost == 8_000 and state.where[0] == state.where[1]
    assert state.allowed == ranked
    assert_exact(state, plan, {0, 1})
