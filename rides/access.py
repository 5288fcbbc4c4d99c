"""Who may see and change what: every authorization decision of the service, in one module.

Object-level refusals raise NotFound rather than PermissionDenied, so a guessed id tells the
caller nothing about whether the thing exists.
"""

from __future__ import annotations

from rides.errors import NotFound, PermissionDenied
from rides.models import Person, RideRequest, Role, Route, Shift, Vehicle


def is_coordinator(actor: Person) -> bool:
    """Coordinators see and do everything."""
    return actor.role == Role.COORDINATOR


def require_role(actor: Person, *roles: Role) -> None:
    """Refuse an action reserved to other roles."""
    if actor.role not in roles and not is_coordinator(actor):
        raise PermissionDenied(
            "This is for {roles} only.", roles=", ".join(r.value for r in roles), code="forbidden"
        )


def require_coordinator(actor: Person) -> None:
    """Refuse anyone but a coordinator."""
    if not is_coordinator(actor):
        raise PermissionDenied("This is for coordinators only.", code="forbidden")


def check_request(actor: Person, request: RideRequest) -> RideRequest:
    """A rider sees their own requests; coordinators all; drivers none through this path."""
    if is_coordinator(actor) or request.rider_id == actor.id:
        return request
    raise _hidden("ride request", request.id)


def check_route(actor: Person, route: Route) -> Route:
    """A driver sees their own routes only."""
    if is_coordinator(actor) or route.driver_id == actor.id:
        return route
    raise _hidden("route", route.id)


def check_shift(actor: Person, shift: Shift) -> Shift:
    """A driver manages their own shifts only."""
    if is_coordinator(actor) or shift.driver_id == actor.id:
        return shift
    raise _hidden("shift", shift.id)


def check_vehicle(actor: Person, vehicle: Vehicle) -> Vehicle:
    """A driver manages their own cars only."""
    if is_coordinator(actor) or vehicle.driver_id == actor.id:
        return vehicle
    raise _hidden("vehicle", vehicle.id)


def acting_for(actor: Person, person: Person | None) -> Person:
    """Whom an action is for: oneself, or anyone when a coordinator says so."""
    if person is None or person.id == actor.id:
        return actor
    if is_coordinator(actor):
        return person
    raise PermissionDenied("Only coordinators act on behalf of others.", code="forbidden")


def _hidden(what: str, ident: int) -> NotFound:
    return NotFound("No {what} with id {id}.", what=what, id=ident, fields={"id": "unknown"})
