"""What the API's plan changes accept and return: fits, changes by hand, route changes."""

from __future__ import annotations

from marshmallow import Schema, fields

from rides.models import ChangeStatus
from web.api.fields import Text, ident
from web.api.plan_schemas import DriverBrief, PlanOut
from web.api.schemas import Strict, _enum


class FitOut(Schema):
    """One driver who can take the request, and what it costs them."""

    shift_id = fields.Integer(required=True)
    driver = fields.Nested(DriverBrief, required=True)
    accepted = fields.Boolean(
        required=True, metadata={"description": "the route is accepted: choosing it proposes"}
    )
    pickup_at = fields.DateTime(required=True)
    added_minutes = fields.Integer(required=True)
    added_km = fields.Float(required=True)


class ShiftChoiceIn(Strict):
    shift_id = ident(required=True)


class RetimeIn(Strict):
    pickup_at = fields.Time(required=True, metadata={"description": "local time, HH:MM"})


class ChangeStopOut(Schema):
    request_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    place_id = fields.Integer(required=True)
    #: Stored as written when proposed: an ISO 8601 instant with its offset.
    planned_at = fields.String(required=True, metadata={"format": "date-time"})


class ChangeSummaryOut(Schema):
    added = fields.List(fields.Integer(), required=True)
    removed = fields.List(fields.Integer(), required=True)
    moved = fields.List(fields.Dict(), required=True)


class RouteChangeOut(Schema):
    """A change proposed to the driver of an accepted route: what it would make of it."""

    id = fields.Integer(required=True)
    date = fields.Date(required=True)
    shift_id = fields.Integer(required=True)
    status = _enum(ChangeStatus)
    kind = fields.String(required=True)
    summary = fields.Nested(ChangeSummaryOut, required=True)
    stops = fields.List(fields.Nested(ChangeStopOut), required=True)
    distance_m = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    answered_at = fields.DateTime(allow_none=True)


class EditOut(Schema):
    """A change by hand: the new published version, or the proposal waiting for a driver."""

    plan = fields.Nested(PlanOut, allow_none=True)
    proposal = fields.Nested(RouteChangeOut, allow_none=True)


class ChangeDeclineIn(Strict):
    reason = Text(300, load_default=None, allow_none=True)
