"""From the day's requests and shifts to the solver's plain problem (and back to ids).

The rules that turn a rider's wish into numbers live here: windows from "arrive by" or
"leave after" with flexibility, the maximum ride time (1.5 x direct + 10 minutes by default),
boarding times, the capacity each party takes, priorities by purpose.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import geo
import matching
from rides import clock
from rides.models import Place, Purpose, RideRequest, Shift, Stop, StopKind, TimeKind

#: Served first when not everybody can be: health appointments, then school and work.
PRIORITY = {
    Purpose.HEALTH: 3,
    Purpose.SCHOOL: 2,
    Purpose.TRAINING_WORK: 2,
    Purpose.ADMINISTRATION: 1,
    Purpose.SHOPPING: 1,
    Purpose.OTHER: 1,
}


@dataclass(frozen=True)
class PlanningRules:
    """Service parameters of a plan; defaults follow DESIGN.md's matching problem."""

    ride_factor: float = 1.5
    ride_extra_s: int = 600
    boarding_s: int = 120
    alighting_s: int = 60
    wheelchair_extra_s: int = 300
    child_seat_extra_s: int = 60
    #: An accepted route may move a confirmed pickup by at most this much (either way).
    confirmed_slack_s: int = 600
    language_bonus: int = 2_000


@dataclass(frozen=True)
class Lock:
    """Requests kept on a shift in this order (an accepted route, or a coordinator's pin)."""

    shift_id: int
    stops: tuple[tuple[int, matching.problem.StopKind], ...]
    closed: bool = True


@dataclass(frozen=True)
class _Point:
    """A place as geo's providers see it: a key for precomputed matrices, and coordinates."""

    key: Hashable
    latitude: float
    longitude: float


@dataclass(frozen=True)
class BuiltProblem:
    """The problem plus what is needed to read its solution back into database ids."""

    problem: matching.Problem
    places: list[Place]
    direct_s: dict[int, int] = field(default_factory=dict)
    #: Which travel times the problem was built on (kind, description, version), for the plan.
    travel_times: dict[str, str] = field(default_factory=dict)


def lock_of(shift_id: int, stops: Iterable[Stop]) -> Lock:
    """Stored stops as a closed lock of the solver: these riders, in this order, nothing else."""
    return Lock(
        shift_id,
        tuple((s.request_id, "pickup" if s.kind == StopKind.PICKUP else "dropoff") for s in stops),
    )


def place_key(place: Place) -> Hashable:
    """Key under which a matrix file knows a place: INE code for villages, else the id."""
    return place.ine_code or str(place.id)


def build_problem(
    day: dt.date,
    requests: Sequence[RideRequest],
    shifts: Sequence[Shift],
    *,
    locks: Sequence[Lock] = (),
    confirmed: dict[int, dt.datetime] | None = None,
    rules: PlanningRules | None = None,
    provider: geo.TravelTimeProvider | None = None,
) -> BuiltProblem:
    """The matching problem of a day; ``confirmed`` pins accepted pickups near their time."""
    rules = rules or PlanningRules()
    confirmed = confirmed or {}
    places = _places(requests, shifts)
    node = {place.id: i for i, place in enumerate(places)}
    points = [_Point(place_key(p), p.latitude, p.longitude) for p in places]
    chosen = provider or geo.default_provider()
    distance_m, time_s = geo.travel_matrix(points, provider=chosen)
    ids = {r.id for r in requests}
    direct_s: dict[int, int] = {}
    solver_requests = []
    for request in requests:
        direct = int(time_s[node[request.origin_id], node[request.destination_id]])
        direct_s[request.id] = direct
        solver_requests.append(
            _request(day, request, node, direct, rules, ids, confirmed.get(request.id))
        )
    solver_shifts = [_solver_shift(shift, node) for shift in shifts]
    problem = matching.Problem(
        requests=tuple(solver_requests),
        shifts=tuple(solver_shifts),
        durations=time_s,
        distances=distance_m,
        locked=tuple(
            matching.LockedRoute(lock.shift_id, lock.stops, lock.closed) for lock in locks
        ),
        weights=matching.Weights(language_bonus=rules.language_bonus),
    )
    return BuiltProblem(problem, places, direct_s, travel_times_source(chosen))


def travel_times_source(provider: geo.TravelTimeProvider) -> dict[str, str]:
    """Which travel times a provider gives, as a plan stores it in its figures.

    A plan's pickup times are only as good as its travel times: recording the source and its
    version lets a coordinator see whether a day was planned on the model, a matrix file or a
    routing engine, and tell two plans apart that were made with different times.
    """
    source = geo.describe_provider(provider)
    return {"kind": source.kind, "description": source.description, "version": source.version}


def stop_service_s(request: RideRequest, kind: StopKind, rules: PlanningRules) -> int:
    """Seconds the car stands at a stop: boarding (child seats and wheelchair take longer) or
    alighting. The solver plans with them, and observed drives are net of them."""
    wheelchair = rules.wheelchair_extra_s if request.wheelchair else 0
    if kind == StopKind.PICKUP:
        return rules.boarding_s + rules.child_seat_extra_s * request.child_seats + wheelchair
    return rules.alighting_s + wheelchair


def max_ride_s(direct_s: int, rules: PlanningRules) -> int:
    """Longest acceptable ride: a detour of ``ride_factor`` plus a few minutes."""
    return math.ceil(direct_s * rules.ride_factor) + rules.ride_extra_s


def _places(requests: Sequence[RideRequest], shifts: Sequence[Shift]) -> list[Place]:
    seen: dict[int, Place] = {}
    for request in requests:
        seen.setdefault(request.origin_id, request.origin)
        seen.setdefault(request.destination_id, request.destination)
    for shift in shifts:
        seen.setdefault(shift.start_place_id, shift.start_place)
        seen.setdefault(shift.end_place_id, shift.end_place)
    return [seen[key] for key in sorted(seen)]


def _seconds(day: dt.date, time: dt.time) -> int:
    return clock.seconds_since_midnight(clock.local_datetime(day, time), day)


def _request(
    day: dt.date,
    request: RideRequest,
    node: dict[int, int],
    direct: int,
    rules: PlanningRules,
    ids: set[int],
    confirmed_at: dt.datetime | None,
) -> matching.Request:
    """Windows are begin-of-service times: pickup for "leave after", drop-off for "arrive by"."""
    target = _seconds(day, request.time)
    flexibility = request.flexibility_min * 60
    longest = max_ride_s(direct, rules)
    boarding = stop_service_s(request, StopKind.PICKUP, rules)
    alighting = stop_service_s(request, StopKind.DROPOFF, rules)
    if request.time_kind == TimeKind.ARRIVE_BY:
        dropoff = (max(0, target - flexibility), target)
        pickup = (max(0, dropoff[0] - longest - boarding), max(0, target - direct - boarding))
    else:
        # Not capped at midnight: a late trip then simply finds no shift (and says so).
        pickup = (target, target + flexibility)
        dropoff = (pickup[0] + boarding + direct, pickup[1] + boarding + longest)
    if confirmed_at is not None:
        at = clock.seconds_since_midnight(confirmed_at, day)
        low, high = (
            max(pickup[0], at - rules.confirmed_slack_s),
            min(pickup[1], at + rules.confirmed_slack_s),
        )
        if low <= high:
            pickup = (low, high)
    linked = request.outward_id if request.outward_id in ids else None
    if linked is None and request.return_trip is not None and request.return_trip.id in ids:
        linked = request.return_trip.id
    return matching.Request(
        id=request.id,
        pickup=node[request.origin_id],
        dropoff=node[request.destination_id],
        pickup_window=pickup,
        dropoff_window=dropoff,
        max_ride_time=longest,
        load=(
            request.adults + request.children - int(request.wheelchair),
            request.child_seats,
            int(request.wheelchair),
        ),
        pickup_service=boarding,
        dropoff_service=alighting,
        priority=PRIORITY[request.purpose],
        linked=linked,
        languages=frozenset(request.rider.languages),
    )


def _solver_shift(shift: Shift, node: dict[int, int]) -> matching.Shift:
    start = _seconds(shift.date, shift.start_time)
    end = _seconds(shift.date, shift.end_time)
    return matching.Shift(
        id=shift.id,
        start=node[shift.start_place_id],
        end=node[shift.end_place_id],
        window=(start, end),
        capacity=(shift.vehicle.seats, shift.vehicle.child_seats, shift.vehicle.wheelchair_places),
        max_duration=shift.max_duration_min * 60 if shift.max_duration_min else None,
        languages=frozenset(shift.driver.languages),
    )
