"""The granular search (matching.search.granular): local moves undone exactly when rejected."""

from __future__ import annotations

import random

import pytest

from matching.search.accept import SimulatedAnnealing
from matching.search.granular import GranularConfig, GranularSearch, neighbour_lists
from matching.search.repair import Order, sequential_insert
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.days import random_day
from tests.matching.search.conftest import routes_of, state_of, two_cars_apart


class Never(SimulatedAnnealing):
    """An acceptance that rejects every move."""

    def accept(self, trial, current, temperature, rng):
        """No."""
        return False


def test_a_rejected_move_leaves_the_plan_exactly_as_it_was():
    """Routes, unserved set, totals and the request map are restored from the undo log."""
    problem = random_day(6, 40, 4)
    state = state_of(problem)
    plan = state.empty_plan()
    sequential_insert(state, plan, Order.EARLY, 0.0, random.Random(0))
    search = GranularSearch(state, random.Random(1))
    for _ in range(30):
        before = (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where))
        assert not search._move(plan, 1.0, Never(1.0, 1.0))
        assert (routes_of(plan), set(plan.unassigned), plan.key(), list(state.where)) == before


def test_neighbours_are_the_closest_trips_first(make_request, make_shift):
    """Related = close pickups and drop-offs (and windows): 1 -> 4 is nearest 2 -> 4."""
    problem = make_problem(
        [
            make_request(pickup=1, dropoff=4),
            make_request(pickup=2, dropoff=4),
            make_request(pickup=5, dropoff=0),
        ],
        [make_shift()],
    )
    state = state_of(problem)
    lists = neighbour_lists(state.inst, [0, 1, 2], 2, 10.0)
    assert lists == [[1, 2], [0, 2], [1, 0]]


def test_a_request_may_go_back_to_the_route_it_came_from(make_request, make_shift):
    """Besides its ranked shifts a request is offered the route it was taken from."""
    problem = make_problem([make_request()], [make_shift(), make_shift()])
    state = state_of(problem, allowed=[frozenset({1})])
    plan = state.empty_plan()
    assert state.apply(plan, 0, [pickup(0), dropoff(0)], None)
    state.settle(plan, state.candidates)
    search = GranularSearch(state, random.Random(0))
    assert search.vehicles(0) == [1]
    assert search.remove(plan, 0)
    assert search.vehicles(0) == [1, 0]


def test_run_never_loses_served_priority():
    """A granular run returns a plan serving at least the priority its start served."""
    problem = random_day(12, 40, 4)
    state = state_of(problem)
    plan = state.empty_plan()
    sequential_insert(state, plan, Order.EARLY, 0.0, random.Random(0))
    start = plan.key()
    best, stats = GranularSearch(state, random.Random(3)).run(plan, float("inf"), 150)
    assert stats.iterations == 150 and best.key() <= start


@pytest.mark.parametrize(
    ("related_shifts", "polish_every", "together"),
    [(10, 0, True), (0, 3, True), (0, 0, False)],
)
def test_a_request_reaches_a_car_outside_its_ranked_shifts(
    make_request, make_shift, related_shifts, polish_every, together
):
    """Two riders each allowed only their own car end up in one car when the search lets a
    request ride in its related trips' shifts, or when it polishes with every route open, and
    not otherwise. The ranked shifts are the state's again after the run."""
    state, plan, ranked = two_cars_apart(make_request, make_shift)
    config = GranularConfig(related_shifts=related_shifts, polish_every=polish_every)
    best, _ = GranularSearch(state, random.Random(0), config).run(plan, float("inf"), 40)
    state.refresh(best)
    assert (state.where[0] == state.where[1]) is together
    assert best.cost == (8_000 if together else 16_000)
    assert state.allowed == ranked


@pytest.mark.parametrize(("backoff", "turns"), [(0, list(range(1, 21))), (1, [1, 2, 4, 8, 16])])
def test_a_trip_whose_clearing_fails_waits_twice_as_long_each_time(backoff, turns):
    """Failed clearings for the same trip come at ejection turns 1, 2, 4, 8, 16 with a wait
    of 1 (every turn without a wait); a clearing that works ends the wait."""
    problem = random_day(6, 20, 3)
    state = state_of(problem)
    plan = state.empty_plan()
    search = GranularSearch(state, random.Random(0), GranularConfig(room_backoff=backoff))
    tried: list[int] = []
    works = False

    def try_serve(plan, u):
        tried.append(search.eject_turns)
        return works

    search.room.try_serve = try_serve
    for _ in range(20):
        assert not search._clear_room(plan, 0)
    assert tried == turns
    works = True
    while not search._clear_room(plan, 0):
        pass
    assert tried[-1] == (21 if backoff == 0 else 32)  # turn 16 + a wait of 16
    works = False
    assert not search._clear_room(plan, 0)
    assert tried[-1] == tried[-2] + 1  # the success ended the wait


@pytest.mark.parametrize(
    ("backoff", "serves_at", "turns"),
    [
        (1, None, list(range(5, 201, 5))),
        (16, None, [5, 15, 35, 75, 155]),
        (16, 35, [5, 15, 35, 40, 50, 70, 110, 190]),
    ],
)
def test_ejection_turns_thin_out_while_they_serve_nothing(backoff, serves_at, turns):
    """Ejection turns come every fifth move while they serve, twice as far apart after each
    that serves nothing (at most ``eject_backoff`` times five moves), and every fifth again
    after one that serves."""
    state = state_of(random_day(6, 20, 3))
    plan = state.empty_plan()
    search = GranularSearch(state, random.Random(0), GranularConfig(eject_backoff=backoff))
    moves: list[str] = []

    def eject(plan):
        moves.append("eject")
        return len(moves) == serves_at

    def move(plan, temperature, annealing):
        moves.append("move")
        return False

    search._eject = eject
    search._move = move
    search.run(plan, float("inf"), 200)
    assert [n for n, kind in enumerate(moves, start=1) if kind == "eject"] == turns
