"""Clearing room (matching.search.room): a trip served by taking every trip in its way off
one of its shifts and placing them again."""

from __future__ import annotations

import random

from matching.search.eject import EjectConfig, Ejector, eject_all
from matching.search.granular import GranularConfig, GranularSearch
from matching.search.repair import DirectPlacement, Order, sequential_insert
from matching.search.room import RoomConfig, RoomMaker
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.days import random_day
from tests.matching.search.conftest import allowed_vehicles, routes_of, state_of

#: Trips 0, 1, 2 ride one after the other on shift 0 (one seat) over places 1 -> 2 -> 3 -> 4;
#: trip 3 rides 1 -> 5 at the same time and may use shift 0 only.
_WINDOWS = (
    {"pickup": 1, "dropoff": 2, "pickup_window": (0, 60), "dropoff_window": (0, 600)},
    {"pickup": 2, "dropoff": 3, "pickup_window": (120, 180), "dropoff_window": (0, 600)},
    {"pickup": 3, "dropoff": 4, "pickup_window": (240, 300), "dropoff_window": (0, 600)},
    {"pickup": 1, "dropoff": 5, "pickup_window": (0, 60), "dropoff_window": (0, 600)},
)


def _three_in_the_way(make_request, make_shift, allowed, fixed=None, links=None, priority=1):
    """Shift 0 carries trips 0-2, trip 3 waits; ``allowed`` per trip, ``links`` (a, b) pairs."""
    partner = {a: b for pair in links or () for a, b in (pair, pair[::-1])}
    requests = [
        make_request(id=i, **w, priority=priority if i == 3 else 1, linked=partner.get(i))
        for i, w in enumerate(_WINDOWS)
    ]
    problem = make_problem(
        requests, [make_shift(capacity=(1, 0, 0)) for _ in range(len(allowed[0]) + 1)]
    )
    state = state_of(problem, allowed=allowed, fixed=fixed)
    plan = state.empty_plan()
    stops = [s for i in (0, 1, 2) for s in (pickup(i), dropoff(i))]
    assert state.apply(plan, 0, stops, None)
    state.settle(plan, state.candidates)
    assert plan.unassigned == {3}
    return state, plan


def _frozen(state, plan):
    return routes_of(plan), set(plan.unassigned), plan.key(), list(state.where)


def test_clearing_serves_a_trip_no_ejection_chain_can(make_request, make_shift):
    """Three trips stand in trip 3's way on its only shift: a chain ejects at most two and
    fails; clearing all three and placing them on the free shifts serves all four."""
    everywhere = frozenset({0, 1, 2})
    allowed = [everywhere, everywhere, everywhere, frozenset({0})]
    state, plan = _three_in_the_way(make_request, make_shift, allowed)
    before = _frozen(state, plan)
    chain = Ejector(state, allowed_vehicles(state), EjectConfig(depth=2))
    assert not chain.try_serve(plan, 3)
    assert _frozen(state, plan) == before
    search = GranularSearch(state, random.Random(0))
    assert search.room.try_serve(plan, 3)
    assert plan.unassigned == set()
    assert routes_of(plan)[0] == [pickup(3), dropoff(3)]
    assert all(state.where[i] in (1, 2) for i in (0, 1, 2))
    assert search.room.kept == search.room.tried == 1
    state.refresh(plan)  # the totals kept along the way are the recomputed ones
    assert (plan.missed, plan.cost) == (0, sum(r.cost for r in plan.routes))


#: Cleared trips go back into their ranked shifts only (``RoomConfig.anywhere`` off): the
#: tests below rank trip 2 on shift 0 alone, so once cleared it fits nowhere.
_RANKED_ONLY = GranularConfig(room=RoomConfig(anywhere=False))


def test_a_clearing_that_loses_a_trip_is_undone(make_request, make_shift):
    """Trip 2 may ride only shift 0: clearing it for trip 3 would trade one trip for another
    at a longer distance, so the plan stays exactly as it was."""
    everywhere = frozenset({0, 1})
    allowed = [everywhere, everywhere, frozenset({0}), frozenset({0})]
    state, plan = _three_in_the_way(make_request, make_shift, allowed)
    before = _frozen(state, plan)
    search = GranularSearch(state, random.Random(0), _RANKED_ONLY)
    assert not search.room.try_serve(plan, 3)
    assert _frozen(state, plan) == before


def test_cleared_trips_may_go_back_into_any_route(make_request, make_shift):
    """The same day with the default: trip 2's ranking stops at shift 0, but shift 1 has room
    for it, so the cleared trips go there and all four ride. The ranked shifts are back
    afterwards."""
    everywhere = frozenset({0, 1})
    allowed = [everywhere, everywhere, frozenset({0}), frozenset({0})]
    state, plan = _three_in_the_way(make_request, make_shift, allowed)
    search = GranularSearch(state, random.Random(0))
    assert search.room.try_serve(plan, 3)
    assert plan.unassigned == set()
    assert state.where[3] == 0
    assert state.where[2] == 1
    assert state.allowed == allowed


def test_a_trip_of_higher_priority_takes_the_place_of_one_that_fits_nowhere(
    make_request, make_shift
):
    """The same day with trip 3 weighing more: it is served and trip 2 waits instead."""
    everywhere = frozenset({0, 1})
    allowed = [everywhere, everywhere, frozenset({0}), frozenset({0})]
    state, plan = _three_in_the_way(make_request, make_shift, allowed, priority=3)
    search = GranularSearch(state, random.Random(0), _RANKED_ONLY)
    assert search.room.try_serve(plan, 3)
    assert plan.unassigned == {2}
    assert state.where[3] == 0


def test_a_cleared_linked_pair_waits_whole(make_request, make_shift):
    """Trip 2 (linked to trip 0) fits nowhere once cleared: trip 3 (priority 3) is served and
    the pair waits together; trip 0 never rides alone."""
    everywhere = frozenset({0, 1})
    allowed = [everywhere, everywhere, frozenset({0}), frozenset({0})]
    state, plan = _three_in_the_way(make_request, make_shift, allowed, links=[(0, 2)], priority=3)
    search = GranularSearch(state, random.Random(0), _RANKED_ONLY)
    assert search.room.try_serve(plan, 3)
    assert plan.unassigned == {0, 2}
    assert state.where[3] == 0
    assert state.where[1] == 1


def test_locked_trips_are_never_cleared(make_request, make_shift):
    """With trip 1 locked on shift 0 there is no room for trip 3, whatever else moves."""
    everywhere = frozenset({0, 1, 2})
    allowed = [everywhere, everywhere, everywhere, frozenset({0})]
    state, plan = _three_in_the_way(make_request, make_shift, allowed, fixed={1})
    before = _frozen(state, plan)
    search = GranularSearch(state, random.Random(0))
    assert not search.room.try_serve(plan, 3)
    assert _frozen(state, plan) == before
    assert state.where[1] == 0


def test_clearing_never_makes_the_plan_worse():
    """On random days (links, loads, impossible trips) every attempt either lowers the key,
    keeping every linked pair whole, or changes nothing at all."""
    kept = 0
    for seed, requests, vehicles in ((0, 40, 3), (7, 40, 3), (5, 40, 5), (2, 20, 3)):
        problem = random_day(seed, requests, vehicles)
        state = state_of(problem)
        plan = state.empty_plan()
        sequential_insert(state, plan, Order.EARLY, 0.0, random.Random(seed))
        room = GranularSearch(state, random.Random(seed)).room  # every open vehicle
        partner = state.inst.partner
        for u in sorted(plan.unassigned):
            before = _frozen(state, plan)
            if room.try_serve(plan, u):
                assert plan.key() < before[2]
                assert all(
                    partner[i] < 0 or (state.where[i] < 0) == (state.where[partner[i]] < 0)
                    for i in range(state.inst.n)
                )
            else:
                assert _frozen(state, plan) == before
            expected = plan.key()
            state.refresh(plan)
            assert plan.key() == expected
        assert room.tried > 0
        kept += room.kept
    assert kept >= 3  # both branches are exercised


def test_the_passes_of_the_large_solve_clear_room_where_a_chain_fails(make_request, make_shift):
    """``eject_all`` with the clearing as its fallback, edits straight on the plan within each
    trip's own shifts (as ``solve_large`` runs it after the first insertion)."""
    everywhere = frozenset({0, 1, 2})
    allowed = [everywhere, everywhere, everywhere, frozenset({0})]
    state, plan = _three_in_the_way(make_request, make_shift, allowed)
    ranked = allowed_vehicles(state)
    ejector = Ejector(state, ranked)
    assert eject_all(ejector, plan, float("inf")) == 0
    room = RoomMaker(state, DirectPlacement(state, ranked), ejector, random.Random(0))
    assert eject_all(ejector, plan, float("inf"), room.try_serve) == 1
    assert plan.unassigned == set()
    assert state.where[3] == 0


def test_the_whole_route_is_cleared_when_the_rest_holds_the_trip_back(make_request, make_shift):
    """Shift 0 may drive 15 minutes and carries trip 1 an hour after trip 2's time; shift 1
    carries trip 0. Nothing rides in trip 2's way on its only shift, but the shift cannot
    carry both trips within 15 minutes: the whole route is cleared, trip 1 moves to shift 1
    (after trip 0) and all three ride."""
    early = {"pickup_window": (0, 60), "dropoff_window": (0, 600)}
    problem = make_problem(
        [
            make_request(id=0, pickup=1, dropoff=2, **early),
            make_request(
                id=1, pickup=2, dropoff=3, pickup_window=(3600, 3660), dropoff_window=(0, 7200)
            ),
            make_request(id=2, pickup=1, dropoff=5, **early),
        ],
        [make_shift(capacity=(1, 0, 0), max_duration=900), make_shift(capacity=(1, 0, 0))],
    )
    state = state_of(problem, allowed=[frozenset({0, 1}), frozenset({0, 1}), frozenset({0})])
    plan = state.empty_plan()
    stops = [pickup(0), dropoff(0), pickup(1), dropoff(1)]
    assert state.apply(plan, 0, stops, None) is False  # 15 minutes do not hold both
    assert state.apply(plan, 0, [pickup(1), dropoff(1)], None)
    assert state.apply(plan, 1, [pickup(0), dropoff(0)], None)
    state.settle(plan, state.candidates)
    assert plan.unassigned == {2}
    search = GranularSearch(state, random.Random(0), GranularConfig(room=RoomConfig(slack=0)))
    assert search.room.try_serve(plan, 2)
    assert plan.unassigned == set()
    assert routes_of(plan)[0] == [pickup(2), dropoff(2)]
