"""People, managed by coordinators (phone bookings need accounts made for others)."""

from __future__ import annotations

from typing import Any

from rides.accounts import deactivation, invitations, people, privacy
from rides.accounts.people import PersonSpec
from rides.models import Person, Role
from web.api import schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.config import invitation_lifetime
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
@bp.response(201, schemas.PersonCreatedOut)
def create(args: dict[str, Any]) -> Any:
    """Create an account for a newcomer, driver or coordinator. Without a password the person
    gets an invitation (sent on their channel; its address is in the answer, this once)."""
    role = args.pop("role")
    args["languages"] = tuple(args["languages"])
    spec = PersonSpec(**args)
    if spec.password:
        return people.register(session(), role, spec, actor=current_person())
    person, issued = invitations.create_and_invite(
        session(), current_person(), role, spec, lifetime=invitation_lifetime()
    )
    return _with_invitation(person, issued)


@bp.put("/<int:person_id>")
@requires(Role.COORDINATOR)
@bp.arguments(schemas.PersonUpdateIn)
@bp.response(200, schemas.PersonOut)
def update(args: dict[str, Any], person_id: int) -> Any:
    """Correct a person's details (phone stored in E.164; a bad one is a field error)."""
    args["languages"] = tuple(args["languages"])
    person = people.get_person(session(), person_id)
    return people.update_person(session(), current_person(), person, PersonSpec(**args))


@bp.post("/<int:person_id>/invitation")
@requires(Role.COORDINATOR)
@bp.response(201, schemas.InvitationOut)
def invite(person_id: int) -> Any:
    """A fresh invitation; the person's older links stop working."""
    person = people.get_person(session(), person_id)
    issued = invitations.invite(session(), current_person(), person, lifetime=invitation_lifetime())
    return {"url": issued.url, "expires_at": issued.invitation.expires_at}


@bp.post("/<int:person_id>/deactivate")
@requires(Role.COORDINATOR)
@bp.response(200, schemas.PersonOut)
def deactivate(person_id: int) -> Any:
    """No more sign-in; trips still waiting for a car are cancelled, future shifts withdrawn."""
    person = people.get_person(session(), person_id)
    return deactivation.deactivate(session(), current_person(), person)


@bp.post("/<int:person_id>/reactivate")
@requires(Role.COORDINATOR)
@bp.response(200, schemas.PersonOut)
def reactivate(person_id: int) -> Any:
    """Let a deactivated person sign in again."""
    person = people.get_person(session(), person_id)
    return deactivation.reactivate(session(), current_person(), person)


def _with_invitation(person: Person, issued: invitations.IssuedLink) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(person, name) for name in schemas.PersonOut().fields}
    out["invitation"] = {"url": issued.url, "expires_at": issued.invitation.expires_at}
    return out


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
