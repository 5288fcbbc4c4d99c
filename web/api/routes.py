"""Drivers' routes: read, accept or decline, and record each stop on the day."""

from __future__ import annotations

from typing import Any

from rides.driving import routes
from rides.models import Role, StopStatus
from web.api import plan_schemas, schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.database import session

bp = Blueprint("routes", __name__, url_prefix="/api/v1", description="Routes and stops")


@bp.get("/routes")
@requires(Role.DRIVER)
@bp.arguments(schemas.DayArgs, location="query")
@bp.response(200, plan_schemas.RouteOut(many=True))
def index(args: dict[str, Any]) -> Any:
    """My routes of the day's published plan (a coordinator's: everyone's)."""
    return routes.routes_of(session(), args["date"], current_person())


@bp.get("/routes/<int:route_id>")
@requires(Role.DRIVER)
@bp.response(200, plan_schemas.RouteOut)
def show(route_id: int) -> Any:
    """One route with its stops, times and passengers."""
    return routes.get_route(session(), route_id, current_person())


@bp.post("/routes/<int:route_id>/accept")
@requires(Role.DRIVER)
@bp.response(200, plan_schemas.RouteOut)
def accept(route_id: int) -> Any:
    """Take the route (only once: a second accept is a conflict)."""
    return routes.accept_route(session(), current_person(), route_id)


@bp.post("/routes/<int:route_id>/decline")
@requires(Role.DRIVER)
@bp.arguments(plan_schemas.DeclineIn)
@bp.response(200, plan_schemas.RouteOut)
def decline(args: dict[str, Any], route_id: int) -> Any:
    """Decline the route: the day is re-planned without me."""
    return routes.decline_route(session(), current_person(), route_id, args["reason"])


@bp.post("/routes/<int:route_id>/take-back")
@requires(Role.DRIVER)
@bp.response(200, plan_schemas.RouteOut)
@bp.alt_response(
    409, schema=schemas.ErrorSchema, description="Refused: `not_declined`, `replanned`, `day_over`."
)
def take_back(route_id: int) -> Any:
    """Take back my decline: the route is mine again, accepted as it was offered, as long as
    no re-plan of the day has been published since."""
    return routes.take_back_decline(session(), current_person(), route_id)


#: What a refused mark or undo answers (409), by ``error.code``.
MARK_CONFLICTS = (
    "Refused: `not_route_day` (stops are marked on the route's own day, Europe/Madrid), "
    "`route_not_accepted`, `stale_plan` (not the published plan), `already_recorded`, "
    "`invalid_outcome`, `dropoff_marked`, `undo_expired` (more than 10 minutes), "
    "`not_marked`, `not_undoable` (a skipped drop-off: undo its pickup's no-show), "
    "`concurrent_change`."
)


@bp.post("/stops/<int:stop_id>/done")
@requires(Role.DRIVER)
@bp.arguments(plan_schemas.StopOutcomeIn)
@bp.response(200, plan_schemas.StopOut)
@bp.alt_response(409, schema=schemas.ErrorSchema, description=MARK_CONFLICTS)
def done(args: dict[str, Any], stop_id: int) -> Any:
    """The passenger got in (pickup) or out (drop-off).

    Only on the route's own day, once the route is accepted; a drop-off done makes the trip
    done. The mark can be undone for 10 minutes (``POST /stops/{id}/undo``).
    """
    return routes.record_stop(session(), current_person(), stop_id, StopStatus.DONE, args["reason"])


@bp.post("/stops/<int:stop_id>/no-show")
@requires(Role.DRIVER)
@bp.arguments(plan_schemas.StopOutcomeIn)
@bp.response(200, plan_schemas.StopOut)
@bp.alt_response(409, schema=schemas.ErrorSchema, description=MARK_CONFLICTS)
def no_show(args: dict[str, Any], stop_id: int) -> Any:
    """The passenger was not at the pickup: this call is the driver's confirmation.

    There is no second step here: a client asks the driver before calling (the driver's page
    does). Only a pickup, only on the route's own day. The trip becomes a no-show and its
    drop-off is `skipped` (not needed, not "absent"); a return trip is flagged to the
    coordinator, who keeps or cancels it. Can be undone for 10 minutes
    (``POST /stops/{id}/undo``), which also brings the drop-off back.
    """
    return routes.record_stop(
        session(), current_person(), stop_id, StopStatus.NO_SHOW, args["reason"]
    )


@bp.post("/stops/<int:stop_id>/undo")
@requires(Role.DRIVER)
@bp.response(200, plan_schemas.StopOut)
@bp.alt_response(409, schema=schemas.ErrorSchema, description=MARK_CONFLICTS)
def undo(stop_id: int) -> Any:
    """Take back a mark (done or no-show) made less than 10 minutes ago.

    The stop is to be marked again (a drop-off skipped by the no-show too); the trip and the
    route go back to scheduled and accepted. Audited. Older marks are history: 409
    `undo_expired`. `undo_until` on a stop says until when its mark can be undone.
    """
    return routes.undo_stop(session(), current_person(), stop_id)
