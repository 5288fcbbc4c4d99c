"""A rider's own trips: "My rides", booking by typed place names, cancelling with its series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from rides import access, clock
from rides.booking import lifecycle, ride_requests
from rides.booking.ride_requests import RideSpec
from rides.models import Person, RideRequest
from rides.places.lookup import resolve_fields

#: How many past trips "My rides" shows.
PAST_SHOWN = 20


@dataclass(frozen=True)
class Trip:
    """One outward trip and, when booked, its way back (shown together)."""

    outward: RideRequest
    back: RideRequest | None = None

    @property
    def requests(self) -> list[RideRequest]:
        """The outward trip then the return."""
        return [self.outward] if self.back is None else [self.outward, self.back]

    @property
    def is_open(self) -> bool:
        """Whether any part of it still waits for a car or is confirmed."""
        return any(r.status in lifecycle.OPEN for r in self.requests)


@dataclass(frozen=True)
class MyRides:
    """Upcoming trips soonest first; past and cancelled ones latest first."""

    upcoming: list[Trip]
    past: list[Trip]


@dataclass(frozen=True)
class TripDraft:
    """A ride as typed on the booking page: place names instead of ids.

    ``ride`` carries every field but the places (its ids are ignored): those come from
    ``origin`` and ``destination``, as in ``phone_booking.PhoneBooking``.
    """

    origin: str
    destination: str
    ride: RideSpec


def my_rides(session: Session, rider: Person, *, today: dt.date | None = None) -> MyRides:
    """The rider's trips, each return attached to its outward trip."""
    today = today or clock.today()
    requests = ride_requests.find_requests(session, rider_id=rider.id)
    # Returns are paired from the rows at hand: ``r.return_trip`` would load each one again.
    ids = {r.id for r in requests}
    back_of = {r.outward_id: r for r in requests if r.outward_id is not None}
    upcoming: list[Trip] = []
    past: list[Trip] = []
    for r in requests:
        if r.outward_id is None or r.outward_id not in ids:
            trip = Trip(r, back_of.get(r.id))
            (upcoming if r.date >= today and trip.is_open else past).append(trip)
    upcoming.sort(key=lambda t: (t.outward.date, t.outward.time, t.outward.id))
    past.sort(key=lambda t: (t.outward.date, t.outward.time, t.outward.id), reverse=True)
    return MyRides(upcoming, past[:PAST_SHOWN])


def book_trip(
    session: Session, rider: Person, draft: TripDraft, *, actor: Person | None = None
) -> list[RideRequest]:
    """Book a ride whose places are typed names (see ``place_lookup.resolve_fields``).

    Raises PlaceNotResolved (fields ``origin``/``destination``) or booking's own errors.
    """
    places = resolve_fields(session, {"origin": draft.origin, "destination": draft.destination})
    origin, destination = places["origin"], places["destination"]
    assert origin is not None and destination is not None
    spec = replace(draft.ride, origin_id=origin.id, destination_id=destination.id)
    return ride_requests.book_ride(session, rider, spec, actor=actor or rider)


def get_request(session: Session, actor: Person, request_id: int) -> RideRequest:
    """A request the actor may see (their own; coordinators any), else NotFound."""
    return access.check_request(actor, ride_requests.get_request(session, request_id))


def get_trip(session: Session, actor: Person, request_id: int) -> Trip:
    """A trip the actor may see, with its way back."""
    request = get_request(session, actor, request_id)
    return Trip(request, request.return_trip)


def cancel_trip(
    session: Session, actor: Person, request_id: int, *, whole_series: bool = False
) -> list[RideRequest]:
    """Cancel one of the actor's trips (with its return), or every later week of its series."""
    request = get_request(session, actor, request_id)
    return ride_requests.cancel_ride(session, request, actor=actor, whole_series=whole_series)
