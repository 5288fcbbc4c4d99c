"""Independent checker of a Solution against its Problem: every constraint, from scratch.

It reads only the problem and the solution's reported routes and times (never the solver's
state), so the planning service can refuse to publish anything it flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from matching.problem import Problem, Request, Shift
from matching.solution import Route, Solution, Stop


class Check(StrEnum):
    """Kinds of violation."""

    UNKNOWN_SHIFT = "unknown_shift"
    DUPLICATE_SHIFT = "duplicate_shift"
    UNKNOWN_REQUEST = "unknown_request"
    DUPLICATE_STOP = "duplicate_stop"
    INCOMPLETE_REQUEST = "incomplete_request"
    MISSING_REQUEST = "missing_request"
    SERVED_AND_UNASSIGNED = "served_and_unassigned"
    WRONG_NODE = "wrong_node"
    PRECEDENCE = "precedence"
    TIMING = "timing"
    TIME_WINDOW = "time_window"
    RIDE_TIME = "ride_time"
    CAPACITY = "capacity"
    SHIFT = "shift"
    MAX_DURATION = "max_duration"
    DISTANCE = "distance"
    OBJECTIVE = "objective"
    LINKED = "linked"
    LOCKED = "locked"
    REASON = "reason"


@dataclass(frozen=True)
class Violation:
    """One broken rule: what, where (request and/or shift id) and a readable message."""

    check: Check
    message: str
    request: int | None = None
    shift: int | None = None


def validate(problem: Problem, solution: Solution) -> list[Violation]:
    """Check every constraint of ``problem`` on ``solution``.

    Args:
        problem: the problem that was solved.
        solution: routes with reported times, unserved requests with reasons, totals.

    Returns:
        Every violation found; an empty list means the solution may be published.
    """
    out: list[Violation] = []
    requests = {r.id: r for r in problem.requests}
    shifts = {v.id: v for v in problem.shifts}
    served_on: dict[int, int] = {}
    total = 0
    matches = 0
    seen_shifts: set[int] = set()
    for route in solution.routes:
        shift = shifts.get(route.shift)
        if shift is None:
            out.append(
                Violation(Check.UNKNOWN_SHIFT, "route of an unknown shift", shift=route.shift)
            )
            continue
        if route.shift in seen_shifts:
            out.append(Violation(Check.DUPLICATE_SHIFT, "shift has two routes", shift=route.shift))
        seen_shifts.add(route.shift)
        distance, on_route = _check_route(problem, shift, route, requests, out)
        total += distance
        for rid in on_route:
            if rid in served_on:
                out.append(
                    Violation(Check.DUPLICATE_STOP, "request served by two shifts", request=rid)
                )
            served_on[rid] = route.shift
            if requests[rid].languages & shift.languages:
                matches += 1
    _check_coverage(problem, solution, served_on, out)
    _check_links_and_locks(problem, solution, served_on, out)
    if total != solution.distance:
        out.append(
            Violation(Check.DISTANCE, f"solution distance {solution.distance} != routes' {total}")
        )
    weights = problem.weights
    missed = sum(r.priority for r in problem.requests if r.id not in served_on)
    objective = weights.unserved * missed + weights.distance * total
    objective -= weights.language_bonus * matches
    if objective != solution.objective:
        out.append(
            Violation(Check.OBJECTIVE, f"objective {solution.objective} != recomputed {objective}")
        )
    return out


@dataclass
class _Walk:
    """A shift driving its reported route: where and when it leaves, its load, who rides,
    and the violations found on the way."""

    shift: int
    out: list[Violation]
    place: int
    clock: int
    load: list[int]
    distance: int = 0
    picked: dict[int, int] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)

    def flag(self, check: Check, message: str, request: int | None = None) -> None:
        """Record a violation on this route (about this request, if given)."""
        self.out.append(Violation(check, message, request=request, shift=self.shift))


def _check_route(
    problem: Problem,
    shift: Shift,
    route: Route,
    requests: dict[int, Request],
    out: list[Violation],
) -> tuple[int, set[int]]:
    """Check one route; return its recomputed distance and its complete requests."""
    walk = _Walk(shift.id, out, shift.start, route.start_time, [0] * len(shift.capacity))
    if route.start_time < shift.window[0]:
        walk.flag(Check.SHIFT, "leaves before the shift starts")
    for stop in route.stops:
        request = requests.get(stop.request)
        if request is None:
            walk.flag(Check.UNKNOWN_REQUEST, "stop of an unknown request", stop.request)
            continue
        _check_visit(problem, request, stop, walk)
        sign = _check_pairing(request, stop, walk)
        _check_load(shift, request, sign, walk)
        walk.place = stop.node
        walk.clock = stop.departure
    _check_return(problem, shift, route, walk)
    return walk.distance, walk.done


def _check_visit(problem: Problem, request: Request, stop: Stop, walk: _Walk) -> None:
    """Place, arrival after the drive, service after arrival, window; the drive is counted."""
    rid = request.id
    kind = stop.kind
    pickup = kind == "pickup"
    expected_node = request.pickup if pickup else request.dropoff
    if stop.node != expected_node:
        walk.flag(Check.WRONG_NODE, f"{kind} at node {stop.node}, expected {expected_node}", rid)
    travel = int(problem.durations[walk.place, stop.node])
    walk.distance += int(problem.distances[walk.place, stop.node])
    if stop.arrival != walk.clock + travel:
        message = f"{kind} arrival {stop.arrival} != departure {walk.clock} + travel {travel}"
        walk.flag(Check.TIMING, message, rid)
    service = request.pickup_service if pickup else request.dropoff_service
    if stop.start < stop.arrival or stop.departure != stop.start + service:
        walk.flag(Check.TIMING, f"{kind} service does not follow arrival", rid)
    window = request.pickup_window if pickup else request.dropoff_window
    if not window[0] <= stop.start <= window[1]:
        walk.flag(Check.TIME_WINDOW, f"{kind} at {stop.start} outside {window}", rid)


def _check_pairing(request: Request, stop: Stop, walk: _Walk) -> int:
    """Each rider picked up once, then dropped off within the ride limit; returns the sign of
    the stop's load change (1 board, -1 alight, 0 for a drop-off without pickup)."""
    rid = request.id
    if stop.kind == "pickup":
        if rid in walk.picked or rid in walk.done:
            walk.flag(Check.DUPLICATE_STOP, "picked up twice", rid)
        walk.picked[rid] = stop.departure
        return 1
    if rid not in walk.picked:
        walk.flag(Check.PRECEDENCE, "dropped off before or without pickup", rid)
        return 0
    ride = stop.start - walk.picked.pop(rid)
    if ride > request.max_ride_time:
        walk.flag(Check.RIDE_TIME, f"ride {ride} s > {request.max_ride_time} s", rid)
    walk.done.add(rid)
    return -1


def _check_load(shift: Shift, request: Request, sign: int, walk: _Walk) -> None:
    """The load after the stop fits every capacity dimension."""
    load = walk.load
    for dim in range(min(len(shift.capacity), len(request.load))):
        load[dim] += sign * request.load[dim]
        if load[dim] > shift.capacity[dim]:
            message = f"load {load[dim]} > capacity {shift.capacity[dim]} in dimension {dim}"
            walk.flag(Check.CAPACITY, message, request.id)


def _check_return(problem: Problem, shift: Shift, route: Route, walk: _Walk) -> None:
    """Everyone dropped off, the drive home, the shift's end and length, the distance."""
    for rid in walk.picked:
        walk.flag(Check.INCOMPLETE_REQUEST, "picked up but never dropped off", rid)
    travel = int(problem.durations[walk.place, shift.end])
    walk.distance += int(problem.distances[walk.place, shift.end])
    if route.end_time != walk.clock + travel:
        message = f"end {route.end_time} != departure {walk.clock} + travel {travel}"
        walk.flag(Check.TIMING, message)
    if route.end_time > shift.window[1]:
        walk.flag(Check.SHIFT, "returns after the shift ends")
    duration = route.end_time - route.start_time
    if shift.max_duration is not None and duration > shift.max_duration:
        walk.flag(Check.MAX_DURATION, "route longer than the maximum duration")
    if route.distance != walk.distance:
        walk.flag(Check.DISTANCE, f"route distance {route.distance} != {walk.distance}")


def _check_coverage(
    problem: Problem, solution: Solution, served_on: dict[int, int], out: list[Violation]
) -> None:
    """Every request is served or unassigned, not both; reasons that claim impossibility hold."""
    unassigned = {}
    for item in solution.unassigned:
        if item.request in unassigned:
            out.append(
                Violation(Check.DUPLICATE_STOP, "listed twice as unassigned", request=item.request)
            )
        unassigned[item.request] = item
    for request in problem.requests:
        rid = request.id
        if rid in served_on and rid in unassigned:
            out.append(Violation(Check.SERVED_AND_UNASSIGNED, "served and unassigned", request=rid))
        elif rid not in served_on and rid not in unassigned:
            out.append(
                Violation(Check.MISSING_REQUEST, "neither served nor unassigned", request=rid)
            )
        claim = unassigned.get(rid)
        if (
            claim is not None
            and claim.reason.infeasible_alone
            and any(_alone_feasible(problem, request, v) for v in problem.shifts)
        ):
            out.append(
                Violation(
                    Check.REASON,
                    f"reason {claim.reason.value} claims the "
                    "request cannot be served alone, but it can",
                    request=rid,
                )
            )
    known = {r.id for r in problem.requests}
    for rid in unassigned:
        if rid not in known:
            out.append(Violation(Check.UNKNOWN_REQUEST, "unassigned id is unknown", request=rid))


def _check_links_and_locks(
    problem: Problem, solution: Solution, served_on: dict[int, int], out: list[Violation]
) -> None:
    """Linked trips both or neither; locked requests on their shift in their order."""
    for request in problem.requests:
        if request.linked is not None and (request.id in served_on) != (
            request.linked in served_on
        ):
            out.append(
                Violation(
                    Check.LINKED,
                    f"served without its linked trip {request.linked}",
                    request=request.id,
                )
            )
    reasons = {u.request: u.reason.value for u in solution.unassigned}
    excused = {"locked_route_infeasible", "linked_trip_unserved"}
    for lock in problem.locked:
        route = solution.route_of(lock.shift)
        actual = [] if route is None else [(s.request, s.kind) for s in route.stops]
        kept = [stop for stop in lock.stops if reasons.get(stop[0]) not in excused]
        for rid in {r for r, _ in lock.stops} - {r for r, _ in kept}:
            if rid in served_on:
                out.append(
                    Violation(
                        Check.LOCKED,
                        "excused locked request is served",
                        request=rid,
                        shift=lock.shift,
                    )
                )
        locked_ids = {r for r, _ in lock.stops}
        order = [stop for stop in actual if stop[0] in locked_ids]
        if order != kept:
            out.append(
                Violation(
                    Check.LOCKED,
                    "locked requests not on their shift in their order",
                    shift=lock.shift,
                )
            )
        if lock.closed and len(actual) != len(order):
            out.append(
                Violation(
                    Check.LOCKED,
                    "other requests inserted into a closed route",
                    shift=lock.shift,
                )
            )


def _alone_feasible(problem: Problem, request: Request, shift: Shift) -> bool:
    """Whether the shift could serve this request alone (Bellman-Ford on four times)."""
    if any(a > c for a, c in zip(request.load, shift.capacity, strict=False)):
        return False
    t = problem.durations
    # times: 0 = leave start, 1 = pickup, 2 = drop-off, 3 = reach end; 4 = zero reference
    edges: list[tuple[int, int, int]] = []  # (u, v, w): x_v - x_u <= w

    def at_least(u: int, v: int, gap: int) -> None:
        edges.append((v, u, -gap))  # x_v - x_u >= gap

    at_least(0, 1, int(t[shift.start, request.pickup]))
    at_least(1, 2, request.pickup_service + int(t[request.pickup, request.dropoff]))
    at_least(2, 3, request.dropoff_service + int(t[request.dropoff, shift.end]))
    edges.append((1, 2, request.pickup_service + request.max_ride_time))
    if shift.max_duration is not None:
        edges.append((0, 3, shift.max_duration))
    for x, (low, high) in (
        (0, shift.window),
        (1, request.pickup_window),
        (2, request.dropoff_window),
        (3, shift.window),
    ):
        edges.append((4, x, high))
        edges.append((x, 4, -low))
    dist = [0] * 5
    for _ in range(5):
        changed = False
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            return True
    return False
