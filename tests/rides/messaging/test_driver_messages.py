"""What drivers are told: offers count people, and a passenger who cancels is announced."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.ride_requests import book_ride, cancel_ride
from rides.driving.routes import accept_route
from rides.messaging import notifications
from rides.models import OutboxMessage
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


def _to(session: Session, kind: str, person_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.kind == kind, OutboxMessage.recipient_id == person_id
    )
    return list(session.scalars(query))


def test_an_offer_counts_people_not_trip_legs(session: Session, make: Factory) -> None:
    """Two people there and back is four pickups but two passengers (issue 21, item 8)."""
    driver = make.driver(preferred_language="en")
    make.shift(driver, start_time=dt.time(7), end_time=dt.time(18))
    rider = make.newcomer()
    book_ride(session, rider, make.ride_spec(origin_id=make.place(ATIENZA).id, adults=2,
                                             return_time=dt.time(13)))  # fmt: skip
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    [offer] = _to(session, "route_offered", driver.id)
    assert offer.body.startswith("2 passengers")


def test_a_passenger_who_cancels_is_announced_to_the_driver_who_accepted(
    session: Session, make: Factory
) -> None:
    """Accepted route: the driver hears at once; an offered route: no message (the next
    offer says it)."""
    driver = make.driver(preferred_language="en")
    make.shift(driver, start_time=dt.time(7), end_time=dt.time(18))
    first = make.request(make.newcomer(first_name="Amina"), origin_id=make.place(ATIENZA).id)
    second = make.request(make.newcomer(first_name="Ioana"), time=dt.time(12))
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    cancel_ride(session, second.rider, second.id)
    assert _to(session, "passenger_cancelled", driver.id) == []
    accept_route(session, driver, plan.routes[0].id)
    cancel_ride(session, first.rider, first.id)
    [told] = _to(session, "passenger_cancelled", driver.id)
    assert "Amina" in told.body


def test_an_offer_and_a_pickup_message_carry_a_link_to_their_page(
    session: Session, make: Factory
) -> None:
    """The last line is the page to open, at the configured public address (issue 21, item 8)."""
    notifications.use_public_url("https://coches.example.org/")
    try:
        driver = make.driver(preferred_language="uk")
        make.shift(driver, start_time=dt.time(7), end_time=dt.time(18))
        rider = make.newcomer(preferred_language="ar")
        make.request(rider, origin_id=make.place(ATIENZA).id)
        publish_plan(session, plan_day(session, tomorrow(), FAST))
    finally:
        notifications.use_public_url("http://127.0.0.1:5000")
    [offer] = _to(session, "route_offered", driver.id)
    [pickup] = _to(session, "pickup_confirmed", rider.id)
    assert offer.body.splitlines()[-1] == "https://coches.example.org/driver/"
    assert pickup.body.splitlines()[-1] == "https://coches.example.org/newcomer/"
