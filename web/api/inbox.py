"""The coordinators' inbox through the API: replies waiting for a person, and marking one done."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from rides.messaging import inbox
from rides.models import Role
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.database import session

bp = Blueprint("inbox", __name__, url_prefix="/api/v1/inbox", description="Replies to read")


class InboxRideOut(Schema):
    """The ride a reply is about: the sender's next reminded (or booked) ride."""

    request_id = fields.Integer(required=True)
    date = fields.Date(required=True)
    time = fields.Time(required=True, metadata={"description": "pickup, Europe/Madrid"})
    origin = fields.String(required=True)
    destination = fields.String(required=True)
    status = fields.String(required=True)


class InboxItemOut(Schema):
    """A reply no rule could act on (free text, unknown number, a refused yes or no)."""

    id = fields.Integer(required=True)
    channel = fields.String(required=True, metadata={"description": "sms or whatsapp"})
    sender = fields.String(required=True, metadata={"description": "E.164 number"})
    person_id = fields.Integer(allow_none=True, metadata={"description": "None: unknown number"})
    name = fields.String(allow_none=True)
    body = fields.String(required=True)
    received_at = fields.DateTime(required=True)
    ride = fields.Nested(InboxRideOut, allow_none=True)
    handled_at = fields.DateTime(allow_none=True)


@bp.get("")
@requires(Role.COORDINATOR)
@bp.response(200, InboxItemOut(many=True))
def waiting() -> Any:
    """Replies waiting for a coordinator, oldest first."""
    return inbox.inbox(session(), current_person())


@bp.post("/<int:message_id>/done")
@requires(Role.COORDINATOR)
@bp.response(200, InboxItemOut)
def done(message_id: int) -> Any:
    """Mark a reply dealt with (it leaves the inbox); marking it again changes nothing."""
    return inbox.mark_done(session(), current_person(), message_id)
