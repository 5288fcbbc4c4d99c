"""Drivers' pages: my routes of a day, the printable sheet, calendar file, mileage, availability."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, MonthField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, Optional

from rides import clock
from rides.driving import availability as availability_service
from rides.driving import calendar, mileage, sheets
from rides.driving import routes as route_service
from rides.driving.availability import VehicleSpec
from rides.errors import DomainError
from rides.models import Role, StopStatus
from rides.places import lookup
from rides.places.lookup import PlaceNotResolved
from web.database import session
from web.forms import NOT_A_DAY, NOT_A_NUMBER, NOT_A_TIME, show_errors, take_choices
from web.login import current_person, page_requires

bp = Blueprint("driver", __name__, url_prefix="/driver")

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

    def take_choices(self) -> None:
        """A name picked under "Did you mean" replaces what was typed."""
        take_choices(self, ("start_place", "end_place"))

    def draft(self) -> availability_service.ShiftDraft:
        """The shift as the service takes it."""
        return availability_service.ShiftDraft(
            date=self.date.data, start_time=self.start_time.data, end_time=self.end_time.data,
            start_place=self.start_place.data or "", end_place=self.end_place.data or None,
        )  # fmt: skip


def _count(label: Any) -> IntegerField:
    return IntegerField(label, invalid_value_message=NOT_A_NUMBER,
                        validators=[InputRequired(NOT_A_NUMBER)],
                        render_kw={"inputmode": "numeric", "min": 0})  # fmt: skip


class CarForm(FlaskForm):
    """My car: passenger seats (not counting mine), child seats, wheelchair places."""

    label = StringField(_l("Name of the car"), validators=[Length(max=80)])
    seats = _count(_l("Seats for passengers"))
    child_seats = _count(_l("Child seats"))
    wheelchair_places = _count(_l("Wheelchair places"))

    def spec(self) -> VehicleSpec:
        """The car as the service takes it."""
        return VehicleSpec(self.label.data or "", self.seats.data, self.child_seats.data,
                           self.wheelchair_places.data)  # fmt: skip


@bp.app_template_filter("language_name")
def language_name(code: str) -> str:
    """A language's name in the page language ("árabe" for ar on a Spanish page)."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


def _back_to(day: dt.date, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for(".home", day=day.isoformat(), _anchor=anchor))


@bp.get("/")
@page_requires(Role.DRIVER)
def home() -> ResponseReturnValue:
    """My routes of a day (tomorrow unless chosen): answer them, then follow the stops."""
    form = DayForm(request.args)
    day = form.day.data if form.validate() and form.day.data else clock.tomorrow()
    routes = sheets.day_routes(session(), current_person(), day)
    return render_template("driver/home.html", form=form, day=day, routes=routes,
                           decline=DeclineForm())  # fmt: skip


@bp.post("/routes/<int:route_id>/accept")
@page_requires(Role.DRIVER)
def accept(route_id: int) -> ResponseReturnValue:
    """Take an offered route."""
    route = route_service.accept_route(session(), current_person(), route_id)
    flash(_("Thank you! The route is yours."))
    return _back_to(route.plan.date, f"route-{route.id}")


@bp.post("/routes/<int:route_id>/decline")
@page_requires(Role.DRIVER)
def decline(route_id: int) -> ResponseReturnValue:
    """Decline an offered route; the coordinator sees the reason and the day is re-planned."""
    reason = (DeclineForm().reason.data or "")[:300]
    route = route_service.decline_route(session(), current_person(), route_id, reason)
    flash(_("You declined the route. The coordinator will find another driver."))
    return _back_to(route.plan.date)


@bp.post("/stops/<int:stop_id>/done")
@page_requires(Role.DRIVER)
def stop_done(stop_id: int) -> ResponseReturnValue:
    """The passenger got in (pickup) or out (drop-off)."""
    stop = route_service.record_stop(session(), current_person(), stop_id, StopStatus.DONE)
    return _back_to(stop.route.plan.date, f"stop-{stop.id}")


@bp.post("/stops/<int:stop_id>/no-show")
@page_requires(Role.DRIVER)
def stop_no_show(stop_id: int) -> ResponseReturnValue:
    """The passenger was not at the pickup."""
    stop = route_service.record_stop(session(), current_person(), stop_id, StopStatus.NO_SHOW)
    return _back_to(stop.route.plan.date, f"stop-{stop.id}")


@bp.get("/routes/<int:route_id>/sheet")
@page_requires(Role.DRIVER)
def sheet(route_id: int) -> ResponseReturnValue:
    """The route on one printable page."""
    route = sheets.get_route_sheet(session(), current_person(), route_id)
    return render_template("driver/sheet.html", route=route)


@bp.get("/calendar.ics")
@page_requires(Role.DRIVER)
def calendar_file() -> ResponseReturnValue:
    """My accepted routes as an iCalendar file, one event per route."""
    body = calendar.driver_calendar(session(), current_person())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": "attachment; filename=rural-cars-routes.ics"})  # fmt: skip


@bp.get("/mileage")
@page_requires(Role.DRIVER)
def mileage_page() -> ResponseReturnValue:
    """Kilometres per day of a month, for reimbursement."""
    form = MonthForm(request.args)
    month = form.month.data if form.validate() and form.month.data else clock.today()
    log = mileage.mileage_log(session(), current_person().id, month)
    return render_template("driver/mileage.html", form=form, log=log,
                           previous=mileage.previous_month(log.month),
                           following=mileage.next_month(log.month))  # fmt: skip


@bp.get("/mileage.csv")
@page_requires(Role.DRIVER)
def mileage_csv() -> ResponseReturnValue:
    """The month's mileage as a CSV file."""
    form = MonthForm(request.args)
    month = form.month.data if form.validate() and form.month.data else clock.today()
    log = mileage.mileage_log(session(), current_person().id, month)
    name = f"mileage-{log.month:%Y-%m}.csv"
    return Response(mileage.mileage_csv(log), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})  # fmt: skip


def _availability(shift_form: ShiftForm | None = None, car_form: CarForm | None = None,
                  suggestions: dict[str, Any] | None = None) -> str:  # fmt: skip
    mine = availability_service.my_availability(session(), current_person())
    car_form = car_form or CarForm(obj=mine.car, formdata=None)
    return render_template("driver/availability.html", mine=mine, car_form=car_form,
                           shift_form=shift_form or ShiftForm(formdata=None),
                           suggestions=suggestions or {})  # fmt: skip


@bp.get("/availability")
@page_requires(Role.DRIVER)
def availability() -> ResponseReturnValue:
    """When I can drive, and my car."""
    return _availability()


@bp.post("/shifts")
@page_requires(Role.DRIVER)
def add_shift() -> ResponseReturnValue:
    """Offer a time I can drive."""
    form = ShiftForm()
    form.take_choices()
    if form.validate_on_submit():
        try:
            availability_service.add_shift(session(), current_person(), form.draft())
        except DomainError as error:
            show_errors(form, error, SHIFT_FIELDS)
            found = error.suggestions if isinstance(error, PlaceNotResolved) else {}
            return _availability(shift_form=form, suggestions=found), 400
        flash(_("Thank you! Your time is saved."))
        return redirect(url_for(".availability"))
    return _availability(shift_form=form), 400


@bp.post("/shifts/<int:shift_id>/withdraw")
@page_requires(Role.DRIVER)
def withdraw_shift(shift_id: int) -> ResponseReturnValue:
    """Take back a time I offered."""
    availability_service.withdraw_shift(session(), current_person(), shift_id)
    flash(_("This time is taken back."))
    return redirect(url_for(".availability"))


@bp.post("/car")
@page_requires(Role.DRIVER)
def car() -> ResponseReturnValue:
    """Describe my car."""
    form = CarForm()
    if form.validate_on_submit():
        try:
            availability_service.save_car(session(), current_person(), form.spec())
        except DomainError as error:
            show_errors(form, error)
            return _availability(car_form=form), 400
        flash(_("Your car is saved."))
        return redirect(url_for(".availability"))
    return _availability(car_form=form), 400


@bp.get("/places")
@page_requires(Role.DRIVER)
def places() -> ResponseReturnValue:
    """Place names close to what is typed, for the search box (JSON)."""
    matches = lookup.suggest_places(session(), request.args.get("q", "")[:100])
    return jsonify([{"id": m.place.id, "label": m.label} for m in matches])
