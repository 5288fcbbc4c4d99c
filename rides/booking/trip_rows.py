"""A booking's rows: the trips of every date, their returns and series, written in one go.

Only ``rides.booking.ride_requests`` calls this, after every rule of the booking has passed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from rides.errors import Conflict
from rides.models import Person, Place, RideRequest, RideSeries

if TYPE_CHECKING:
    from rides.booking.ride_requests import RideSpec


def insert_trips(
    session: Session,
    rider: Person,
    spec: RideSpec,
    booker: Person | None,
    places: tuple[Place, Place],
    days: list[dt.date],
) -> list[RideRequest]:
    """Insert the outward (and return) trip of every date of the booking; all or nothing.

    ``booker`` is whoever booked for the rider (None when the rider booked themselves).

    A trip already booked is skipped by the database (``ON CONFLICT DO NOTHING`` on the open
    trip index), so a double booking costs no savepoint and no aborted transaction, even when
    two arrive at once: fewer rows back than sent is the duplicate, and what was inserted is
    taken out again before the conflict is raised. Each trip is given its places, return trip
    and series, so the caller can show the new requests without loading anything again.
    """
    series = _new_series(session, rider, spec)
    shared = _shared_columns(rider, spec, booker, series)
    outward = _insert_new(
        session,
        [
            shared
            | {"date": day, "time": spec.time, "time_kind": spec.time_kind}
            | {"origin_id": spec.origin_id, "destination_id": spec.destination_id}
            for day in days
        ],
    )
    back: list[RideRequest] = []
    if len(outward) == len(days) and spec.return_time is not None:
        back = _insert_new(
            session,
            [
                shared
                | {"date": trip.date, "time": spec.return_time, "outward_id": trip.id}
                | {"time_kind": spec.return_time_kind}
                | {"origin_id": spec.destination_id, "destination_id": spec.origin_id}
                for trip in outward
            ],
        )
    expected = len(days) * (2 if spec.return_time is not None else 1)
    if len(outward) + len(back) < expected:
        _take_back(session, [*outward, *back], series)
        raise Conflict(
            "This ride is already booked.",
            code="duplicate_request",
            fields={"date": "already booked"},
        )
    return _linked(outward, back, places, series)


def _new_series(session: Session, rider: Person, spec: RideSpec) -> RideSeries | None:
    """The weekly series a repeating booking belongs to (flushed for its id), else None."""
    if spec.weekly_until is None:
        return None
    series = RideSeries(
        rider_id=rider.id,
        weekday=spec.date.weekday(),
        first_date=spec.date,
        until=spec.weekly_until,
    )
    session.add(series)
    session.flush()
    return series


def _linked(
    outward: list[RideRequest],
    back: list[RideRequest],
    places: tuple[Place, Place],
    series: RideSeries | None,
) -> list[RideRequest]:
    """The inserted trips in booking order, each outward followed by its return, with their
    places, series and links set so nothing is loaded again to show them."""
    origin, destination = places
    return_of = {trip.outward_id: trip for trip in back}
    created: list[RideRequest] = []
    for trip in outward:
        returned = return_of.get(trip.id)
        _known(trip, origin=origin, destination=destination, series=series, return_trip=returned)
        created.append(trip)
        if returned is not None:
            _known(returned, origin=destination, destination=origin, series=series)
            _known(returned, outward=trip, return_trip=None)
            created.append(returned)
    return created


def _shared_columns(
    rider: Person, spec: RideSpec, booker: Person | None, series: RideSeries | None
) -> dict[str, object]:
    """The columns every trip of one booking has in common."""
    return {
        "rider_id": rider.id,
        "booked_by_id": booker.id if booker is not None else None,
        "flexibility_min": spec.flexibility_min,
        "adults": spec.adults,
        "children": spec.children,
        "child_seats": spec.child_seats,
        "wheelchair": spec.wheelchair,
        "purpose": spec.purpose,
        "driver_note": spec.driver_note,
        "series_id": series.id if series is not None else None,
        "outward_id": None,
    }


#: Per dialect: insert requests, skipping any the open-trip index already holds. Built once and
#: given the rows as parameters, so SQLAlchemy compiles it once (``values(rows)`` would not be
#: cached, and cost more than the rest of the booking).
_INSERT_NEW = {
    "postgresql": postgresql.insert(RideRequest).on_conflict_do_nothing().returning(RideRequest),
    "sqlite": sqlite.insert(RideRequest).on_conflict_do_nothing().returning(RideRequest),
}


def _insert_new(session: Session, rows: list[dict[str, object]]) -> list[RideRequest]:
    """Insert ``rows`` in one statement; the inserted requests (not the duplicates) by date."""
    statement = _INSERT_NEW[session.get_bind().dialect.name]
    return sorted(session.scalars(statement, rows), key=lambda trip: trip.date)


def _take_back(session: Session, trips: list[RideRequest], series: RideSeries | None) -> None:
    """Delete what a refused booking had already inserted (its transaction goes on)."""
    if trips:
        session.execute(delete(RideRequest).where(RideRequest.id.in_([t.id for t in trips])))
    if series is not None:
        session.delete(series)
        session.flush()


def _known(trip: RideRequest, **related: object) -> None:
    """Set relationships the database already agrees with, without marking the trip changed."""
    for name, value in related.items():
        set_committed_value(trip, name, value)
