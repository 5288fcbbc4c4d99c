"""Cars and shifts: the solver must never see an impossible availability."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rides import clock
from rides.driving.availability import (
    ShiftSpec,
    VehicleSpec,
    add_shift,
    add_vehicle,
    shifts_on,
    update_vehicle,
    withdraw_shift,
)
from rides.errors import PermissionDenied
from rides.validation import InvalidInput
from tests.factories import SIGUENZA, Factory, tomorrow


def _shift_codes(session: Session, make: Factory, driver=None, **overrides) -> dict[str, str]:
    driver = driver or make.driver()
    fields = {
        "date": tomorrow(),
        "start_time": dt.time(8),
        "end_time": dt.time(12),
        "start_place_id": make.place(SIGUENZA).id,
        **overrides,
    }
    with pytest.raises(InvalidInput) as caught:
        add_shift(session, driver, ShiftSpec(**fields))
    return caught.value.codes


def test_vehicle_rules(session: Session, make: Factory) -> None:
    """Seats 1-8, child seats within seats, at most two wheelchair places, a name."""
    driver = make.driver()
    for spec, expected in [
        (VehicleSpec("Van", 9), {"seats": "out_of_range"}),
        (VehicleSpec("Car", 3, child_seats=4), {"child_seats": "out_of_range"}),
        (VehicleSpec("Car", 3, wheelchair_places=3), {"wheelchair_places": "out_of_range"}),
        (VehicleSpec(" ", 3), {"label": "required"}),
    ]:
        with pytest.raises(InvalidInput) as caught:
            add_vehicle(session, driver, spec)
        assert caught.value.codes == expected


def test_update_vehicle(session: Session, make: Factory) -> None:
    """A driver can change the seats of their car."""
    vehicle = make.driver().vehicles[0]
    update_vehicle(session, vehicle.driver, vehicle.id, VehicleSpec("Van", 6, child_seats=2))
    assert (vehicle.label, vehicle.seats, vehicle.child_seats) == ("Van", 6, 2)


def test_shift_rules(session: Session, make: Factory) -> None:
    """Past dates, inverted windows, unknown places and durations are refused."""
    assert _shift_codes(session, make, date=clock.today() - dt.timedelta(days=1)) == {
        "date": "date_in_past"
    }
    assert _shift_codes(session, make, date=clock.today() + dt.timedelta(days=400)) == {
        "date": "too_far_ahead"
    }
    assert _shift_codes(session, make, start_time=dt.time(12), end_time=dt.time(8)) == {
        "end_time": "window_inverted"
    }
    assert _shift_codes(session, make, start_place_id=999_999) == {
        "start_place_id": "unknown_place"
    }
    assert _shift_codes(session, make, max_duration_min=0) == {"max_duration_min": "out_of_range"}


def test_shift_needs_the_drivers_own_car(session: Session, make: Factory) -> None:
    """Another driver's car, no car, or an unnamed car among several are refused."""
    other = make.driver()
    assert _shift_codes(session, make, vehicle_id=other.vehicles[0].id) == {
        "vehicle_id": "unknown_vehicle"
    }
    no_car = make.person_spec()
    from rides.accounts.people import register_driver

    carless = register_driver(session, no_car)
    assert _shift_codes(session, make, driver=carless) == {"vehicle_id": "no_vehicle"}
    two_cars = make.driver()
    add_vehicle(session, two_cars, VehicleSpec("Second", 2))
    assert _shift_codes(session, make, driver=two_cars) == {"vehicle_id": "vehicle_required"}


def test_only_drivers_have_shifts(session: Session, make: Factory) -> None:
    """A newcomer cannot declare availability."""
    with pytest.raises(PermissionDenied):
        add_vehicle(session, make.newcomer(), VehicleSpec("Car", 3))


def test_shifts_on_lists_available_shifts_in_order(session: Session, make: Factory) -> None:
    """Withdrawn shifts and other days are not offered to the planner."""
    late = make.shift(start_time=dt.time(10), end_time=dt.time(12))
    early = make.shift(start_time=dt.time(7), end_time=dt.time(9))
    gone = make.shift()
    make.shift(date=tomorrow() + dt.timedelta(days=1))
    withdraw_shift(session, gone.driver, gone.id)
    assert shifts_on(session, tomorrow()) == [early, late]
    assert early.end_place_id == early.start_place_id


def test_model_and_colour_are_optional_cleaned_and_bounded(session: Session, make: Factory) -> None:
    """What a rider looks for on the day: trimmed, empty is none, too long or a control
    character is refused on its field; updating without them clears them."""
    vehicle = make.driver().vehicles[0]
    driver = vehicle.driver
    update_vehicle(session, driver, vehicle.id,
                   VehicleSpec("Car", 4, model="  Seat Ibiza ", colour="white"))  # fmt: skip
    assert (vehicle.model, vehicle.colour) == ("Seat Ibiza", "white")
    for spec, expected in [
        (VehicleSpec("Car", 4, model="x" * 61), {"model": "too_long"}),
        (VehicleSpec("Car", 4, colour="white\u202e"), {"colour": "bidi_control"}),
    ]:
        with pytest.raises(InvalidInput) as caught:
            update_vehicle(session, driver, vehicle.id, spec)
        assert caught.value.codes == expected
    update_vehicle(session, driver, vehicle.id, VehicleSpec("Car", 4, model=" ", colour=None))
    assert (vehicle.model, vehicle.colour) == (None, None)
