"""What the API accepts and returns. Unknown fields are refused (marshmallow's RAISE)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from rides.booking.ride_requests import MAX_DRIVER_NOTE
from rides.models import (
    UI_LANGUAGES,
    PlaceKind,
    Purpose,
    RequestStatus,
    Role,
    TimeKind,
)
from rides.places.directory import place_label
from web.api.fields import Text, count, ident


class Strict(Schema):
    """Every input schema refuses fields it does not know."""

    class Meta:
        unknown = RAISE


def _enum(enum: type, **kwargs: Any) -> fields.Enum:
    return fields.Enum(enum, by_value=True, **kwargs)


class ErrorDetail(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    field_errors = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True, data_key="fields"
    )


class ErrorSchema(Schema):
    """The one error body: ``{"error": {"code", "message", "fields"}}``."""

    error = fields.Nested(ErrorDetail, required=True)


# --- places -----------------------------------------------------------------------------------


class PlaceOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    label = fields.Function(place_label, required=True)
    kind = _enum(PlaceKind)
    ine_code = fields.String(allow_none=True)
    municipality_id = fields.Integer(allow_none=True)
    latitude = fields.Float(required=True)
    longitude = fields.Float(required=True)
    meeting_point = fields.String(allow_none=True)


class PlaceMatchOut(Schema):
    place = fields.Nested(PlaceOut, required=True)
    score = fields.Float(required=True)


class PlaceSearchArgs(Strict):
    q = Text(100, min_length=1, required=True)
    limit = fields.Integer(load_default=5, validate=validate.Range(1, 20))


class StopIn(Strict):
    name = Text(160, required=True)
    kind = _enum(PlaceKind, required=True)
    municipality_id = ident(required=True)
    latitude = fields.Float(required=True, allow_nan=False)
    longitude = fields.Float(required=True, allow_nan=False)
    meeting_point = Text(300, load_default=None, allow_none=True)


class MeetingPointIn(Strict):
    meeting_point = Text(300, required=True, allow_none=True)


# --- people -----------------------------------------------------------------------------------


class PersonUpdateIn(Strict):
    """A person's details as a coordinator corrects them (the password is the person's)."""

    first_name = Text(80, required=True)
    last_name = Text(120, load_default=None, allow_none=True)
    email = Text(254, load_default=None, allow_none=True)
    phone = Text(32, load_default=None, allow_none=True)
    preferred_language = fields.String(load_default="es", validate=validate.OneOf(UI_LANGUAGES))
    languages = fields.List(Text(8), load_default=list, validate=validate.Length(max=10))
    home_place_id = ident(load_default=None, allow_none=True)
    #: How to reach the person, best first: "sms", "whatsapp", "email", "call", comma-separated;
    #: "" for the usual order (SMS, WhatsApp, e-mail, call).
    channels = Text(60, load_default=None, allow_none=True)


class PersonIn(PersonUpdateIn):
    """A new account: its role, and a password only when the person will not choose their
    own through an invitation."""

    role = _enum(Role, required=True)
    password = Text(200, load_default=None, allow_none=True)


class PersonOut(Schema):
    id = fields.Integer(required=True)
    role = _enum(Role)
    first_name = fields.String(required=True)
    last_name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    preferred_language = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)
    home_place_id = fields.Integer(allow_none=True)
    channels = fields.String(allow_none=True)
    active = fields.Boolean(required=True)


class InvitationOut(Schema):
    """A single-use link to choose a password; the address is shown this once."""

    url = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


class PersonCreatedOut(PersonOut):
    """The new account and, when no password was given, its invitation."""

    invitation = fields.Nested(InvitationOut, allow_none=True)


class PersonExportOut(Schema):
    """The export is free-form JSON grouped by kind of record."""

    exported_at = fields.String(required=True)
    person = fields.Dict(required=True)
    vehicles = fields.List(fields.Dict(), required=True)
    shifts = fields.List(fields.Dict(), required=True)
    ride_requests = fields.List(fields.Dict(), required=True)
    routes = fields.List(fields.Dict(), required=True)
    messages = fields.List(fields.Dict(), required=True)
    api_tokens = fields.List(fields.Dict(), required=True)
    invitations = fields.List(fields.Dict(), required=True)
    password_help_requests = fields.List(fields.Dict(), required=True)
    audit = fields.List(fields.Dict(), required=True)


class PeopleArgs(Strict):
    role = _enum(Role)


# --- accounts ---------------------------------------------------------------------------------


class LoginIn(Strict):
    email = Text(254, required=True)
    password = Text(200, required=True)
    name = Text(80, load_default="api")


class TokenOut(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(allow_none=True)
    person = fields.Nested(PersonOut, required=True)


# --- vehicles and shifts ----------------------------------------------------------------------


class VehicleIn(Strict):
    label = Text(80, required=True)
    seats = count(required=True)
    child_seats = count(load_default=0)
    wheelchair_places = count(load_default=0)
    model = Text(60, load_default=None, allow_none=True)
    colour = Text(30, load_default=None, allow_none=True)
    driver_id = ident(load_default=None, allow_none=True)


class VehicleOut(Schema):
    id = fields.Integer(required=True)
    driver_id = fields.Integer(required=True)
    label = fields.String(required=True)
    seats = fields.Integer(required=True)
    child_seats = fields.Integer(required=True)
    wheelchair_places = fields.Integer(required=True)
    model = fields.String(allow_none=True)
    colour = fields.String(allow_none=True)
    #: False once the car is taken off the road (DELETE /vehicles/<id>).
    active = fields.Boolean(required=True)


class ShiftIn(Strict):
    date = fields.Date(required=True)
    start_time = fields.Time(required=True)
    end_time = fields.Time(required=True)
    start_place_id = ident(required=True)
    end_place_id = ident(load_default=None, allow_none=True)
    vehicle_id = ident(load_default=None, allow_none=True)
    max_duration_min = count(-10000, 10000, load_default=None, allow_none=True)
    driver_id = ident(load_default=None, allow_none=True)


class ShiftOut(Schema):
    id = fields.Integer(required=True)
    driver_id = fields.Integer(required=True)
    vehicle_id = fields.Integer(required=True)
    date = fields.Date(required=True)
    start_time = fields.Time(required=True)
    end_time = fields.Time(required=True)
    start_place_id = fields.Integer(required=True)
    end_place_id = fields.Integer(required=True)
    max_duration_min = fields.Integer(allow_none=True)


class DayArgs(Strict):
    date = fields.Date(required=True)


class OptionalDayArgs(Strict):
    date = fields.Date(load_default=None)
    driver_id = ident(strict=False, load_default=None)


# --- ride requests ----------------------------------------------------------------------------


class RideRequestIn(Strict):
    origin_id = ident(required=True)
    destination_id = ident(required=True)
    date = fields.Date(required=True)
    time = fields.Time(required=True)
    time_kind = _enum(TimeKind)
    flexibility_min = count(load_default=30)
    adults = count(load_default=1)
    children = count(load_default=0)
    child_seats = count(load_default=0)
    wheelchair = fields.Boolean(load_default=False)
    purpose = _enum(Purpose)
    return_time = fields.Time(load_default=None, allow_none=True)
    weekly_until = fields.Date(load_default=None, allow_none=True)
    #: For the driver ("I have a pram"), on every trip of the booking; trimmed, one line.
    driver_note = Text(MAX_DRIVER_NOTE, load_default=None, allow_none=True)
    rider_id = ident(load_default=None, allow_none=True)


class PlaceBrief(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    meeting_point = fields.String(allow_none=True)


class RideRequestOut(Schema):
    id = fields.Integer(required=True)
    rider_id = fields.Integer(required=True)
    origin = fields.Nested(PlaceBrief, required=True)
    destination = fields.Nested(PlaceBrief, required=True)
    date = fields.Date(required=True)
    time = fields.Time(required=True)
    time_kind = _enum(TimeKind)
    flexibility_min = fields.Integer(required=True)
    adults = fields.Integer(required=True)
    children = fields.Integer(required=True)
    child_seats = fields.Integer(required=True)
    wheelchair = fields.Boolean(required=True)
    purpose = _enum(Purpose)
    status = _enum(RequestStatus)
    status_note = fields.String(allow_none=True)
    driver_note = fields.String(allow_none=True)
    confirmed_pickup_at = fields.DateTime(allow_none=True)
    outward_id = fields.Integer(allow_none=True)
    return_id = fields.Function(
        lambda r: r.return_trip.id if r.return_trip else None, allow_none=True
    )
    series_id = fields.Integer(allow_none=True)
    pinned_shift_id = fields.Integer(allow_none=True)


class BookingNoticeOut(Schema):
    code = fields.String(
        required=True,
        metadata={"description": "booked, late_before_planning, late, same_day or urgent"},
    )
    text = fields.String(
        required=True,
        metadata={"description": "what happens next and by when, in the caller's language"},
    )
    answer_by = fields.DateTime(
        allow_none=True,
        metadata={"description": "when the rider hears at the latest (late and same-day)"},
    )


class BookedRequestOut(RideRequestOut):
    notice = fields.Nested(
        BookingNoticeOut,
        required=True,
        metadata={"description": "what the rider is told on the spot about this trip"},
    )


class RequestListArgs(Strict):
    date = fields.Date(load_default=None)
    status = fields.List(_enum(RequestStatus), load_default=None)
    rider_id = ident(strict=False, load_default=None)
    place_id = ident(strict=False, load_default=None)


class CancelIn(Strict):
    reason = Text(300, load_default=None, allow_none=True)
    whole_series = fields.Boolean(load_default=False)
    legs = fields.String(load_default="both", validate=validate.OneOf(["both", "going", "back"]))


class NoteIn(Strict):
    #: The new note for the driver on both ways of the trip still to come; null or "" for none.
    driver_note = Text(MAX_DRIVER_NOTE, required=True, allow_none=True)
    #: The trips of every later week of the trip's series take the note too.
    whole_series = fields.Boolean(load_default=False)


class PinIn(Strict):
    shift_id = ident(required=True, allow_none=True)
