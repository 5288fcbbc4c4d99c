"""People, managed by coordinators (phone bookings need accounts made for others)."""

from __future__ import annotations

from typing import Any

from rides.accounts import people, privacy
from rides.accounts.people import PersonSpec
from rides.models import Role
from web.api import schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.database import session

bp = Blueprint("people", __name__, url_prefix="/api/v1/people", description="People")


@bp.get("")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.PeopleArgs, location="query")
@bp.response(200, schemas.PersonOut(many=True))
def index(args: dict[str, Any]) -> Any:
    """Everyone, or everyone of one role."""
    return people.list_people(session(), args.get("role"))


@bp.post("")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.PersonIn)
@bp.response(201, schemas.PersonOut)
def create(args: dict[str, Any]) -> Any:
    """Create an account for a newcomer, driver or coordinator."""
    role = args.pop("role")
    args["languages"] = tuple(args["languages"])
    return people.register(session(), role, PersonSpec(**args), actor=current_person())


@bp.get("/<int:person_id>")
@requires(Role.COORDINATOR)
@bp.response(200, schemas.PersonOut)
def show(person_id: int) -> Any:
    """One person."""
    return people.get_person(session(), person_id)


@bp.get("/<int:person_id>/export")
@requires(Role.COORDINATOR)
@bp.response(200, schemas.PersonExportOut)
def export(person_id: int) -> Any:
    """Everything stored about a person (the right of access), as JSON."""
    return privacy.export_person(session(), people.get_person(session(), person_id))


@bp.post("/<int:person_id>/erase")
@requires(Role.COORDINATOR)
@bp.response(200, schemas.PersonOut)
def erase(person_id: int) -> Any:
    """Erase a person's personal data; their trips stay, anonymous, in plans and statistics."""
    person = people.get_person(session(), person_id)
    return privacy.erase_person(session(), person, actor=current_person())
