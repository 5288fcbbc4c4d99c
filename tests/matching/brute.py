"""Brute-force reference for tiny problems: every assignment and every stop order.

Independent of the solver: its own Bellman-Ford feasibility test on the route's temporal network.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from matching import Problem, Request, Shift

Stop = tuple[int, str]


def route_feasible(problem: Problem, shift: Shift, stops: list[Stop]) -> bool:
    """Whether some schedule serves these stops in this order within every limit."""
    requests = {r.id: r for r in problem.requests}
    load = [0] * len(shift.capacity)
    for rid, kind in stops:
        sign = 1 if kind == "pickup" else -1
        for dim, amount in enumerate(requests[rid].load):
            load[dim] += sign * amount
            if load[dim] > shift.capacity[dim]:
                return False
    nodes = [shift.start]
    windows = [shift.window]
    services = [0]
    for rid, kind in stops:
        r = requests[rid]
        pickup = kind == "pickup"
        nodes.append(r.pickup if pickup else r.dropoff)
        windows.append(r.pickup_window if pickup else r.dropoff_window)
        services.append(r.pickup_service if pickup else r.dropoff_service)
    nodes.append(shift.end)
    windows.append(shift.window)
    services.append(0)
    size = len(nodes)
    ref = size
    edges: list[tuple[int, int, int]] = []  # x_v - x_u <= w
    for x in range(size - 1):
        gap = services[x] + int(problem.durations[nodes[x], nodes[x + 1]])
        edges.append((x + 1, x, -gap))
    for x, (low, high) in enumerate(windows):
        edges.append((ref, x, high))
        edges.append((x, ref, -low))
    where = {}
    for x, (rid, kind) in enumerate(stops, 1):
        if kind == "pickup":
            where[rid] = x
        else:
            r = requests[rid]
            edges.append((where[rid], x, r.pickup_service + r.max_ride_time))
    if shift.max_duration is not None:
        edges.append((0, size - 1, shift.max_duration))
    dist = [0] * (size + 1)
    for _ in range(size + 2):
        changed = False
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            return True
    return False


def orders(requests: list[Request]) -> Iterator[list[Stop]]:
    """Every stop sequence of these requests with each pickup before its drop-off."""
    stops: list[Stop] = [(r.id, kind) for r in requests for kind in ("pickup", "dropoff")]
    for perm in itertools.permutations(stops):
        seen: set[int] = set()
        ok = True
        for rid, kind in perm:
            if kind == "pickup":
                seen.add(rid)
            elif rid not in seen:
                ok = False
                break
        if ok:
            yield list(perm)


def route_cost(problem: Problem, shift: Shift, stops: list[Stop]) -> int:
    """Distance cost minus language bonus of one route."""
    requests = {r.id: r for r in problem.requests}
    place = shift.start
    total = 0
    for rid, kind in stops:
        r = requests[rid]
        here = r.pickup if kind == "pickup" else r.dropoff
        total += int(problem.distances[place, here])
        place = here
    total += int(problem.distances[place, shift.end])
    weights = problem.weights
    bonus = sum(
        weights.language_bonus
        for rid, kind in stops
        if kind == "pickup" and requests[rid].languages & shift.languages
    )
    return weights.distance * total - bonus


def best_route(problem: Problem, shift: Shift, requests: list[Request]) -> int | None:
    """Cheapest feasible route of the shift through exactly these requests, or None."""
    if not requests:
        return 0
    best: int | None = None
    for stops in orders(requests):
        if route_feasible(problem, shift, stops):
            cost = route_cost(problem, shift, stops)
            if best is None or cost < best:
                best = cost
    return best


def optimum(problem: Problem) -> tuple[int, int]:
    """Lexicographic optimum (unserved priority, cost) over all assignments (no locks)."""
    requests = list(problem.requests)
    shifts = list(problem.shifts)
    by_id = {r.id: r for r in requests}
    cache: dict[tuple[int, frozenset[int]], int | None] = {}
    best: tuple[int, int] | None = None
    for choice in itertools.product(range(-1, len(shifts)), repeat=len(requests)):
        served = {r.id for r, c in zip(requests, choice, strict=True) if c >= 0}
        if any(r.linked is not None and (r.id in served) != (r.linked in served) for r in requests):
            continue
        total = 0
        feasible = True
        for k, shift in enumerate(shifts):
            group = frozenset(r.id for r, c in zip(requests, choice, strict=True) if c == k)
            key = (k, group)
            if key not in cache:
                cache[key] = best_route(problem, shift, [by_id[i] for i in sorted(group)])
            cost = cache[key]
            if cost is None:
                feasible = False
                break
            total += cost
        if not feasible:
            continue
        missed = sum(r.priority for r in requests if r.id not in served)
        value = (missed, total)
        if best is None or value < best:
            best = value
    assert best is not None
    return best


def feasible_alone(problem: Problem, request: Request) -> bool:
    """Whether some shift can serve this request with nothing else on board."""
    stops: list[Stop] = [(request.id, "pickup"), (request.id, "dropoff")]
    return any(route_feasible(problem, v, stops) for v in problem.shifts)
