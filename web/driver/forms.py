"""The driver pages' forms: the day, the month, a decline, a shift, the cars."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    MonthField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional

from rides import clock
from rides.driving import availability as availability_service
from rides.driving.availability import VehicleSpec
from rides.models import Vehicle
from web.forms import NOT_A_DAY, NOT_A_NUMBER, NOT_A_TIME, take_choices

SHIFT_FIELDS = {"start_place_id": "start_place", "end_place_id": "end_place"}


class DayForm(FlaskForm):
    """Which day's routes to show (a GET form: nothing changes)."""

    class Meta:
        csrf = False

    day = DateField(_l("Day"), default=clock.tomorrow, invalid_value_message=NOT_A_DAY)


class MonthForm(FlaskForm):
    """Which month's mileage to show."""

    class Meta:
        csrf = False

    month = MonthField(
        _l("Month"), default=clock.today, invalid_value_message=_l("Choose a month.")
    )


class DeclineForm(FlaskForm):
    """Declining a route, with an optional reason for the coordinator."""

    reason = TextAreaField(_l("Why? (you can leave this empty)"), validators=[Length(max=300)])


def _car_id(value: object) -> int | None:
    """A car's id as posted; something else is no car's id (0), which the service refuses."""
    if value in (None, ""):
        return None
    text = str(value)
    return int(text) if text.isdigit() else 0


class ShiftForm(FlaskForm):
    """A time I can drive, from a place typed by name."""

    date = DateField(_l("Day"), default=clock.tomorrow, invalid_value_message=NOT_A_DAY,
                     validators=[InputRequired(NOT_A_DAY)])  # fmt: skip
    start_time = TimeField(_l("From"), invalid_value_message=NOT_A_TIME,
                           validators=[InputRequired(NOT_A_TIME)])  # fmt: skip
    end_time = TimeField(_l("Until"), invalid_value_message=NOT_A_TIME,
                         validators=[InputRequired(NOT_A_TIME)])  # fmt: skip
    start_place = StringField(_l("I start from"), validators=[Length(max=160)])
    start_place_choice = StringField()
    end_place = StringField(_l("I finish at (if not the same place)"),
                            validators=[Optional(), Length(max=160)])  # fmt: skip
    end_place_choice = StringField()
    repeat_until = DateField(_l("Every week until"), invalid_value_message=NOT_A_DAY,
                             validators=[Optional()])  # fmt: skip
    #: Shown when the driver has more than one car; the service checks the car is theirs.
    vehicle_id = SelectField(_l("Car"), coerce=_car_id, validate_choice=False)

    def take_choices(self) -> None:
        """A name picked under "Did you mean" replaces what was typed."""
        take_choices(self, ("start_place", "end_place"))

    def offer_cars(self, cars: tuple[Vehicle, ...], last_car_id: int | None) -> None:
        """The driver's cars to choose from, the one they last drove chosen on a new form."""
        self.vehicle_id.choices = [(car.id, car_label(car)) for car in cars]
        if self.vehicle_id.data is None:
            self.vehicle_id.data = last_car_id

    def draft(self) -> availability_service.ShiftDraft:
        """The shift as the service takes it."""
        return availability_service.ShiftDraft(
            date=self.date.data, start_time=self.start_time.data, end_time=self.end_time.data,
            start_place=self.start_place.data or "", end_place=self.end_place.data or None,
            vehicle_id=self.vehicle_id.data,
        )  # fmt: skip


def car_label(car: Vehicle) -> str:
    """A car as its driver recognises it: "white Seat Ibiza · 4 seats"."""
    if car.model and car.colour:
        looks = _("%(colour)s %(model)s", colour=car.colour, model=car.model)
    else:
        looks = car.model or car.label
    return f"{looks} · {ngettext('%(num)d seat', '%(num)d seats', car.seats)}"


def _count(label: Any) -> IntegerField:
    return IntegerField(label, invalid_value_message=NOT_A_NUMBER,
                        validators=[InputRequired(NOT_A_NUMBER)],
                        render_kw={"inputmode": "numeric", "min": 0})  # fmt: skip


class CarForm(FlaskForm):
    """One of my cars: passenger seats (not counting mine), child seats, wheelchair places.

    One form per car on the same page, and one for a new car: each has its own prefix (see
    ``car_prefix``), so their fields' ids and names never clash.
    """

    label = StringField(_l("Name of the car"), validators=[Length(max=80)])
    model = StringField(_l("Make and model"), validators=[Optional(), Length(max=60)])
    colour = StringField(_l("Colour"), validators=[Optional(), Length(max=30)])
    seats = _count(_l("Seats for passengers"))
    child_seats = _count(_l("Child seats"))
    wheelchair_places = _count(_l("Wheelchair places"))

    def spec(self) -> VehicleSpec:
        """The car as the service takes it."""
        return VehicleSpec(self.label.data or "", self.seats.data, self.child_seats.data,
                           self.wheelchair_places.data, model=self.model.data or None,
                           colour=self.colour.data or None)  # fmt: skip


#: The prefix of the form for a car not registered yet.
NEW_CAR = "new-car"


def car_prefix(car_id: int | None) -> str:
    """The prefix of a car's form ("car-12"), or of the new car's form."""
    return f"car-{car_id}" if car_id is not None else NEW_CAR


def car_forms(
    cars: tuple[Vehicle, ...], shown: tuple[int | None, CarForm] | None = None
) -> dict[int | None, CarForm]:
    """A form per car, filled from it, and an empty one (key None) for a new car; ``shown``
    (which car, its form), a form posted back with its messages, replaces that car's."""
    forms: dict[int | None, CarForm] = {
        car.id: CarForm(obj=car, formdata=None, prefix=car_prefix(car.id)) for car in cars
    }
    forms[None] = CarForm(formdata=None, prefix=NEW_CAR)
    if shown is not None:
        forms[shown[0]] = shown[1]
    return forms
