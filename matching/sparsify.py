"""Which vehicles may take which request: exact pre-checks made cheap, and granular search.

A province day has thousands of requests and hundreds of shifts, but a rider from a village in
the Sierra Norte will never ride with a driver who lives in the Señorío de Molina and works
mornings only. ``screen`` finds, for every request, the shifts that could serve it alone
(numpy necessary conditions first, then the exact timing of ``matching.schedule`` on the
cheapest few), ranked by the detour they would drive for it; a ``SearchState`` given those
as ``allowed`` restricts both searches to those pairs, so a repair across the whole day only
looks at a few dozen routes per request instead of every one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.instance import Instance
from matching.precheck import Verdict, check_request, with_partner_reasons
from matching.schedule import earliest
from matching.stops import dropoff, dropoffs, pickup, pickups

#: Shifts kept per request when nothing else is asked: plenty for a repair across seams.
DEFAULT_KEEP = 40


@dataclass(frozen=True)
class Screen:
    """Pre-check verdict and ranked candidate vehicles (instance indices) per request."""

    verdicts: list[Verdict]
    candidates: list[list[int]]
    detour: np.ndarray

    def feasible(self) -> list[int]:
        """Request indices that pass the pre-checks (some vehicle could serve them alone)."""
        return [i for i, v in enumerate(self.verdicts) if v.reason is None]


def _necessary(inst: Instance) -> tuple[np.ndarray, np.ndarray]:
    """Request x vehicle mask of pairs that pass cheap necessary conditions, and detours.

    The conditions are the earliest schedule of start -> pickup -> drop-off -> end without the
    ride limit and the maximum duration (both can only push times later), and the loads. The
    detour is what the shift drives extra to serve the request alone.
    """
    n, m = inst.n, inst.m
    times = np.asarray(inst.problem.durations, dtype=np.int64)
    dist = np.asarray(inst.problem.distances, dtype=np.int64)
    pick = np.asarray(inst.node[pickups(n)], dtype=np.int64)
    drop = np.asarray(inst.node[dropoffs(n)], dtype=np.int64)
    early = np.asarray(inst.early, dtype=np.int64)
    late = np.asarray(inst.late, dtype=np.int64)
    service = np.asarray(inst.service, dtype=np.int64)
    starts = np.asarray([inst.node[inst.start_stop(k)] for k in range(m)], dtype=np.int64)
    ends = np.asarray([inst.node[inst.end_stop(k)] for k in range(m)], dtype=np.int64)
    leave = np.asarray([inst.early[inst.start_stop(k)] for k in range(m)], dtype=np.int64)
    back = np.asarray([inst.late[inst.end_stop(k)] for k in range(m)], dtype=np.int64)
    ep, lp = early[pickups(n)], late[pickups(n)]
    ed, ld = early[dropoffs(n)], late[dropoffs(n)]
    sp, sd = service[pickups(n)], service[dropoffs(n)]
    at_pick = np.maximum(ep[:, None], leave[None, :] + times[starts][:, pick].T)
    ok = at_pick <= lp[:, None]
    at_drop = np.maximum(ed[:, None], at_pick + (sp + times[pick, drop])[:, None])
    ok &= at_drop <= ld[:, None]
    ok &= at_drop + sd[:, None] + times[drop][:, ends] <= back[None, :]
    loads = np.asarray([inst.load[pickup(i)] for i in range(n)], dtype=np.int64).reshape(n, -1)
    capacity = np.asarray(inst.capacity, dtype=np.int64).reshape(m, -1)
    if loads.shape[1]:
        ok &= (loads[:, None, :] <= capacity[None, :, :]).all(axis=2)
    detour = (
        dist[starts][:, pick].T
        + dist[pick, drop][:, None]
        + dist[drop][:, ends]
        - dist[starts, ends][None, :]
    )
    return ok, detour


def screen(inst: Instance, keep: int = DEFAULT_KEEP) -> Screen:
    """Pre-check every request and rank the shifts that could serve it alone.

    Gives the same verdicts as ``matching.precheck.check_all`` (it calls ``check_request`` for
    every request no shift can take alone, to name the exact reason), but runs the exact
    timing only on the ``keep`` cheapest shifts that pass numpy's necessary conditions.
    """
    n = inst.n
    if n == 0 or inst.m == 0:
        alone = [check_request(inst, i) for i in range(n)]
        return Screen(alone, [[] for _ in range(n)], np.zeros((n, inst.m), dtype=np.int64))
    ok, detour = _necessary(inst)
    verdicts: list[Verdict] = []
    candidates: list[list[int]] = []
    for i in range(n):
        order = np.flatnonzero(ok[i])
        order = order[np.argsort(detour[i, order], kind="stable")]
        found: list[int] = []
        stops = [pickup(i), dropoff(i)]
        for k in order.tolist():
            if earliest(inst, k, stops) is not None:
                found.append(k)
                if len(found) >= keep:
                    break
        candidates.append(found)
        verdicts.append(Verdict(None, "", tuple(found)) if found else check_request(inst, i))
    return Screen(with_partner_reasons(inst, verdicts), candidates, detour)
