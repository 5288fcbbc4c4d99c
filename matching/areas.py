"""Cutting a day into parts by area, from the matrices alone (``matching`` knows no coordinates).

* ``vehicle_groups``: shifts grouped around a few home villages (k-medoids on road distance,
  sizes kept balanced).
* ``request_groups``: each request sent to the group holding the shifts that would detour least
  to serve it, linked trips together.

Each group is a small day that the search solves well in a few seconds; what a group cannot
serve is repaired across the seams later.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from matching.instance import Instance


def _medoids(dist: np.ndarray, points: np.ndarray, parts: int, rng: random.Random) -> np.ndarray:
    """k-medoids of ``points`` (node numbers, repeats allowed) under a distance matrix."""
    sym = (dist + dist.T) / 2
    first = points[rng.randrange(len(points))]
    centres: list[int] = [int(first)]
    while len(centres) < parts:
        gap = sym[np.ix_(points, np.asarray(centres))].min(axis=1) ** 2
        total = float(gap.sum())
        if total <= 0:
            centres.append(int(points[rng.randrange(len(points))]))
            continue
        pick = rng.random() * total
        centres.append(int(points[int(np.searchsorted(np.cumsum(gap), pick))]))
    centre_array = np.asarray(centres)
    for _ in range(20):
        label = sym[np.ix_(points, centre_array)].argmin(axis=1)
        moved = centre_array.copy()
        for c in range(parts):
            members = points[label == c]
            if len(members):
                moved[c] = int(sym[members].sum(axis=0).argmin())
        if (moved == centre_array).all():
            break
        centre_array = moved
    return centre_array


def _balanced_labels(cost: np.ndarray, capacity: int) -> np.ndarray:
    """Give each row the cheapest column that still has room (most decided rows first)."""
    rows, cols = cost.shape
    order = np.argsort(cost, axis=1)
    ranked = np.take_along_axis(cost, order, axis=1)
    regret = ranked[:, 1] - ranked[:, 0] if cols > 1 else np.zeros(rows)
    labels = np.full(rows, -1)
    room = [capacity] * cols
    for r in np.argsort(-regret, kind="stable"):
        for c in order[r]:
            if room[c] > 0:
                labels[r] = c
                room[c] -= 1
                break
    return labels


def vehicle_groups(inst: Instance, parts: int, seed: int, vehicles: Sequence[int]) -> list[int]:
    """Group number per vehicle index (-1 for vehicles not in ``vehicles``), by home area."""
    labels = [-1] * inst.m
    if not vehicles:
        return labels
    parts = max(1, min(parts, len(vehicles)))
    dist = np.asarray(inst.problem.distances, dtype=np.float64)
    homes = np.asarray([inst.node[inst.start_stop(k)] for k in vehicles])
    centres = _medoids(dist, homes, parts, random.Random(seed))  # noqa: S311
    sym = (dist + dist.T) / 2
    capacity = -(-len(vehicles) * 6 // (5 * parts))  # 20 % above an even share
    chosen = _balanced_labels(sym[np.ix_(homes, centres)], capacity)
    for k, label in zip(vehicles, chosen.tolist(), strict=True):
        labels[k] = label
    return labels


def request_groups(
    inst: Instance,
    groups: list[int],
    parts: int,
    candidates: list[list[int]],
    requests: Sequence[int],
    detour: np.ndarray,
) -> list[int]:
    """Group number per request index (-1 if not in ``requests``), linked trips together.

    A request votes for the groups of its cheapest shifts (first choices count most); groups
    take at most 30 % more than their share of the shifts, so the capital's group does not
    swallow the province.
    """
    labels = [-1] * inst.n
    members = set(requests)
    units: list[list[int]] = []
    seen: set[int] = set()
    for i in requests:
        if i in seen:
            continue
        unit = [i]
        j = inst.partner[i]
        if j >= 0 and j in members:
            unit.append(j)
        seen.update(unit)
        units.append(unit)
    if not units:
        return labels
    shifts = np.bincount([g for g in groups if g >= 0], minlength=parts).astype(float)
    votes = np.zeros((len(units), parts))
    for u, unit in enumerate(units):
        for i in unit:
            for rank, k in enumerate(candidates[i][:8]):
                if groups[k] >= 0:
                    votes[u, groups[k]] += 1.0 / (1 + rank) / (1 + detour[i, k] / 20_000)
    share = shifts / max(1.0, shifts.sum())
    cost = -votes + 1e-9
    sizes = np.asarray([len(unit) for unit in units])
    limit = np.ceil(share * sizes.sum() * 1.3) + 2
    order = np.argsort(cost, axis=1)
    ranked = np.take_along_axis(cost, order, axis=1)
    regret = ranked[:, 1] - ranked[:, 0] if parts > 1 else np.zeros(len(units))
    load = np.zeros(parts)
    for u in np.argsort(-regret, kind="stable"):
        choice = next(
            (int(c) for c in order[u] if load[c] + sizes[u] <= limit[c] and votes[u, c] > 0),
            int(order[u][0]),
        )
        load[choice] += sizes[u]
        for i in units[u]:
            labels[i] = choice
    return labels
