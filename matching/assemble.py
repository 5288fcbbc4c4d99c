"""The day as the large solve sees it: pre-checks and locks in, a timed Solution out.

``prepare`` does for a whole day what ``matching.solver`` does before its search (pre-checks,
locked routes turned into fixed stops, partners of locked trips weighed above everything), but
with the cheap screen of ``matching.sparsify``; ``build_solution`` times every route exactly
and gives each unserved request its reason, so the result is a plain ``Solution`` that
``matching.validate`` can check like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.instance import Instance
from matching.locks import apply_locks
from matching.output import solution_from_plan
from matching.problem import Problem
from matching.search.route import Plan
from matching.solution import Solution, SolveStats
from matching.sparsify import Screen, screen
from matching.stops import dropoff, is_dropoff, pickup, request_of, requests_on


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
    locks = apply_locks(problem, inst, checked.verdicts)
    return Day(
        problem, inst, checked, locks.candidates, locks.fixed, locks.closed, locks.locked_stops,
        locks.lock_failed,
    )  # fmt: skip


def objective(day: Day, plan: Plan) -> int:
    """The single-number objective of ``Solution.objective`` for a search plan."""
    problem = day.problem
    missed = sum(problem.requests[i].priority for i in range(day.inst.n)) - sum(
        problem.requests[i].priority for route in plan.routes for i in requests_on(route.stops)
    )
    return problem.weights.unserved * missed + plan.cost


def served_count(plan: Plan) -> int:
    """Requests some route of the plan serves."""
    return sum(len(requests_on(route.stops)) for route in plan.routes)


def build_solution(day: Day, plan: Plan, stats: SolveStats) -> Solution:
    """Time every route, attach reasons to unserved requests and total the objective."""
    return solution_from_plan(
        day.problem, day.inst, plan, stats, day.screen.verdicts, day.lock_failed
    )


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
        k = vehicle_index.get(route.shift)
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
                stops.append(pickup(i))
            elif i in picked:
                stops.append(dropoff(i))
        complete = {request_of(s) for s in stops if is_dropoff(s)}
        stops = [s for s in stops if request_of(s) in complete]
        placed |= complete
        result[k] = stops
    return result
