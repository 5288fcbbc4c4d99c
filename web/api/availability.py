"""Drivers' cars and availability shifts."""

from __future__ import annotations

from typing import Any

from rides import access
from rides.accounts import people
from rides.driving import availability, car_removal
from rides.driving.availability import ShiftSpec, VehicleSpec
from rides.models import Person, Role
from web.api import schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.database import session

bp = Blueprint("availability", __name__, url_prefix="/api/v1", description="Cars and shifts")


def _named_driver(driver_id: int | None) -> Person | None:
    """The driver a coordinator names, if any (the service decides whether they may)."""
    return people.get_person(session(), driver_id, Role.DRIVER) if driver_id else None


def _driver(driver_id: int | None) -> Person:
    return access.acting_for(current_person(), _named_driver(driver_id))


@bp.get("/vehicles")
@requires(Role.DRIVER)
@bp.arguments(schemas.OptionalDayArgs, location="query")
@bp.response(200, schemas.VehicleOut(many=True))
def vehicles(args: dict[str, Any]) -> Any:
    """My cars (a coordinator passes driver_id)."""
    return availability.vehicles_of(session(), _driver(args["driver_id"]))


@bp.post("/vehicles")
@requires(Role.DRIVER)
@bp.arguments(schemas.VehicleIn)
@bp.response(201, schemas.VehicleOut)
def add_vehicle(args: dict[str, Any]) -> Any:
    """Register a car."""
    driver = _named_driver(args.pop("driver_id"))
    return availability.add_vehicle(session(), current_person(), VehicleSpec(**args), driver=driver)


@bp.put("/vehicles/<int:vehicle_id>")
@requires(Role.DRIVER)
@bp.arguments(schemas.VehicleIn)
@bp.response(200, schemas.VehicleOut)
def update_vehicle(args: dict[str, Any], vehicle_id: int) -> Any:
    """Change a car's seats or name."""
    args.pop("driver_id")
    spec = VehicleSpec(**args)
    return availability.update_vehicle(session(), current_person(), vehicle_id, spec)


@bp.delete("/vehicles/<int:vehicle_id>")
@requires(Role.DRIVER)
@bp.response(200, schemas.VehicleOut)
def remove_vehicle(vehicle_id: int) -> Any:
    """Take a car off the road (kept for the history of the shifts and plans that used it);
    409 naming the first day a coming shift or plan counts on it."""
    return car_removal.remove_vehicle(session(), current_person(), vehicle_id)


@bp.get("/shifts")
@requires(Role.DRIVER)
@bp.arguments(schemas.OptionalDayArgs, location="query")
@bp.response(200, schemas.ShiftOut(many=True))
def shifts(args: dict[str, Any]) -> Any:
    """My availability (a coordinator sees everyone's, or one driver's)."""
    actor = current_person()
    driver_id = args["driver_id"] if access.is_coordinator(actor) else actor.id
    return availability.find_shifts(session(), day=args["date"], driver_id=driver_id)


@bp.post("/shifts")
@requires(Role.DRIVER)
@bp.arguments(schemas.ShiftIn)
@bp.response(201, schemas.ShiftOut)
def add_shift(args: dict[str, Any]) -> Any:
    """Say when and from where I can drive."""
    driver = _named_driver(args.pop("driver_id"))
    return availability.add_shift(session(), current_person(), ShiftSpec(**args), driver=driver)


@bp.put("/shifts/<int:shift_id>")
@requires(Role.DRIVER)
@bp.arguments(schemas.ShiftIn)
@bp.response(200, schemas.ShiftOut)
def update_shift(args: dict[str, Any], shift_id: int) -> Any:
    """Change a shift's times or places."""
    args.pop("driver_id")
    spec = ShiftSpec(**args)
    return availability.update_shift(session(), current_person(), shift_id, spec)


@bp.delete("/shifts/<int:shift_id>")
@requires(Role.DRIVER)
@bp.response(204)
def withdraw_shift(shift_id: int) -> None:
    """Take back availability."""
    availability.withdraw_shift(session(), current_person(), shift_id)
