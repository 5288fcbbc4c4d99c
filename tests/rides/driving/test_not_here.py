"""The "passenger not here" tap (issue 16): the coordinators hear it with the rider's name, stop and
phone, once per stop, only where a no-show could be marked (the operating day's rule), and
nothing is marked until the driver confirms the no-show."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.driving.routes import passenger_not_here, record_stop
from rides.errors import Conflict, NotFound
from rides.models import OutboxMessage, RequestStatus, StopKind, StopStatus
from tests.clocks import ServiceClock
from tests.factories import Factory

DAY = dt.date(2026, 12, 4)


def _told(session: Session) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == "passenger_not_here")
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def test_the_coordinators_hear_it_once_in_their_language(
    session: Session, accepted_route, make: Factory, service_clock: ServiceClock
) -> None:
    made = accepted_route(DAY)
    made.amina.rider.phone = "+34600111222"
    carmen = make.coordinator(first_name="Carmen", preferred_language="es")
    sam = make.coordinator(first_name="Sam", preferred_language="en")
    pickup = made.stop(made.amina, StopKind.PICKUP)
    service_clock.at(DAY, 10, 25)
    passenger_not_here(session, made.driver, pickup.id)
    passenger_not_here(session, made.driver, pickup.id)
    told = _told(session)
    assert [(m.recipient_id, m.language) for m in told] == [(carmen.id, "es"), (sam.id, "en")]
    english = told[1]
    assert english.subject == "Amina is not at the pickup"
    assert "Javier is at Atienza" in english.body and "+34600111222" in english.body
    assert told[0].subject == "Amina no está en la recogida"
    assert pickup.status == StopStatus.PLANNED  # nothing marked yet
    record_stop(session, made.driver, pickup.id, StopStatus.NO_SHOW)
    assert made.amina.status == RequestStatus.NO_SHOW
    with pytest.raises(Conflict) as marked:
        passenger_not_here(session, made.driver, pickup.id)
    assert marked.value.code == "already_recorded"


def test_only_on_the_route_day_at_a_pickup_of_ones_own_route(
    session: Session, accepted_route, make: Factory, service_clock: ServiceClock
) -> None:
    """The day before and the day after: refused (the operating day's invariant); a drop-off
    is not a pickup; another driver's stop is not found; no message in any of these."""
    made = accepted_route(DAY)
    make.coordinator()
    pickup = made.stop(made.amina, StopKind.PICKUP)
    for day in (DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)):
        service_clock.at(day, 10)
        with pytest.raises(Conflict) as refused:
            passenger_not_here(session, made.driver, pickup.id)
        assert refused.value.code == "not_route_day"
    service_clock.at(DAY, 10)
    with pytest.raises(Conflict) as dropoff:
        passenger_not_here(session, made.driver, made.stop(made.amina, StopKind.DROPOFF).id)
    assert dropoff.value.code == "invalid_outcome"
    with pytest.raises(NotFound):
        passenger_not_here(session, make.driver(), pickup.id)
    assert _told(session) == []
