"""Tail exchange (matching.search.tails): the screen loses no saving swap, swaps stay exact."""

from __future__ import annotations

import random

import pytest

from matching.search.tails import _pairs, exchange_tails
from tests.matching.search.polish_checks import (
    assert_exact,
    cut_points,
    planned,
    saving_swaps_by_brute_force,
    screened,
)


@pytest.mark.parametrize("source", ["cordeau", "one home"])
@pytest.mark.parametrize("seed", range(6))
def test_the_screen_keeps_every_feasible_swap_that_saves(source, seed):
    """Where the cars end at the same place, every swap that saves and stays feasible is
    reported, with its exact saving."""
    state, plan = planned(source, seed)
    vehicles = [k for k in range(state.inst.m) if plan.routes[k].arrays is not None]
    checked = 0
    for x, ka in enumerate(vehicles):
        for kb in vehicles[x + 1 :]:
            exact = saving_swaps_by_brute_force(state, plan, ka, kb)
            reported = screened(state, plan, ka, kb)
            for cut, saving in exact.items():
                assert reported.get(cut) == saving
            for cut, saving in reported.items():
                assert exact.get(cut, saving) == saving
            checked += len(exact)
    if source == "cordeau" and seed == 0:
        assert checked > 0  # the generated day has swaps to find


@pytest.mark.parametrize("source", ["cordeau", "one home", "generated"])
@pytest.mark.parametrize("seed", range(4))
def test_swapping_keeps_the_plan_exact_and_ends_where_no_swap_saves(source, seed):
    """After the descent the plan's cost is that of its routes rebuilt from scratch, every
    request rides where ``where`` says, nobody was dropped, and no swap saves (among those the
    screen passes, when the cars have different homes)."""
    state, plan = planned(source, seed)
    served = {i for i in range(state.inst.n) if state.where[i] >= 0}
    before = plan.cost
    changed = exchange_tails(state, plan, set(state.open_vehicles))
    assert plan.cost <= before
    assert (plan.cost < before) == bool(changed)
    assert_exact(state, plan, served)
    vehicles = list(state.open_vehicles)
    for x, ka in enumerate(vehicles):
        for kb in vehicles[x + 1 :]:
            left = saving_swaps_by_brute_force(state, plan, ka, kb)
            if source == "generated":
                left = {cut: v for cut, v in left.items() if cut in screened(state, plan, ka, kb)}
            assert not left


def test_a_route_with_a_locked_request_keeps_its_tail():
    """A route holding a locked request neither gives nor takes a tail."""
    state, plan = planned("cordeau", 0)
    locked_route = next(r for r in plan.routes if len(r.stops) >= 4)
    state.fixed = {locked_route.stops[0] >> 1}
    exchange_tails(state, plan, set(state.open_vehicles))
    assert plan.routes[locked_route.k] is locked_route


def test_tails_only_go_where_their_requests_may_ride():
    """With every request allowed only in its own shift, no swap is made."""
    state, plan = planned("cordeau", 0)
    state.allowed = [frozenset({max(state.where[i], 0)}) for i in range(state.inst.n)]
    routes = list(plan.routes)
    assert not exchange_tails(state, plan, set(state.open_vehicles))
    assert plan.routes == routes


def test_on_a_large_day_only_pairs_that_could_swap_are_screened():
    """With each request allowed in a few shifts, the pairs left out are exactly pairs where
    no tail of one may ride in the other's shift."""
    state, plan = planned("one home", 2)
    rng = random.Random(2)
    m = state.inst.m
    state.allowed = [
        frozenset({max(state.where[i], 0), *rng.sample(range(m), 2)}) for i in range(state.inst.n)
    ]
    vehicles = list(state.open_vehicles)
    kept = set(_pairs(state, plan, vehicles, set(vehicles)))
    for x, ka in enumerate(vehicles):
        for kb in vehicles[x + 1 :]:
            ra, rb = plan.routes[ka], plan.routes[kb]
            could = any(
                all(kb in state.allowed[s >> 1] for s in ra.stops[i:])
                and all(ka in state.allowed[s >> 1] for s in rb.stops[j:])
                and (i < len(ra.stops) or j < len(rb.stops))
                for i in cut_points(ra.stops)
                for j in cut_points(rb.stops)
            )
            if could:
                assert (ka, kb) in kept
    assert len(kept) < len(vehicles) * (len(vehicles) - 1) // 2
