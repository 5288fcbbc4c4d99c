"""Helpers for the tests of the search modules: a state on a small problem, and stub draws."""

from __future__ import annotations

import random
from collections.abc import Callable

from matching import Problem, Request, Shift
from matching.instance import Instance
from matching.search.repair import Order, sequential_insert
from matching.search.route import Plan
from matching.search.state import SearchState
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.days import random_day


def state_of(
    problem: Problem,
    *,
    fixed: set[int] | None = None,
    closed: set[int] | None = None,
    bonus: int = 0,
    allowed: list[frozenset[int]] | None = None,
) -> SearchState:
    """A search state on the problem: every request may be served, nothing is locked."""
    inst = Instance.from_problem(problem)
    return SearchState(
        inst, set(range(inst.n)), fixed or set(), closed or set(), bonus, 1, allowed=allowed
    )


def two_cars_apart(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift]
) -> tuple[SearchState, Plan, list[frozenset[int]]]:
    """Two riders from 1 to 4 at the same time, one in the car from place 0 and allowed only
    that car, the other in the car from place 5 and allowed only that one (as a ranking of
    shifts by the detour from home might have it): 16 km, or 8 km if they ride together.
    One after the other in one car is too late for the second. Also the ranked shifts."""
    rider = {"pickup_window": (600, 900), "dropoff_window": (600, 1200)}
    problem = make_problem(
        [make_request(**rider), make_request(**rider)],
        [make_shift(), make_shift(start=5, end=5)],
    )
    ranked = [frozenset({0}), frozenset({1})]
    state = state_of(problem, allowed=list(ranked))
    plan = state.empty_plan()
    for i in (0, 1):
        assert state.apply(plan, i, [pickup(i), dropoff(i)], None)
    state.settle(plan, state.candidates)
    assert plan.cost == 16_000
    return state, plan, ranked


def single_seat_row(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift], trips: int
) -> tuple[SearchState, Plan]:
    """A row of one-seat shifts, one per trip, each trip allowed in its own and the next:
    trip 1 only in shift 0, where trip 0 sits; trip 0 also in shift 1, where trip 2 sits,
    which may also ride in shift 2, and so on; the last shift is empty. Serving trip 1 moves
    every other trip one shift along."""
    window = {"pickup_window": (0, 120), "dropoff_window": (0, 1200)}
    problem = make_problem(
        [make_request(**window) for _ in range(trips)],
        [make_shift(capacity=(1, 0, 0)) for _ in range(trips)],
    )
    allowed = [frozenset({0, 1}), frozenset({0})]
    allowed += [frozenset({k - 1, k}) for k in range(2, trips)]
    state = state_of(problem, allowed=allowed)
    plan = state.empty_plan()
    for i, k in [(0, 0)] + [(i, i - 1) for i in range(2, trips)]:
        assert state.insert_request(plan, i, k, [pickup(i), dropoff(i)], None)  # type: ignore[arg-type]
    state.settle(plan, state.candidates)
    return state, plan


def check_every_attempt(
    try_serve: Callable[[SearchState, Plan], Callable[[Plan, int], bool]],
    shifts: int = 3,
    days: int = 4,
) -> int:
    """On random days of 40 requests and ``shifts`` shifts (linked trips among them), after a
    first insertion, one attempt of the move ``try_serve(state, plan)`` gives for each unserved
    trip: each lowers the key and leaves no new lone leg, or changes nothing at all; the totals
    it keeps are the recomputed ones. Returns the attempts kept."""
    kept = 0
    for seed in range(days):
        problem = random_day(seed, 40, shifts)
        state = state_of(problem)
        plan = state.empty_plan()
        sequential_insert(state, plan, Order.EARLY, 0.0, random.Random(seed))
        attempt = try_serve(state, plan)
        for u in sorted(plan.unassigned):
            before = (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where))
            lone = _lone_legs(state)
            if attempt(plan, u):
                kept += 1
                assert plan.key() < before[2]
                assert _lone_legs(state) <= lone
            else:
                after = (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where))
                assert after == before
            expected = plan.key()
            state.refresh(plan)
            assert plan.key() == expected
    return kept


def _lone_legs(state: SearchState) -> set[int]:
    """Linked trips served without their partner."""
    where = state.where
    return {
        i for i, j in enumerate(state.inst.partner) if j >= 0 and (where[i] < 0) != (where[j] < 0)
    }


def allowed_vehicles(state: SearchState) -> Callable[[int], list[int]]:
    """Request i's allowed vehicles in index order, as the ejection moves ask for them."""
    allowed = state.allowed
    assert allowed is not None
    return lambda i: sorted(allowed[i])


def routes_of(plan: Plan) -> list[list[int]]:
    """The stop lists of a plan, vehicle by vehicle."""
    return [list(route.stops) for route in plan.routes]


class FixedDraws(random.Random):
    """A random generator whose ``random()`` always returns the same number; ``choice``,
    ``sample`` and ``shuffle`` then draw from it too (a subclass that overrides ``random``
    alone makes ``Random`` derive its integers from it), so 0.0 always picks the first."""

    def __init__(self, value: float) -> None:
        """Always draw ``value`` from ``random()``."""
        super().__init__(0)
        self.value = value
        self.calls = 0

    def random(self) -> float:
        """The fixed value; counts the calls."""
        self.calls += 1
        return self.value


def wheelchair_and_priority(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift]
) -> Problem:
    """Two one-seat shifts and two trips from 1 to 4 at the same time: a wheelchair trip
    (priority 1) that only shift 0 can take, and a health trip (priority 3) that either can
    take, 2 km cheaper in shift 0 (home at place 0) than in shift 1 (home at place 5)."""
    window = {"pickup_window": (600, 660), "dropoff_window": (0, 3600)}
    return make_problem(
        [make_request(load=(1, 0, 1), **window), make_request(priority=3, **window)],
        [make_shift(capacity=(1, 0, 1)), make_shift(start=5, end=5, capacity=(1, 0, 0))],
    )
