"""Drivers' cars and availability shifts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import access, audit, clock
from rides.errors import NotFound, PermissionDenied
from rides.models import (
    Person,
    Place,
    Role,
    Shift,
    Vehicle,
)
from rides.places.lookup import resolve_fields
from rides.validation import Checks, check_wall_clock, clean_text

MAX_SEATS = 8
#: How far ahead availability may be given.
HORIZON_DAYS = 366
#: A weekly repeat covers at most half a year: further ahead it is a guess, not a promise.
MAX_WEEKS = 26


@dataclass(frozen=True)
class VehicleSpec:
    """A car as its driver describes it; seats exclude the driver's."""

    label: str
    seats: int
    child_seats: int = 0
    wheelchair_places: int = 0
    #: What a rider looks for on the day ("Seat Ibiza", "white"); optional.
    model: str | None = None
    colour: str | None = None


@dataclass(frozen=True)
class CarLooks:
    """A car's model and colour, cleaned."""

    model: str | None
    colour: str | None


@dataclass(frozen=True)
class ShiftDraft:
    """A shift as typed on the page: place names instead of ids."""

    date: dt.date
    start_time: dt.time
    end_time: dt.time
    start_place: str
    end_place: str | None = None
    #: Which of the driver's cars; may be left out when they have only one.
    vehicle_id: int | None = None


@dataclass(frozen=True)
class Availability:
    """A driver's coming shifts, every active car, and the car their latest shift uses (what
    a new shift is offered with unless they choose another)."""

    shifts: list[Shift]
    cars: tuple[Vehicle, ...] = ()
    last_car_id: int | None = None


@dataclass(frozen=True)
class ShiftSpec:
    """When and from where a driver is free; the end place defaults to the start place."""

    date: dt.date
    start_time: dt.time
    end_time: dt.time
    start_place_id: int
    end_place_id: int | None = None
    vehicle_id: int | None = None
    max_duration_min: int | None = None


def add_vehicle(
    session: Session, actor: Person, spec: VehicleSpec, *, driver: Person | None = None
) -> Vehicle:
    """Register a car for the actor, or for ``driver`` when a coordinator says so."""
    driver = access.acting_for(actor, driver)
    _require_driver(driver)
    checks = Checks()
    label = _check_vehicle(checks, spec)
    looks = _check_looks(checks, spec)
    checks.raise_if_any()
    vehicle = Vehicle(
        driver=driver,
        label=label,
        seats=spec.seats,
        child_seats=spec.child_seats,
        wheelchair_places=spec.wheelchair_places,
        model=looks.model,
        colour=looks.colour,
    )
    session.add(vehicle)
    session.flush()
    audit.record(session, actor, "add", "vehicle", vehicle.id, seats=spec.seats)
    return vehicle


def update_vehicle(session: Session, actor: Person, vehicle_id: int, spec: VehicleSpec) -> Vehicle:
    """Change the description of a car the actor may manage and that is still in use.

    A removed car is not found here, as it is not listed: its description is the history of
    the shifts that used it, and a change would rewrite that history unseen.
    """
    vehicle = get_vehicle(session, actor, vehicle_id)
    if not vehicle.active:
        raise NotFound("No vehicle with id {id}.", id=vehicle_id, fields={"id": "removed"})
    checks = Checks()
    label = _check_vehicle(checks, spec)
    looks = _check_looks(checks, spec)
    checks.raise_if_any()
    assert label is not None  # a missing label was refused above
    vehicle.label = label
    vehicle.seats = spec.seats
    vehicle.child_seats = spec.child_seats
    vehicle.wheelchair_places = spec.wheelchair_places
    vehicle.model, vehicle.colour = looks.model, looks.colour
    session.flush()
    audit.record(session, actor, "update", "vehicle", vehicle.id, seats=spec.seats)
    return vehicle


def add_shift(
    session: Session,
    actor: Person,
    spec: ShiftSpec | ShiftDraft,
    *,
    driver: Person | None = None,
) -> Shift:
    """Record that a driver is free; checked so the solver never sees an impossible shift.

    The driver is the actor, or ``driver`` when a coordinator says so. Places come as ids
    (API) or as typed names (pages), resolved the way every page resolves them.
    """
    driver = access.acting_for(actor, driver)
    _require_driver(driver)
    spec = _with_place_ids(session, spec)
    checks = Checks()
    vehicle = _check_shift(session, checks, driver, spec)
    checks.raise_if_any()
    assert vehicle is not None
    shift = Shift(
        driver=driver,
        vehicle=vehicle,
        date=spec.date,
        start_time=spec.start_time,
        end_time=spec.end_time,
        start_place_id=spec.start_place_id,
        end_place_id=spec.end_place_id or spec.start_place_id,
        max_duration_min=spec.max_duration_min,
    )
    session.add(shift)
    session.flush()
    audit.record(session, actor, "add", "shift", shift.id, date=spec.date)
    return shift


def add_weekly_shifts(
    session: Session, actor: Person, draft: ShiftDraft, until: dt.date
) -> list[Shift]:
    """The same time every week from the draft's day to ``until`` (inclusive), for volunteers
    who drive every Tuesday: said once, not twenty times. All or nothing: a day that cannot
    be offered (a time that does not exist on a DST night) refuses the lot, naming that day."""
    checks = Checks()
    if until < draft.date:
        checks.fail(
            "repeat_until", "repeat_before_start", "The last day must be on or after the first day."
        )
    elif (until - draft.date).days // 7 + 1 > MAX_WEEKS:
        checks.fail(
            "repeat_until", "too_many_weeks", "At most {weeks} weeks at once.", weeks=MAX_WEEKS
        )
    checks.raise_if_any()
    spec = _with_place_ids(session, draft)
    days = range(0, (until - spec.date).days + 1, 7)
    return [
        add_shift(session, actor, dataclasses.replace(spec, date=spec.date + dt.timedelta(days=n)))
        for n in days
    ]


def update_shift(session: Session, actor: Person, shift_id: int, spec: ShiftSpec) -> Shift:
    """Change a shift's day, times, places or car, under the same rules as a new one."""
    shift = get_shift(session, actor, shift_id)
    checks = Checks()
    vehicle = _check_shift(session, checks, shift.driver, spec)
    checks.raise_if_any()
    assert vehicle is not None
    shift.vehicle = vehicle
    shift.date, shift.start_time, shift.end_time = spec.date, spec.start_time, spec.end_time
    shift.start_place_id = spec.start_place_id
    shift.end_place_id = spec.end_place_id or spec.start_place_id
    shift.max_duration_min = spec.max_duration_min
    session.flush()
    audit.record(session, actor, "update", "shift", shift.id, date=spec.date)
    return shift


def find_shifts(
    session: Session, *, day: dt.date | None = None, driver_id: int | None = None
) -> list[Shift]:
    """Shifts not withdrawn, by day and/or driver, in time order."""
    query = select(Shift).where(Shift.withdrawn.is_(False))
    if day is not None:
        query = query.where(Shift.date == day)
    if driver_id is not None:
        query = query.where(Shift.driver_id == driver_id)
    return list(session.scalars(query.order_by(Shift.date, Shift.start_time, Shift.id)))


def vehicles_of(session: Session, driver: Person) -> list[Vehicle]:
    """A driver's active cars."""
    query = select(Vehicle).where(Vehicle.driver_id == driver.id, Vehicle.active.is_(True))
    return list(session.scalars(query.order_by(Vehicle.id)))


def get_vehicle(session: Session, actor: Person, vehicle_id: int) -> Vehicle:
    """A car the actor may manage (their own; coordinators any), else NotFound."""
    vehicle = session.get(Vehicle, vehicle_id)
    if vehicle is None:
        raise NotFound("No vehicle with id {id}.", id=vehicle_id, fields={"id": "unknown"})
    return access.check_vehicle(actor, vehicle)


def withdraw_shift(session: Session, actor: Person, shift_id: int) -> Shift:
    """Take back availability; the shift stays for the history of plans that used it."""
    shift = get_shift(session, actor, shift_id)
    shift.withdrawn = True
    session.flush()
    audit.record(session, actor, "withdraw", "shift", shift.id)
    return shift


def my_availability(
    session: Session, driver: Person, *, today: dt.date | None = None
) -> Availability:
    """The driver's shifts from today on, their active cars and the one last used."""
    today = today or clock.today()
    shifts = [s for s in find_shifts(session, driver_id=driver.id) if s.date >= today]
    cars = vehicles_of(session, driver)
    return Availability(shifts, tuple(cars), last_used_car(session, driver, cars))


def last_used_car(session: Session, driver: Person, cars: list[Vehicle]) -> int | None:
    """The active car of the driver's most recently given shift; else their first car."""
    active = {car.id for car in cars}
    recent = session.scalars(
        select(Shift.vehicle_id)
        .where(Shift.driver_id == driver.id)
        .order_by(Shift.id.desc())
        .limit(20)
    )
    return next((v for v in recent if v in active), cars[0].id if cars else None)


def shifts_on(session: Session, day: dt.date) -> list[Shift]:
    """Every available shift of a day, in start order."""
    query = (
        select(Shift)
        .where(Shift.date == day, Shift.withdrawn.is_(False))
        .order_by(Shift.start_time, Shift.id)
    )
    return list(session.scalars(query))


def largest_vehicle_seats(session: Session) -> int | None:
    """Most passenger seats of any active car, None when no car is registered yet."""
    largest: int | None = session.scalar(
        select(func.max(Vehicle.seats)).where(Vehicle.active.is_(True))
    )
    return largest


def _require_driver(person: Person) -> None:
    if person.role != Role.DRIVER:
        raise PermissionDenied(
            "Only drivers have cars and shifts.",
            code="not_a_driver",
            fields={"driver": "not a driver"},
        )


def _check_vehicle(checks: Checks, spec: VehicleSpec) -> str | None:
    """Every rule of a car's description; its cleaned label."""
    label = clean_text(checks, "label", spec.label, max_length=80)
    if label is None and not checks.has("label"):
        checks.fail("label", "required", "Give the car a name, e.g. 'white Dacia'.")
    if not 1 <= spec.seats <= MAX_SEATS:
        checks.fail("seats", "out_of_range", "Between {min} and {max} seats.", min=1, max=MAX_SEATS)
    if not 0 <= spec.child_seats <= max(spec.seats, 0):
        checks.fail("child_seats", "out_of_range", "Between 0 and the number of seats.")
    if not 0 <= spec.wheelchair_places <= 2:
        checks.fail("wheelchair_places", "out_of_range", "Between {min} and {max}.", min=0, max=2)
    return label


def _check_looks(checks: Checks, spec: VehicleSpec) -> CarLooks:
    """Model and colour as stored (both optional, cleaned like every other text)."""
    return CarLooks(
        clean_text(checks, "model", spec.model, max_length=60),
        clean_text(checks, "colour", spec.colour, max_length=30),
    )


def _check_shift(
    session: Session, checks: Checks, driver: Person, spec: ShiftSpec
) -> Vehicle | None:
    if spec.date < clock.today():
        checks.fail("date", "date_in_past", "The date {date} is in the past.", date=spec.date)
    elif (spec.date - clock.today()).days > HORIZON_DAYS:
        checks.fail("date", "too_far_ahead", "At most {days} days ahead.", days=HORIZON_DAYS)
    wall_clock = check_wall_clock(checks, "start_time", spec.start_time, [spec.date])
    wall_clock &= check_wall_clock(checks, "end_time", spec.end_time, [spec.date])
    if wall_clock and spec.start_time >= spec.end_time:
        checks.fail("end_time", "window_inverted", "The end time must be after the start time.")
    for name, place_id in (
        ("start_place_id", spec.start_place_id),
        ("end_place_id", spec.end_place_id),
    ):
        if place_id is not None and session.get(Place, place_id) is None:
            checks.fail(name, "unknown_place", "No place with id {id}.", id=place_id)
    if spec.max_duration_min is not None and spec.max_duration_min <= 0:
        checks.fail("max_duration_min", "out_of_range", "Must be a positive number of minutes.")
    return _shift_vehicle(session, checks, driver, spec.vehicle_id)


def _shift_vehicle(
    session: Session, checks: Checks, driver: Person, vehicle_id: int | None
) -> Vehicle | None:
    """The given car, which must be the driver's own and in use (a car of someone else is
    refused, whoever asks); else the driver's only active car."""
    if vehicle_id is not None:
        vehicle = session.get(Vehicle, vehicle_id)
        if vehicle is None or vehicle.driver_id != driver.id:
            checks.fail(
                "vehicle_id",
                "unknown_vehicle",
                "This driver has no car with id {id}.",
                id=vehicle_id,
            )
            return None
        if not vehicle.active:
            checks.fail(
                "vehicle_id", "inactive_vehicle", "This car is no longer in use: choose another."
            )
            return None
        return vehicle
    active = [v for v in driver.vehicles if v.active]
    if not active:
        checks.fail("vehicle_id", "no_vehicle", "Register a car before giving availability.")
        return None
    if len(active) > 1:
        checks.fail("vehicle_id", "vehicle_required", "Say which car you will drive.")
        return None
    return active[0]


def get_shift(session: Session, actor: Person, shift_id: int) -> Shift:
    """A shift the actor may manage (their own; coordinators any), else NotFound."""
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("No shift with id {id}.", id=shift_id, fields={"id": "unknown"})
    return access.check_shift(actor, shift)


def _with_place_ids(session: Session, spec: ShiftSpec | ShiftDraft) -> ShiftSpec:
    """A typed draft's places found by name (the end place defaults to the start)."""
    if isinstance(spec, ShiftSpec):
        return spec
    places = resolve_fields(
        session,
        {"start_place": spec.start_place, "end_place": spec.end_place},
        optional=frozenset({"end_place"}),
    )
    start, end = places["start_place"], places["end_place"]
    assert start is not None
    return ShiftSpec(
        date=spec.date, start_time=spec.start_time, end_time=spec.end_time,
        start_place_id=start.id, end_place_id=end.id if end is not None else None,
        vehicle_id=spec.vehicle_id,
    )  # fmt: skip
