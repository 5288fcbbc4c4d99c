"""Small factories: each makes one valid object, with any field overridable by the test."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from typing import Any

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
from rides.models import Person, Place, RideRequest, Shift, Vehicle
from rides.places.directory import find_municipality

#: INE codes of real municipalities used across tests.
SIGUENZA = "19257"
GUADALAJARA = "19130"
MOLINA = "19190"
JADRAQUE = "19156"
ATIENZA = "19044"

_numbers = itertools.count(1)


def tomorrow() -> dt.date:
    """A day that is always bookable."""
    return clock.tomorrow()


class Factory:
    """Builds objects through the real service functions, so they are valid by construction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def place(self, ine_code: str = SIGUENZA) -> Place:
        place = find_municipality(self.session, ine_code)
        assert place is not None, f"{ine_code} not loaded"
        return place

    def person_spec(self, **overrides: Any) -> PersonSpec:
        n = next(_numbers)
        spec = PersonSpec(first_name=f"Person{n}", email=f"person{n}@example.org")
        return replace(spec, **overrides)

    def newcomer(self, **overrides: Any) -> Person:
        return register_newcomer(self.session, self.person_spec(**overrides))

    def coordinator(self, **overrides: Any) -> Person:
        return register_coordinator(self.session, self.person_spec(**overrides))

    def driver(
        self, *, seats: int = 4, child_seats: int = 0, wheelchair_places: int = 0, **overrides: Any
    ) -> Person:
        driver = register_driver(self.session, self.person_spec(**overrides))
        add_vehicle(self.session, driver, VehicleSpec("Car", seats, child_seats, wheelchair_places))
        return driver

    def vehicle(self, driver: Person) -> Vehicle:
        return driver.vehicles[0]

    def shift(self, driver: Person | None = None, **overrides: Any) -> Shift:
        driver = driver or self.driver()
        fields: dict[str, Any] = {
            "date": tomorrow(),
            "start_time": dt.time(8, 0),
            "end_time": dt.time(14, 0),
            "start_place_id": self.place(SIGUENZA).id,
        }
        fields.update(overrides)
        return add_shift(self.session, driver, ShiftSpec(**fields))

    def ride_spec(self, **overrides: Any) -> RideSpec:
        fields: dict[str, Any] = {
            "origin_id": self.place(ATIENZA).id,
            "destination_id": self.place(SIGUENZA).id,
            "date": tomorrow(),
            "time": dt.time(10, 30),
        }
        fields.update(overrides)
        return RideSpec(**fields)

    def request(self, rider: Person | None = None, **overrides: Any) -> RideRequest:
        rider = rider or self.newcomer()
        return book_ride(self.session, rider, self.ride_spec(**overrides))[0]

    def small_day(self) -> dt.date:
        """Tomorrow with two drivers (7:00-15:00) and three trips from two villages, committed
        so that other sessions and processes (jobs, a scheduler) see it."""
        for driver in (self.driver(), self.driver()):
            self.shift(driver, start_time=dt.time(7), end_time=dt.time(15))
        self.request(origin_id=self.place(ATIENZA).id, time=dt.time(10))
        self.request(origin_id=self.place(JADRAQUE).id, time=dt.time(11))
        self.request(origin_id=self.place(ATIENZA).id, time=dt.time(12))
        self.session.commit()
        return tomorrow()
