"""Routes that must not change, timed as they are, and every way one more request fits them.

For the day itself: a coordinator changes a published plan by hand, or fits a same-day request
into it, while what drivers accepted and riders were promised holds. The caller gives those
routes as closed ``LockedRoute`` s and confirmed pickups as windows of width zero; nothing here
reorders a locked route, and an option is only offered if its exact schedule (the same timing
and load checks the search makes) keeps every other stop inside its window.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.instance import Instance
from matching.output import solution_from_plan
from matching.precheck import check_all
from matching.problem import Problem
from matching.schedule import arrivals, timetable
from matching.search.insertion import best_insertion
from matching.search.route import Plan, RouteState, build_route
from matching.solution import Route, Solution, SolveStats, Stop
from matching.stops import kind_of, pickup, request_of, stop_of


@dataclass(frozen=True)
class Fit:
    """One shift that can take the request: its whole new route and what the request costs it.

    Attributes:
        shift: the shift's id.
        route: the shift's route with the request in it, timed exactly.
        pickup: begin of service at the request's pickup, in seconds since midnight.
        added_seconds: how much longer the shift's day becomes (end minus start).
        added_metres: how much farther it drives.
    """

    shift: int
    route: Route
    pickup: int
    added_seconds: int
    added_metres: int


def time_locked(problem: Problem) -> Solution:
    """The problem's locked routes timed exactly as they are, every other request unassigned.

    A locked route with no feasible schedule (or too full) is left out and its requests are
    unassigned with ``LOCKED_ROUTE_INFEASIBLE``, as ``solve`` reports it; ``validate`` then
    checks the result like any solution.
    """
    inst = Instance.from_problem(problem)
    routes, failed = _locked_states(problem, inst)
    plan = Plan(list(routes.values()), set(range(inst.n)) - _served(routes))
    return solution_from_plan(problem, inst, plan, SolveStats(0.0, 0, None, method="locked"),
                              check_all(inst), failed)  # fmt: skip


def fits(problem: Problem, request: int, *, limit: int | None = None) -> list[Fit]:
    """Every shift whose route (its locked stops, or none) can take ``request`` as it stands,
    at that route's cheapest feasible position; the fewest added minutes first, then metres.

    Raises:
        ValueError: ``request`` is not a request of the problem, or is on a locked route.
    """
    inst = Instance.from_problem(problem)
    index = {rid: i for i, rid in enumerate(inst.request_ids)}
    if request not in index:
        raise ValueError(f"request {request} is not in the problem")
    i = index[request]
    routes, _failed = _locked_states(problem, inst)
    if i in _served(routes):
        raise ValueError(f"request {request} is already on a locked route")
    dims = [dim for dim, x in enumerate(inst.load[pickup(i)]) if x > 0]
    found = []
    for k in range(inst.m):
        base = routes.get(k) or build_route(inst, k, [], None, 1, 0)
        if base is None or (base.stops == [] and not base.nodes):
            continue
        insertion = best_insertion(inst, base, i, dims, 1, 0)
        if insertion is not None:
            found.append(_fit(inst, base, insertion.stops(), i))
    found.sort(key=lambda f: (f.added_seconds, f.added_metres, f.shift))
    return found[:limit] if limit is not None else found


def _locked_states(problem: Problem, inst: Instance) -> tuple[dict[int, RouteState], set[int]]:
    """Each closed locked route's state by shift index, and the requests of those that fail."""
    index = {rid: i for i, rid in enumerate(inst.request_ids)}
    shift_index = {sid: k for k, sid in enumerate(inst.vehicle_ids)}
    routes: dict[int, RouteState] = {}
    failed: set[int] = set()
    for lock in problem.locked:
        k = shift_index[lock.shift]
        stops = [stop_of(index[rid], kind) for rid, kind in lock.stops]
        state = build_route(inst, k, stops, None, 1, 0)
        if state is None:
            failed |= {request_of(s) for s in stops}
        else:
            routes[k] = state
    return routes, failed


def _served(routes: dict[int, RouteState]) -> set[int]:
    return {request_of(s) for state in routes.values() for s in state.stops}


def _fit(inst: Instance, base: RouteState, stops: list[int], i: int) -> Fit:
    """The option as the caller reads it: the timed route and what it adds."""
    k = base.k
    times = timetable(inst, k, stops)
    assert times is not None  # best_insertion only returns feasible routes
    arrive = arrivals(inst, k, stops, times)
    timed = Route(
        inst.vehicle_ids[k],
        tuple(
            Stop(
                inst.request_ids[request_of(s)],
                kind_of(s),
                inst.node[s],
                arrive[j],
                times[j],
                times[j] + inst.service[s],
            )
            for j, s in enumerate(stops, 1)
        ),
        times[0],
        arrive[-1],
        inst.route_distance(k, stops),
    )
    before = _span(inst, base)
    return Fit(
        shift=timed.shift,
        route=timed,
        pickup=times[stops.index(pickup(i)) + 1],
        added_seconds=(timed.end_time - timed.start_time) - before,
        added_metres=timed.distance - (inst.route_distance(k, base.stops) if base.stops else 0),
    )


def _span(inst: Instance, route: RouteState) -> int:
    """How long the shift's day is with this route (0 when it stays at home)."""
    if not route.stops:
        return 0
    times = timetable(inst, route.k, route.stops)
    assert times is not None
    return arrivals(inst, route.k, route.stops, times)[-1] - times[0]
