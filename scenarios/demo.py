"""The demo day: the demo's named volunteers with their cars and shifts, and a day of trips
from the seeded demand generator (riders spread over the province as the model has them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.accounts.people import (
    PersonSpec,
    register_coordinator,
    register_driver,
    register_newcomer,
)
from rides.booking.ride_requests import RideSpec, book_ride
from rides.driving.availability import ShiftSpec, VehicleSpec, add_shift, add_vehicle
from rides.models import Person, Place, Purpose, RideRequest, TimeKind
from rides.places.directory import find_municipality
from rides.places.stop_import import import_stops, parse_stops_csv
from scenarios.demand import generate
from scenarios.entities import TripRequest

#: Printed by ``rural-cars demo``; only ever used on the throw-away demo database.
DEMO_PASSWORD = "rural-cars-demo"  # noqa: S105

#: Villages the demo drivers start from.
VILLAGES = ["19001", "19004", "19044", "19099", "19212", "19245", "19058", "19230"]


@dataclass(frozen=True)
class DemoLogins:
    """One account per role for someone trying the service."""

    coordinator: Person
    driver: Person
    newcomer: Person
    password: str


#: Named stops the demo loads (at their villages: the file gives no coordinates).
DEMO_STOPS = Path(__file__).parent / "data" / "demo_stops.csv"


def already_seeded(session: Session) -> bool:
    """Whether the demo people exist (``rural-cars demo`` reuses its database)."""
    return session.scalar(select(Person).where(Person.email == _email("coordinator"))) is not None


def demo_day(session: Session) -> dt.date:
    """The day the demo requests are for (the earliest day with a request)."""
    day = session.scalar(select(func.min(RideRequest.date)))
    return day or clock.tomorrow()


def demo_logins(session: Session) -> DemoLogins:
    """The demo accounts of an already seeded database."""
    people = []
    for role in ("coordinator", "driver", "newcomer"):
        person = session.scalar(select(Person).where(Person.email == _email(role)))
        if person is None:
            raise LookupError(f"the demo database has no {role}; start again with --fresh")
        people.append(person)
    return DemoLogins(people[0], people[1], people[2], DEMO_PASSWORD)


def seed(session: Session, day: dt.date | None = None, *, seed: int = 2026) -> DemoLogins:
    """Create the demo accounts and a day of 8 drivers and about 40 requests; needs the places."""
    day = day or clock.tomorrow()
    villages = [_place(session, code) for code in VILLAGES]
    # A few real stops people go to, so the forms' examples ("Centro de Salud, Sigüenza") work.
    import_stops(session, parse_stops_csv(DEMO_STOPS.read_text(encoding="utf-8")))
    coordinator = register_coordinator(
        session,
        PersonSpec(
            "Carmen", "Ruiz", _email("coordinator"), password=DEMO_PASSWORD, languages=("es", "en")
        ),
    )
    drivers = [
        register_driver(
            session,
            PersonSpec(
                name,
                surname,
                _email("driver") if i == 0 else None,
                password=DEMO_PASSWORD if i == 0 else None,
                languages=langs,
                home_place_id=villages[i].id,
            ),
            actor=coordinator,
        )
        for i, (name, surname, langs) in enumerate(DRIVERS)
    ]
    for i, driver in enumerate(drivers):
        add_vehicle(
            session,
            driver,
            VehicleSpec(
                f"Car {i + 1}",
                seats=4 if i % 3 else 3,
                child_seats=1 if i % 2 else 0,
                wheelchair_places=1 if i == 3 else 0,
            ),
        )
        start = dt.time(7 + i % 3, 0)
        add_shift(
            session, driver, ShiftSpec(day, start, dt.time(start.hour + 8, 0), villages[i].id)
        )
    riders = _book_generated_day(session, day, seed, coordinator)
    return DemoLogins(coordinator, drivers[0], riders[0], DEMO_PASSWORD)


DRIVERS = [
    ("Javier", "Moreno", ("es", "en")),
    ("Lucía", "Gil", ("es", "fr")),
    ("Pedro", "Sanz", ("es",)),
    ("Ana", "Martín", ("es", "ro")),
    ("Miguel", "Herranz", ("es", "ar")),
    ("Rosa", "López", ("es",)),
    ("Tomás", "Ortega", ("es", "en")),
    ("Elena", "Cano", ("es", "uk")),
]
#: Requests of the demo day, return trips included.
REQUESTS = 40


def _book_generated_day(
    session: Session, day: dt.date, seed: int, coordinator: Person
) -> list[Person]:
    """Riders and their trips from the demand generator (the drivers above are the demo's own
    named fleet); the first rider gets the newcomer login. Returns the riders in order."""
    scenario = generate(REQUESTS, len(DRIVERS), seed, date=day)
    riders: dict[str, Person] = {}
    for i, rider in enumerate(scenario.riders):
        riders[rider.id] = register_newcomer(
            session,
            PersonSpec(
                rider.first_name,
                None,
                _email("newcomer") if i == 0 else None,
                password=DEMO_PASSWORD if i == 0 else None,
                preferred_language=rider.preferred_language,
                languages=rider.languages,
                home_place_id=_place(session, rider.home).id,
            ),
            actor=coordinator,
        )
    returns = {t.return_of: t for t in scenario.requests if t.return_of}
    for trip in scenario.requests:
        if trip.return_of:
            continue
        back = returns.get(trip.id)
        origin, destination = _place(session, trip.origin), _place(session, trip.destination)
        spec = trip_spec(trip, origin.id, destination.id, day, back.time if back else None)
        book_ride(session, coordinator, spec, rider=riders[trip.rider])
    return list(riders.values())


def trip_spec(
    trip: TripRequest,
    origin_id: int,
    destination_id: int,
    day: dt.date,
    return_time: dt.time | None = None,
) -> RideSpec:
    """A generated trip as a booking of ``day`` between the places it names."""
    return RideSpec(
        origin_id=origin_id,
        destination_id=destination_id,
        date=day,
        time=trip.time,
        time_kind=TimeKind(trip.time_kind),
        flexibility_min=trip.flexibility_min,
        adults=trip.adults,
        children=trip.children,
        child_seats=trip.child_seats,
        wheelchair=trip.wheelchair,
        purpose=Purpose(trip.purpose),
        return_time=return_time,
    )


def _email(role: str) -> str:
    return f"{role}@demo.rural-cars.org"


def _place(session: Session, ine_code: str) -> Place:
    place = find_municipality(session, ine_code)
    if place is None:
        raise LookupError(f"municipality {ine_code} is not loaded; run 'rural-cars places load'")
    return place
