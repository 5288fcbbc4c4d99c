"""Behaviour of matching.solve_large (issue 9): parts, seams, locks, links and progress."""

from __future__ import annotations

import random
import time
from itertools import groupby

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import LockedRoute, validate
from matching.assemble import prepare
from matching.decompose import (
    LargeConfig,
    _allowed,
    _first_plan,
    _open_ranked,
    _start_plan,
    solve_large,
)
from matching.instance import Instance
from matching.precheck import check_all
from matching.progress import Tracker
from matching.seams import repair_seams
from matching.search.eject import Ejector, eject_all
from matching.search.granular import GranularSearch
from matching.search.improve import polish_anywhere
from matching.search.repair import DirectPlacement
from matching.search.room import RoomMaker
from matching.search.state import SearchState
from matching.sparsify import screen
from tests.matching.conftest import make_problem
from tests.matching.days import random_day
from tests.matching.search.conftest import wheelchair_and_priority

#: Small parts, so that even a tiny day is cut into several areas.
TINY_PARTS = LargeConfig(part_requests=4, round_seconds=0.4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), requests=st.integers(1, 40), vehicles=st.integers(1, 6))
def test_solve_large_is_valid_on_random_small_days(seed: int, requests: int, vehicles: int):
    """On random small days (links, priorities, impossible trips) every plan validates."""
    problem = random_day(seed, requests, vehicles)
    solution = solve_large(problem, time_limit=0.4, seed=seed, workers=1)
    assert validate(problem, solution) == []
    assert len(solution.served) + len(solution.unassigned) == requests


def test_screen_gives_the_same_verdicts_as_the_pre_checks():
    """The cheap screen decides exactly what precheck.check_all decides, request by request."""
    problem = random_day(7, 60, 5)
    inst = Instance.from_problem(problem)
    assert [v.reason for v in screen(inst).verdicts] == [v.reason for v in check_all(inst)]


def test_areas_on_two_workers_give_a_valid_plan_that_serves():
    """Cut into several areas on two worker processes, the merged plan validates and serves."""
    problem = random_day(3, 40, 6)
    solution = solve_large(problem, time_limit=3.0, seed=1, workers=2, config=TINY_PARTS)
    assert validate(problem, solution) == []
    assert len(solution.served) > 0


def test_seam_repair_reinserts_what_a_part_dropped(make_request, make_shift):
    """A request left out of its part goes into a neighbouring part's route that can take it.

    Shift 0 already drives 1 -> 4; the dropped request 2 -> 3 lies on its way, so the repair
    puts it on that route (the other vehicle's shift is over by then).
    """
    served = make_request(pickup=1, dropoff=4)
    dropped = make_request(pickup=2, dropoff=3)
    problem = make_problem(
        [served, dropped],
        [make_shift(), make_shift(window=(0, 60))],
    )
    day = prepare(problem, keep=10)
    search = SearchState(day.inst, day.candidates, day.fixed, day.closed, 0, 1,
                         allowed=_allowed(day))  # fmt: skip
    plan = _start_plan(day, search, None)
    assert search.apply(plan, 0, [0, 1], None)  # the part served request 0 only
    search.refresh(plan)
    plan.unassigned = {1}
    search.refresh(plan)
    assert repair_seams(day, search, plan) == 1
    assert plan.routes[0].stops == [0, 2, 3, 1]
    assert plan.unassigned == set()


def test_locked_routes_and_linked_trips_hold_across_parts(make_request, make_shift):
    """Locks keep their vehicle and order (closed ones take nobody else) and linked trips
    ride both or neither, when the day is cut into areas on two workers."""
    requests = [
        make_request(id=0, pickup=1, dropoff=4),
        make_request(id=1, pickup=2, dropoff=5),
        make_request(id=2, pickup=1, dropoff=3, linked=3),
        make_request(
            id=3,
            pickup=3,
            dropoff=1,
            linked=2,
            pickup_window=(1800, 5400),
            dropoff_window=(1800, 5400),
        ),
        make_request(id=4, pickup=4, dropoff=2),
        make_request(id=5, pickup=0, dropoff=5, linked=6),
        make_request(id=6, pickup=5, dropoff=0, linked=5),
    ]
    vehicles = [make_shift(id=10), make_shift(id=11), make_shift(id=12),
                make_shift(id=13, start=5, end=5)]  # fmt: skip
    locks = (
        LockedRoute(10, ((1, "pickup"), (1, "dropoff")), closed=True),
        LockedRoute(11, ((2, "pickup"), (2, "dropoff")), closed=False),
    )
    problem = make_problem(requests, vehicles, locked=locks)
    solution = solve_large(problem, time_limit=3.0, seed=2, workers=2, config=TINY_PARTS)
    assert validate(problem, solution) == []
    closed = solution.route_of(10)
    assert closed is not None and closed.requests == (1,)
    open_route = solution.route_of(11)
    assert open_route is not None and 2 in open_route.requests
    served = solution.served
    assert (2 in served) == (3 in served) and (5 in served) == (6 in served)


def test_progress_reports_a_non_increasing_objective():
    """The progress callback sees elapsed time rise, the best objective never rise, and the
    phases of the solve; the returned plan is no worse than the first one reported."""
    problem = random_day(11, 40, 5)
    calls: list[tuple[float, int, int, str]] = []
    solution = solve_large(problem, time_limit=1.0, seed=0, workers=1,
                           progress=lambda *args: calls.append(args))  # fmt: skip
    assert validate(problem, solution) == []
    assert len(calls) >= 2
    objectives = [objective for _, objective, _, _ in calls]
    assert objectives == sorted(objectives, reverse=True)
    times = [elapsed for elapsed, _, _, _ in calls]
    assert times == sorted(times)
    assert {"insert", "search", "check"} <= {phase for *_, phase in calls}
    assert solution.objective <= objectives[0]


def test_warm_start_keeps_a_previous_plan_it_cannot_improve(make_request, make_shift):
    """Started from a previous plan, the search keeps its routes where they still fit."""
    problem = make_problem([make_request(pickup=1, dropoff=4)], [make_shift()])
    first = solve_large(problem, time_limit=0.3, workers=1)
    again = solve_large(problem, time_limit=0.3, workers=1, warm_start=first)
    assert validate(problem, again) == []
    assert again.served == first.served and again.distance == first.distance


def test_granular_search_never_loses_served_priority():
    """A granular run returns a plan serving at least the priority its start served."""
    problem = random_day(5, 40, 4)
    day = prepare(problem, keep=10)
    search = SearchState(day.inst, day.candidates, day.fixed, day.closed, 0, 1,
                         allowed=_allowed(day))  # fmt: skip
    plan = _start_plan(day, search, None)
    repair_seams(day, search, plan)
    start = plan.key()
    best, stats = GranularSearch(search, random.Random(1)).run(plan, float("inf"), 200)
    assert stats.iterations == 200
    assert best.key() <= start
    # The plan returned is one the timing checks accept afresh, each request at most once, and
    # its cost is its routes' cost (not only "no worse than the start", which holds by design).
    served = [s >> 1 for route in best.routes for s in route.stops if not s & 1]
    assert len(served) == len(set(served)) and set(served).isdisjoint(best.unassigned)
    rebuilt = [search.make_route(route.k, list(route.stops)) for route in best.routes]
    assert all(route is not None for route in rebuilt)
    assert best.cost == sum(route.cost for route in rebuilt if route is not None)


def _two_trips_at_one_time(make_request, make_shift, first_priority: int = 1):
    """Two one-seat shifts (homes at places 0 and 5) and two trips at the same time: trip 0
    (of ``first_priority``) costs 8 km in either shift; trip 1 costs 6 km from home 0 but 10 km
    from home 5."""
    window = {"pickup_window": (600, 660), "dropoff_window": (0, 3600), "max_ride_time": 600}
    return make_problem(
        [
            make_request(pickup=1, dropoff=4, priority=first_priority, **window),
            make_request(pickup=0, dropoff=3, **window),
        ],
        [make_shift(capacity=(1, 0, 0)), make_shift(start=5, end=5, capacity=(1, 0, 0))],
    )


def _first_insertion(problem, config: LargeConfig | None = None):
    """The search state and plan ``solve_large`` starts its search from."""
    day = prepare(problem, 40)
    config = config or LargeConfig()
    ranked = _open_ranked(day, config.insert_keep)
    return _first_plan(day, config, None, Tracker(None), random.Random(0), ranked)


def test_the_first_insertion_places_the_trip_with_most_to_lose_first(make_request, make_shift):
    """On the two trips of ``_two_trips_at_one_time``, one at a time, trip 0 takes shift 0
    (first of equals) and trip 1 drives 10 km; regret-2 places trip 1 first: 14 km instead of
    18."""
    problem = _two_trips_at_one_time(make_request, make_shift)
    results = {}
    for up_to in (0, 10):
        search, plan = _first_insertion(problem, LargeConfig(regret_first_up_to=up_to))
        assert plan.unassigned == set()
        results[up_to] = (search.where, sum(route.distance for route in plan.routes))
    assert results[0] == ([0, 1], 18_000)
    assert results[10] == ([1, 0], 14_000)


def test_the_first_insertion_ranks_by_regret_before_priority(make_request, make_shift):
    """The same two trips, trip 0 now a health trip (priority 3): priority first, it takes
    shift 0 (first of equals) and trip 1 drives 10 km from home 5 (18 km); by regret first,
    trip 1 (4 km to lose) goes first and both drive less (14 km). Both ride either way."""
    problem = _two_trips_at_one_time(make_request, make_shift, first_priority=3)
    search, plan = _first_insertion(problem)
    assert plan.unassigned == set()
    assert search.where == [1, 0]
    assert sum(route.distance for route in plan.routes) == 14_000


def test_the_first_insertion_places_a_trip_with_a_single_place_first(make_request, make_shift):
    """A wheelchair trip (priority 1) that only shift 0 can take and a health trip (priority 3)
    cheaper there but welcome in shift 1: the regret start places the wheelchair trip first and
    both ride. Priority first (as before), the health trip took shift 0 and the wheelchair trip
    rode nowhere."""
    search, plan = _first_insertion(wheelchair_and_priority(make_request, make_shift))
    assert search.where == [0, 1] and plan.unassigned == set()


def _returned(problem, solution, keep: int | None = None):
    """The day, a search state (ranked shifts: ``keep``, None = any) and the plan a solution
    returned, rebuilt as the warm start rebuilds it."""
    day = prepare(problem, 40)
    weights = problem.weights
    allowed = None if keep is None else _allowed(day, keep)
    state = SearchState(
        day.inst, day.candidates, day.fixed, day.closed, weights.language_bonus,
        weights.distance, allowed=allowed,
    )  # fmt: skip
    return day, state, _start_plan(day, state, solution)


def test_the_plan_returned_is_polished_after_the_sweep():
    """The sweep after the search (seams repaired, ejection chains) changes a few routes after
    the last polish; they are polished again, so no relocation or tail swap into any route
    saves anything on the plan returned. On this day the plan used to leave 10-16 km of such
    savings."""
    problem = random_day(12, 40, 6)
    solution = solve_large(problem, time_limit=2.0, seed=12, workers=1)
    assert validate(problem, solution) == []
    _, state, plan = _returned(problem, solution)
    assert len(state.where) - state.where.count(-1) == len(solution.served)
    returned = plan.cost
    polish_anywhere(state, plan, random.Random(0))
    assert plan.cost == returned


def test_the_sweep_repeats_while_it_serves_more():
    """The polish after the sweep's ejection chains frees time in the routes, so the sweep
    runs again while a round serves more: on this day, one round used to leave a trip that one
    more pass of ejection chains (else clearing room) serves; no trip is left like that now."""
    problem = random_day(8, 120, 10)
    solution = solve_large(problem, time_limit=1.0, seed=8, workers=1)
    assert validate(problem, solution) == []
    day, state, plan = _returned(problem, solution, keep=25)
    assert len(state.where) - state.where.count(-1) == len(solution.served)
    returned = plan.missed
    ranked = _open_ranked(day, 40)
    ejector = Ejector(state, ranked)
    room = RoomMaker(state, DirectPlacement(state, ranked), ejector, random.Random(0))
    eject_all(ejector, plan, time.monotonic() + 30, room.try_serve)
    assert plan.missed == returned


def test_one_core_sweeps_halfway_through_the_search_and_at_the_end():
    """On one core the search stops halfway for a sweep, then goes on from the plan the sweep
    leaves; without ``mid_sweep_at`` it sweeps at the end only. Both plans are valid."""
    problem = random_day(12, 40, 6)
    for mid_sweep_at, phases in (
        (0.5, ["search", "sweep", "search", "sweep"]),
        (None, ["search", "sweep"]),
    ):
        calls: list[tuple[float, int, int, str]] = []
        config = LargeConfig(mid_sweep_at=mid_sweep_at)
        solution = solve_large(problem, time_limit=2.0, seed=12, workers=1, config=config,
                               progress=lambda *args, calls=calls: calls.append(args))  # fmt: skip
        assert validate(problem, solution) == []
        seen = [phase for phase, _ in groupby(phase for *_, phase in calls)]
        assert seen[seen.index("search") :] == [*phases, "check"]
