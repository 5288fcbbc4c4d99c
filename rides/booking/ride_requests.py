"""Booking and cancelling rides: the rules a request must satisfy before any car is sought."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from rides import access, audit, clock, status_texts
from rides.booking import allowance, lifecycle, trip_rows
from rides.driving.availability import MAX_SEATS, largest_vehicle_seats
from rides.driving.routes import drop_request
from rides.errors import Conflict, NotFound, PermissionDenied
from rides.models import (
    Person,
    Place,
    Purpose,
    RequestStatus,
    RideRequest,
    Role,
    Stop,
    StopStatus,
    TimeKind,
)
from rides.places.lookup import resolve_fields
from rides.validation import Checks, check_wall_clock, clean_note, clean_text

#: How far ahead a ride may be booked.
HORIZON_DAYS = 366
MAX_FLEXIBILITY_MIN = 240
#: Which ways of a trip a cancellation takes: both, only the way there, only the way back.
Legs = Literal["both", "going", "back"]
#: A weekly series is capped at a quarter so one booking (or one typo) cannot create hundreds
#: of trips: with its returns, one booking makes at most MAX_TRIPS_PER_BOOKING trips.
MAX_SERIES_OCCURRENCES = 13
MAX_TRIPS_PER_BOOKING = 2 * MAX_SERIES_OCCURRENCES
#: The rider's note for the driver ("I have a pram"): one short line.
MAX_DRIVER_NOTE = 200


@dataclass(frozen=True)
class RideSpec:
    """A ride as a newcomer asks for it: "be at the Sigüenza health centre by 10:30"."""

    origin_id: int
    destination_id: int
    date: dt.date
    time: dt.time
    time_kind: TimeKind = TimeKind.ARRIVE_BY
    flexibility_min: int = 30
    adults: int = 1
    children: int = 0
    child_seats: int = 0
    wheelchair: bool = False
    purpose: Purpose = Purpose.OTHER
    return_time: dt.time | None = None
    return_time_kind: TimeKind = TimeKind.LEAVE_AFTER
    weekly_until: dt.date | None = None
    #: For the driver, on every trip of the booking (way back and later weeks too).
    driver_note: str | None = None


@dataclass(frozen=True)
class TripDraft:
    """A ride as typed on a page: place names instead of ids.

    ``ride`` carries every field but the places (its ids are ignored): those come from
    ``origin`` and ``destination``, found the way every page finds a typed place.
    """

    origin: str
    destination: str
    ride: RideSpec


def book_ride(
    session: Session,
    actor: Person,
    spec: RideSpec | TripDraft,
    *,
    rider: Person | None = None,
) -> list[RideRequest]:
    """Create the requests a booking implies (outward, return, every week); all or nothing.

    The rider is the actor, or ``rider`` when a coordinator books on their behalf. Places come
    as ids (API) or typed names (pages: PlaceNotResolved names the field). Returns the created
    requests in date order, each outward trip followed by its return.
    """
    rider = access.acting_for(actor, rider)
    spec = _with_place_ids(session, spec)
    if rider.role != Role.NEWCOMER:
        raise PermissionDenied(
            "Rides are booked for newcomers.",
            code="not_a_newcomer",
            fields={"rider_id": "not a newcomer"},
        )
    places, note = _check(session, spec)
    spec = replace(spec, driver_note=note)
    days = _occurrences(spec)
    trips = len(days) * (2 if spec.return_time is not None else 1)
    allowance.check_allowance(session, actor, rider, trips)
    booker = actor if actor.id != rider.id else None
    created = trip_rows.insert_trips(session, rider, spec, booker, places, days)
    if booker is not None:
        # Booked on the rider's behalf: the booker's action goes into the audit log. A rider's
        # own booking is recorded by its row (rider, creation time) and nothing more.
        for request in created:
            audit.record(
                session,
                booker,
                "book",
                "ride_request",
                request.id,
                rider=rider.id,
                date=request.date,
            )
    return created


def cancel_ride(
    session: Session,
    actor: Person,
    request_id: int,
    *,
    reason: str | None = None,
    whole_series: bool = False,
    legs: Legs = "both",
) -> list[RideRequest]:
    """Cancel a trip the actor may see: by default both ways (nobody needs a ride back from
    where they did not go); ``legs`` "going" keeps the way back (someone else takes them
    there), "back" cancels only the way back (they come home another way).

    With ``whole_series`` the same legs of every later week of the series are cancelled too.
    Returns the requests that changed.
    """
    reason = clean_note("reason", reason)
    request = get_request(session, actor, request_id)
    if legs == "back":
        back = request.return_trip
        if back is None:
            checks = Checks()
            checks.fail("legs", "no_way_back", "This trip has no way back.")
            checks.raise_if_any()
        assert back is not None  # refused just above
        request = back
    chosen = later_weeks(request) if whole_series else [request]
    targets = list(chosen)
    if legs == "both":
        targets += [r.return_trip for r in chosen if r.return_trip is not None]
    if has_started(session, request):
        raise Conflict(
            "This trip has started: the driver takes the rider to the end of it.",
            code="started", fields={"id": "started"},
        )  # fmt: skip
    changed: list[RideRequest] = []
    for target in dict.fromkeys(targets):
        if target.status in lifecycle.FINAL:
            if target is request:
                lifecycle.move(target, RequestStatus.CANCELLED)  # raises with a clear message
            continue
        if target is not request and has_started(session, target):
            continue
        cancel_trip(session, actor, target, reason)
        changed.append(target)
    session.flush()
    return changed


def later_weeks(request: RideRequest) -> list[RideRequest]:
    """The trip and the same way (there, or back) of every later week of its series; the trip
    alone outside a series. What "this trip and every later week" means to a rider."""
    if request.series is None:
        return [request]
    return [r for r in request.series.requests
            if r.date >= request.date and _same_leg(r, request)]  # fmt: skip


def _same_leg(one: RideRequest, other: RideRequest) -> bool:
    """Both outward trips, or both ways back."""
    return (one.outward_id is None) == (other.outward_id is None)


def has_started(session: Session, request: RideRequest) -> bool:
    """A stop of this trip was marked (picked up, or a no-show): it is history, and the route
    must still drop off whoever it picked up, so the trip can no longer be cancelled."""
    marked = select(Stop.id).where(Stop.request_id == request.id, Stop.status != StopStatus.PLANNED)
    return session.scalar(marked.limit(1)) is not None


def cancel_trip(
    session: Session,
    actor: Person | None,
    request: RideRequest,
    reason: str | None,
    *,
    named: bool = True,
) -> None:
    """Cancel one open trip and take it out of the published plan and of drafts (a trip not
    yet confirmed may already sit on a draft's route); a driver who accepted it hears of it
    (without the rider's name when ``named`` is false: an erased person)."""
    lifecycle.move(request, RequestStatus.CANCELLED, note=reason)
    drop_request(session, request, actor, named=named)
    audit.record(session, actor, "cancel", "ride_request", request.id, reason=reason)


def get_request(session: Session, actor: Person, request_id: int) -> RideRequest:
    """A request the actor may see (their own; coordinators any), else NotFound."""
    return access.check_request(actor, load_request(session, request_id))


def load_request(session: Session, request_id: int) -> RideRequest:
    """The request with this id whoever asks, or NotFound: only for callers whose authority
    is not a person (a signed reminder link); everyone else goes through ``get_request``."""
    request = session.get(RideRequest, request_id)
    if request is None:
        message = status_texts.not_found("ride request")
        raise NotFound(message, id=request_id, fields={"id": "unknown"})
    return request


def _with_place_ids(session: Session, spec: RideSpec | TripDraft) -> RideSpec:
    """A typed draft's places found by name; a spec with ids as it is."""
    if isinstance(spec, RideSpec):
        return spec
    places = resolve_fields(session, {"origin": spec.origin, "destination": spec.destination})
    origin, destination = places["origin"], places["destination"]
    assert origin is not None and destination is not None
    return replace(spec.ride, origin_id=origin.id, destination_id=destination.id)


def find_requests(
    session: Session,
    *,
    date: dt.date | None = None,
    status: Sequence[RequestStatus] | None = None,
    rider_id: int | None = None,
    place_id: int | None = None,
) -> list[RideRequest]:
    """Requests by any combination of day, statuses, rider and place; newest day first."""
    query = _filtered(date, status, rider_id, place_id)
    order = (RideRequest.date.desc(), RideRequest.time, RideRequest.id)
    return list(session.scalars(query.order_by(*order).limit(1000)))


def list_day_requests(
    session: Session,
    day: dt.date,
    *,
    statuses: Sequence[RequestStatus] | None = None,
    rider_id: int | None = None,
    place_id: int | None = None,
) -> list[RideRequest]:
    """A day's requests in time order, optionally filtered by status, rider or place."""
    query = _filtered(day, statuses, rider_id, place_id)
    return list(session.scalars(query.order_by(RideRequest.time, RideRequest.id)))


def _filtered(
    day: dt.date | None,
    statuses: Sequence[RequestStatus] | None,
    rider_id: int | None,
    place_id: int | None,
) -> Select[RideRequest]:
    """The request query with whichever filters are given."""
    query = select(RideRequest)
    if day is not None:
        query = query.where(RideRequest.date == day)
    if statuses:
        query = query.where(RideRequest.status.in_(list(statuses)))
    if rider_id is not None:
        query = query.where(RideRequest.rider_id == rider_id)
    if place_id is not None:
        query = query.where(
            (RideRequest.origin_id == place_id) | (RideRequest.destination_id == place_id)
        )
    return query


def _occurrences(spec: RideSpec) -> list[dt.date]:
    if spec.weekly_until is None:
        return [spec.date]
    days = (spec.weekly_until - spec.date).days // 7 + 1
    return [spec.date + dt.timedelta(weeks=k) for k in range(days)]


def _check(session: Session, spec: RideSpec) -> tuple[tuple[Place, Place], str | None]:
    """Every rule a booking must satisfy, all reported at once; the origin and destination,
    and the note for the driver as stored (trimmed; None when empty)."""
    checks = Checks()
    places = _check_places(session, checks, spec)
    _check_when(checks, spec)
    _check_party(session, checks, spec)
    note = clean_driver_note(checks, spec.driver_note)
    checks.raise_if_any()
    assert places is not None
    return places, note


def clean_driver_note(checks: Checks, text: str | None) -> str | None:
    """The note for the driver as stored: one line of at most MAX_DRIVER_NOTE characters,
    trimmed, no control characters (refused under ``driver_note``); None when empty."""
    return clean_text(checks, "driver_note", text, max_length=MAX_DRIVER_NOTE)


#: Both places of a booking in one query, built once (every booking asks).
_PLACES = select(Place).where(Place.id.in_(bindparam("ids", expanding=True)))


def _check_places(session: Session, checks: Checks, spec: RideSpec) -> tuple[Place, Place] | None:
    """Both places, each known and active."""
    wanted = [spec.origin_id, spec.destination_id]
    found = {p.id: p for p in session.scalars(_PLACES, {"ids": wanted})}
    for name, place_id in (("origin_id", spec.origin_id), ("destination_id", spec.destination_id)):
        place = found.get(place_id)
        if place is None or not place.active:
            checks.fail(name, "unknown_place", "No place with id {id}.", id=place_id)
    if spec.origin_id == spec.destination_id:
        checks.fail("destination_id", "same_place", "The destination is the same as the origin.")
    if spec.origin_id in found and spec.destination_id in found:
        return found[spec.origin_id], found[spec.destination_id]
    return None


def _check_when(checks: Checks, spec: RideSpec) -> None:
    weeks = 1
    if spec.weekly_until is not None:
        weeks = min(max((spec.weekly_until - spec.date).days // 7 + 1, 1), MAX_SERIES_OCCURRENCES)
    days = [spec.date + dt.timedelta(weeks=k) for k in range(weeks)]
    wall_clock = check_wall_clock(checks, "time", spec.time, days)
    wall_clock &= check_wall_clock(checks, "return_time", spec.return_time, days)
    today = clock.today()
    if spec.date < today:
        checks.fail("date", "date_in_past", "The date {date} is in the past.", date=spec.date)
    elif (spec.date - today).days > HORIZON_DAYS:
        checks.fail("date", "too_far_ahead", "At most {days} days ahead.", days=HORIZON_DAYS)
    elif wall_clock and clock.local_datetime(spec.date, spec.time) <= clock.now():
        checks.fail("time", "time_in_past", "The time {time} has already passed.", time=spec.time)
    if not 0 <= spec.flexibility_min <= MAX_FLEXIBILITY_MIN:
        checks.fail(
            "flexibility_min",
            "out_of_range",
            "Between 0 and {max} minutes.",
            max=MAX_FLEXIBILITY_MIN,
        )
    if wall_clock and spec.return_time is not None and spec.return_time <= spec.time:
        checks.fail(
            "return_time", "window_inverted", "The return must be later than the outward trip."
        )
    if spec.weekly_until is not None:
        if spec.weekly_until < spec.date:
            checks.fail(
                "weekly_until", "window_inverted", "The series must end after its first day."
            )
        elif (spec.weekly_until - spec.date).days // 7 + 1 > MAX_SERIES_OCCURRENCES:
            checks.fail(
                "weekly_until",
                "too_many_trips",
                "At most {weeks} weeks in one booking ({trips} trips with the returns); "
                "book the later weeks nearer the time.",
                weeks=MAX_SERIES_OCCURRENCES,
                trips=MAX_TRIPS_PER_BOOKING,
            )


def _check_party(session: Session, checks: Checks, spec: RideSpec) -> None:
    if spec.adults < 0:
        checks.fail("adults", "out_of_range", "Cannot be negative.")
    elif spec.adults == 0:
        checks.fail("adults", "child_without_adult", "At least one adult travels.")
    if spec.children < 0:
        checks.fail("children", "out_of_range", "Cannot be negative.")
    if not 0 <= spec.child_seats <= max(spec.children, 0):
        checks.fail("child_seats", "too_many_child_seats", "At most one child seat per child.")
    if checks.has("adults") or checks.has("children"):
        return
    seats = spec.adults + spec.children
    if seats <= 1:
        return  # the largest car, or MAX_SEATS when there is none, always has one seat
    largest = largest_vehicle_seats(session) or MAX_SEATS
    if seats > largest:
        checks.fail(
            "adults",
            "too_many_passengers",
            "{seats} passengers do not fit in any car (at most {largest}).",
            seats=seats,
            largest=largest,
        )
