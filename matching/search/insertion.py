"""Where a request fits into a route: a cheap screen of positions, then exact timing.

Candidate positions for the pickup and the drop-off are screened with necessary conditions read
from the route's caches (its earliest and latest times and its loads) and tried cheapest first
with an exact timing test that starts from the route's current earliest times, so only the
part of the schedule the insertion delays is recomputed. These functions are the innermost
loops of both searches: they keep their data in local variables and call nothing per position
(the stop numbers of request i are spelled inline, ``stops.py encoding``: 2 * i and 2 * i + 1).
"""

from __future__ import annotations

from bisect import bisect_left

from matching.instance import Instance
from matching.search.route import Insertion, RouteState


def best_insertion(
    inst: Instance, route: RouteState, i: int, dims: list[int], weight: int, bonus: int
) -> Insertion | None:
    """Cheapest feasible insertion of request i into route: (delta cost, stops, times), or None.

    ``dims`` are the capacity dimensions request i uses; the cost delta is ``weight`` per metre
    less ``bonus`` if the rider shares a language with the driver.
    """
    if not route.nodes:
        return None
    candidates = _positions(inst, route, i, dims)
    if not candidates:
        return None
    candidates.sort()
    k = route.k
    bonus = bonus if bonus and inst.language_match[i][k] else 0
    p = 2 * i  # stops.py encoding: pickup(i), and q = dropoff(i)
    q = p + 1
    seq_stops = route.stops
    for delta, a, b in candidates:
        stops = [*seq_stops[:a], p]
        if a == b:
            stops.append(q)
            stops += seq_stops[a:]
        else:
            stops += seq_stops[a:b]
            stops.append(q)
            stops += seq_stops[b:]
        times = timed_insert(inst, route, stops, p, a, b)
        if times is not None:
            if not seq_stops:  # the shift starts driving: its whole way from start to end
                delta += inst.dist[route.nodes[0]][route.nodes[-1]]
            return weight * delta - bonus, stops, times
    return None


def _positions(
    inst: Instance, route: RouteState, i: int, dims: list[int]
) -> list[tuple[int, int, int]]:
    """(distance delta, a, b) for every pair of positions that passes the cheap screen.

    The pickup goes after position a and the drop-off after position b (b == a: right after
    the pickup). One function of about 100 lines on purpose: it is the innermost loop of the
    search, and a call per position would cost more than the tests it makes.
    """
    k = route.k
    p = 2 * i  # stops.py encoding: pickup(i), and q = dropoff(i)
    q = p + 1
    node = inst.node
    np_, nq = node[p], node[q]
    time = inst.time
    dist = inst.dist
    tp = time[np_]
    tq = time[nq]
    dp_row = dist[np_]
    dq_row = dist[nq]
    ep, lp, sp = inst.early[p], inst.late[p], inst.service[p]
    eq, lq, sq = inst.early[q], inst.late[q], inst.service[q]
    limit = inst.ride_limit[p]
    nodes = route.nodes
    early = route.early
    late = route.late
    size = len(nodes)
    capacity = inst.capacity[k]
    amounts = inst.load[p]
    loads = route.loads
    candidates: list[tuple[int, int, int]] = []
    for dim in dims:
        if amounts[dim] > capacity[dim]:
            return candidates
    # service time at each position (depots have none)
    svc = route.service
    direct_pq = tp[nq]
    # positions whose successor must begin before the pickup window opens are useless
    first = max(0, bisect_left(late, ep, 1, size) - 1)
    for a in range(first, size - 1):
        ea = early[a]
        if ea > lp:
            break
        na = nodes[a]
        bp = ea + svc[a] + time[na][np_]
        if bp > lp:
            continue
        if bp < ep:
            bp = ep
        # capacity right after the pickup
        ok = True
        for dim in dims:
            if loads[dim][a] + amounts[dim] > capacity[dim]:
                ok = False
                break
        if not ok:
            continue
        dist_a = dist[na]
        nb = nodes[a + 1]
        base_p = dist_a[np_] - dist_a[nb]
        # latest possible begin of the pickup when followed by position a+1
        after = bp + sp + tp[nb]
        # drop-off right after the pickup
        bq = bp + sp + direct_pq
        if bq < eq:
            bq = eq
        if bq <= lq and bq - bp <= limit and bq + sq + tq[nb] <= late[a + 1]:
            candidates.append((base_p + dp_row[nq] + dq_row[nb], a, a))
        if after > late[a + 1]:
            continue
        lp_max = min(lp, late[a + 1] - sp - tp[nb])
        cost_p = base_p + dp_row[nb]
        # drop-off later: propagate the delay caused by the pickup
        t = after if after > early[a + 1] else early[a + 1]
        for b in range(a + 1, size - 1):
            if b > a + 1:
                t = t + svc[b - 1] + time[nodes[b - 1]][nodes[b]]
                if t < early[b]:
                    t = early[b]
                if t > late[b]:
                    break
            ok = True
            for dim in dims:
                if loads[dim][b] + amounts[dim] > capacity[dim]:
                    ok = False
                    break
            if not ok:
                break
            nbq = nodes[b]
            bq = t + svc[b] + time[nbq][nq]
            if bq > lq:
                if t > lq:
                    break
                continue
            if bq < eq:
                bq = eq
            if bq - lp_max > limit:
                continue
            nc = nodes[b + 1]
            if bq + sq + tq[nc] > late[b + 1]:
                continue
            candidates.append((cost_p + dist[nbq][nq] + dq_row[nc] - dist[nbq][nc], a, b))
    return candidates


def timed_insert(
    inst: Instance, route: RouteState, stops: list[int], p: int, a: int, b: int
) -> list[int] | None:
    """Earliest schedule of ``stops`` = route with pickup p after position a, its drop-off after b.

    Starts from the route's current earliest times, which bound the new least schedule from
    below, so the prefix before the insertion need not be recomputed. None if infeasible.
    One function of about 80 lines on purpose, like ``_positions``: it runs for every
    candidate position tried, and its parts as calls cost a measurable share of a search.
    """
    k = route.k
    old = route.early
    early = inst.early
    times = old[: a + 1]
    times.append(early[p])
    times += old[a + 1 : b + 1]
    times.append(early[p + 1])  # stops.py encoding: p + 1 is the drop-off of pickup p
    times += old[b + 1 :]
    seq = [inst.start_stop(k), *stops, inst.end_stop(k)]
    node = inst.node
    service = inst.service
    travel = inst.time
    late = inst.late
    ride_limit = inst.ride_limit
    pos: dict[int, int] = {}
    pairs: list[tuple[int, int, int]] = []
    for j, s in enumerate(stops, 1):  # schedule.ride_pairs, inline
        if s & 1:  # stops.py encoding: a drop-off, whose pickup is s - 1
            pairs.append((pos[s - 1], j, ride_limit[s]))
        else:
            pos[s] = j
    max_duration = inst.max_duration[k]
    size = len(seq)
    last = size - 1
    # First sweep: push delays forward from the pickup; an old stop that is not delayed
    # keeps its old time and so does everything up to the drop-off (or the end).
    p_pos = a + 1
    q_pos = b + 2
    prev = seq[a]
    t = times[a]
    j = p_pos
    while j < size:
        s = seq[j]
        t += service[prev] + travel[node[prev]][node[s]]
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
            return None
        times[j] = t
        prev = s
        j += 1
    # Then raise pickups (and the start) that ride limits (and the maximum duration) push
    # later, sweeping forward again from the lowest one, until nothing moves.
    begin = size
    for _ in range(size + 1):
        if begin < size:
            _sweep(inst, seq, times, begin)
            if times[0] < 0:
                return None
        lowest = size
        for pp, dp, limit in pairs:
            x = times[dp] - limit
            if x > times[pp]:
                if x > late[seq[pp]]:
                    return None
                times[pp] = x
                if pp < lowest:
                    lowest = pp
        x = times[last] - max_duration
        if x > times[0]:
            if x > late[seq[0]]:
                return None
            times[0] = x
            lowest = 0
        if lowest == size:
            return times
        begin = lowest + 1
    return None


def _sweep(inst: Instance, seq: list[int], times: list[int], begin: int) -> None:
    """Forward pass from position ``begin``; marks infeasibility with times[0] = -1."""
    node = inst.node
    service = inst.service
    travel = inst.time
    late = inst.late
    size = len(seq)
    prev = seq[begin - 1]
    prev_node = node[prev]
    t = times[begin - 1]
    for j in range(begin, size):
        s = seq[j]
        here = node[s]
        t += service[prev] + travel[prev_node][here]
        if t < times[j]:
            t = times[j]
        if t > late[s]:
            times[0] = -1
            return
        times[j] = t
        prev = s
        prev_node = here
