"""A rider's own trips: "My rides", each outward trip shown with its way back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from rides import clock
from rides.booking import lifecycle, on_the_day, ride_requests
from rides.booking.on_the_day import LegToday
from rides.models import Person, RideRequest

#: How many past trips "My rides" shows.
PAST_SHOWN = 20


@dataclass(frozen=True)
class Trip:
    """One outward trip and, when booked, its way back (shown together)."""

    outward: RideRequest
    back: RideRequest | None = None
    #: On the trip's day only: each leg's driver and what the rider can still say, by id.
    today: dict[int, LegToday] = field(default_factory=dict)

    @property
    def requests(self) -> list[RideRequest]:
        """The outward trip then the return."""
        return [self.outward] if self.back is None else [self.outward, self.back]

    @property
    def legs_choosable(self) -> bool:
        """Both ways are still open, so either one can be cancelled alone."""
        return self.back is not None and all(r.status in lifecycle.OPEN for r in self.requests)

    @property
    def only_back_open(self) -> bool:
        """The way there is over (driven, missed, cancelled); only the way back can go."""
        return (
            self.back is not None
            and self.outward.status not in lifecycle.OPEN
            and self.back.status in lifecycle.OPEN
        )

    @property
    def driver_note(self) -> str | None:
        """The note for the driver as it stands: the way back's once only the way back is
        open (a note changed then reaches that way alone; the way there keeps the old)."""
        return (
            self.back.driver_note if self.only_back_open and self.back else self.outward.driver_note
        )

    @property
    def is_open(self) -> bool:
        """Whether any part of it still waits for a car or is confirmed."""
        return any(r.status in lifecycle.OPEN for r in self.requests)


@dataclass(frozen=True)
class MyRides:
    """Upcoming trips soonest first; past and cancelled ones latest first."""

    upcoming: list[Trip]
    past: list[Trip]


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
    upcoming = [_with_today(session, trip, today) for trip in upcoming]
    return MyRides(upcoming, past[:PAST_SHOWN])


def get_trip(session: Session, actor: Person, request_id: int) -> Trip:
    """A trip the actor may see, with its way back."""
    request = ride_requests.get_request(session, actor, request_id)
    return _with_today(session, Trip(request, request.return_trip), clock.today())


def _with_today(session: Session, trip: Trip, today: dt.date) -> Trip:
    """The trip with what its day adds (nothing on any other day: no query either)."""
    if trip.outward.date != today:
        return trip
    legs = [on_the_day.leg_today(session, r, today=today) for r in trip.requests]
    return replace(trip, today={leg.request_id: leg for leg in legs if leg is not None})
