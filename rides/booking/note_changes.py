"""The rider's note for the driver ("I have a pram"), changed after booking.

Booking writes one note on both ways of a trip; a change does the same on the ways still to
come. Before, a rider who remembered the pram after booking could only cancel and book again,
and lose the place the evening's plan had found. A driver who has accepted a route with that
pickup hears of the new note at once (they may have to fold a seat or bring a child seat);
one only offered the route reads it on the route page before answering. A weekly series
takes the change on this trip only, or on this trip and every later week (as cancelling does):
the pram comes every Tuesday.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import audit, clock
from rides.booking import lifecycle
from rides.booking.ride_requests import clean_driver_note, get_request, has_started, later_weeks
from rides.errors import Conflict
from rides.messaging import notifications
from rides.models import (
    DayPlan,
    Person,
    PlanStatus,
    RideRequest,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
)
from rides.validation import Checks


def change_driver_note(
    session: Session,
    actor: Person,
    request_id: int,
    text: str | None,
    *,
    whole_series: bool = False,
) -> list[RideRequest]:
    """Set the note (None or empty: no note) on the trip and on its other way, where that way
    is still to come; returns the ways whose note changed (none if it was already so).

    With ``whole_series`` the trips of every later week of the trip's series take it too.

    Raises:
        InvalidInput: the note is too long or holds control characters (field ``driver_note``).
        NotFound: no such trip, or not the actor's (coordinators may change anyone's).
        Conflict: no way of the trip (or of its later weeks) is still to come (done,
            cancelled, started or past).
    """
    request = get_request(session, actor, request_id)
    checks = Checks()
    note = clean_driver_note(checks, text)
    checks.raise_if_any()
    outward = request.outward or request
    outwards = later_weeks(outward) if whole_series else [outward]
    ways = [way for r in outwards for way in _both_ways(r)]
    to_come = [way for way in ways if _to_come(session, way)]
    if not to_come:
        raise Conflict(
            "This trip is over: its note for the driver can no longer change.",
            code="trip_over", fields={"driver_note": "trip_over"},
        )  # fmt: skip
    changed = [way for way in to_come if way.driver_note != note]
    for way in changed:
        way.driver_note = note
        # The note's words stay out of the audit log, which keeps no rider's free text.
        audit.record(session, actor, "change_driver_note", "ride_request", way.id)
        pickup = _accepted_pickup(session, way)
        if pickup is not None:
            notifications.rider_note_changed(session, pickup)
    session.flush()
    return changed


def can_change_note(session: Session, request: RideRequest) -> bool:
    """Whether either way of this trip may still take a new note: what the coordinator's trip
    page asks before offering the change, by the rule the change itself applies."""
    return any(_to_come(session, way) for way in _both_ways(request.outward or request))


def _both_ways(outward: RideRequest) -> list[RideRequest]:
    """The way there and, if booked, the way back: what one note is written on."""
    return [way for way in (outward, outward.return_trip) if way is not None]


def _to_come(session: Session, way: RideRequest) -> bool:
    """Open, not started and not on a past day: a note can still reach its driver."""
    return (
        way.status not in lifecycle.FINAL
        and way.date >= clock.today()
        and not has_started(session, way)
    )


def _accepted_pickup(session: Session, way: RideRequest) -> Stop | None:
    """The planned pickup of this way on a route its driver accepted, in the published plan."""
    query = (
        select(Stop)
        .join(Route)
        .join(DayPlan)
        .where(
            Stop.request_id == way.id,
            Stop.kind == StopKind.PICKUP,
            Stop.status == StopStatus.PLANNED,
            Route.status == RouteStatus.ACCEPTED,
            DayPlan.status == PlanStatus.PUBLISHED,
        )
    )
    return session.scalars(query.limit(1)).first()
