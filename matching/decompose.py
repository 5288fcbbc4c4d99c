"""``solve_large``: planning a province-sized day, sparsified, by parts, on every core.

Plain OR-Tools on a whole day of 1,000+ requests spends its time limit finding a first solution
and barely improves it, and ``matching.lns`` retries every unserved request on every route in
every move, a few moves a second at that size. Here:

1. *Screen* (``matching.sparsify``): pre-check every request exactly but cheaply, and rank the
   few dozen shifts that could take it alone by the detour they would drive. Pairs that can
   never share a car get no insertion attempts anywhere below.
2. *Insert*: every request at its cheapest place among its ranked shifts (a previous plan's
   routes first: a warm start), by regret (the priority only breaks ties: the search serves
   it), or on large days one at a time, highest priority and fewest options first.
3. *Search*: the granular large-neighbourhood search of ``matching.granular``, whose moves stay
   local (related trips, a route and its neighbour, costly detours) so a move costs the same
   at 200 or 5,000 requests. On one core it runs on the whole day, with a sweep halfway
   (``matching.sweep``). With several workers the day is cut into areas (``matching.areas``:
   shifts by home, served requests with their shift, unserved ones where their shifts are),
   each area searched in its own process; after each round the seams are repaired
   (``repair_seams``: what an area left out is offered to the routes of every area) and the
   next round cuts the day along other lines.
4. *Sweep* (``matching.sweep``): the trips still unserved offered to every open route, then
   ejection chains or a clearing of room for each, the routes polished with every route open.

Every step keeps each route's exact schedule feasible; the result is timed, given reasons,
checked by ``matching.validate`` and never returned if the check fails.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from matching.allocator import frozen_heap
from matching.areas import request_groups, vehicle_groups
from matching.assemble import Day, build_solution, objective, prepare, served_count, stop_lists
from matching.links import enforce_links, with_partners
from matching.locks import respecting_lock
from matching.parallel import DayContext, PartResult, PartTask, Workers
from matching.problem import Problem
from matching.progress import Progress, Tracker
from matching.seams import repair_seams
from matching.search.eject import Ejector, eject_all
from matching.search.granular import GranularConfig, GranularSearch
from matching.search.pool import PoolEjector
from matching.search.repair import DirectPlacement, Ranking, RegretRule, regret_insert
from matching.search.room import RoomMaker
from matching.search.route import Plan
from matching.search.state import SearchState
from matching.solution import Solution, SolveStats
from matching.stops import request_of, requests_on
from matching.sweep import Sweep
from matching.validate import validate


@dataclass(frozen=True)
class LargeConfig:
    """Knobs of the large solve (defaults measured on generated days of 200-5,000 requests)."""

    #: Ranked shifts per request for the first insertion (more finds more room).
    insert_keep: int = 40
    #: Ranked shifts per request in the search (fewer makes moves faster).
    keep: int = 25
    #: Requests per area part when several workers share the day.
    part_requests: int = 1200
    #: Seconds of one round of parts between two repairs across the seams.
    round_seconds: float = 20.0
    #: Days with at most this many requests to place are first inserted by regret-2, larger
    #: ones one at a time (priority, then fewest options first). Regret serves more in the
    #: end at 1,000 requests; it takes 4.2 s there and 11.9 s at 2,000, where it served no
    #: more after 60 s (1,765 against 1,769 requests, one run each).
    regret_first_up_to: int = 1200
    #: Days with at most this many requests get a last polish with every request free to move
    #: to any route (1.5 s at 1,000 requests); on larger days each area's search does it.
    polish_anywhere_up_to: int = 2500
    #: Share of the time limit the ejection pass after the first insertion may take at most.
    eject_share: float = 0.1
    #: Rounds of a sweep at most (``matching.sweep``): from the second on, a round that serves
    #: no more ends it.
    sweep_rounds: int = 4
    #: On one core the search stops after this share of its time for a sweep (as at the end),
    #: then a fresh search (its temperature high again) goes on from the plan the sweep leaves
    #: (None: no sweep halfway). On the 1,000-request day: 1 more request served, 2.5 less
    #: unserved priority, the same km; at 2,000 the sweep took 6.5 s in one run.
    mid_sweep_at: float | None = 0.5
    #: Share of the time limit for the ejection pool (``matching.search.pool``) after the sweep
    #: halfway, and the trips it may take from the pool per attempt (0: no pool).
    pool_share: float = 0.08
    pool_steps: int = 1000
    granular: GranularConfig = field(default_factory=GranularConfig)


def _allowed(day: Day, keep: int | None = None) -> list[frozenset[int]]:
    """Vehicles each request may ride in: its ``keep`` best ranked shifts, plus its lock's."""
    allowed = [frozenset(c[:keep]) for c in day.screen.candidates]
    for k, stops in day.locked_stops.items():
        for s in stops:
            allowed[request_of(s)] = allowed[request_of(s)] | {k}
    return allowed


def _start_plan(day: Day, search: SearchState, warm_start: Solution | None) -> Plan:
    """Locked routes, then (warm start) the previous plan's routes where they still fit."""
    plan = search.empty_plan()
    for k, stops in day.locked_stops.items():
        search.apply(plan, k, list(stops), None)
    if warm_start is not None:
        for k, stops in stop_lists(day, warm_start).items():
            locked = day.locked_stops.get(k, [])
            elsewhere = _served_elsewhere(day, search, k)
            kept = [s for s in respecting_lock(stops, locked) if request_of(s) not in elsewhere]
            while search.make_route(k, kept) is None:
                removable = [i for i in requests_on(kept) if i not in day.fixed]
                if not removable:
                    kept = list(locked)
                    break
                kept = [s for s in kept if request_of(s) != removable[-1]]
            search.apply(plan, k, kept, None)
            search.refresh(plan)
    search.settle(plan, day.candidates)
    return plan


def _served_elsewhere(day: Day, search: SearchState, k: int) -> set[int]:
    """Requests the plan already serves on vehicles other than k."""
    return {i for i in range(day.inst.n) if search.where[i] >= 0 and search.where[i] != k}


def _merge(search: SearchState, plan: Plan, day: Day, result: PartResult) -> bool:
    """Put a part's better routes into the plan; False if they were not better or not valid."""
    if result.after >= result.before:
        return False
    backup = {k: plan.routes[k] for k, _ in result.routes}
    for k, stops in result.routes:
        if not search.apply(plan, k, list(stops), None):
            for vehicle, route in backup.items():
                plan.routes[vehicle] = route
            search.settle(plan, day.candidates)
            return False
    search.settle(plan, day.candidates)
    return True


def _task(
    day: Day,
    search: SearchState,
    plan: Plan,
    vehicles: list[int],
    unserved: set[int],
    deadline: float,
    seed: int,
    config: LargeConfig,
) -> PartTask:
    """A part task: these vehicles with their routes, plus these unserved requests."""
    where = search.where
    partner = day.inst.partner
    members = set(vehicles)
    routes = tuple((k, tuple(plan.routes[k].stops)) for k in vehicles)
    served = {request_of(s) for _, stops in routes for s in stops}
    fixed = {i for i in served if i in day.fixed}
    for i in served:
        j = partner[i]
        if j >= 0 and where[j] >= 0 and where[j] not in members:
            fixed.add(i)  # its partner rides outside the part: it must keep its seat
    requests = tuple(sorted(served | unserved))
    return PartTask(
        tuple(vehicles),
        requests,
        routes,
        frozenset(fixed),
        deadline,
        seed,
        config=config.granular,
        keep=config.keep,
    )


def _area_tasks(
    day: Day,
    search: SearchState,
    plan: Plan,
    config: LargeConfig,
    parts: int,
    deadline: float,
    seed: int,
) -> list[PartTask]:
    """Split the day into ``parts`` areas, shifts by home and requests with their shifts.

    Served requests stay with the shift that serves them; unserved ones go to the area whose
    shifts would detour least for them (linked trips together). Each round draws the areas
    afresh (another seed), so a seam of one round lies inside an area of the next.
    """
    inst = day.inst
    open_vehicles = [k for k in range(inst.m) if k not in day.closed]
    groups = vehicle_groups(inst, parts, seed, open_vehicles)
    free = sorted(plan.unassigned)
    labels = request_groups(inst, groups, parts, day.screen.candidates, free, day.screen.detour)
    tasks = []
    for g in range(parts):
        vehicles = [k for k in open_vehicles if groups[k] == g]
        unserved = with_partners(inst.partner, {i for i in free if labels[i] == g}, set(free))
        unserved = {i for i in unserved if labels[i] == g or labels[inst.partner[i]] == g}
        if not vehicles or not (unserved or any(plan.routes[k].stops for k in vehicles)):
            continue
        tasks.append(
            _task(day, search, plan, vehicles, unserved, deadline, seed * 1000 + g, config)
        )
    return tasks


@dataclass
class _Run:
    """One large solve: the day, its search state, knobs, random source, progress, counters."""

    day: Day
    search: SearchState
    config: LargeConfig
    rng: random.Random
    tracker: Tracker
    rounds: int = 0
    iterations: int = 0
    improvements: int = 0
    best_seconds: float = 0.0


def solve_large(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
    progress: Progress | None = None,
    warm_start: Solution | None = None,
    config: LargeConfig | None = None,
) -> Solution:
    """Plan a large day by parts (area and time), repaired across seams, on several cores.

    Args:
        problem: the requests, shifts, matrices, locks and weights.
        time_limit: wall-clock seconds for the whole call, set-up and final check included
            (small overrun possible on huge days, where the check alone takes seconds).
        seed: seed of every random choice.
        workers: processes that improve parts at the same time (1 = this process only).
        progress: called with (elapsed s, best objective so far, served count, phase) each
            time the best plan improves or a phase starts; the objective never increases.
        warm_start: a previous plan to start from (e.g. the published one before a re-plan);
            its routes are kept where they still fit, instead of solving parts from scratch.
        config: tuning knobs (defaults suit 200-5,000 requests).

    Returns:
        A Solution that ``matching.validate`` accepts, every unserved request with a reason.

    Raises:
        ValueError: if ``time_limit`` is not positive or ``workers`` is below 1.
        RuntimeError: if no plan passing the independent check could be built (a bug).
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers!r}")
    config = config or LargeConfig()
    tracker = Tracker(progress)
    deadline = tracker.started + time_limit
    rng = random.Random(seed)  # noqa: S311 - reproducible search, not security
    day = prepare(problem, max(config.keep, config.insert_keep))
    with frozen_heap():
        ranked = _open_ranked(day, config.insert_keep)
        search, plan = _first_plan(day, config, warm_start, tracker, rng, ranked)
        checkpoints: list[Plan] = [plan.snapshot()]
        run = _Run(day, search, config, rng, tracker)
        # Reserve time for the final timing and the independent check (grows with the day).
        reserve = min(0.15 * time_limit, 0.5 + day.inst.n / 1000)
        # Ejection chains (else clearing room) for what the first insertion left out, then the
        # search (which does both itself), and a last pass after the final sweep.
        granular = config.granular
        ejector = Ejector(search, ranked, granular.eject)
        room = RoomMaker(search, DirectPlacement(search, ranked), ejector, rng, granular.room)
        fallback = room.try_serve if granular.clear_room else None
        tracker.enter("eject")
        first_pass_end = time.monotonic() + config.eject_share * time_limit
        eject_all(ejector, plan, min(deadline - reserve, first_pass_end), fallback)
        tracker.offer(objective(day, plan), served_count(plan))
        parts = _parts(day, config, workers)
        polishing = len(day.candidates) <= config.polish_anywhere_up_to
        # Time for the last polish and the sweep's rounds: the polish took 1.5 s at 1,000
        # requests before the search polished every 1,000 moves, 0.1-0.2 s since, and a round of
        # the sweep 0.4-0.5 s; n / 600 s is reserved (1.7 s there), at most 5 % of the limit.
        end = deadline - reserve - (min(0.05 * time_limit, day.inst.n / 600) if polishing else 0)
        if parts == 1:
            tracker.enter("search")
            if config.mid_sweep_at is not None:
                halfway = time.monotonic() + config.mid_sweep_at * (end - time.monotonic())
                plan = _search_whole(run, plan, halfway)
                pool = None
                if config.pool_steps and config.pool_share:
                    pool = PoolEjector(search, ranked, rng, config.pool_steps, granular.eject)
                pooling = config.pool_share * time_limit
                _sweep(run, plan, Sweep(ejector, fallback, polishing, end, end, end, pool, pooling))
                tracker.enter("search")
            plan = _search_whole(run, plan, end)
        else:
            tracker.enter("parts")
            _search_parts(run, plan, workers, parts, end)
        until = (deadline - reserve, deadline - 0.6 * reserve, deadline - 0.4 * reserve)
        _sweep(run, plan, Sweep(ejector, fallback, polishing, *until))
        enforce_links(search, plan, day.fixed, day.candidates)
        checkpoints.append(plan)
        tracker.enter("check")
        stats = SolveStats(
            seconds=tracker.elapsed(),
            iterations=run.iterations,
            first_solution_cost=checkpoints[0].cost,
            improvements=run.improvements,
            best_found_seconds=run.best_seconds,
            method="large",
        )
        return _first_valid(day, search, checkpoints[::-1], stats)


#: The first insertion of days up to ``LargeConfig.regret_first_up_to`` requests: the regret
#: first, the priority to break ties (docs/benchmarks-scale.md, "Trips with a single place").
_FIRST_REGRET = RegretRule(
    k=2, noise=0.0, lacking=10.0, magnitude_scale=True, ranking=Ranking.REGRET
)


def _first_plan(
    day: Day,
    config: LargeConfig,
    warm_start: Solution | None,
    tracker: Tracker,
    rng: random.Random,
    ranked: Callable[[int], list[int]],
) -> tuple[SearchState, Plan]:
    """The search state and the plan the search starts from: the locked routes, a previous
    plan's routes where they still fit, then every request inserted among its ranked shifts,
    by regret on days small enough, then each where it fits best (after which each request may
    ride in its ``config.keep`` best only)."""
    weights = day.problem.weights
    search = SearchState(
        day.inst, day.candidates, day.fixed, day.closed, weights.language_bonus,
        weights.distance, allowed=_allowed(day),
    )  # fmt: skip
    plan = _start_plan(day, search, warm_start)
    tracker.offer(objective(day, plan), served_count(plan))
    tracker.enter("insert")
    if len(plan.unassigned) <= config.regret_first_up_to:
        pending = sorted(plan.unassigned)
        regret_insert(search, plan, pending, _FIRST_REGRET, rng, DirectPlacement(search, ranked))
        search.settle(plan, day.candidates)
    repair_seams(day, search, plan)
    search.allowed = _allowed(day, config.keep)
    tracker.offer(objective(day, plan), served_count(plan))
    return search, plan


def _open_ranked(day: Day, keep: int) -> Callable[[int], list[int]]:
    """Request i's ``keep`` best ranked open shifts, for the first insertion and the passes."""
    ranked = _allowed(day, keep)
    closed = day.closed
    return lambda i: sorted(k for k in ranked[i] if k not in closed)


def _parts(day: Day, config: LargeConfig, workers: int) -> int:
    """Area parts: one (the whole day) on one core, else a multiple of the workers."""
    if workers <= 1:
        return 1
    per_worker = max(1, math.ceil(len(day.candidates) / (config.part_requests * workers)))
    return workers * per_worker


def _search_whole(run: _Run, plan: Plan, deadline: float) -> Plan:
    """The granular search on the whole day in this process, reporting each new best."""
    day, search, tracker = run.day, run.search, run.tracker
    granular = GranularSearch(
        search,
        random.Random(run.rng.randrange(1 << 30)),  # noqa: S311
        run.config.granular,
    )

    def on_best(best: Plan) -> None:
        run.best_seconds = tracker.elapsed()
        tracker.offer(objective(day, best), served_count(best))

    best, stats = granular.run(plan, deadline, on_best=on_best)
    run.iterations += stats.iterations
    run.improvements += stats.improvements
    search.settle(best, day.candidates)
    return best


def _sweep(run: _Run, plan: Plan, sweep: Sweep) -> None:
    """Run a sweep on ``plan`` as a phase of its own, and report the plan it leaves."""
    run.tracker.enter("sweep")
    sweep.run(run.day, run.search, plan, run.rng, run.config.sweep_rounds)
    run.tracker.offer(objective(run.day, plan), served_count(plan))


def _search_parts(run: _Run, plan: Plan, workers: int, parts: int, deadline: float) -> None:
    """Rounds of the granular search on areas in worker processes, each round's better parts
    merged into ``plan`` and its seams repaired, until the deadline."""
    day, search, config, tracker = run.day, run.search, run.config, run.tracker
    context = DayContext(day.problem, tuple(day.inst.priority))
    with Workers(context, min(workers, parts)) as pool:
        while True:
            left = deadline - time.monotonic()
            if left < 1.0:
                break
            seconds = left if left < 1.5 * config.round_seconds else config.round_seconds
            tasks = _area_tasks(day, search, plan, config, parts,
                                time.monotonic() + seconds, run.rng.randrange(1 << 30))  # fmt: skip
            run.rounds += 1
            for result in pool.run(tasks):
                run.iterations += result.iterations
                if _merge(search, plan, day, result):
                    run.improvements += 1
                    run.best_seconds = tracker.elapsed()
                    tracker.offer(objective(day, plan), served_count(plan))
            repair_seams(day, search, plan)
            tracker.offer(objective(day, plan), served_count(plan))


def _first_valid(day: Day, search: SearchState, plans: list[Plan], stats: SolveStats) -> Solution:
    """The first of these plans (best first) whose Solution passes ``matching.validate``."""
    problems = []
    for plan in plans:
        search.refresh(plan)
        if plan is not plans[0]:
            enforce_links(search, plan, day.fixed, day.candidates)
        solution = build_solution(day, plan, stats)
        violations = validate(day.problem, solution)
        if not violations:
            return solution
        problems.append(violations[:3])
    raise RuntimeError(f"no valid plan could be built: {problems}")


__all__ = ["LargeConfig", "solve_large"]
