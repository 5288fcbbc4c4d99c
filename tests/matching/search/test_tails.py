"""Tail exchange (matching.search.tails): the screen loses no saving swap, swaps stay exact."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from matching.benchmarks.darp import read_instance, to_problem
from matching.search.repair import Order, sequential_insert
from matching.search.route import Plan
from matching.search.state import SearchState
from matching.search.tail_kernel import swaps
from matching.search.tails import _pairs, exchange_tails
from tests.matching.days import random_day
from tests.matching.search.conftest import state_of

CORDEAU = Path(__file__).parents[1] / "data" / "a2-16.txt"


def planned(source: str, seed: int) -> tuple[SearchState, Plan]:
    """A state on a day and a plan of sequential insertion in random order (far from optimal):
    Cordeau's a2-16 (one depot, many short rides) or a generated day (a home per car, linked
    trips, two load dimensions)."""
    if source == "cordeau":
        problem = to_problem(read_instance(CORDEAU))
    else:
        problem = random_day(seed, 40, 6)
        if source == "one home":
            home = problem.shifts[0].start
            shifts = tuple(dataclasses.replace(v, start=home, end=home) for v in problem.shifts)
            problem = dataclasses.replace(problem, shifts=shifts)
    state = state_of(problem)
    plan = state.empty_plan()
    sequential_insert(state, plan, Order.RANDOM, 0.0, random.Random(seed))
    state.refresh(plan)
    return state, plan


def cut_points(stops: list[int]) -> list[int]:
    """Positions after which nobody is aboard, counted from the stops themselves."""
    cuts, aboard = [0], 0
    for c, s in enumerate(stops, 1):
        aboard += -1 if s & 1 else 1
        if aboard == 0:
            cuts.append(c)
    return cuts


def saving_swaps_by_brute_force(state: SearchState, plan: Plan, ka: int, kb: int) -> dict:
    """{(i, j): distance saved} for every swap of the two routes' tails at empty points whose
    two new routes both have a feasible schedule, each built from scratch."""
    ra, rb = plan.routes[ka], plan.routes[kb]
    found = {}
    for i in cut_points(ra.stops):
        for j in cut_points(rb.stops):
            new_a = state.make_route(ka, ra.stops[:i] + rb.stops[j:])
            new_b = state.make_route(kb, rb.stops[:j] + ra.stops[i:])
            if new_a is None or new_b is None:
                continue
            saving = ra.distance + rb.distance - new_a.distance - new_b.distance
            if saving > 0:
                found[(i, j)] = saving
    return found


def screened(state: SearchState, plan: Plan, ka: int, kb: int) -> dict:
    """{(i, j): saving} as the compiled screen reports them."""
    a, b = plan.routes[ka], plan.routes[kb]
    x, y, arrays = a.arrays, b.arrays, state.inst.arrays
    rows = swaps(
        x.nodes, x.early, x.service, x.late, x.loads, a.distance,
        y.nodes, y.early, y.service, y.late, y.loads, b.distance, arrays.dist, arrays.time,
    )  # fmt: skip
    return {(i, j): saving for saving, i, j in rows.tolist()}


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
    rebuilt = [state.make_route(r.k, list(r.stops)) for r in plan.routes]
    assert all(r is not None for r in rebuilt)
    assert plan.cost == sum(r.cost for r in rebuilt if r is not None)
    where = list(state.where)
    state.refresh(plan)
    assert where == state.where
    assert {i for i in range(state.inst.n) if state.where[i] >= 0} == served
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
