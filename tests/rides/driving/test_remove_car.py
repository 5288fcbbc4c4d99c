"""Taking a car off the road: allowed when no coming shift nor plan counts on it, refused with
the first day that does otherwise; the car stays in the database for the history."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.driving.availability import (
    ShiftSpec,
    VehicleSpec,
    add_shift,
    add_vehicle,
    my_availability,
    update_vehicle,
    vehicles_of,
    withdraw_shift,
)
from rides.driving.car_removal import remove_vehicle
from rides.errors import Conflict, NotFound
from rides.models import AuditEntry, DayPlan, Person, PlanStatus, Vehicle
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import SIGUENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


def _two_cars(session: Session, make: Factory) -> tuple[Person, Vehicle, Vehicle]:
    driver = make.driver()
    van = add_vehicle(session, driver, VehicleSpec("Van", 7))
    return driver, driver.vehicles[0], van


def _shift(session: Session, make: Factory, driver: Person, car: Vehicle, day: dt.date) -> int:
    spec = ShiftSpec(date=day, start_time=dt.time(8), end_time=dt.time(14),
                     start_place_id=make.place(SIGUENZA).id, vehicle_id=car.id)  # fmt: skip
    return add_shift(session, driver, spec).id


def _van_planned_tomorrow(session: Session, make: Factory) -> tuple[Person, Vehicle, int, DayPlan]:
    """A driver whose only active car, the van, has a shift tomorrow, and tomorrow's draft
    plan giving the van the one request's route."""
    driver, car, van = _two_cars(session, make)
    car.active = False  # the van is the only car the planner can use
    shift_id = _shift(session, make, driver, van, tomorrow())
    make.request()
    plan = plan_day(session, tomorrow(), FAST)
    assert [route.vehicle_id for route in plan.routes] == [van.id]
    return driver, van, shift_id, plan


def test_a_car_nothing_uses_is_taken_off_the_road(session: Session, make: Factory) -> None:
    """The van goes: inactive (still stored), no longer among the driver's cars, audited; a
    second removal changes nothing."""
    driver, car, van = _two_cars(session, make)
    assert remove_vehicle(session, driver, van.id) is van
    assert not van.active and session.get(Vehicle, van.id) is van
    assert vehicles_of(session, driver) == [car]
    assert my_availability(session, driver).cars == (car,)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "remove")).all()
    assert [(e.entity, e.entity_id, e.actor_id) for e in entries] == [
        ("vehicle", van.id, driver.id)
    ]
    remove_vehicle(session, driver, van.id)
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "remove")).all()) == 1


def test_a_coming_shift_keeps_the_car_until_it_is_taken_back(
    session: Session, make: Factory
) -> None:
    """A shift in three days with the van refuses its removal, naming that day (the earliest
    of two); the other car is free to go; once both shifts are taken back the van can go."""
    driver, car, van = _two_cars(session, make)
    first = tomorrow() + dt.timedelta(days=2)
    later = _shift(session, make, driver, van, first + dt.timedelta(days=7))
    sooner = _shift(session, make, driver, van, first)
    with pytest.raises(Conflict) as refused:
        remove_vehicle(session, driver, van.id)
    assert refused.value.code == "vehicle_in_use"
    assert refused.value.params == {"date": first}
    assert "vehicle_id" in refused.value.fields
    assert van.active
    remove_vehicle(session, driver, car.id)
    assert not car.active
    for shift_id in (sooner, later):
        withdraw_shift(session, driver, shift_id)
    remove_vehicle(session, driver, van.id)
    assert not van.active


def test_shifts_of_past_days_do_not_keep_the_car(session: Session, make: Factory) -> None:
    """Seen from the day after its last shift, the van is free (the history keeps the shift)."""
    driver, _car, van = _two_cars(session, make)
    _shift(session, make, driver, van, tomorrow())
    with pytest.raises(Conflict):
        remove_vehicle(session, driver, van.id, today=tomorrow())
    remove_vehicle(session, driver, van.id, today=tomorrow() + dt.timedelta(days=1))
    assert not van.active


@pytest.mark.parametrize("publish", [False, True], ids=["draft", "published"])
def test_a_plan_keeps_the_car_even_when_the_shift_is_taken_back(
    session: Session, make: Factory, publish: bool
) -> None:
    """Tomorrow's plan (draft or published) gives the van a route; with its shift taken back
    the plan still counts on the van: refused, saying to ask a coordinator. A plan that was
    superseded does not count."""
    driver, van, shift_id, plan = _van_planned_tomorrow(session, make)
    if publish:
        publish_plan(session, plan)
    withdraw_shift(session, driver, shift_id)
    with pytest.raises(Conflict) as refused:
        remove_vehicle(session, driver, van.id)
    assert refused.value.template.startswith("This car is in the plan of {date}")
    assert refused.value.params == {"date": tomorrow()}
    plan.status = PlanStatus.SUPERSEDED
    session.flush()
    remove_vehicle(session, driver, van.id)
    assert not van.active


def test_another_drivers_car_is_not_found(session: Session, make: Factory) -> None:
    """A driver cannot remove someone else's car; a coordinator can remove any."""
    _driver, _car, van = _two_cars(session, make)
    with pytest.raises(NotFound):
        remove_vehicle(session, make.driver(), van.id)
    assert van.active
    remove_vehicle(session, make.coordinator(), van.id)
    assert not van.active


def test_a_removed_car_can_no_longer_be_edited(session: Session, make: Factory) -> None:
    """Editing a removed car (the API's PUT, or a page posted by hand) is refused as not found,
    as listing hides it, and its description stays as the shifts that used it knew it."""
    driver, _car, van = _two_cars(session, make)
    remove_vehicle(session, driver, van.id)
    with pytest.raises(NotFound) as refused:
        update_vehicle(session, driver, van.id, VehicleSpec("Bus", 9))
    assert refused.value.fields == {"id": "removed"}
    assert (van.label, van.seats) == ("Van", 7)


def test_an_older_draft_no_longer_keeps_the_car(session: Session, make: Factory) -> None:
    """Tomorrow was planned with the van, the van's time was taken back and the day planned
    again without it: the first draft can no longer be published, so the van may go. While
    the newest draft still gives the van a route, it may not."""
    driver, van, shift_id, first = _van_planned_tomorrow(session, make)
    withdraw_shift(session, driver, shift_id)
    with pytest.raises(Conflict):
        remove_vehicle(session, driver, van.id)  # the newest draft still counts on it
    second = plan_day(session, tomorrow(), FAST)
    assert second.version > first.version and first.status == PlanStatus.DRAFT
    assert [route.vehicle_id for route in second.routes] == []
    remove_vehicle(session, driver, van.id)
    assert not van.active
