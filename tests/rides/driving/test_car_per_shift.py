"""A car chosen per shift (issue 17): a driver with several cars says which one each time;
a car that is not theirs (or no longer in use) is refused, for one day and for a weekly repeat."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.driving.availability import (
    ShiftDraft,
    VehicleSpec,
    add_shift,
    add_vehicle,
    add_weekly_shifts,
    my_availability,
)
from rides.models import Person, Shift, Vehicle
from rides.validation import InvalidInput
from tests.factories import Factory, tomorrow


def _draft(vehicle_id: int | None, day: dt.date | None = None) -> ShiftDraft:
    return ShiftDraft(date=day or tomorrow(), start_time=dt.time(8), end_time=dt.time(13),
                      start_place="Sigüenza", vehicle_id=vehicle_id)  # fmt: skip


def _two_cars(session: Session, make: Factory) -> tuple[Person, Vehicle, Vehicle]:
    driver = make.driver()
    van = add_vehicle(session, driver, VehicleSpec("Van", 7, model="Dacia Jogger", colour="grey"))
    return driver, driver.vehicles[0], van


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Shift)) or 0


def test_each_shift_has_the_car_chosen_for_it(session: Session, make: Factory) -> None:
    """One day with the second car, a weekly repeat with the first: each shift keeps its car."""
    driver, car, van = _two_cars(session, make)
    assert add_shift(session, driver, _draft(van.id)).vehicle_id == van.id
    weekly = add_weekly_shifts(session, driver, _draft(car.id, tomorrow() + dt.timedelta(days=1)),
                               tomorrow() + dt.timedelta(weeks=2, days=1))  # fmt: skip
    assert [s.vehicle_id for s in weekly] == [car.id] * 3


@pytest.mark.parametrize("weekly", [False, True], ids=["one-day", "weekly"])
def test_another_drivers_car_is_refused(session: Session, make: Factory, weekly: bool) -> None:
    """Naming someone else's car is refused on the car's field, and nothing is stored."""
    driver, _car, _van = _two_cars(session, make)
    someone_elses = make.driver().vehicles[0]
    before = _count(session)
    draft = _draft(someone_elses.id)
    until = tomorrow() + dt.timedelta(weeks=1)
    offer = (
        (lambda: add_weekly_shifts(session, driver, draft, until))
        if weekly
        else (lambda: add_shift(session, driver, draft))
    )
    with pytest.raises(InvalidInput) as refused:
        offer()
    assert {(e.field, e.code) for e in refused.value.errors} == {("vehicle_id", "unknown_vehicle")}
    assert _count(session) == before


def test_a_car_no_longer_in_use_is_refused(session: Session, make: Factory) -> None:
    """A car the driver took off the road cannot be given a new shift."""
    driver, _car, van = _two_cars(session, make)
    van.active = False
    with pytest.raises(InvalidInput) as refused:
        add_shift(session, driver, _draft(van.id))
    assert {(e.field, e.code) for e in refused.value.errors} == {("vehicle_id", "inactive_vehicle")}


def test_the_car_last_used_is_the_one_offered(session: Session, make: Factory) -> None:
    """Before any shift, the first car; then the car of the latest shift given; a car taken
    off the road is not offered."""
    driver, car, van = _two_cars(session, make)
    mine = my_availability(session, driver)
    assert mine.cars == (car, van) and mine.last_car_id == car.id
    add_shift(session, driver, _draft(van.id))
    assert my_availability(session, driver).last_car_id == van.id
    van.active = False
    session.flush()
    mine = my_availability(session, driver)
    assert mine.cars == (car,) and mine.last_car_id == car.id
