"""The insertion search's innermost loops, compiled by numba.

``best_insert`` is the whole question "where does request i go in this route": the screen of
pickup and drop-off positions (necessary conditions read from the route's earliest and latest
times and loads), the candidates tried cheapest first, each with the exact timing test that
starts from the route's earliest times. Both searches ask it for every (request, route) pair
they consider, so it ran as pure Python for about two thirds of a search's time; compiled, one
call does in microseconds what took a millisecond.

It is a transcription of the screen and timing described in ``matching.search.insertion``, on
numpy arrays: integers only, candidates in the same order (distance delta, then positions), so
a seeded search finds exactly what the pure-Python loops found (tests/matching/search/
test_kernels.py compares them on random routes). Stops follow ``matching.stops``: pickup 2*i,
drop-off 2*i + 1.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: An empty int64 array, returned where no schedule was found.
NO_TIMES = np.zeros(0, dtype=np.int64)


@njit(cache=True, nogil=True)
def _first_position(late: np.ndarray, ep: int, size: int) -> int:
    """Python's ``bisect_left(late, ep, 1, size) - 1``, not below 0."""
    lo = 1
    hi = size
    while lo < hi:
        mid = (lo + hi) // 2
        if late[mid] < ep:
            lo = mid + 1
        else:
            hi = mid
    return max(0, lo - 1)


@njit(cache=True, nogil=True)
def _fits(
    loads: np.ndarray, at: int, amounts: np.ndarray, cap: np.ndarray, dims: np.ndarray
) -> bool:
    """Whether the request's amounts fit on top of the loads at position ``at``."""
    for d in dims:  # noqa: SIM110 - a loop, as numba compiles it best
        if loads[d, at] + amounts[d] > cap[d]:
            return False
    return True


@njit(cache=True, nogil=True)
def _candidates(
    node, time, dist, early, late, service, ride_limit, load, cap, dims,
    r_nodes, r_early, r_late, r_svc, r_loads, p,
):  # fmt: skip
    """(delta, a, b) rows passing the screen, in (a, b) order; see insertion's docstring."""
    q = p + 1
    np_ = node[p]
    nq = node[q]
    ep, lp, sp = early[p], late[p], service[p]
    eq, lq, sq = early[q], late[q], service[q]
    limit = ride_limit[p]
    size = r_nodes.shape[0]
    amounts = load[p]
    out = np.empty((size * size, 3), dtype=np.int64)
    count = 0
    for d in dims:
        if amounts[d] > cap[d]:
            return out[:0]
    direct_pq = time[np_, nq]
    first = _first_position(r_late, ep, size)
    for a in range(first, size - 1):
        ea = r_early[a]
        if ea > lp:
            break
        na = r_nodes[a]
        bp = ea + r_svc[a] + time[na, np_]
        if bp > lp:
            continue
        if bp < ep:
            bp = ep
        if not _fits(r_loads, a, amounts, cap, dims):
            continue
        nb = r_nodes[a + 1]
        base_p = dist[na, np_] - dist[na, nb]
        after = bp + sp + time[np_, nb]
        bq = bp + sp + direct_pq
        if bq < eq:
            bq = eq
        if bq <= lq and bq - bp <= limit and bq + sq + time[nq, nb] <= r_late[a + 1]:
            out[count, 0] = base_p + dist[np_, nq] + dist[nq, nb]
            out[count, 1] = a
            out[count, 2] = a
            count += 1
        if after > r_late[a + 1]:
            continue
        lp_max = min(lp, r_late[a + 1] - sp - time[np_, nb])
        cost_p = base_p + dist[np_, nb]
        t = after if after > r_early[a + 1] else r_early[a + 1]
        for b in range(a + 1, size - 1):
            if b > a + 1:
                t = t + r_svc[b - 1] + time[r_nodes[b - 1], r_nodes[b]]
                if t < r_early[b]:
                    t = r_early[b]
                if t > r_late[b]:
                    break
            if not _fits(r_loads, b, amounts, cap, dims):
                break
            nbq = r_nodes[b]
            bq = t + r_svc[b] + time[nbq, nq]
            if bq > lq:
                if t > lq:
                    break
                continue
            if bq < eq:
                bq = eq
            if bq - lp_max > limit:
                continue
            nc = r_nodes[b + 1]
            if bq + sq + time[nq, nc] > r_late[b + 1]:
                continue
            out[count, 0] = cost_p + dist[nbq, nq] + dist[nq, nc] - dist[nbq, nc]
            out[count, 1] = a
            out[count, 2] = b
            count += 1
    return out[:count]


@njit(cache=True, nogil=True)
def _sweep(node, time, service, late, seq, times, begin) -> bool:
    """Forward pass from position ``begin``; False if a stop would begin after its window."""
    size = seq.shape[0]
    prev = seq[begin - 1]
    t = times[begin - 1]
    for j in range(begin, size):
        s = seq[j]
        t += service[prev] + time[node[prev], node[s]]
        if t < times[j]:
            t = times[j]
        if t > late[s]:
            return False
        times[j] = t
        prev = s
    return True


@njit(cache=True, nogil=True)
def timed(
    node, time, early, late, service, ride_limit, max_duration,
    r_seq, r_early, r_pairs, p, a, b,
):  # fmt: skip
    """Earliest schedule with pickup p after position a and its drop-off after b, or NO_TIMES.

    Starts from the route's earliest times, which bound the new least schedule from below.
    """
    q = p + 1
    old = r_seq.shape[0]
    size = old + 2
    seq = np.empty(size, dtype=np.int64)
    times = np.empty(size, dtype=np.int64)
    seq[: a + 1] = r_seq[: a + 1]
    times[: a + 1] = r_early[: a + 1]
    seq[a + 1] = p
    times[a + 1] = early[p]
    seq[a + 2 : b + 2] = r_seq[a + 1 : b + 1]
    times[a + 2 : b + 2] = r_early[a + 1 : b + 1]
    seq[b + 2] = q
    times[b + 2] = early[q]
    seq[b + 3 :] = r_seq[b + 1 :]
    times[b + 3 :] = r_early[b + 1 :]
    npairs = r_pairs.shape[0] + 1
    pairs = np.empty((npairs, 3), dtype=np.int64)
    for x in range(npairs - 1):
        for c in range(2):
            pos = r_pairs[x, c]
            pairs[x, c] = pos if pos <= a else (pos + 1 if pos <= b else pos + 2)
        pairs[x, 2] = r_pairs[x, 2]
    pairs[npairs - 1, 0] = a + 1
    pairs[npairs - 1, 1] = b + 2
    pairs[npairs - 1, 2] = ride_limit[q]
    last = size - 1
    # First sweep: push delays forward from the pickup; an old stop that is not delayed keeps
    # its old time and so does everything up to the drop-off (or the end).
    p_pos = a + 1
    q_pos = b + 2
    prev = seq[a]
    t = times[a]
    j = p_pos
    while j < size:
        s = seq[j]
        t += service[prev] + time[node[prev], node[s]]
        if t <= times[j]:
            if j != p_pos and j != q_pos:
                if j < q_pos:
                    j = q_pos
                    prev = seq[j - 1]
                    t = times[j - 1]
                    continue
                break
            t = times[j]
        if t > late[s]:
            return NO_TIMES
        times[j] = t
        prev = s
        j += 1
    # Then raise pickups (and the start) that ride limits (and the maximum duration) push
    # later, sweeping forward again from the lowest one, until nothing moves.
    begin = size
    for _ in range(size + 1):
        if begin < size and not _sweep(node, time, service, late, seq, times, begin):
            return NO_TIMES
        lowest = size
        for x in range(npairs):
            pp = pairs[x, 0]
            v = times[pairs[x, 1]] - pairs[x, 2]
            if v > times[pp]:
                if v > late[seq[pp]]:
                    return NO_TIMES
                times[pp] = v
                if pp < lowest:
                    lowest = pp
        v = times[last] - max_duration
        if v > times[0]:
            if v > late[seq[0]]:
                return NO_TIMES
            times[0] = v
            lowest = 0
        if lowest == size:
            return times
        begin = lowest + 1
    return NO_TIMES


@njit(cache=True, nogil=True)
def best_insert(
    node, time, dist, early, late, service, ride_limit, load, cap, max_duration, dims,
    r_seq, r_nodes, r_early, r_late, r_svc, r_loads, r_pairs, p,
):  # fmt: skip
    """(delta, a, b, times) of the cheapest feasible insertion of pickup p, or (-1, -1, -1, [])

    where the delta is the distance added (for an empty route, without the drive from its
    start to its end, which the caller adds).
    """
    rows = _candidates(
        node, time, dist, early, late, service, ride_limit, load, cap, dims,
        r_nodes, r_early, r_late, r_svc, r_loads, p,
    )  # fmt: skip
    order = np.argsort(rows[:, 0], kind="mergesort")  # stable: ties keep (a, b) order
    for x in order:
        a = rows[x, 1]
        b = rows[x, 2]
        times = timed(
            node, time, early, late, service, ride_limit, max_duration,
            r_seq, r_early, r_pairs, p, a, b,
        )  # fmt: skip
        if times.shape[0] > 0:
            return rows[x, 0], a, b, times
    return -1, -1, -1, NO_TIMES


@njit(cache=True, nogil=True)
def best_inserts(
    node, time, dist, early, late, service, ride_limit, load, cap, max_duration,
    r_seq, r_nodes, r_early, r_late, r_svc, r_loads, r_pairs, ps,
):  # fmt: skip
    """``best_insert`` for each pickup of ``ps`` into one route, in one call.

    Returns (delta, a, b) rows (a = -1: no feasible insertion) and the earliest times of each
    new route as rows. A search asks for many requests on the route it just changed: one call
    instead of one per request spares the dispatch of nineteen arrays each time, which cost
    more than the screen itself. Every capacity dimension is checked (a request's amount is 0
    in those it does not use, and a feasible route is within capacity there), so the answers
    are those of ``best_insert`` with the request's own dimensions.
    """
    count = ps.shape[0]
    size = r_seq.shape[0]
    rows = np.full((count, 3), -1, dtype=np.int64)
    times = np.zeros((count, size + 2), dtype=np.int64)
    dims = np.arange(cap.shape[0])
    for x in range(count):
        delta, a, b, found = best_insert(
            node, time, dist, early, late, service, ride_limit, load, cap, max_duration, dims,
            r_seq, r_nodes, r_early, r_late, r_svc, r_loads, r_pairs, ps[x],
        )  # fmt: skip
        if a >= 0:
            rows[x, 0] = delta
            rows[x, 1] = a
            rows[x, 2] = b
            times[x] = found
    return rows, times


@njit(cache=True, nogil=True)
def _earliest(early, late, legs, pairs, max_duration, seq) -> np.ndarray:
    """``matching.schedule.earliest`` on arrays: the least schedule, or NO_TIMES."""
    size = seq.shape[0]
    last = size - 1
    times = np.empty(size, dtype=np.int64)
    for j in range(size):
        times[j] = early[seq[j]]
    for _ in range(size + 1):
        t = times[0]
        if t > late[seq[0]]:
            return NO_TIMES
        for j in range(1, size):
            t += legs[j - 1]
            if t < times[j]:
                t = times[j]
            if t > late[seq[j]]:
                return NO_TIMES
            times[j] = t
        changed = False
        for x in range(pairs.shape[0]):
            v = times[pairs[x, 1]] - pairs[x, 2]
            if v > times[pairs[x, 0]]:
                times[pairs[x, 0]] = v
                changed = True
        v = times[last] - max_duration
        if v > times[0]:
            times[0] = v
            changed = True
        if not changed:
            return times
    return NO_TIMES


@njit(cache=True, nogil=True)
def _latest(early, late, legs, pairs, max_duration, seq) -> np.ndarray:
    """``matching.schedule.latest`` on arrays: the greatest schedule, or NO_TIMES."""
    size = seq.shape[0]
    last = size - 1
    times = np.empty(size, dtype=np.int64)
    for j in range(size):
        times[j] = late[seq[j]]
    for _ in range(size + 1):
        t = times[last]
        if t < early[seq[last]]:
            return NO_TIMES
        for j in range(last - 1, -1, -1):
            t -= legs[j]
            if t > times[j]:
                t = times[j]
            if t < early[seq[j]]:
                return NO_TIMES
            times[j] = t
        changed = False
        for x in range(pairs.shape[0]):
            v = times[pairs[x, 0]] + pairs[x, 2]
            if v < times[pairs[x, 1]]:
                times[pairs[x, 1]] = v
                changed = True
        v = times[0] + max_duration
        if v < times[last]:
            times[last] = v
            changed = True
        if not changed:
            return times
    return NO_TIMES


@njit(cache=True, nogil=True)
def route_state(
    node, time, dist, early, late, service, ride_limit, load, cap, max_duration, seq, given,
):  # fmt: skip
    """(earliest, latest, loads, distance, pairs) of a route, or empty times if infeasible.

    ``seq`` is the route with its start and end; ``given`` its earliest times when the caller
    has them (else empty). Loads are per dimension and position; a route over capacity in any
    dimension is infeasible. The distance of a route without stops is 0: it is not driven.
    """
    size = seq.shape[0]
    dims = cap.shape[0]
    legs = np.empty(size - 1, dtype=np.int64)
    for j in range(size - 1):
        a = seq[j]
        legs[j] = service[a] + time[node[a], node[seq[j + 1]]]
    pairs = np.empty((size, 3), dtype=np.int64)
    count = 0
    for j in range(1, size - 1):
        s = seq[j]
        if s & 1:  # stops.py encoding: a drop-off, whose pickup is s - 1
            for x in range(j - 1, 0, -1):
                if seq[x] == s - 1:
                    pairs[count, 0] = x
                    break
            pairs[count, 1] = j
            pairs[count, 2] = ride_limit[s]
            count += 1
    pairs = pairs[:count]
    loads = np.zeros((dims, size), dtype=np.int64)
    first = given if given.shape[0] else _earliest(early, late, legs, pairs, max_duration, seq)
    if first.shape[0] == 0:
        return NO_TIMES, NO_TIMES, loads, 0, pairs
    last = _latest(early, late, legs, pairs, max_duration, seq)
    if last.shape[0] == 0:
        return NO_TIMES, NO_TIMES, loads, 0, pairs
    for d in range(dims):
        current = 0
        for j in range(1, size - 1):
            current += load[seq[j], d]
            if current > cap[d]:
                return NO_TIMES, NO_TIMES, loads, 0, pairs
            loads[d, j] = current
    distance = 0
    if size > 2:
        for j in range(size - 1):
            distance += dist[node[seq[j]], node[seq[j + 1]]]
    return first, last, loads, distance, pairs
