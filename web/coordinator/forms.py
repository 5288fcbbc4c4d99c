"""The coordinator pages' forms: labels in plain English, translated by Flask-Babel."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from rides.booking.ride_requests import MAX_DRIVER_NOTE
from rides.models import MessageStatus, PlaceKind, Purpose, Role, TimeKind
from web.forms import DRIVER_NOTE_LABEL
from web.i18n import LANGUAGE_NAMES

PURPOSES = {
    Purpose.HEALTH: _l("Health"),
    Purpose.SHOPPING: _l("Shopping"),
    Purpose.ADMINISTRATION: _l("Administration"),
    Purpose.TRAINING_WORK: _l("Training and work"),
    Purpose.SCHOOL: _l("School"),
    Purpose.OTHER: _l("Other"),
}
ROLES = {
    Role.NEWCOMER: _l("Newcomer"),
    Role.DRIVER: _l("Driver"),
    Role.COORDINATOR: _l("Coordinator"),
}
STOP_KINDS = {
    PlaceKind.HEALTH_CENTRE: _l("Health centre"),
    PlaceKind.HOSPITAL: _l("Hospital"),
    PlaceKind.STATION: _l("Station or bus stop"),
    PlaceKind.TOWN_HALL: _l("Town hall"),
    PlaceKind.SCHOOL: _l("School"),
    PlaceKind.SHOP: _l("Shop"),
    PlaceKind.OTHER: _l("Other"),
}
MESSAGE_STATUSES = {
    MessageStatus.PENDING: _l("Pending"),
    MessageStatus.SENT: _l("Sent"),
    MessageStatus.FAILED: _l("Failed"),
}


def _choices(labels: dict[Any, Any]) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _languages() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def _optional_int(value: object) -> int | None:
    if value in (None, ""):
        return None
    return int(str(value))


class QueryForm(FlaskForm):
    """Forms read from the query string (GET): nothing changes, so no CSRF token."""

    class Meta:
        csrf = False


class DayForm(QueryForm):
    date = DateField(_l("Day"), validators=[Optional()])


class PublishForm(FlaskForm):
    plan_id = HiddenField(validators=[DataRequired()])


class PinForm(FlaskForm):
    shift_id = SelectField(_l("Keep with"), coerce=_optional_int, validate_choice=False)


class NewcomerSearchForm(QueryForm):
    """Posted (the page's CSRF token travels with it), so a phone number stays out of URLs."""

    q = StringField(_l("Find a newcomer (name, phone or e-mail)"), validators=[Length(max=80)])


class BookForm(FlaskForm):
    rider_id = HiddenField()
    first_name = StringField(_l("First name"), validators=[Length(max=80)])
    preferred_language = SelectField(_l("Language"), choices=_languages(), default="es")
    phone = StringField(_l("Phone (optional)"), validators=[Length(max=32)])
    origin = StringField(
        _l("From"),
        validators=[DataRequired(), Length(max=160)],
        render_kw={"list": "origin-places", "autocomplete": "off"},
    )
    origin_pick = RadioField(
        _l("Did you mean?"), coerce=_optional_int, validate_choice=False, choices=[]
    )
    destination = StringField(
        _l("To"),
        validators=[DataRequired(), Length(max=160)],
        render_kw={"list": "destination-places", "autocomplete": "off"},
    )
    destination_pick = RadioField(
        _l("Did you mean?"), coerce=_optional_int, validate_choice=False, choices=[]
    )
    date = DateField(_l("Day"), validators=[DataRequired()])
    time_kind = RadioField(
        _l("The time is when to"),
        choices=[
            SelectChoice(TimeKind.ARRIVE_BY.value, _l("Arrive by")),
            SelectChoice(TimeKind.LEAVE_AFTER.value, _l("Leave after")),
        ],
        default=TimeKind.ARRIVE_BY.value,
    )
    time = TimeField(_l("Time"), validators=[DataRequired()])
    adults = IntegerField(
        _l("Adults, the newcomer included"),
        default=1,
        validators=[InputRequired(), NumberRange(min=0, max=8)],
    )
    children = IntegerField(
        _l("Children"), default=0, validators=[InputRequired(), NumberRange(min=0, max=8)]
    )
    child_seats = IntegerField(
        _l("Child seats needed"), default=0, validators=[InputRequired(), NumberRange(0, 8)]
    )
    wheelchair = BooleanField(_l("Travels in a wheelchair"))
    driver_note = StringField(DRIVER_NOTE_LABEL, render_kw={"maxlength": MAX_DRIVER_NOTE})
    purpose = SelectField(_l("Purpose"), choices=_choices(PURPOSES), default=Purpose.HEALTH.value)
    return_time = TimeField(_l("Return: leave after (optional)"), validators=[Optional()])
    weekly_until = DateField(_l("Every week until (optional)"), validators=[Optional()])


class PersonForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_choices(ROLES), default=Role.NEWCOMER.value)
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name (optional)"), validators=[Length(max=120)])
    email = StringField(_l("E-mail (optional)"), validators=[Length(max=254)])
    phone = StringField(_l("Phone (optional)"), validators=[Length(max=32)])
    preferred_language = SelectField(_l("Language"), choices=_languages(), default="es")
    password = PasswordField(
        _l("Password (optional, to sign in)"), validators=[Optional(), Length(max=200)]
    )


class PersonEditForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name (optional)"), validators=[Length(max=120)])
    email = StringField(_l("E-mail (optional)"), validators=[Length(max=254)])
    phone = StringField(_l("Phone (optional)"), validators=[Length(max=32)])
    preferred_language = SelectField(_l("Language"), choices=_languages(), default="es")
    languages = StringField(
        _l("Other languages spoken (codes, e.g. ar, fr)"), validators=[Length(max=60)]
    )
    home_village = StringField(_l("Home village (optional)"), validators=[Length(max=160)])
    channels = SelectField(_l("How to reach them"), choices=[
        SelectChoice("", _l("SMS, then WhatsApp, then e-mail, then a call (usual)")),
        SelectChoice("whatsapp,sms,email,call", _l("WhatsApp first, then SMS, e-mail, a call")),
        SelectChoice("email,sms,whatsapp,call", _l("E-mail first, then SMS, WhatsApp, a call")),
        SelectChoice("call", _l("Only a phone call from a coordinator")),
    ], validate_choice=False)  # fmt: skip


class ActiveForm(FlaskForm):
    """Deactivate, reactivate or re-invite: a button with the page's CSRF token."""

    action = HiddenField()


class PeopleFilterForm(QueryForm):
    # Its own element id: the new-account form on the same page has a ``role`` field too.
    role = SelectField(
        _l("Show"),
        choices=[SelectChoice("", _l("Everyone")), *_choices(ROLES)],
        validators=[Optional()],
        id="show-role",
    )


class OutboxFilterForm(QueryForm):
    status = SelectField(
        _l("Show"),
        choices=[SelectChoice("", _l("All messages")), *_choices(MESSAGE_STATUSES)],
        validators=[Optional()],
    )


class PlaceSearchForm(QueryForm):
    q = StringField(_l("Place name"), validators=[Length(max=160)])


class MeetingPointForm(FlaskForm):
    meeting_point = TextAreaField(
        _l("Where riders wait (meeting point)"), validators=[Length(max=300)]
    )


class StopForm(FlaskForm):
    name = StringField(_l("Name of the stop"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind of place"), choices=_choices(STOP_KINDS))
    meeting_point = TextAreaField(
        _l("Where riders wait (meeting point)"), validators=[Length(max=300)]
    )
    latitude = FloatField(_l("Latitude (optional)"), validators=[Optional()])
    longitude = FloatField(_l("Longitude (optional)"), validators=[Optional()])
    #: Only when a geocoder is configured: "Find" fills the coordinates from it.
    address = StringField(_l("Address"), validators=[Length(max=200)])


class ShiftChoiceForm(FlaskForm):
    """A driver chosen for a trip (assign, move): the shift id from the page's buttons."""

    shift_id = IntegerField(_l("Driver"), validators=[InputRequired()])


class RetimeForm(FlaskForm):
    """A rider's new pickup time, inside their window."""

    pickup_at = TimeField(_l("New pickup time"), validators=[InputRequired()])


class InboxDoneForm(FlaskForm):
    #: The day page to go back to (the inbox is shown on every day).
    date = HiddenField()


class CalledForm(FlaskForm):
    #: The ids of the messages the coordinator read out, comma-separated (only these are ticked).
    messages = HiddenField(validators=[DataRequired()])
