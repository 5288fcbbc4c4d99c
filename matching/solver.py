"""``solve``: pre-checks, an OR-Tools first solution, exact re-timing and repair, then LNS."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Literal

from matching import ortools_model
from matching.instance import Instance
from matching.lns import Plan, RouteState, Search
from matching.locks import apply_locks
from matching.output import solution_from_plan
from matching.precheck import Verdict, check_all
from matching.problem import Problem
from matching.solution import Solution, SolveStats

Method = Literal["lns", "ortools"]
Initial = Literal["ortools", "insertion"]


@dataclass
class _Setup:
    """What the pre-checks and locks decide before any search."""

    inst: Instance
    verdicts: list[Verdict]
    candidates: set[int]
    fixed: set[int]
    closed: set[int]
    locked_stops: dict[int, list[int]]
    lock_failed: set[int]


def _prepare(problem: Problem) -> _Setup:
    """Pre-check requests and turn locks into fixed stop lists."""
    inst = Instance.from_problem(problem)
    verdicts = check_all(inst)
    locks = apply_locks(problem, inst, verdicts)
    return _Setup(
        inst, verdicts, locks.candidates, locks.fixed, locks.closed, locks.locked_stops,
        locks.lock_failed,
    )  # fmt: skip


def _penalties(setup: _Setup, unserved: int) -> list[int]:
    """OR-Tools disjunction penalty per request index (0 for locked = mandatory)."""
    return [
        0 if i in setup.fixed else max(1, unserved) * setup.inst.priority[i]
        for i in range(setup.inst.n)
    ]


def _ortools_routes(
    setup: _Setup,
    problem: Problem,
    time_limit: float,
    *,
    first_solution: str,
    metaheuristic: str,
    first_solution_only: bool,
    side_constraints: bool,
) -> tuple[dict[int, list[int]] | None, float]:
    """Run OR-Tools on the free requests and open vehicles; stop lists per vehicle index."""
    inst = setup.inst
    riding_closed = {s >> 1 for k in setup.closed for s in setup.locked_stops.get(k, [])}
    requests = sorted(setup.candidates - riding_closed)
    vehicles = [k for k in range(inst.m) if k not in setup.closed]
    if not requests or not vehicles:
        return {}, 0.0
    fixed_vehicle = {
        s >> 1: k for k, stops in setup.locked_stops.items() if k not in setup.closed for s in stops
    }
    weights = problem.weights
    model = ortools_model.build_model(
        inst,
        requests,
        vehicles,
        _penalties(setup, weights.unserved),
        side_constraints=side_constraints,
        fixed_vehicle=fixed_vehicle,
        language_bonus=weights.language_bonus,
        distance_weight=weights.distance,
    )
    params = ortools_model.search_parameters(
        time_limit, first_solution, metaheuristic, first_solution_only=first_solution_only
    )
    assignment, seconds = ortools_model.solve_model(model, params)
    if assignment is None:
        return None, seconds
    return ortools_model.extract_routes(model, assignment), seconds


def _sanitize(search: Search, setup: _Setup, routes: dict[int, list[int]]) -> Plan:
    """Turn untrusted stop lists into a feasible plan: locks first, then drop what breaks."""
    inst = setup.inst
    plan = search.empty_plan()
    for k, stops in setup.locked_stops.items():
        search.apply(plan, k, list(stops), None)
    seen = {s >> 1 for k in setup.closed for s in setup.locked_stops.get(k, [])}
    for k, stops in routes.items():
        if k in setup.closed:
            continue
        locked = setup.locked_stops.get(k, [])
        locked_set = set(locked)
        order = [s for s in stops if s in locked_set]
        base = list(stops) if order == locked else list(locked)
        kept = _well_formed(base, setup.fixed, seen)
        while search.make_route(k, kept) is None:
            removable = [s >> 1 for s in kept if not s & 1 and (s >> 1) not in setup.fixed]
            if not removable:
                kept = list(locked)
                break
            # Drop the request whose removal leaves the shortest route.
            victim = min(
                removable,
                key=lambda i: inst.route_distance(k, [s for s in kept if s >> 1 != i]),
            )
            kept = [s for s in kept if s >> 1 != victim]
        search.apply(plan, k, kept, None)
        seen |= {s >> 1 for s in kept}
    for k, stops in setup.locked_stops.items():
        if k not in routes:
            seen |= {s >> 1 for s in stops}
    plan.unassigned = {i for i in setup.candidates if i not in seen and i not in setup.fixed}
    search.refresh(plan)
    return plan


def _well_formed(stops: list[int], fixed: set[int], seen: set[int]) -> list[int]:
    """Keep only requests with pickup before drop-off, each once, not seen on other routes."""
    position: dict[int, int] = {}
    complete: set[int] = set()
    for j, s in enumerate(stops):
        i = s >> 1
        if not s & 1:
            position.setdefault(i, j)
        elif i in position:
            complete.add(i)
    good = {i for i in complete if i not in seen or i in fixed}
    result: list[int] = []
    placed: set[int] = set()
    for s in stops:
        i = s >> 1
        if i in good and s not in placed:
            result.append(s)
            placed.add(s)
    return result


def _enforce_links(search: Search, plan: Plan, setup: _Setup) -> None:
    """Unserve any request whose linked partner is unserved (both or neither)."""
    inst = setup.inst
    changed = True
    while changed:
        changed = False
        for i in range(inst.n):
            j = inst.partner[i]
            if j >= 0 and search.where[i] >= 0 and search.where[j] < 0:
                if not search.remove_request(plan, i):
                    # Without the triangle inequality a shorter route can be infeasible:
                    # fall back to the route's locked stops alone.
                    k = search.where[i]
                    kept = [s for s in plan.routes[k].stops if (s >> 1) in setup.fixed]
                    if not search.apply(plan, k, kept, None):
                        continue
                    search.settle(plan, setup.candidates)
                changed = True
    search.refresh(plan)


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    method: Method = "lns",
    initial: Initial = "insertion",
    max_iterations: int | None = None,
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION",
    metaheuristic: str = "GUIDED_LOCAL_SEARCH",
) -> Solution:
    """Plan the routes: serve as many requests as possible (by priority), then drive least.

    Args:
        problem: the requests, shifts, matrices, locks and weights.
        time_limit: wall-clock seconds the search may use (set-up excluded, small overrun).
        seed: seed of the random choices; same seed and iteration count, same result.
        method: ``"lns"`` (OR-Tools first solution improved by our large-neighbourhood
            search) or ``"ortools"`` (plain OR-Tools guided local search, re-timed and repaired).
        initial: first solution for ``"lns"``: our own regret ``"insertion"`` (default: as
            good as OR-Tools' parallel cheapest insertion on the Cordeau set and 4-5x faster)
            or ``"ortools"``.
        max_iterations: stop the LNS after this many iterations (for tests); None = time only.
        first_solution: OR-Tools first-solution strategy name.
        metaheuristic: OR-Tools metaheuristic name for ``method="ortools"``.

    Returns:
        A Solution whose routes are feasible (see ``matching.validate``) with every unserved
        request listed with a reason.

    Raises:
        ValueError: if ``time_limit`` is not positive or ``method``/``initial`` is unknown.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit!r}")
    if method not in ("lns", "ortools"):
        raise ValueError(f"method must be 'lns' or 'ortools', got {method!r}")
    if initial not in ("ortools", "insertion"):
        raise ValueError(f"initial must be 'ortools' or 'insertion', got {initial!r}")
    started = time.monotonic()
    deadline = started + time_limit
    setup = _prepare(problem)
    weights = problem.weights
    search = Search(
        setup.inst,
        random.Random(seed),  # noqa: S311
        setup.candidates,
        setup.fixed,
        setup.closed,
        weights.language_bonus,
        weights.distance,
        locked_vehicles=frozenset(setup.locked_stops),
    )
    first_cost: int | None = None
    first_seconds: float | None = None
    iterations = 0
    improvements = 0
    best_seconds: float | None = None
    if method == "ortools" or initial == "ortools":
        budget = deadline - time.monotonic()
        if method == "lns":
            budget = min(budget * 0.2, 5.0)
        routes, _ = _ortools_routes(
            setup,
            problem,
            max(0.05, budget),
            first_solution=first_solution,
            metaheuristic=metaheuristic,
            first_solution_only=method == "lns",
            side_constraints=method == "ortools",
        )
        plan = _sanitize(search, setup, routes or {})
        first_seconds = time.monotonic() - started
        first_cost = plan.cost
    else:
        plan = _sanitize(search, setup, {})
    if method == "lns":
        if initial == "insertion":
            if len(setup.candidates) <= 300:
                search.repair(plan, 2, 0.0)
            else:  # regret insertion is quadratic in the requests: go sequential
                search.sequential_repair(plan, "early", 0.0)
            first_seconds = time.monotonic() - started
            first_cost = plan.cost
        plan, counters = search.run(plan, deadline, max_iterations)
        iterations = counters.iterations
        improvements = counters.improvements
        best_seconds = counters.best_found_seconds
    _enforce_links(search, plan, setup)
    stats = SolveStats(
        seconds=time.monotonic() - started,
        iterations=iterations,
        first_solution_cost=first_cost,
        first_solution_seconds=first_seconds,
        best_found_seconds=best_seconds,
        improvements=improvements,
        method=method,
    )
    return solution_from_plan(problem, setup.inst, plan, stats, setup.verdicts, setup.lock_failed)


__all__ = ["RouteState", "solve"]
