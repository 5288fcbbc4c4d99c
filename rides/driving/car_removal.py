"""Taking a car off the road, refused while a coming shift or a plan that can still be
published counts on it (the car stays stored for the history that used it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from rides import audit, clock
from rides.driving import availability
from rides.errors import Conflict
from rides.models import DayPlan, Person, PlanStatus, Route, RouteStatus, Shift, Vehicle


def remove_vehicle(
    session: Session, actor: Person, vehicle_id: int, *, today: dt.date | None = None
) -> Vehicle:
    """Take a car off the road: no longer offered for new shifts nor to the planner, but kept
    for the history of the shifts, plans and mileage that used it (hence no delete).

    Refused while a coming shift or a plan counts on the car, so that no ride loses its car
    unnoticed: the driver takes that time back first, a plan needs a coordinator. Removing a
    car already removed changes nothing (a second tap on the button is no error).
    """
    vehicle = availability.get_vehicle(session, actor, vehicle_id)
    if not vehicle.active:
        return vehicle
    _refuse_if_in_use(session, vehicle, today or clock.today())
    vehicle.active = False
    session.flush()
    audit.record(session, actor, "remove", "vehicle", vehicle.id)
    return vehicle


def _refuse_if_in_use(session: Session, vehicle: Vehicle, today: dt.date) -> None:
    """Conflict naming the first day from ``today`` on when a shift or a plan uses the car."""
    shift_day = session.scalar(
        select(func.min(Shift.date)).where(
            Shift.vehicle_id == vehicle.id, Shift.withdrawn.is_(False), Shift.date >= today
        )
    )
    if shift_day is not None:
        raise Conflict(
            "This car is used for a time on {date}: take that time back first.",
            code="vehicle_in_use", fields={"vehicle_id": "used by a shift"}, date=shift_day,
        )  # fmt: skip
    # Only a plan that is or may become the day's counts: the published one, and a draft that
    # is the day's newest version (an older draft can no longer be published).
    other = aliased(DayPlan)
    newest = select(func.max(other.version)).where(other.date == DayPlan.date).scalar_subquery()
    plan_day = session.scalar(
        select(func.min(DayPlan.date))
        .join(Route, Route.plan_id == DayPlan.id)
        .where(
            Route.vehicle_id == vehicle.id,
            Route.status != RouteStatus.DECLINED,
            DayPlan.date >= today,
            or_(
                DayPlan.status == PlanStatus.PUBLISHED,
                (DayPlan.status == PlanStatus.DRAFT) & (DayPlan.version == newest),
            ),
        )
    )
    if plan_day is not None:
        raise Conflict(
            "This car is in the plan of {date}: ask a coordinator before removing it.",
            code="vehicle_in_use", fields={"vehicle_id": "used by a plan"}, date=plan_day,
        )  # fmt: skip
