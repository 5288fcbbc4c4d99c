"""Places: search them as people type; coordinators add stops and meeting points."""

from __future__ import annotations

from typing import Any

from rides.models import Role
from rides.places import directory
from rides.places.directory import StopSpec
from web.api import schemas
from web.api.auth import ANYONE, current_person, requires
from web.api.blueprint import Blueprint
from web.database import session

bp = Blueprint("places", __name__, url_prefix="/api/v1/places", description="Places")


@bp.get("")
@requires(*ANYONE)
@bp.arguments(schemas.PlaceSearchArgs, location="query")
@bp.response(200, schemas.PlaceMatchOut(many=True))
def search(args: dict[str, Any]) -> Any:
    """Places whose name is close to ``q`` (accents, typos and missing words forgiven)."""
    return directory.search_places(session(), args["q"], args["limit"])


@bp.get("/<int:place_id>")
@requires(*ANYONE)
@bp.response(200, schemas.PlaceOut)
def show(place_id: int) -> Any:
    """One place with its meeting point."""
    return directory.get_place(session(), place_id)


@bp.post("")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.StopIn)
@bp.response(201, schemas.PlaceOut)
def add_stop(args: dict[str, Any]) -> Any:
    """Add a named stop (health centre, station...) inside a municipality."""
    return directory.add_stop(session(), StopSpec(**args), actor=current_person())


@bp.patch("/<int:place_id>")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.MeetingPointIn)
@bp.response(200, schemas.PlaceOut)
def set_meeting_point(args: dict[str, Any], place_id: int) -> Any:
    """Describe where riders wait ("in front of the town hall")."""
    place = directory.get_place(session(), place_id)
    return directory.set_meeting_point(
        session(), place, args["meeting_point"], actor=current_person()
    )
