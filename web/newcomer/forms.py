"""The newcomer pages' forms: few words, every error shown on its field at once."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation

from rides import clock
from rides.booking import ride_requests
from rides.booking.ride_requests import MAX_DRIVER_NOTE
from rides.models import Purpose, TimeKind
from web.forms import (
    DRIVER_NOTE_LABEL,
    NO_PLACE,
    NOT_A_DAY,
    NOT_A_NUMBER,
    NOT_A_TIME,
    SERIES_SCOPES,
    ride_spec,
    take_choices,
)

PURPOSES = [
    SelectChoice(Purpose.HEALTH.value, _l("Health")),
    SelectChoice(Purpose.SHOPPING.value, _l("Shopping")),
    SelectChoice(Purpose.ADMINISTRATION.value, _l("Papers, town hall")),
    SelectChoice(Purpose.TRAINING_WORK.value, _l("Course or work")),
    SelectChoice(Purpose.SCHOOL.value, _l("School")),
    SelectChoice(Purpose.OTHER.value, _l("Other")),
]
#: Service field names -> form field names, so each domain error lands on its field.
FIELDS = {"origin_id": "origin", "destination_id": "destination", "flexibility_min": "time"}


class RequiredIf:
    """Required when the checkbox ``other`` is ticked; ignored when it is not."""

    def __init__(self, other: str, message: Any) -> None:
        self.other, self.message = other, message

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if not form[self.other].data:
            field.errors[:] = []
            field.data = None
            raise StopValidation
        if not field.raw_data or not field.raw_data[0]:
            field.errors[:] = []
            raise StopValidation(self.message)


class InRange(NumberRange):
    """NumberRange that says nothing more when the value was not a number at all."""

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if field.data is not None:
            super().__call__(form, field)


def _count(label: Any, default: int, high: int) -> IntegerField:
    return IntegerField(
        label,
        default=default,
        invalid_value_message=NOT_A_NUMBER,
        validators=[InputRequired(NOT_A_NUMBER), InRange(0, high, _l("From 0 to %(max)s."))],
        render_kw={"inputmode": "numeric", "min": 0, "max": high},
    )


class BookForm(FlaskForm):
    """Everything about a ride on one page; the places are typed names."""

    origin = StringField(_l("From"), validators=[InputRequired(NO_PLACE), Length(max=160)])
    origin_choice = StringField()
    destination = StringField(_l("To"), validators=[InputRequired(NO_PLACE), Length(max=160)])
    destination_choice = StringField()
    date = DateField(_l("Day"), validators=[InputRequired(NOT_A_DAY)], default=clock.tomorrow,
                     invalid_value_message=NOT_A_DAY)  # fmt: skip
    time_kind = RadioField(
        _l("When"),
        choices=[SelectChoice(TimeKind.ARRIVE_BY.value, _l("Arrive by")),
                 SelectChoice(TimeKind.LEAVE_AFTER.value, _l("Leave after"))],
        default=TimeKind.ARRIVE_BY.value,
    )  # fmt: skip
    time = TimeField(_l("Time"), validators=[InputRequired(NOT_A_TIME)],
                     invalid_value_message=NOT_A_TIME)  # fmt: skip
    adults = _count(_l("Adults, you included"), 1, 8)
    children = _count(_l("Children"), 0, 8)
    child_seats = _count(_l("Child seats needed"), 0, 8)
    wheelchair = BooleanField(_l("Wheelchair place needed"))
    driver_note = StringField(DRIVER_NOTE_LABEL, render_kw={"maxlength": MAX_DRIVER_NOTE})
    # Not preselected: a rider who does not say is booked as "other" (the model's default).
    purpose = RadioField(_l("What is the trip for?"), choices=PURPOSES, validators=[Optional()])
    and_back = BooleanField(_l("And back"))
    return_time = TimeField(
        _l("Way back: leave after"), invalid_value_message=NOT_A_TIME,
        validators=[RequiredIf("and_back", _l("Write the time to come back."))],
    )  # fmt: skip
    weekly = BooleanField(_l("Every week"))
    weekly_until = DateField(
        _l("Every week until"), invalid_value_message=NOT_A_DAY,
        validators=[RequiredIf("weekly", _l("Choose the last day."))],
    )  # fmt: skip

    def take_choices(self) -> None:
        """A name picked under "Did you mean" replaces what was typed."""
        take_choices(self, ("origin", "destination"))

    def draft(self) -> ride_requests.TripDraft:
        """The ride as the service takes it."""
        origin, destination = self.origin.data or "", self.destination.data or ""
        return ride_requests.TripDraft(origin, destination, ride_spec(self))


class CancelForm(FlaskForm):
    """Cancel one trip, or every later week of its series."""

    scope = RadioField(
        _l("What do you cancel?"),
        choices=SERIES_SCOPES,
        default="one",
    )
    legs = RadioField(
        _l("Which way?"),
        choices=[
            SelectChoice("both", _l("Both ways")),
            SelectChoice("going", _l("Only the way there")),
            SelectChoice("back", _l("Only the way back")),
        ],
        default="both",
    )
