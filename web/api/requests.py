"""Ride requests: newcomers book and cancel; coordinators do it for them and place them."""

from __future__ import annotations

from typing import Any

from rides import access
from rides.accounts import people
from rides.booking import ride_requests
from rides.booking.ride_requests import RideSpec
from rides.models import Role
from rides.planning import pins
from web.api import schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.database import session
from web.limits import booking_limits, limited

bp = Blueprint("requests", __name__, url_prefix="/api/v1/requests", description="Ride requests")


@bp.post("")
@requires(Role.NEWCOMER)
@limited(booking_limits)
@bp.arguments(schemas.RideRequestIn)
@bp.response(201, schemas.RideRequestOut(many=True))
def create(args: dict[str, Any]) -> Any:
    """Book a ride (with its return and weekly repetitions); a coordinator may name the rider."""
    actor = current_person()
    rider_id = args.pop("rider_id")
    rider = people.get_person(session(), rider_id) if rider_id else None
    return ride_requests.book_ride(session(), actor, RideSpec(**args), rider=rider)


@bp.get("")
@requires(Role.NEWCOMER)
@bp.arguments(schemas.RequestListArgs, location="query")
@bp.response(200, schemas.RideRequestOut(many=True))
def index(args: dict[str, Any]) -> Any:
    """A newcomer's own requests; a coordinator's view of everyone's, filtered."""
    actor = current_person()
    if not access.is_coordinator(actor):
        args["rider_id"] = actor.id
    return ride_requests.find_requests(session(), **args)


@bp.get("/<int:request_id>")
@requires(Role.NEWCOMER)
@bp.response(200, schemas.RideRequestOut)
def show(request_id: int) -> Any:
    """One request with its status and confirmed pickup."""
    return ride_requests.get_request(session(), current_person(), request_id)


@bp.post("/<int:request_id>/cancel")
@requires(Role.NEWCOMER)
@bp.arguments(schemas.CancelIn)
@bp.response(200, schemas.RideRequestOut(many=True))
def cancel(args: dict[str, Any], request_id: int) -> Any:
    """Cancel a trip (and its return), or the whole weekly series from it on."""
    return ride_requests.cancel_ride(session(), current_person(), request_id, **args)


@bp.post("/<int:request_id>/pin")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.PinIn)
@bp.response(200, schemas.RideRequestOut)
def pin(args: dict[str, Any], request_id: int) -> Any:
    """Keep a request with a driver's shift at the next re-plan (null to release it)."""
    return pins.pin_request(session(), current_person(), request_id, args["shift_id"])
