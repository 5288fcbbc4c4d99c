"""Who may see and change what: every authorization decision of the service, in one module.

Object-level refusals raise NotFound rather than PermissionDenied, so a guessed id tells the
caller nothing about whether the thing exists.
"""

from __future__ import annotations

import datetime as dt

from rides import clock, status_texts
from rides.errors import NotFound, PermissionDenied
from rides.models import (
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Role,
    Route,
    RouteStatus,
    Shift,
    Vehicle,
)

#: Need-to-know over time (docs/privacy.md): a driver reads a route, and so its passengers,
#: from the offer until the end of the day after the route (a late question, a lost glove).
ROUTE_READABLE_DAYS_AFTER = 1


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
    """A driver acts on their own routes only, until the end of the day after the route (what
    the action may do to a route no longer current is the action's to refuse, clearly)."""
    if is_coordinator(actor) or (route.driver_id == actor.id and route_day_open(route.plan.date)):
        return route
    raise _hidden("route", route.id)


def route_day_open(day: dt.date) -> bool:
    """Whether a driver may still read a route of ``day`` (Madrid's calendar decides)."""
    return clock.today() <= day + dt.timedelta(days=ROUTE_READABLE_DAYS_AFTER)


def reads_passengers(actor: Person, route: Route) -> bool:
    """The need-to-know rule, the one place that decides it: a driver reads the passengers of
    their own routes in the day's current published plan, not declined, from the offer until
    the end of the day after the route; a draft, a superseded version or a declined route shows
    them nothing. Coordinators read every route."""
    if is_coordinator(actor):
        return True
    return (
        route.driver_id == actor.id
        and route.plan.status == PlanStatus.PUBLISHED
        and route.status != RouteStatus.DECLINED
        and route_day_open(route.plan.date)
    )


def check_route_passengers(actor: Person, route: Route) -> Route:
    """A route with its passengers if ``reads_passengers`` allows it, else NotFound."""
    if reads_passengers(actor, route):
        return route
    raise _hidden("route", route.id)


def rider_reads_driver(request: RideRequest, route: Route) -> bool:
    """The need-to-know rule the other way round, the one place that decides it: a rider reads
    the first name and car of the driver carrying their trip only on the trip's own day
    (Madrid's calendar), only while the trip is confirmed (or done that day), and only when
    the driver accepted the route of the day's published plan. Before the day the driver may
    still change; after it the rider has no need of it."""
    return (
        clock.today() == request.date
        and request.status in (RequestStatus.SCHEDULED, RequestStatus.DONE)
        and route.plan.status == PlanStatus.PUBLISHED
        and route.plan.date == request.date
        and route.status in (RouteStatus.ACCEPTED, RouteStatus.COMPLETED)
    )


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
    return NotFound(status_texts.not_found(what), id=ident, fields={"id": "unknown"})
