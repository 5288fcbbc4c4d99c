"""Flat, index-based view of a Problem that the search loops read quickly.

Stops are numbered as ``matching.stops`` says: 2*i (pickup of the i-th request) and 2*i + 1
(its drop-off); the start and end of vehicle k are stops 2*n + 2*k and 2*n + 2*k + 1. Every
per-stop fact lives in a plain list indexed by stop number, so that inner loops never touch
dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from matching.problem import Problem

#: Latest time used for an open end ("no limit"): two days in seconds.
HORIZON = 2 * 86_400


def _tighten(
    pickup: tuple[int, int], dropoff: tuple[int, int], shortest: int, longest: int
) -> tuple[int, int, int, int]:
    """Windows narrowed by the implied gap between pickup and drop-off begins.

    The drop-off begins between ``shortest`` and ``longest`` after the pickup begins, so each
    window can be cut to what the other allows; the cut windows admit exactly the same
    schedules. Left unchanged if the request is impossible (the pre-checks report it).
    """
    e_p = max(pickup[0], dropoff[0] - longest)
    l_p = min(pickup[1], dropoff[1] - shortest)
    e_d = max(dropoff[0], pickup[0] + shortest)
    l_d = min(dropoff[1], pickup[1] + longest)
    if e_p > l_p or e_d > l_d or shortest > longest:
        return pickup[0], pickup[1], dropoff[0], dropoff[1]
    return e_p, l_p, e_d, l_d


@dataclass(eq=False)
class Instance:
    """Lists derived once from a Problem; shared read-only by schedule, lns and models."""

    problem: Problem
    n: int
    m: int
    node: list[int]
    early: list[int]
    late: list[int]
    service: list[int]
    ride_limit: list[int]
    load: list[tuple[int, ...]]
    capacity: list[tuple[int, ...]]
    max_duration: list[int]
    time: list[list[int]]
    dist: list[list[int]]
    request_ids: list[int]
    vehicle_ids: list[int]
    priority: list[int]
    partner: list[int]
    language_match: list[list[bool]]
    horizon: int

    @classmethod
    def from_problem(cls, problem: Problem) -> Instance:
        """Flatten a problem into per-stop lists."""
        n = len(problem.requests)
        m = len(problem.shifts)
        node: list[int] = []
        early: list[int] = []
        late: list[int] = []
        service: list[int] = []
        ride_limit: list[int] = []
        load: list[tuple[int, ...]] = []
        times = problem.durations
        for request in problem.requests:
            node += [request.pickup, request.dropoff]
            # Begin of drop-off minus begin of pickup may not exceed this.
            limit = request.max_ride_time + request.pickup_service
            shortest = request.pickup_service + int(times[request.pickup, request.dropoff])
            windows = _tighten(request.pickup_window, request.dropoff_window, shortest, limit)
            early += [windows[0], windows[2]]
            late += [windows[1], windows[3]]
            service += [request.pickup_service, request.dropoff_service]
            ride_limit += [limit, limit]
            load += [request.load, tuple(-x for x in request.load)]
        dims = problem.num_dimensions
        horizon = max([HORIZON, *late, *(v.window[1] for v in problem.shifts)]) + 1
        max_duration: list[int] = []
        for vehicle in problem.shifts:
            node += [vehicle.start, vehicle.end]
            early += [vehicle.window[0], vehicle.window[0]]
            late += [vehicle.window[1], vehicle.window[1]]
            service += [0, 0]
            ride_limit += [0, 0]
            load += [(0,) * dims, (0,) * dims]
            duration = vehicle.max_duration
            max_duration.append(horizon if duration is None else duration)
        by_id = {r.id: i for i, r in enumerate(problem.requests)}
        partner = [-1 if r.linked is None else by_id[r.linked] for r in problem.requests]
        language_match = [
            [bool(r.languages & v.languages) for v in problem.shifts] for r in problem.requests
        ]
        return cls(
            problem=problem,
            n=n,
            m=m,
            node=node,
            early=early,
            late=late,
            service=service,
            ride_limit=ride_limit,
            load=load,
            capacity=[v.capacity for v in problem.shifts],
            max_duration=max_duration,
            time=problem.durations.tolist(),
            dist=problem.distances.tolist(),
            request_ids=[r.id for r in problem.requests],
            vehicle_ids=[v.id for v in problem.shifts],
            priority=[r.priority for r in problem.requests],
            partner=partner,
            language_match=language_match,
            horizon=horizon,
        )

    @cached_property
    def longest_leg(self) -> int:
        """The largest distance between two places (Shaw removal's scale, asked every time)."""
        return int(self.arrays.dist.max()) if self.arrays.dist.size else 0

    @cached_property
    def arrays(self) -> InstanceArrays:
        """The per-stop lists as arrays, for the compiled insertion search (made once)."""
        problem = self.problem
        dims = problem.num_dimensions
        return InstanceArrays(
            np.array(self.node, dtype=np.int64),
            np.ascontiguousarray(problem.durations, dtype=np.int64),
            np.ascontiguousarray(problem.distances, dtype=np.int64),
            np.array(self.early, dtype=np.int64),
            np.array(self.late, dtype=np.int64),
            np.array(self.service, dtype=np.int64),
            np.array(self.ride_limit, dtype=np.int64),
            np.array(self.load, dtype=np.int64).reshape(len(self.load), dims),
            np.array(self.capacity, dtype=np.int64).reshape(self.m, dims),
        )

    def start_stop(self, k: int) -> int:
        """Stop number of the start of vehicle k (``stops.start_of``, inline: timing calls it
        for every route it times)."""
        return 2 * self.n + 2 * k

    def end_stop(self, k: int) -> int:
        """Stop number of the end of vehicle k (``stops.end_of``, inline likewise)."""
        return 2 * self.n + 2 * k + 1

    def route_distance(self, k: int, stops: list[int]) -> int:
        """Distance driven by vehicle k visiting these request stops (depots added)."""
        node = self.node
        dist = self.dist
        prev = node[self.start_stop(k)]
        total = 0
        for s in stops:
            here = node[s]
            total += dist[prev][here]
            prev = here
        return total + dist[prev][node[self.end_stop(k)]]


@dataclass(frozen=True, eq=False)
class InstanceArrays:
    """An instance's per-stop facts and matrices as int64 arrays (rows: stops or vehicles)."""

    node: np.ndarray
    time: np.ndarray
    dist: np.ndarray
    early: np.ndarray
    late: np.ndarray
    service: np.ndarray
    ride_limit: np.ndarray
    load: np.ndarray
    capacity: np.ndarray
