"""Data the reliability commands run against, made through the real service functions.

A generated 200-request day (``scenarios.demand``) is booked, planned and published so reading a
plan reads one of realistic size; riders get their own tokens so every booking is distinct.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from rides.accounts.people import (
    PersonSpec,
    register_coordinator,
    register_driver,
    register_newcomer,
)
from rides.accounts.signin import issue_token
from rides.booking.ride_requests import book_ride
from rides.driving.availability import ShiftSpec, VehicleSpec, add_shift, add_vehicle
from rides.errors import DomainError
from rides.models import DayPlan, Person, Place
from rides.places.directory import find_municipality
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from scenarios import demand
from scenarios.demo import trip_spec
from tests.factories import tomorrow


@dataclass(frozen=True)
class Day:
    """A published day: its plan, the coordinator and their token, each driver's token."""

    plan: DayPlan
    coordinator_id: int
    coordinator_token: str
    driver_tokens: dict[int, str]
    requests: int


def coordinator(session: Session, name: str = "Coordinator") -> tuple[Person, str]:
    """A coordinator and a bearer token for them."""
    person = register_coordinator(session, PersonSpec(name))
    return person, issue_token(session, person)[0]


def riders(session: Session, count: int, prefix: str = "Rider") -> list[tuple[Person, str]]:
    """``count`` newcomers, each with a bearer token (booked-for riders have no e-mail)."""
    people = [register_newcomer(session, PersonSpec(f"{prefix}{i}")) for i in range(count)]
    return [(person, issue_token(session, person)[0]) for person in people]


def published_day(
    session: Session,
    *,
    requests: int = 200,
    drivers: int = 25,
    seed: int = 8,
    time_limit: float = 5.0,
) -> Day:
    """Book a generated day for tomorrow, plan it within ``time_limit`` and publish it."""
    day = tomorrow()
    scenario = demand.generate(requests, drivers, seed, date=day)
    places: dict[str, Place] = {}

    def place(code: str) -> Place:
        if code not in places:
            found = find_municipality(session, code)
            assert found is not None, f"municipality {code} not loaded"
            places[code] = found
        return places[code]

    admin, admin_token = coordinator(session)
    tokens: dict[int, str] = {}
    for d in scenario.drivers:
        driver = register_driver(session, PersonSpec(d.first_name, home_place_id=place(d.home).id))
        v = d.vehicle
        add_vehicle(
            session, driver, VehicleSpec("car", v.seats, v.child_seats, v.wheelchair_places)
        )
        add_shift(
            session,
            driver,
            ShiftSpec(
                day,
                d.shift.start,
                d.shift.end,
                place(d.shift.start_place).id,
                place(d.shift.end_place).id,
            ),
        )
        tokens[driver.id] = issue_token(session, driver)[0]
    people = {
        r.id: register_newcomer(session, PersonSpec(r.first_name, home_place_id=place(r.home).id))
        for r in scenario.riders
    }
    booked = 0
    for trip in scenario.requests:
        spec = trip_spec(trip, place(trip.origin).id, place(trip.destination).id, day)
        try:
            book_ride(session, admin, spec, rider=people[trip.rider])
            booked += 1
        except DomainError:
            continue  # a generated trip the booking rules refuse (e.g. already passed): skip it
    plan = publish_plan(session, plan_day(session, day, PlanSettings(time_limit=time_limit)))
    return Day(plan, admin.id, admin_token, tokens, booked)
