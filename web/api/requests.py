"""Ride requests: newcomers book and cancel; coordinators do it for them and place them."""

from __future__ import annotations

from typing import Any

from rides import access
from rides.accounts import people
from rides.booking import note_changes, ride_requests
from rides.booking.notices import BookingNotice
from rides.booking.ride_requests import RideSpec
from rides.models import RideRequest, Role
from rides.planning import pins
from web.api import schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.database import session
from web.limits import booking_limits, limited
from web.notices import booking_notice


class _Booked:
    """A booked request as the response shows it: the request's fields and its notice."""

    def __init__(self, request: RideRequest, notice: BookingNotice) -> None:
        self._request = request
        self.notice = notice

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


bp = Blueprint("requests", __name__, url_prefix="/api/v1/requests", description="Ride requests")


@bp.post("")
@requires(Role.NEWCOMER)
@limited(booking_limits)
@bp.arguments(schemas.RideRequestIn)
@bp.response(201, schemas.BookedRequestOut(many=True))
def create(args: dict[str, Any]) -> Any:
    """Book a ride (with its return and weekly repetitions); a coordinator may name the rider.

    Each created trip carries a ``notice``: what happens next and by when the rider hears, in
    the caller's language. A trip booked before its day's cut-off is ``booked`` (the pickup time
    comes with the evening's plan); one booked after the cut-off (``late_before_planning``,
    ``late``) or for today (``same_day``) waits for a coordinator, who answers by ``answer_by``;
    ``urgent`` means too soon for an answer: a coordinator calls if a driver can go.
    """
    actor = current_person()
    rider_id = args.pop("rider_id")
    rider = people.get_person(session(), rider_id) if rider_id else None
    booked = ride_requests.book_ride(session(), actor, RideSpec(**args), rider=rider)
    return [_Booked(r, booking_notice(r, actor.preferred_language)) for r in booked]


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


@bp.post("/<int:request_id>/note")
@requires(Role.NEWCOMER)
@bp.arguments(schemas.NoteIn)
@bp.response(200, schemas.RideRequestOut(many=True))
def note(args: dict[str, Any], request_id: int) -> Any:
    """Change the note for the driver on the trip and its way back (the ways still to come),
    and with ``whole_series`` on every later week of its series; returns the ways whose note
    changed. A driver who accepted the route hears of it."""
    return note_changes.change_driver_note(session(), current_person(), request_id,
                                           args["driver_note"],
                                           whole_series=args["whole_series"])  # fmt: skip


@bp.post("/<int:request_id>/pin")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.PinIn)
@bp.response(200, schemas.RideRequestOut)
def pin(args: dict[str, Any], request_id: int) -> Any:
    """Keep a request with a driver's shift at the next re-plan (null to release it)."""
    return pins.pin_request(session(), current_person(), request_id, args["shift_id"])
