"""Changing the published plan: fitting a waiting request, changes by hand, route changes.

Coordinators ask where a request fits and assign, move, take off or re-time it; drivers answer
the changes proposed to routes they accepted. Every rule is in ``rides.planning``.
"""

from __future__ import annotations

from typing import Any

from rides.models import Role
from rides.planning import plan_edits, route_changes
from web.api import change_schemas as schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.api.schemas import DayArgs
from web.database import session

bp = Blueprint("changes", __name__, url_prefix="/api/v1", description="Plan changes")


@bp.get("/requests/<int:request_id>/fits")
@requires(Role.COORDINATOR)
@bp.response(200, schemas.FitOut(many=True))
def fits(request_id: int) -> Any:
    """Where a waiting (late or same-day) request fits the published plan, best first; no
    promised time moves."""
    return plan_edits.fit_options(session(), current_person(), request_id)


@bp.post("/requests/<int:request_id>/assign")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.ShiftChoiceIn)
@bp.response(200, schemas.EditOut)
def assign(args: dict[str, Any], request_id: int) -> Any:
    """Put a waiting request on a driver's route (published, or proposed if accepted)."""
    return plan_edits.assign(session(), current_person(), request_id, args["shift_id"])


@bp.post("/requests/<int:request_id>/move")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.ShiftChoiceIn)
@bp.response(200, schemas.EditOut)
def move(args: dict[str, Any], request_id: int) -> Any:
    """Give a request on an offered route to another driver."""
    return plan_edits.move(session(), current_person(), request_id, args["shift_id"])


@bp.post("/requests/<int:request_id>/take-off")
@requires(Role.COORDINATOR)
@bp.response(200, schemas.EditOut)
def take_off(request_id: int) -> Any:
    """Take a request off its route; it waits for another driver."""
    return plan_edits.remove(session(), current_person(), request_id)


@bp.post("/requests/<int:request_id>/retime")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.RetimeIn)
@bp.response(200, schemas.EditOut)
def retime(args: dict[str, Any], request_id: int) -> Any:
    """Move a rider's pickup inside their window; nobody else's time moves."""
    return plan_edits.retime(session(), current_person(), request_id, args["pickup_at"])


@bp.get("/route-changes")
@requires(Role.DRIVER)
@bp.arguments(DayArgs, location="query")
@bp.response(200, schemas.RouteChangeOut(many=True))
def pending(args: dict[str, Any]) -> Any:
    """Changes waiting for my answer on a day (a coordinator's: every driver's)."""
    return route_changes.pending_changes(session(), current_person(), args["date"])


@bp.get("/route-changes/<int:change_id>")
@requires(Role.DRIVER)
@bp.response(200, schemas.RouteChangeOut)
def show(change_id: int) -> Any:
    """One proposed change: what my route would become."""
    return route_changes.get_change(session(), current_person(), change_id)


@bp.post("/route-changes/<int:change_id>/accept")
@requires(Role.DRIVER)
@bp.response(200, schemas.EditOut)
def accept(change_id: int) -> Any:
    """Take the change: the day's new version has my route as proposed."""
    plan = route_changes.accept_change(session(), current_person(), change_id)
    return {
        "plan": plan,
        "proposal": route_changes.get_change(session(), current_person(), change_id),
    }


@bp.post("/route-changes/<int:change_id>/decline")
@requires(Role.DRIVER)
@bp.arguments(schemas.ChangeDeclineIn)
@bp.response(200, schemas.RouteChangeOut)
def decline(args: dict[str, Any], change_id: int) -> Any:
    """Keep my accepted route as it is; the coordinator is told."""
    return route_changes.decline_change(session(), current_person(), change_id, args["reason"])
