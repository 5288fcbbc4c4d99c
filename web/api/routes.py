"""Drivers' routes: read, accept or decline, and record each stop on the day."""

from __future__ import annotations

from typing import Any

from rides.driving import routes
from rides.models import Role, StopStatus
from web.api import schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.database import session

bp = Blueprint("routes", __name__, url_prefix="/api/v1", description="Routes and stops")


@bp.get("/routes")
@requires(Role.DRIVER)
@bp.arguments(schemas.DayArgs, location="query")
@bp.response(200, schemas.RouteOut(many=True))
def index(args: dict[str, Any]) -> Any:
    """My routes of the day's published plan (a coordinator's: everyone's)."""
    return routes.routes_of(session(), args["date"], current_person())


@bp.get("/routes/<int:route_id>")
@requires(Role.DRIVER)
@bp.response(200, schemas.RouteOut)
def show(route_id: int) -> Any:
    """One route with its stops, times and passengers."""
    return routes.get_route(session(), route_id, current_person())


@bp.post("/routes/<int:route_id>/accept")
@requires(Role.DRIVER)
@bp.response(200, schemas.RouteOut)
def accept(route_id: int) -> Any:
    """Take the route (only once: a second accept is a conflict)."""
    return routes.accept_route(session(), current_person(), route_id)


@bp.post("/routes/<int:route_id>/decline")
@requires(Role.DRIVER)
@bp.arguments(schemas.DeclineIn)
@bp.response(200, schemas.RouteOut)
def decline(args: dict[str, Any], route_id: int) -> Any:
    """Decline the route: the day is re-planned without me."""
    return routes.decline_route(session(), current_person(), route_id, args["reason"])


@bp.post("/stops/<int:stop_id>/done")
@requires(Role.DRIVER)
@bp.arguments(schemas.StopOutcomeIn)
@bp.response(200, schemas.StopOut)
def done(args: dict[str, Any], stop_id: int) -> Any:
    """The passenger got in (pickup) or out (drop-off)."""
    return routes.record_stop(
        session(), current_person(), stop_id, StopStatus.DONE, args["reason"]
    )


@bp.post("/stops/<int:stop_id>/no-show")
@requires(Role.DRIVER)
@bp.arguments(schemas.StopOutcomeIn)
@bp.response(200, schemas.StopOut)
def no_show(args: dict[str, Any], stop_id: int) -> Any:
    """The passenger was not at the pickup."""
    return routes.record_stop(
        session(), current_person(), stop_id, StopStatus.NO_SHOW, args["reason"]
    )
