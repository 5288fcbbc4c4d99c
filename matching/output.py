"""A searched plan as the public Solution: exact times, reasons for the unserved, objective.

Both the whole-day solver and the province-scale one end here, so a plan is reported the same
way whichever search made it.
"""

from __future__ import annotations

from collections.abc import Sequence

from matching.instance import Instance
from matching.precheck import Verdict
from matching.problem import Problem
from matching.reasons import Reason
from matching.schedule import arrivals, timetable
from matching.search.route import Plan
from matching.solution import Route, Solution, SolveStats, Stop, Unassigned
from matching.stops import is_pickup, kind_of, request_of


def solution_from_plan(
    problem: Problem,
    inst: Instance,
    plan: Plan,
    stats: SolveStats,
    verdicts: Sequence[Verdict],
    lock_failed: set[int],
) -> Solution:
    """Time every route, attach a reason to each unserved request and total the objective."""
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
            i = request_of(s)
            served.add(i)
            if is_pickup(s) and inst.language_match[i][k]:
                matches += 1
            stops.append(
                Stop(
                    request=inst.request_ids[i],
                    kind=kind_of(s),
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
        unassigned.append(
            Unassigned(request.id, *unserved_reason(inst, verdicts[i], i in lock_failed, i, served))
        )
    weights = problem.weights
    objective = weights.unserved * missed + weights.distance * total
    objective -= weights.language_bonus * matches
    return Solution(tuple(routes), tuple(unassigned), objective, total, stats)


def unserved_reason(
    inst: Instance, verdict: Verdict, lock_failed: bool, i: int, served: set[int]
) -> tuple[Reason, str, dict[str, int | str]]:
    """Why request index ``i`` is not served: its pre-check, its lock, or the others' load;
    the reason, an English sentence and the figures behind it."""
    if lock_failed:
        return Reason.LOCKED_ROUTE_INFEASIBLE, "its locked route has no feasible schedule", {}
    if verdict.reason is not None:
        return verdict.reason, verdict.detail, dict(verdict.params)
    j = inst.partner[i]
    if j >= 0 and j not in served:
        return (
            Reason.NO_CAPACITY_LEFT,
            f"feasible alone, but not together with its linked trip {inst.request_ids[j]} "
            "and the other requests",
            {"partner": inst.request_ids[j]},
        )
    return Reason.NO_CAPACITY_LEFT, "feasible alone, but no vehicle has room at that time", {}
