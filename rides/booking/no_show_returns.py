"""A rider missed the pickup on the way out: a coordinator decides about the return trip.

Nobody cancels a return by themselves: the rider may have gone by other means and still need
the ride back, or may not be coming at all. The coordinator's day page asks "no-show on the
way out: keep the return?" until the coordinator keeps it (the answer is in the audit log,
tied to the no-show it answered, so a no-show undone and marked again asks again) or cancels
it (``cancel_ride``: it leaves the plan, and the rider and the return's driver are told), or
until the driver marks a stop of the return (the answer came on the road; a marked stop is
never cancelled away).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from rides import access, audit, status_texts
from rides.booking import lifecycle, ride_requests
from rides.errors import Conflict
from rides.locales import local_date, local_time
from rides.messaging.notifications import enqueue
from rides.models import (
    AuditEntry,
    DayPlan,
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    Stop,
    StopKind,
    StopStatus,
)
from rides.places.directory import place_label

#: The audit action that records "keep the return" (read back to stop asking).
KEEP = "keep_return"
#: The reason a return cancelled from the day page carries.
REASON = "no-show on the way out"


def _(message: str) -> str:
    """Mark a message for extraction; it is translated in each recipient's language."""
    return message


@dataclass(frozen=True)
class ReturnToCheck:
    """A return trip whose rider was not at the outward pickup, as the coordinator reads it."""

    return_id: int
    outward_id: int
    rider: str
    missed_at: dt.datetime | None
    missed_place: str
    time_kind: str
    time: dt.time
    origin: str
    destination: str
    status: str
    driver: str | None


def returns_to_check(session: Session, day: dt.date) -> list[ReturnToCheck]:
    """The day's open return trips after a no-show on the way out that nobody answered yet."""
    outward = aliased(RideRequest)
    returns = session.scalars(
        select(RideRequest)
        .join(outward, RideRequest.outward_id == outward.id)
        .where(
            RideRequest.date == day,
            RideRequest.status.in_(lifecycle.OPEN),
            outward.status == RequestStatus.NO_SHOW,
        )
        .order_by(RideRequest.time, RideRequest.id)
    ).all()
    missed = _missed_pickups(session, [r.outward_id for r in returns if r.outward_id])
    kept = _kept(session, returns, missed)
    underway = _underway(session, [r.id for r in returns])
    lines = []
    for trip in returns:
        if trip.id in kept or trip.id in underway or trip.outward is None:
            continue
        pickup = missed.get(trip.outward.id)
        route = _route_of(session, trip)
        lines.append(
            ReturnToCheck(
                return_id=trip.id,
                outward_id=trip.outward.id,
                rider=trip.rider.display_name,
                missed_at=pickup.planned_at if pickup else None,
                missed_place=place_label(trip.outward.origin),
                time_kind=trip.time_kind.value,
                time=trip.time,
                origin=place_label(trip.origin),
                destination=place_label(trip.destination),
                status=trip.status.value,
                driver=route.driver.display_name if route else None,
            )
        )
    return lines


def keep_return(session: Session, actor: Person, request_id: int) -> RideRequest:
    """The coordinator keeps the return trip after the no-show: it stays as it is, unasked."""
    trip, pickup = _flagged(session, actor, request_id)
    audit.record(
        session, actor, KEEP, "ride_request", trip.id, outward=trip.outward_id,
        no_show_stop=pickup.id if pickup else None, no_show_at=_marked(pickup),
    )  # fmt: skip
    session.flush()
    return trip


def cancel_return(session: Session, actor: Person, request_id: int) -> list[RideRequest]:
    """The coordinator cancels the return trip after the no-show: it leaves the plan, and the
    rider is told (the driver who accepted it hears of it from the cancellation itself)."""
    trip, _pickup = _flagged(session, actor, request_id)
    confirmed_at = trip.confirmed_pickup_at
    changed = ride_requests.cancel_ride(session, actor, trip.id, reason=REASON)
    _tell_rider(session, trip, confirmed_at)
    return changed


def _flagged(session: Session, actor: Person, request_id: int) -> tuple[RideRequest, Stop | None]:
    """The return trip and the missed pickup it follows; Conflict unless it waits for an answer."""
    access.require_coordinator(actor)
    trip = ride_requests.get_request(session, actor, request_id)
    outward = trip.outward
    if outward is None or outward.status != RequestStatus.NO_SHOW:
        raise Conflict("This trip does not follow a no-show.", code="not_after_no_show")
    if trip.status not in lifecycle.OPEN:
        raise Conflict(status_texts.TRIP_IS[trip.status], code="final_request")
    if _underway(session, [trip.id]):
        raise Conflict(
            "The driver has already marked a stop of this return trip: it is under way.",
            code="return_underway",
        )
    return trip, _missed_pickups(session, [outward.id]).get(outward.id)


def _missed_pickups(session: Session, outward_ids: Sequence[int]) -> dict[int, Stop]:
    """The pickup marked no-show in the published plan, by outward trip."""
    if not outward_ids:
        return {}
    stops = session.scalars(
        select(Stop)
        .join(Route)
        .join(DayPlan)
        .where(
            Stop.request_id.in_(outward_ids),
            Stop.kind == StopKind.PICKUP,
            Stop.status == StopStatus.NO_SHOW,
            DayPlan.status == PlanStatus.PUBLISHED,
        )
    )
    return {stop.request_id: stop for stop in stops}


def _underway(session: Session, trip_ids: Sequence[int]) -> set[int]:
    """Trips with a stop already marked in the published plan: the question has been answered
    on the road (and a marked stop is history that no cancellation may take away)."""
    if not trip_ids:
        return set()
    marked = session.scalars(
        select(Stop.request_id)
        .join(Route)
        .join(DayPlan)
        .where(
            Stop.request_id.in_(trip_ids),
            Stop.status != StopStatus.PLANNED,
            DayPlan.status == PlanStatus.PUBLISHED,
        )
    )
    return set(marked)


def _marked(stop: Stop | None) -> str | None:
    return stop.marked_at.isoformat() if stop is not None and stop.marked_at else None


def _kept(session: Session, returns: Sequence[RideRequest], missed: dict[int, Stop]) -> set[int]:
    """Returns a coordinator kept after the no-show they follow (not an earlier, undone one)."""
    if not returns:
        return set()
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == KEEP,
            AuditEntry.entity == "ride_request",
            AuditEntry.entity_id.in_([r.id for r in returns]),
        )
    )
    answered = {(e.entity_id, e.changes.get("no_show_at")) for e in entries}
    return {
        r.id
        for r in returns
        if r.outward_id is not None and (r.id, _marked(missed.get(r.outward_id))) in answered
    }


def _route_of(session: Session, trip: RideRequest) -> Route | None:
    """The published route that carries the trip, if any."""
    return session.scalar(
        select(Route)
        .join(DayPlan)
        .join(Stop, Stop.route_id == Route.id)
        .where(Stop.request_id == trip.id, DayPlan.status == PlanStatus.PUBLISHED)
        .limit(1)
    )


def _when(trip: RideRequest, confirmed_at: dt.datetime | None, language: str) -> str:
    """The return's pickup time as the rider knows it (confirmed, else the time asked)."""
    if confirmed_at is not None:
        return local_time(confirmed_at, language)
    return trip.time.strftime("%H:%M")


def _tell_rider(session: Session, trip: RideRequest, confirmed_at: dt.datetime | None) -> None:
    rider = trip.rider
    language = rider.preferred_language
    enqueue(
        session, rider, "return_cancelled", f"return_cancelled:{trip.id}",
        _("Your return ride on %(date)s is cancelled"),
        _("You were not at the pickup for your ride to %(place)s, so your return ride from "
          "there at %(time)s is cancelled. If you still need a ride back, please tell the "
          "coordinator."),
        date=local_date(trip.date, language),
        place=trip.origin.name,
        time=_when(trip, confirmed_at, language),
    )  # fmt: skip
