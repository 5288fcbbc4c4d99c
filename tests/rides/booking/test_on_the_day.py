"""The rider's trip on its day (issue 16, contact where it is needed): the driver's first name
and car only on the day and only on an accepted route; "I'll be late" told to the
coordinators and the driver, each in their language, once; "I can't come" is the ordinary
cancellation, refused once the trip started, and the driver hears of it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.accounts.privacy import erase_person
from rides.booking.on_the_day import DriverOnDay, leg_today, say_late
from rides.booking.ride_requests import cancel_ride
from rides.booking.trips import my_rides
from rides.driving.availability import VehicleSpec, update_vehicle
from rides.driving.routes import passenger_not_here, record_stop
from rides.errors import Conflict, NotFound
from rides.models import OutboxMessage, PlanStatus, RouteStatus, StopKind, StopStatus
from tests.clocks import ServiceClock
from tests.factories import Factory

DAY = dt.date(2026, 12, 4)


def _messages(session: Session, kind: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    return list(session.scalars(query))


def _white_ibiza(session: Session, made) -> None:  # type: ignore[no-untyped-def]
    car = made.route.vehicle
    update_vehicle(session, made.driver, car.id,
                   VehicleSpec("Car", car.seats, model="Seat Ibiza", colour="white"))  # fmt: skip


def test_driver_and_car_are_shown_on_the_day_only(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """The evening before (a minute to Madrid's midnight) nothing; from midnight to 23:59 of
    the day the driver's first name and car; from the next midnight nothing again."""
    made = accepted_route(DAY)
    _white_ibiza(session, made)
    rider = made.amina.rider
    service_clock.at(DAY - dt.timedelta(days=1), 23, 59)
    assert leg_today(session, made.amina) is None
    (trip,) = my_rides(session, rider).upcoming
    assert trip.today == {}
    for hour, minute in ((0, 0), (12, 0), (23, 59)):
        service_clock.at(DAY, hour, minute)
        leg = leg_today(session, made.amina)
        assert leg is not None
        assert leg.driver == DriverOnDay("Javier", "Seat Ibiza", "white")
        (trip,) = my_rides(session, rider).upcoming
        assert trip.today[made.amina.id].driver == leg.driver
    service_clock.at(DAY + dt.timedelta(days=1), 0)
    assert leg_today(session, made.amina) is None
    assert my_rides(session, rider).upcoming == []


def test_no_driver_shown_for_a_route_not_accepted_or_not_published(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """On the day, an offered route or a superseded plan shows no driver; the rider can still
    say they are late (the coordinators hear it)."""
    made = accepted_route(DAY)
    service_clock.at(DAY, 8)
    made.route.status = RouteStatus.OFFERED
    leg = leg_today(session, made.amina)
    assert leg is not None and leg.driver is None and leg.can_say_late
    made.route.status = RouteStatus.ACCEPTED
    made.route.plan.status = PlanStatus.SUPERSEDED
    leg = leg_today(session, made.amina)
    assert leg is not None and leg.driver is None


def test_late_tells_the_coordinators_and_the_driver_in_their_language_once(
    session: Session, accepted_route, make: Factory, service_clock: ServiceClock
) -> None:
    """Each coordinator and the driver get one message in their own language naming the rider
    and the pickup; pressing again sends nothing more; the other rider's driver-mates hear
    nothing."""
    made = accepted_route(DAY)
    carmen = make.coordinator(first_name="Carmen", preferred_language="es")
    olena = make.coordinator(first_name="Olena", preferred_language="uk")
    service_clock.at(DAY, 10, 20)
    notice = say_late(session, made.amina.rider, made.amina.id)
    assert notice.driver_told
    sent = _messages(session, "rider_late")
    assert [(m.recipient_id, m.language) for m in sent] == [
        (carmen.id, "es"), (olena.id, "uk"), (made.driver.id, "en")
    ]  # fmt: skip
    assert all("Amina" in m.body and "Atienza" in m.body for m in sent)
    assert sent[0].subject == "Amina llegará tarde"
    assert sent[2].subject == "Amina will be late"
    assert sent[1].subject != sent[2].subject  # Ukrainian, not the English fallback
    say_late(session, made.amina.rider, made.amina.id)
    assert len(_messages(session, "rider_late")) == 3


def test_late_only_on_the_day_before_the_pickup_and_only_for_ones_own_trip(
    session: Session, accepted_route, make: Factory, service_clock: ServiceClock
) -> None:
    """The day before and the day after are refused, so is a trip already picked up; another
    rider cannot say it for Amina (not found); nothing is written when refused."""
    made = accepted_route(DAY)
    make.coordinator()
    rider = made.amina.rider
    for day in (DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)):
        service_clock.at(day, 10)
        with pytest.raises(Conflict) as refused:
            say_late(session, rider, made.amina.id)
        assert refused.value.code == "not_ride_day"
    service_clock.at(DAY, 10)
    with pytest.raises(NotFound):
        say_late(session, made.ioana.rider, made.amina.id)
    record_stop(session, made.driver, made.stop(made.amina, StopKind.PICKUP).id, StopStatus.DONE)
    leg = leg_today(session, made.amina)
    assert leg is not None and not leg.can_say_late and leg.driver is not None
    with pytest.raises(Conflict) as started:
        say_late(session, rider, made.amina.id)
    assert started.value.code == "started"
    assert _messages(session, "rider_late") == []


def test_cant_come_on_the_day_is_the_cancellation_and_the_driver_hears_it(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """The "I can't come" button cancels the trip and the driver gets "one passenger less";
    Ioana, once picked up, cannot cancel any more (the started rule)."""
    made = accepted_route(DAY)
    service_clock.at(DAY, 9)
    cancel_ride(session, made.amina.rider, made.amina.id)
    (told,) = _messages(session, "passenger_cancelled")
    assert told.recipient_id == made.driver.id and "Amina" in told.body
    record_stop(session, made.driver, made.stop(made.ioana, StopKind.PICKUP).id, StopStatus.DONE)
    with pytest.raises(Conflict) as started:
        cancel_ride(session, made.ioana.rider, made.ioana.id)
    assert started.value.code == "started"
    leg = leg_today(session, made.ioana)
    assert leg is not None and not leg.can_say_late


def test_who_hears_what_and_erasure_forgets_it(
    session: Session, accepted_route, make: Factory, service_clock: ServiceClock
) -> None:
    """On an offered route only the coordinators hear "I'll be late" (the driver has not said
    yes); "passenger not here" goes to the coordinators only; erasing the rider blanks every
    one of these messages, the driver's and the coordinators'."""
    made = accepted_route(DAY)
    carmen = make.coordinator(first_name="Carmen")
    service_clock.at(DAY, 9)
    made.route.status = RouteStatus.OFFERED
    assert not say_late(session, made.amina.rider, made.amina.id).driver_told
    assert [m.recipient_id for m in _messages(session, "rider_late")] == [carmen.id]
    made.route.status = RouteStatus.ACCEPTED
    passenger_not_here(session, made.driver, made.stop(made.amina, StopKind.PICKUP).id)
    assert [m.recipient_id for m in _messages(session, "passenger_not_here")] == [carmen.id]
    erase_person(session, made.amina.rider)
    session.flush()
    session.expire_all()
    for message in _messages(session, "rider_late") + _messages(session, "passenger_not_here"):
        assert "Amina" not in message.subject + message.body + str(message.payload)
