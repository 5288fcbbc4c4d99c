"""Formats in each language (issue 17): the helpers pages and messages share, and the texts
that count people (the calendar file, route offers) with CLDR plural forms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rides.booking.ride_requests import book_ride
from rides.driving.calendar import route_event
from rides.locales import local_km, local_list, local_month, translate_plural
from rides.messaging.notifications import passenger_count
from rides.planning.day_plans import PlanSettings, plan_day
from tests.factories import JADRAQUE, Factory, tomorrow


def test_months_distances_and_lists_are_written_the_language_s_way() -> None:
    """ "Informe de 2026-12" reads "diciembre de 2026"; 201.5 km is "201,5" in French and
    "201.5" in English; Arabic joins a list with its own "و", never a Latin comma."""
    assert local_month("2026-12", "es") == "diciembre de 2026"
    assert local_month(dt.date(2026, 12, 5), "fr") == "décembre 2026"
    assert local_km(201.5, "fr") == "201,5" and local_km(201.5, "en") == "201.5"
    assert local_km(0, "es") == "0,0"
    assert local_list(["Amina", "Ioana", "Olena"], "es") == "Amina, Ioana y Olena"
    arabic = local_list(["أمينة", "يوانا", "أولينا"], "ar")
    assert "," not in arabic and "و" in arabic


def test_arabic_counts_have_their_six_forms() -> None:
    """Zero, one, two, few (3-10), many (11-99) and other (100+) each have their own text in
    the Arabic catalogue; Ukrainian has three."""
    forms = {n: passenger_count(n, "ar") for n in (0, 1, 2, 3, 11, 100)}
    assert all(str(n) in text for n, text in forms.items())
    assert forms[2].endswith("راكبان") and forms[3].endswith("ركاب")
    assert forms[11].endswith("راكبًا") and forms[100].endswith("راكب")
    ukrainian = [passenger_count(n, "uk") for n in (1, 3, 5)]
    assert ukrainian == ["1 пасажир", "3 пасажири", "5 пасажирів"]
    assert translate_plural("fr", "%(n)d seat", "%(n)d seats", 1) == "1 place"


def test_the_calendar_counts_people_not_trip_legs(session: Session, make: Factory) -> None:
    """Two riders, one of them there and back (three trips): the driver's calendar event says
    two passengers, in the plural the driver's language uses."""
    driver = make.driver(preferred_language="fr")
    make.shift(driver, start_time=dt.time(7), end_time=dt.time(18))
    amina = make.newcomer(first_name="Amina")
    book_ride(session, amina, make.ride_spec(time=dt.time(10), return_time=dt.time(13)))
    make.request(make.newcomer(first_name="Ioana"), origin_id=make.place(JADRAQUE).id,
                 time=dt.time(11))  # fmt: skip
    plan = plan_day(session, tomorrow(), PlanSettings(time_limit=1.0))
    [route] = [r for r in plan.routes if r.stops]
    assert len({s.request_id for s in route.stops}) == 3
    assert route.people_carried() == 2
    event = route_event(route, "fr")
    assert str(event["summary"]) == "rural-cars : 2 passagers"
    assert "Amina" in str(event["description"])
