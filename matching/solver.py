"""``solve``: pre-checks, an OR-Tools first solution, exact re-timing and repair, then LNS."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Literal

from matching import ortools_model
from matching.allocator import frozen_heap
from matching.instance import Instance
from matching.links import enforce_links
from matching.locks import apply_locks, respecting_lock
from matching.output import solution_from_plan
from matching.precheck import Verdict, check_all
from matching.problem import Problem
from matching.search.lns import Lns
from matching.search.repair import (
    DirectPlacement,
    Order,
    RegretRule,
    regret_insert,
    sequential_insert,
)
from matching.search.route import Plan
from matching.search.set_partitioning import RoutePool
from matching.search.state import SearchState, SearchStats
from matching.solution import Solution, SolveStats
from matching.stops import is_pickup, request_of, requests_on

Method = Literal["lns", "ortools"]
#: How ``solve`` builds the plan its search starts from.
Construction = Literal["ortools", "insertion"]


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
) -> tuple[dict[int, list[int]] | None, float]:
    """Run OR-Tools on the free requests and open vehicles; stop lists per vehicle index."""
    inst = setup.inst
    riding_closed = {request_of(s) for k in setup.closed for s in setup.locked_stops.get(k, [])}
    requests = sorted(setup.candidates - riding_closed)
    vehicles = [k for k in range(inst.m) if k not in setup.closed]
    if not requests or not vehicles:
        return {}, 0.0
    fixed_vehicle = {
        request_of(s): k
        for k, stops in setup.locked_stops.items()
        if k not in setup.closed
        for s in stops
    }
    weights = problem.weights
    model = ortools_model.build_model(
        inst,
        requests,
        vehicles,
        _penalties(setup, weights.unserved),
        allowed={i: setup.verdicts[i].vehicles for i in requests},
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


def _sanitize(state: SearchState, setup: _Setup, routes: dict[int, list[int]]) -> Plan:
    """Turn untrusted stop lists into a feasible plan: locks first, then drop what breaks."""
    plan = state.empty_plan()
    for k, stops in setup.locked_stops.items():
        state.apply(plan, k, list(stops), None)
    seen = {request_of(s) for k in setup.closed for s in setup.locked_stops.get(k, [])}
    for k, stops in routes.items():
        if k in setup.closed:
            continue
        locked = setup.locked_stops.get(k, [])
        proposed = _well_formed(respecting_lock(stops, locked), setup.fixed, seen)
        kept = _feasible(state, setup, k, proposed, locked)
        state.apply(plan, k, kept, None)
        seen |= {request_of(s) for s in kept}
    for k, stops in setup.locked_stops.items():
        if k not in routes:
            seen |= {request_of(s) for s in stops}
    plan.unassigned = {i for i in setup.candidates if i not in seen and i not in setup.fixed}
    state.refresh(plan)
    return plan


def _feasible(
    state: SearchState, setup: _Setup, k: int, kept: list[int], locked: list[int]
) -> list[int]:
    """The stops, less the requests whose removal leaves the shortest route, one at a time,
    until vehicle k's route is feasible (its locked stops alone if that is what is left)."""
    inst = setup.inst
    while state.make_route(k, kept) is None:
        removable = [i for i in requests_on(kept) if i not in setup.fixed]
        if not removable:
            return list(locked)
        # Drop the request whose removal leaves the shortest route.
        victim = min(
            removable,
            key=lambda i: inst.route_distance(k, [s for s in kept if request_of(s) != i]),
        )
        kept = [s for s in kept if request_of(s) != victim]
    return kept


def _well_formed(stops: list[int], fixed: set[int], seen: set[int]) -> list[int]:
    """Keep only requests with pickup before drop-off, each once, not seen on other routes."""
    position: dict[int, int] = {}
    complete: set[int] = set()
    for j, s in enumerate(stops):
        i = request_of(s)
        if is_pickup(s):
            position.setdefault(i, j)
        elif i in position:
            complete.add(i)
    good = {i for i in complete if i not in seen or i in fixed}
    result: list[int] = []
    placed: set[int] = set()
    for s in stops:
        if request_of(s) in good and s not in placed:
            result.append(s)
            placed.add(s)
    return result


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    method: Method = "lns",
    construction: Construction = "insertion",
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
            search) or ``"ortools"`` (the plain OR-Tools baseline: ``ortools_model``'s model,
            its first solution and guided local search, re-timed and repaired).
        construction: how ``"lns"`` builds its first plan: our own regret ``"insertion"``
            (default: as good as OR-Tools' parallel cheapest insertion on the Cordeau set and
            4-5x faster) or ``"ortools"``.
        max_iterations: stop the LNS after this many iterations (for tests); None = time only.
        first_solution: OR-Tools first-solution strategy name.
        metaheuristic: OR-Tools metaheuristic name for ``method="ortools"``.

    Returns:
        A Solution whose routes are feasible (see ``matching.validate``) with every unserved
        request listed with a reason.

    Raises:
        ValueError: if ``time_limit`` is not positive or ``method``/``construction`` is
            unknown.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit!r}")
    if method not in ("lns", "ortools"):
        raise ValueError(f"method must be 'lns' or 'ortools', got {method!r}")
    if construction not in ("ortools", "insertion"):
        raise ValueError(f"construction must be 'ortools' or 'insertion', got {construction!r}")
    started = time.monotonic()
    deadline = started + time_limit
    setup = _prepare(problem)
    weights = problem.weights
    rng = random.Random(seed)  # noqa: S311 - reproducible search, not security
    with frozen_heap():
        state = SearchState(
            setup.inst, setup.candidates, setup.fixed, setup.closed, weights.language_bonus,
            weights.distance,
        )  # fmt: skip
        plan = _first_plan(
            state, setup, problem, rng, deadline, method, construction, first_solution,
            metaheuristic,
        )  # fmt: skip
        first_cost = plan.cost
        first_seconds = time.monotonic() - started
        counters = SearchStats()
        best_seconds: float | None = None
        if method == "lns":
            lns = Lns(state, rng, pool=RoutePool(state, frozenset(setup.locked_stops)))
            plan, counters = lns.run(plan, deadline, max_iterations)
            best_seconds = counters.best_found_seconds
        enforce_links(state, plan, setup.fixed, setup.candidates)
    stats = SolveStats(
        seconds=time.monotonic() - started,
        iterations=counters.iterations,
        first_solution_cost=first_cost,
        first_solution_seconds=first_seconds,
        best_found_seconds=best_seconds,
        improvements=counters.improvements,
        method=method,
    )
    return solution_from_plan(problem, setup.inst, plan, stats, setup.verdicts, setup.lock_failed)


def _first_plan(
    state: SearchState,
    setup: _Setup,
    problem: Problem,
    rng: random.Random,
    deadline: float,
    method: Method,
    construction: Construction,
    first_solution: str,
    metaheuristic: str,
) -> Plan:
    """The plan the LNS starts from (for ``method="ortools"``, the answer): OR-Tools' routes
    made feasible, or the locked routes plus our own insertion."""
    if method == "ortools" or construction == "ortools":
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
        )
        return _sanitize(state, setup, routes or {})
    plan = _sanitize(state, setup, {})
    if len(setup.candidates) <= 300:
        pending = [i for i in plan.unassigned if state.where[i] < 0]
        regret_insert(state, plan, pending, RegretRule(k=2), rng, DirectPlacement(state))
    else:  # regret insertion is quadratic in the requests: go sequential
        sequential_insert(state, plan, Order.EARLY, 0.0, rng)
    return plan


__all__ = ["solve"]
