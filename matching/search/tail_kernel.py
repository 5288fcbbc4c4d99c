"""The tail swap's screen, compiled by numba: every pair of cut points of two routes at once.

``matching.search.tails`` asks ``swaps`` for each pair of routes it might swap; the cuts,
distances and time checks are integer loops over a route's arrays (``route.RouteArrays``),
kept beside ``kernels`` (the insertion search's loops) as the only other compiled module.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _cuts(loads: np.ndarray, size: int) -> np.ndarray:
    """Positions c (0 to size - 2) after which the car is empty (position 0 is the start)."""
    cuts = np.empty(size - 1, dtype=np.int64)
    count = 0
    for c in range(size - 1):
        empty = True
        for d in range(loads.shape[0]):
            if loads[d, c] != 0:
                empty = False
        if empty:
            cuts[count] = c
            count += 1
    return cuts[:count]


@njit(cache=True, nogil=True)
def _prefix(nodes: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """Distance driven from the start to each position of a route."""
    pre = np.zeros(nodes.shape[0], dtype=np.int64)
    for j in range(1, nodes.shape[0]):
        pre[j] = pre[j - 1] + dist[nodes[j - 1], nodes[j]]
    return pre


@njit(cache=True, nogil=True)
def _joined(na, pa, ea, sa, la, i, nb, pb, lb, j, dist, time) -> int:
    """Distance of a's first i stops then b's stops after its first j, to a's end; -1 if a
    cannot reach the first stop of that tail (or its end) before the latest time there."""
    end = na.shape[0] - 1
    last = nb.shape[0] - 2  # b's last stop
    here = na[i]
    ready = ea[i] + sa[i]
    if j >= last:  # b's tail is empty: a's head drives to a's end
        if ready + time[here, na[end]] > la[end]:
            return -1
        return 0 if i == 0 else pa[i] + dist[here, na[end]]
    if ready + time[here, nb[j + 1]] > lb[j + 1]:
        return -1
    return pa[i] + dist[here, nb[j + 1]] + pb[last] - pb[j + 1] + dist[nb[last], na[end]]


@njit(cache=True, nogil=True)
def swaps(na, ea, sa, la, loada, da, nb, eb, sb, lb, loadb, db, dist, time) -> np.ndarray:
    """(saving, i, j) of every swap of route a's stops after its i-th with route b's after its
    j-th that saves distance and passes the time screen, both cars empty at the cuts."""
    ca = _cuts(loada, na.shape[0])
    cb = _cuts(loadb, nb.shape[0])
    pa = _prefix(na, dist)
    pb = _prefix(nb, dist)
    out = np.empty((ca.shape[0] * cb.shape[0], 3), dtype=np.int64)
    count = 0
    size_a, size_b = na.shape[0] - 2, nb.shape[0] - 2
    for i in ca:
        for j in cb:
            if i == size_a and j == size_b:  # nothing changes hands
                continue
            new_a = _joined(na, pa, ea, sa, la, i, nb, pb, lb, j, dist, time)
            if new_a < 0:
                continue
            new_b = _joined(nb, pb, eb, sb, lb, j, na, pa, la, i, dist, time)
            if new_b < 0:
                continue
            saving = da + db - new_a - new_b
            if saving > 0:
                out[count, 0] = saving
                out[count, 1] = i
                out[count, 2] = j
                count += 1
    return out[:count]
