"""The demo day: a fixed, seeded set of people, cars, shifts and requests over real villages."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.availability import ShiftSpec, VehicleSpec, add_shift, add_vehicle
from rides.booking import RideSpec, book_ride
from rides.models import Person, Place, Purpose, RideRequest, TimeKind
from rides.people import PersonSpec, register_coordinator, register_driver, register_newcomer
from rides.places import find_municipality

#: Printed by ``rural-cars demo``; only ever used on the throw-away demo database.
DEMO_PASSWORD = "rural-cars-demo"  # noqa: S105

#: Service hubs of the province (INE codes) that demo trips go to.
HUBS = {
    "19130": Purpose.HEALTH,  # Guadalajara
    "19257": Purpose.HEALTH,  # Sigüenza
    "19190": Purpose.ADMINISTRATION,  # Molina de Aragón
    "19053": Purpose.SHOPPING,  # Brihuega
    "19086": Purpose.TRAINING_WORK,  # Cifuentes
    "19156": Purpose.HEALTH,  # Jadraque
}
#: Villages demo riders live in and demo drivers start from.
VILLAGES = [
    "19001", "19004", "19044", "19099", "19212", "19245", "19058", "19230", "19171", "19240",
    "19092", "19163", "19198", "19280", "19023", "19142",
]  # fmt: skip


@dataclass(frozen=True)
class DemoLogins:
    """One account per role for someone trying the service."""

    coordinator: Person
    driver: Person
    newcomer: Person
    password: str


def already_seeded(session: Session) -> bool:
    """Whether the demo people exist (``rural-cars demo`` reuses its database)."""
    return session.scalar(select(Person).where(Person.email == _email("coordinator"))) is not None


def demo_day(session: Session) -> dt.date:
    """The day the demo requests are for (the earliest day with a request)."""
    day = session.scalar(select(func.min(RideRequest.date)))
    return day or clock.today() + dt.timedelta(days=1)


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
    day = day or clock.today() + dt.timedelta(days=1)
    rng = random.Random(seed)
    villages = [_place(session, code) for code in VILLAGES]
    hubs = {_place(session, code): purpose for code, purpose in HUBS.items()}
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
    riders = [
        register_newcomer(
            session,
            PersonSpec(
                name,
                None,
                _email("newcomer") if i == 0 else None,
                password=DEMO_PASSWORD if i == 0 else None,
                preferred_language=lang,
                languages=(lang,),
                home_place_id=villages[i % len(villages)].id,
            ),
            actor=coordinator,
        )
        for i, (name, lang) in enumerate(RIDERS)
    ]
    hub_list = list(hubs)
    for i, rider in enumerate(riders):
        home = villages[i % len(villages)]
        hub = hub_list[rng.randrange(len(hub_list))]
        arrive = dt.time(rng.choice([9, 10, 11, 12]), rng.choice([0, 15, 30, 45]))
        spec = RideSpec(
            origin_id=home.id,
            destination_id=hub.id,
            date=day,
            time=arrive,
            time_kind=TimeKind.ARRIVE_BY,
            adults=1,
            children=1 if rng.random() < 0.2 else 0,
            purpose=hubs[hub],
            return_time=dt.time(arrive.hour + 2, arrive.minute) if rng.random() < 0.6 else None,
        )
        book_ride(session, rider, spec, actor=coordinator if i else rider)
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
RIDERS = [
    ("Amina", "ar"), ("Ioana", "ro"), ("Olena", "uk"), ("Moussa", "fr"), ("Fatima", "ar"),
    ("Andrei", "ro"), ("Mariam", "ar"), ("Kateryna", "uk"), ("Youssef", "ar"), ("Awa", "fr"),
    ("Elena", "ro"), ("Samir", "ar"), ("Oksana", "uk"), ("Aliou", "fr"), ("Nadia", "ar"),
    ("Mihai", "ro"), ("Hanna", "uk"), ("Karim", "ar"), ("Aissata", "fr"), ("Bogdan", "ro"),
    ("Leila", "ar"), ("Iryna", "uk"), ("Omar", "ar"), ("Grace", "en"), ("Rahma", "ar"),
]  # fmt: skip


def _email(role: str) -> str:
    return f"{role}@demo.rural-cars.org"


def _place(session: Session, ine_code: str) -> Place:
    place = find_municipality(session, ine_code)
    if place is None:
        raise LookupError(f"municipality {ine_code} is not loaded; run 'rural-cars places load'")
    return place
