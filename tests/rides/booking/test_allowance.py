"""A newcomer's own bookings share one daily allowance, counted by person in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.allowance import MAX_OWN_TRIPS_PER_DAY
from rides.booking.ride_requests import book_ride, cancel_ride
from rides.errors import LimitReached
from rides.models import RideRequest
from tests.clocks import ServiceClock
from tests.factories import Factory, tomorrow


def _series(make: Factory, hour: int):
    """A 13-week series with returns: 26 trips, the most one booking may make."""
    return make.ride_spec(
        time=dt.time(hour),
        return_time=dt.time(hour, 30),
        weekly_until=tomorrow() + dt.timedelta(weeks=12),
    )


def test_own_bookings_stop_at_the_daily_allowance(session: Session, make: Factory) -> None:
    """Two full series (52 trips) pass, a third is refused (429 code, nothing written); trips
    cancelled meanwhile still count; a smaller booking that fits still passes."""
    rider = make.newcomer()
    first = book_ride(session, rider, _series(make, 8))
    book_ride(session, rider, _series(make, 10))
    cancel_ride(session, rider, first[0].id, whole_series=True)
    with pytest.raises(LimitReached) as caught:
        book_ride(session, rider, _series(make, 12))
    assert caught.value.code == "too_many_requests"
    assert f"at most {MAX_OWN_TRIPS_PER_DAY} a day" in caught.value.message
    assert len(rider_trips(session, rider.id)) == 52
    book_ride(session, rider, make.ride_spec(time=dt.time(14), return_time=dt.time(15)))
    assert len(rider_trips(session, rider.id)) == 54


def test_the_allowance_is_per_person_and_not_for_staff(session: Session, make: Factory) -> None:
    """A coordinator booking on a rider's behalf is not counted nor limited (staff, audited);
    another newcomer has their own allowance."""
    rider, other, coordinator = make.newcomer(), make.newcomer(), make.coordinator()
    for hour in (7, 9, 11):
        book_ride(session, coordinator, _series(make, hour), rider=rider)
    book_ride(session, rider, _series(make, 13))
    book_ride(session, rider, _series(make, 15))
    book_ride(session, other, _series(make, 13))
    assert len(rider_trips(session, rider.id)) == 3 * 26 + 2 * 26


def test_the_allowance_renews_after_24_hours(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """Trips booked more than a day ago no longer count."""
    rider = make.newcomer()
    book_ride(session, rider, _series(make, 8))
    book_ride(session, rider, _series(make, 10))
    service_clock.set(dt.datetime.now(dt.UTC) + dt.timedelta(hours=24, minutes=1))
    assert len(book_ride(session, rider, _series(make, 12))) == 26


def rider_trips(session: Session, rider_id: int) -> list[RideRequest]:
    return list(session.scalars(select(RideRequest).where(RideRequest.rider_id == rider_id)))
