"""Plans and exact checks for the tests of the polish (tail swaps, relocations): each move
found again by building routes from scratch, so the compiled screen and the memo are checked
against plain timing."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from matching.benchmarks.darp import read_instance, to_problem
from matching.search.repair import Order, sequential_insert
from matching.search.route import Plan
from matching.search.state import SearchState
from matching.search.tail_kernel import swaps
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


def assert_exact(state: SearchState, plan: Plan, served: set[int]) -> None:
    """The plan's cost is that of its routes rebuilt from scratch, ``where`` matches the
    routes, and exactly the ``served`` requests ride."""
    rebuilt = [state.make_route(r.k, list(r.stops)) for r in plan.routes]
    assert all(r is not None for r in rebuilt)
    assert plan.cost == sum(r.cost for r in rebuilt if r is not None)
    where = list(state.where)
    state.refresh(plan)
    assert where == state.where
    assert {i for i in range(state.inst.n) if state.where[i] >= 0} == served


def relocation_that_saves(state: SearchState, plan: Plan) -> tuple[int, int] | None:
    """A (request, vehicle) move of one request to another route that saves, found by
    building the shorter route and asking every other route."""
    for i in state.served_removable():
        k = state.where[i]
        shorter = state.make_route(k, [s for s in plan.routes[k].stops if s >> 1 != i])
        if shorter is None:
            continue
        saving = plan.routes[k].cost - shorter.cost
        for v in state.open_vehicles:
            found = None if v == k else state.best_insertion(plan.routes[v], i)
            if found is not None and found[0] < saving:
                return i, v
    return None


def at_local_optimum(state: SearchState, plan: Plan) -> bool:
    """No move of one request to another route and no (screened) tail swap saves."""
    if relocation_that_saves(state, plan) is not None:
        return False
    vehicles = list(state.open_vehicles)
    return not any(
        cut in screened(state, plan, ka, kb)
        for x, ka in enumerate(vehicles)
        for kb in vehicles[x + 1 :]
        for cut in saving_swaps_by_brute_force(state, plan, ka, kb)
    )
