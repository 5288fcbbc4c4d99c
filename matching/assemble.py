"""The day as the large solve sees it: pre-checks and locks in, a timed Solution out.

``prepare`` does for a whole day what ``matching.solver`` does before its search (pre-checks,
locked routes turned into fixed stops, partners of locked trips weighed above everything), but
with the cheap screen of ``matching.sparsify``; ``build_solution`` times every route exactly
and gives each unserved request its reason, so the result is a plain ``Solution`` that
``matching.validate`` can check like any other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from matching.instance import Instance
from matching.lns import Plan, Search
from matching.problem import Problem
from matching.reasons import Reason
from matching.schedule import arrivals, timetable
from matching.solution import Route, Solution, SolveStats, Stop, Unassigned
from matching.sparsify import Screen, screen


@dataclass
class Day:
    """A prepared day: instance, screen, what may be served, and what the locks pin."""

    problem: Problem
    inst: Instance
    screen: Screen
    candidates: set[int]
    fixed: set[int]
    closed: set[int]
    locked_stops: dict[int, list[int]]
    lock_failed: set[int]


def prepare(problem: Problem, keep: int) -> Day:
    """Pre-check the requests and turn locks into fixed stop lists (as ``solve`` does)."""
    inst = Instance.from_problem(problem)
    checked = screen(inst, keep)
    verdicts = checked.verdicts
    request_index = {rid: i for i, rid in enumerate(inst.request_ids)}
    vehicle_index = {vid: k for k, vid in enumerate(inst.vehicle_ids)}
    candidates = {i for i, v in enumerate(verdicts) if v.reason is None}
    fixed: set[int] = set()
    closed: set[int] = set()
    locked_stops: dict[int, list[int]] = {}
    lock_failed: set[int] = set()
    probe = Search(inst, random.Random(0), set(), set(), set(), 0, 1)  # noqa: S311
    for lock in problem.locked:
        k = vehicle_index[lock.vehicle]
        if lock.closed:
            closed.add(k)
        dropped = {
            request_index[r]
            for r in lock.requests
            if verdicts[request_index[r]].reason is Reason.LINKED_TRIP_UNSERVED
        }
        stops = [
            2 * request_index[r] + (kind == "dropoff")
            for r, kind in lock.stops
            if request_index[r] not in dropped
        ]
        members = {s >> 1 for s in stops}
        if probe.make_route(k, stops) is None:
            lock_failed |= members
            candidates -= members
            stops = []
        else:
            fixed |= members
            candidates |= members
        candidates -= dropped
        locked_stops[k] = stops
    for i in fixed:
        j = inst.partner[i]
        if j >= 0 and j not in fixed:
            # The partner of a locked trip must ride too: weigh it above everything else.
            inst.priority[j] = max(inst.priority[j], sum(inst.priority) + 1)
    return Day(problem, inst, checked, candidates, fixed, closed, locked_stops, lock_failed)


def objective(day: Day, plan: Plan) -> int:
    """The single-number objective of ``Solution.objective`` for a search plan."""
    problem = day.problem
    missed = sum(problem.requests[i].priority for i in range(day.inst.n)) - sum(
        problem.requests[s >> 1].priority
        for route in plan.routes
        for s in route.stops
        if not s & 1
    )
    return problem.weights.unserved * missed + plan.cost


def served_count(plan: Plan) -> int:
    """Requests some route of the plan serves."""
    return sum(1 for route in plan.routes for s in route.stops if not s & 1)


def build_solution(day: Day, plan: Plan, stats: SolveStats) -> Solution:
    """Time every route, attach reasons to unserved requests and total the objective."""
    inst = day.inst
    problem = day.problem
    routes: list[Route] = []
    served: set[int] = set()
    matches = 0
    total = 0
    for route in plan.routes:
        if not route.stops:
            continue
        k = route.k
        times = timetable(inst, k, route.stops)
        if times is None:  # pragma: no cover - every route state is feasible by construction
            raise RuntimeError(f"route of vehicle {inst.vehicle_ids[k]} lost its schedule")
        arrive = arrivals(inst, k, route.stops, times)
        stops = []
        for j, s in enumerate(route.stops, 1):
            i = s >> 1
            served.add(i)
            if not s & 1 and inst.language_match[i][k]:
                matches += 1
            stops.append(
                Stop(
                    request=inst.request_ids[i],
                    kind="dropoff" if s & 1 else "pickup",
                    node=inst.node[s],
                    arrival=arrive[j],
                    start=times[j],
                    departure=times[j] + inst.service[s],
                )
            )
        distance = inst.route_distance(k, route.stops)
        total += distance
        routes.append(Route(inst.vehicle_ids[k], tuple(stops), times[0], arrive[-1], distance))
    unassigned = []
    missed = 0
    for i, request in enumerate(problem.requests):
        if i in served:
            continue
        missed += request.priority
        reason, detail = _reason(day, served, i)
        unassigned.append(Unassigned(request.id, reason, detail))
    weights = problem.weights
    value = weights.unserved * missed + weights.distance * total - weights.language_bonus * matches
    return Solution(tuple(routes), tuple(unassigned), value, total, stats)


def _reason(day: Day, served: set[int], i: int) -> tuple[Reason, str]:
    """Reason for leaving request index i unserved, from the pre-checks and the plan."""
    verdict = day.screen.verdicts[i]
    if i in day.lock_failed:
        return Reason.LOCKED_ROUTE_INFEASIBLE, "its locked route has no feasible schedule"
    if verdict.reason is not None:
        return verdict.reason, verdict.detail
    inst = day.inst
    j = inst.partner[i]
    if j >= 0 and j not in served:
        return (
            Reason.NO_CAPACITY_LEFT,
            f"feasible alone, but not together with its linked trip {inst.request_ids[j]} "
            "and the other requests",
        )
    return Reason.NO_CAPACITY_LEFT, "feasible alone, but no vehicle has room at that time"


def stop_lists(day: Day, solution: Solution) -> dict[int, list[int]]:
    """A previous plan's routes as stop lists of this day (unknown requests and vehicles cut).

    Used to warm-start from yesterday's or the last published plan: requests that no longer
    exist or may not be served are left out, and each request appears once, pickup first.
    """
    inst = day.inst
    request_index = {rid: i for i, rid in enumerate(inst.request_ids)}
    vehicle_index = {vid: k for k, vid in enumerate(inst.vehicle_ids)}
    result: dict[int, list[int]] = {}
    placed: set[int] = set()
    for route in solution.routes:
        k = vehicle_index.get(route.vehicle)
        if k is None or k in day.closed:
            continue
        picked: set[int] = set()
        stops: list[int] = []
        for stop in route.stops:
            i = request_index.get(stop.request)
            if i is None or i in placed or i not in day.candidates:
                continue
            if stop.kind == "pickup":
                picked.add(i)
                stops.append(2 * i)
            elif i in picked:
                stops.append(2 * i + 1)
        complete = {s >> 1 for s in stops if s & 1}
        stops = [s for s in stops if (s >> 1) in complete]
        placed |= complete
        result[k] = stops
    return result
