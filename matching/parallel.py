"""Improving one part of a day, in this process or in a pool of worker processes.

A part is a set of vehicles with their current routes plus some requests left out. The worker
builds the part's own small problem (the same matrices and rules, fewer requests and shifts),
runs the granular search of ``matching.granular`` on it from the routes it was given (a warm
start), and
returns the routes it found, in the indices of the whole day. Tasks and results are plain
tuples and the day's Problem is sent once per worker, so the pool can use ``spawn``.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import Pool

from matching.allocator import frozen_heap
from matching.instance import Instance
from matching.problem import Problem
from matching.search.granular import GranularConfig, GranularSearch
from matching.search.state import SearchState
from matching.sparsify import screen
from matching.stops import renumber

#: Routes as (vehicle index, stop numbers) in the whole day's instance.
StopLists = tuple[tuple[int, tuple[int, ...]], ...]


@dataclass(frozen=True)
class PartTask:
    """One part to improve: global indices of its vehicles and requests, its current routes.

    ``deadline`` is a ``time.monotonic()`` instant (one clock for every process of a machine).

    ``fixed`` requests stay on their vehicle in their order (locked trips, and trips whose
    linked partner rides outside the part); ``requests`` holds every request the part may
    serve, those on ``routes`` included.
    """

    vehicles: tuple[int, ...]
    requests: tuple[int, ...]
    routes: StopLists
    fixed: frozenset[int]
    deadline: float
    seed: int
    config: GranularConfig | None = None
    keep: int = 25


@dataclass(frozen=True)
class PartResult:
    """The part's best routes (global indices) and its (missed priority, cost) before/after."""

    routes: StopLists
    before: tuple[int, int]
    after: tuple[int, int]
    iterations: int
    seconds: float


@dataclass(frozen=True)
class DayContext:
    """What every worker needs once: the day, and the priorities after lock adjustments."""

    problem: Problem
    priority: tuple[int, ...]


_CONTEXT: DayContext | None = None


def install(context: DayContext) -> None:
    """Make the day known to this process (pool initializer, or inline use)."""
    global _CONTEXT  # one day per worker process, set once by the pool initializer
    _CONTEXT = context


def _sub_problem(context: DayContext, task: PartTask) -> Problem:
    """The part as a Problem: linked trips stay linked only if both ends are in the part."""
    problem = context.problem
    part = [problem.requests[i] for i in task.requests]
    ids = {request.id for request in part}
    requests = [
        request if request.linked is None or request.linked in ids
        else dataclasses.replace(request, linked=None)
        for request in part
    ]  # fmt: skip
    return Problem(
        requests=tuple(requests),
        shifts=tuple(problem.shifts[k] for k in task.vehicles),
        durations=problem.durations,
        distances=problem.distances,
        weights=problem.weights,
    )


def improve(task: PartTask) -> PartResult:
    """Run the search on one part from its given routes; return the best routes found."""
    started = time.monotonic()
    context = _CONTEXT
    if context is None:
        raise RuntimeError("matching.parallel.install() was not called in this process")
    sub = _sub_problem(context, task)
    inst = Instance.from_problem(sub)
    inst.priority = [context.priority[i] for i in task.requests]
    local_request = {i: j for j, i in enumerate(task.requests)}
    local_vehicle = {k: v for v, k in enumerate(task.vehicles)}
    fixed = {local_request[i] for i in task.fixed}
    weights = sub.weights
    checked = screen(inst, task.keep)
    allowed = [frozenset(c) for c in checked.candidates]
    for i in fixed:
        allowed[i] = frozenset(range(inst.m))  # its own vehicle is always allowed
    search = SearchState(
        inst,
        set(range(inst.n)),
        fixed,
        set(),
        weights.language_bonus,
        weights.distance,
        allowed=allowed,
    )
    plan = search.empty_plan()
    for k, stops in task.routes:
        local = [renumber(s, local_request) for s in stops]
        if not search.apply(plan, local_vehicle[k], local, None):
            raise ValueError(f"part route of vehicle index {k} has no feasible schedule")
    search.settle(plan, range(search.inst.n))
    before = plan.key()
    granular = GranularSearch(search, random.Random(task.seed + 1), task.config)  # noqa: S311
    with frozen_heap():
        best, stats = granular.run(plan, task.deadline)
    routes = tuple(
        (task.vehicles[route.k], tuple(renumber(s, task.requests) for s in route.stops))
        for route in best.routes
    )
    return PartResult(routes, before, best.key(), stats.iterations, time.monotonic() - started)


class Workers:
    """Runs part tasks inline (one core) or in a spawned pool of processes."""

    def __init__(self, context: DayContext, workers: int) -> None:
        """Start ``workers`` processes if more than one; otherwise work in this process."""
        self.workers = max(1, workers)
        self._pool: Pool | None = None
        if self.workers > 1:
            spawn = multiprocessing.get_context("spawn")
            self._pool = spawn.Pool(self.workers, initializer=install, initargs=(context,))
        else:
            install(context)

    def run(self, tasks: Sequence[PartTask]) -> Iterator[PartResult]:
        """Yield each task's result as it finishes (in any order)."""
        if self._pool is None:
            yield from map(improve, tasks)
            return
        yield from self._pool.imap_unordered(improve, tasks)

    def close(self) -> None:
        """Stop the worker processes (if any)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Workers:
        """Use as a context manager so worker processes never outlive the solve."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop the workers."""
        self.close()
