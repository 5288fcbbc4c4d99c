"""Repair operators (matching.search.repair): priority first, regret, linked trips together."""

from __future__ import annotations

import random

from matching.search.repair import (
    DirectPlacement,
    Order,
    Ranking,
    RegretRepair,
    RegretRule,
    SequentialRepair,
    lns_repairs,
    regret_insert,
    sequential_insert,
)
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.search.conftest import state_of, wheelchair_and_priority


def test_regret_insertion_serves_everyone_who_fits(make_request, make_shift):
    """Four compatible trips and room for all: every one is inserted, routes feasible."""
    requests = [make_request(pickup=p, dropoff=d) for p, d in ((1, 4), (2, 5), (5, 1), (3, 0))]
    for rule in (RegretRule(k=1), RegretRule(k=2), RegretRule(k=3), RegretRule(random_order=True)):
        state = state_of(make_problem(requests, [make_shift(), make_shift()]))
        plan = state.empty_plan()
        regret_insert(state, plan, [0, 1, 2, 3], rule, random.Random(0), DirectPlacement(state))
        assert plan.unassigned == set() and plan.missed == 0
        assert all(state.make_route(r.k, r.stops) is not None for r in plan.routes)


def test_higher_priority_goes_in_first_whatever_the_cost(make_request, make_shift):
    """One seat at that time: the priority trip gets it although the other is cheaper."""
    window = (600, 600)
    problem = make_problem(
        [
            make_request(pickup=1, dropoff=2, pickup_window=window),
            make_request(pickup=1, dropoff=5, pickup_window=window, priority=3),
        ],
        [make_shift(capacity=(1, 0, 0))],
    )
    for rule in (RegretRule(k=1), RegretRule(k=2), RegretRule(random_order=True)):
        state = state_of(problem)
        plan = state.empty_plan()
        regret_insert(state, plan, [0, 1], rule, random.Random(0), DirectPlacement(state))
        assert state.where == [-1, 0]


def test_regret_prefers_the_request_with_fewer_places(make_request, make_shift):
    """Regret-2 inserts first the trip that only one vehicle can take (it loses most by
    waiting); greedy inserts the cheapest first."""
    problem = make_problem(
        [
            make_request(pickup=1, dropoff=2, pickup_window=(60, 60), dropoff_window=(120, 120)),
            make_request(pickup=0, dropoff=1),
        ],
        [make_shift(start=0, end=0), make_shift(start=5, end=5, window=(0, 600))],
    )
    order = []

    class Recording(DirectPlacement):
        def insert(self, plan, i, k, found):
            order.append(i)
            return super().insert(plan, i, k, found)

    for rule, expected in ((RegretRule(k=2), [0, 1]), (RegretRule(k=1), [1, 0])):
        order.clear()
        state = state_of(problem)
        plan = state.empty_plan()
        regret_insert(state, plan, [1, 0], rule, random.Random(0), Recording(state))
        assert order == expected


def test_a_trip_with_a_single_place_left_goes_first_if_asked(make_request, make_shift):
    """By priority first, the health trip takes shift 0, the wheelchair's only place, and the
    wheelchair trip rides nowhere; with ``Ranking.SINGLE_PLACE`` the wheelchair trip goes in
    first and the health trip takes the other shift: both ride."""
    problem = wheelchair_and_priority(make_request, make_shift)
    outcomes = {}
    for ranking in (Ranking.PRIORITY, Ranking.SINGLE_PLACE):
        state = state_of(problem)
        plan = state.empty_plan()
        rule = RegretRule(k=2, lacking=10.0, ranking=ranking)
        regret_insert(state, plan, [0, 1], rule, random.Random(0), DirectPlacement(state))
        outcomes[ranking] = (list(state.where), plan.missed)
    assert outcomes[Ranking.PRIORITY] == ([-1, 0], 1)
    assert outcomes[Ranking.SINGLE_PLACE] == ([0, 1], 0)


def test_among_trips_with_several_places_priority_still_goes_first(make_request, make_shift):
    """``Ranking.SINGLE_PLACE`` changes the order only for a trip with a single place left: with
    two shifts open to both trips, the health trip still goes in first and takes the cheaper
    shift."""
    window = {"pickup_window": (600, 660), "dropoff_window": (0, 3600)}
    problem = make_problem(
        [make_request(**window), make_request(priority=3, **window)],
        [make_shift(capacity=(1, 0, 0)), make_shift(start=5, end=5, capacity=(1, 0, 0))],
    )
    state = state_of(problem)
    plan = state.empty_plan()
    rule = RegretRule(k=2, lacking=10.0, ranking=Ranking.SINGLE_PLACE)
    regret_insert(state, plan, [0, 1], rule, random.Random(0), DirectPlacement(state))
    assert state.where == [1, 0]


def test_a_partner_that_fits_nowhere_takes_its_trip_out_again(make_request, make_shift):
    """A linked return trip that needs a wheelchair place no car has: neither trip stays."""
    problem = make_problem(
        [
            make_request(id=1, linked=2, pickup=1, dropoff=4),
            make_request(id=2, linked=1, pickup=4, dropoff=1, load=(1, 0, 1)),
            make_request(id=3, pickup=2, dropoff=3),
        ],
        [make_shift()],
    )
    for insert in (
        lambda state, plan: regret_insert(
            state, plan, [0, 1, 2], RegretRule(k=2), random.Random(0), DirectPlacement(state)
        ),
        lambda state, plan: sequential_insert(state, plan, Order.EARLY, 0.0, random.Random(0)),
    ):
        state = state_of(problem)
        plan = state.empty_plan()
        insert(state, plan)
        assert state.where == [-1, -1, 0]
        assert plan.routes[0].stops == [pickup(2), dropoff(2)]


def test_linked_trips_go_in_together(make_request, make_shift):
    """An outward and a return trip that fit are both inserted, by either repair."""
    problem = make_problem(
        [
            make_request(id=1, linked=2, pickup=1, dropoff=4, pickup_window=(0, 600)),
            make_request(
                id=2,
                linked=1,
                pickup=4,
                dropoff=1,
                pickup_window=(3000, 3600),
                dropoff_window=(3000, 7000),
            ),
        ],
        [make_shift()],
    )
    for repair in (RegretRepair("r", RegretRule(k=1)), SequentialRepair("s", Order.FAR)):
        state = state_of(problem)
        plan = state.empty_plan()
        repair(state, plan, random.Random(0))
        assert state.where == [0, 0]


def test_sequential_orders(make_request, make_shift):
    """Early: by pickup window, then drop-off window; far: longest direct trip first; always
    by priority first."""
    problem = make_problem(
        [
            make_request(pickup=5, dropoff=0, pickup_window=(900, 3600), max_ride_time=900),
            make_request(pickup=0, dropoff=2, pickup_window=(600, 3600)),
            make_request(pickup=2, dropoff=4, pickup_window=(1200, 3600), priority=2),
        ],
        [make_shift()],
    )
    for order, expected in ((Order.EARLY, [2, 1, 0]), (Order.FAR, [2, 0, 1])):
        inserted = []
        state = state_of(problem)
        plan = state.empty_plan()
        original = state.insert_request

        def record(plan, i, k, stops, times, original=original, inserted=inserted):
            inserted.append(i)
            return original(plan, i, k, stops, times)

        state.insert_request = record  # type: ignore[method-assign]
        sequential_insert(state, plan, order, 0.0, random.Random(0))
        assert inserted == expected


def test_lns_repairs_are_named_operators_in_a_fixed_order():
    """Eleven repair operators, filtered by kind, never by a magic number."""
    names = [r.name for r in lns_repairs(0.1)]
    assert names[:3] == ["greedy", "regret2", "regret3"]
    assert len(names) == len(set(names)) == 11
    assert all(isinstance(r, RegretRepair) for r in lns_repairs(0.1, sequential=False))
    plain = lns_repairs(0.1, random_order=False)
    assert [r.name for r in plain if "random-order" in r.name] == []
    assert len(plain) == 9
