"""Accepted routes and coordinators' pins as fixed stop lists, before any search.

Shared by the whole-day solver and the province-scale one, so a lock means the same in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching.instance import Instance
from matching.precheck import Verdict
from matching.problem import Problem
from matching.reasons import Reason
from matching.search.route import build_route
from matching.stops import request_of, stop_of


@dataclass
class Locks:
    """What the locks decide: who may still be served, who is fixed, which routes are closed."""

    candidates: set[int]
    fixed: set[int]
    closed: set[int]
    locked_stops: dict[int, list[int]]
    lock_failed: set[int]


def apply_locks(problem: Problem, inst: Instance, verdicts: Sequence[Verdict]) -> Locks:
    """Turn each lock into a fixed stop list; a lock with no feasible schedule frees its riders
    with a reason; the partner of a locked trip is weighed above everything else."""
    request_index = {rid: i for i, rid in enumerate(inst.request_ids)}
    vehicle_index = {vid: k for k, vid in enumerate(inst.vehicle_ids)}
    locks = Locks({i for i, v in enumerate(verdicts) if v.reason is None}, set(), set(), {}, set())
    for lock in problem.locked:
        k = vehicle_index[lock.shift]
        if lock.closed:
            locks.closed.add(k)
        dropped = {
            request_index[r]
            for r in lock.requests
            if verdicts[request_index[r]].reason is Reason.LINKED_TRIP_UNSERVED
        }
        stops = [
            stop_of(request_index[r], kind)
            for r, kind in lock.stops
            if request_index[r] not in dropped
        ]
        members = {request_of(s) for s in stops}
        if build_route(inst, k, stops, None, 1, 0) is None:
            locks.lock_failed |= members
            locks.candidates -= members
            stops = []
        else:
            locks.fixed |= members
            locks.candidates |= members
        locks.candidates -= dropped
        locks.locked_stops[k] = stops
    for i in locks.fixed:
        j = inst.partner[i]
        if j >= 0 and j not in locks.fixed:
            inst.priority[j] = max(inst.priority[j], sum(inst.priority) + 1)
    return locks


def respecting_lock(stops: list[int], locked: list[int]) -> list[int]:
    """A proposed route if it keeps the locked stops in their locked order, else those alone.

    A route proposed by OR-Tools or by a previous plan may have lost the order of a lock.
    """
    locked_set = set(locked)
    order = [s for s in stops if s in locked_set]
    return list(stops) if order == locked else list(locked)
