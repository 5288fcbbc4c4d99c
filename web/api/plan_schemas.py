"""What the API's routes and day plans return and accept: routes, their stops and
passengers, plans and the requests they could not serve."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing, pre_dump, validate

from matching.problem import CAPACITY_NAMES
from rides.driving.routes import undoable_until
from rides.models import PlanStatus, RouteStatus, StopKind, StopStatus, UnservedRequest
from rides.planning.versions import unserved_params
from web.api.fields import Text
from web.api.schemas import PlaceBrief, Strict, _enum


class PassengerOut(Schema):
    """What a driver may know of a passenger: enough to greet and seat them, nothing more."""

    first_name = fields.String(attribute="rider.first_name", required=True)
    seats = fields.Integer(required=True)
    children = fields.Integer(required=True)
    child_seats = fields.Integer(required=True)
    wheelchair = fields.Boolean(required=True)
    languages = fields.Function(lambda r: r.rider.languages, required=True)
    #: What the rider wrote for the driver ("I have a pram").
    driver_note = fields.String(allow_none=True)


class UndoUntil(fields.DateTime):
    """Until when a stop's mark can be undone: null when there is nothing to undo or it is
    too late (10 minutes after the mark)."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = missing) -> Any:
        return undoable_until(obj)


class StopOut(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    kind = _enum(StopKind)
    request_id = fields.Integer(required=True)
    planned_at = fields.DateTime(required=True)
    #: planned, then done or no_show on the day; a drop-off after a missed pickup is skipped.
    status = _enum(StopStatus)
    note = fields.String(allow_none=True)
    marked_at = fields.DateTime(allow_none=True)
    marked_by_id = fields.Integer(allow_none=True)
    undo_until = UndoUntil(allow_none=True, dump_only=True)
    place = fields.Nested(PlaceBrief, required=True)
    passenger = fields.Nested(PassengerOut, attribute="request", required=True)


class DriverBrief(Schema):
    id = fields.Integer(required=True)
    first_name = fields.String(required=True)


class RouteOut(Schema):
    id = fields.Integer(required=True)
    plan_id = fields.Integer(required=True)
    date = fields.Function(lambda r: r.plan.date.isoformat(), required=True)
    driver = fields.Nested(DriverBrief, required=True)
    status = _enum(RouteStatus)
    start_at = fields.DateTime(allow_none=True)
    end_at = fields.DateTime(allow_none=True)
    distance_m = fields.Integer(required=True)
    stops = fields.List(fields.Nested(StopOut), required=True)


def _figure(description: str) -> fields.Integer:
    return fields.Integer(metadata={"description": description})


class UnservedParamsOut(Schema):
    """The figures behind an unserved request's reason, as the planner's note on the
    coordinator's day uses them (``rides.planning.unserved_notes``); only those the reason has,
    none for a plan stored before they were kept."""

    direct_s = _figure("direct_trip_too_long: the direct trip, in seconds")
    ride_limit_s = _figure("direct_trip_too_long: the longest ride allowed, in seconds")
    amount = _figure("a capacity shortfall: how many places of ``dimension`` the trip needs")
    dimension = fields.String(
        validate=validate.OneOf(CAPACITY_NAMES),
        metadata={"description": "a capacity shortfall: which places (a capacity name)"},
    )
    seats = _figure("no_vehicle_fits_load: seats the trip needs in one car")
    child_seats = _figure("no_vehicle_fits_load: child seats the trip needs in one car")
    wheelchair_places = _figure("no_vehicle_fits_load: wheelchair places needed in one car")
    partner = _figure(
        "linked_trip_unserved, no_capacity_left: id of the linked trip (the other half of a "
        "return) that is not served either"
    )
    partner_reason = fields.String(
        metadata={"description": "linked_trip_unserved: the reason code of the linked trip"}
    )


class UnservedOut(Schema):
    request_id = fields.Integer(required=True)
    reason = fields.String(required=True)
    detail = fields.String(required=True)
    params = fields.Nested(
        UnservedParamsOut,
        required=True,
        metadata={"description": "the figures behind ``reason`` (an empty object: none kept)"},
    )

    @pre_dump
    def _with_params(self, unserved: UnservedRequest, **_: Any) -> dict[str, Any]:
        """The row with its figures, kept with the plan rather than on the row."""
        return {
            "request_id": unserved.request_id,
            "reason": unserved.reason,
            "detail": unserved.detail,
            "params": unserved_params(unserved.plan, unserved.request_id, unserved.reason),
        }


class PlanSummaryOut(Schema):
    id = fields.Integer(required=True)
    date = fields.Date(required=True)
    version = fields.Integer(required=True)
    status = _enum(PlanStatus)
    created_at = fields.DateTime(required=True)
    published_at = fields.DateTime(allow_none=True)
    requests_count = fields.Integer(required=True)
    served_count = fields.Integer(required=True)
    distance_m = fields.Integer(required=True)
    solve_seconds = fields.Float(required=True)


class PlanOut(PlanSummaryOut):
    figures = fields.Dict(required=True)
    routes = fields.List(fields.Nested(RouteOut), required=True)
    unserved = fields.List(fields.Nested(UnservedOut), required=True)


class PlanIn(Strict):
    date = fields.Date(required=True)
    time_limit = fields.Float(
        load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(0.5, 120)
    )


class PlanListArgs(Strict):
    date = fields.Date(required=True)


class DeclineIn(Strict):
    reason = Text(300, load_default=None, allow_none=True)


class StopOutcomeIn(Strict):
    reason = Text(300, load_default=None, allow_none=True)
