"""When the driver can drive, and with what car."""

from __future__ import annotations

from typing import Any

from flask import (
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from rides.driving import availability as availability_service
from rides.driving import car_removal
from rides.errors import Conflict, DomainError
from rides.models import Role
from rides.places import lookup
from rides.places.lookup import PlaceNotResolved
from rides.validation import InvalidInput
from web.database import session
from web.driver import bp
from web.driver.forms import (
    SHIFT_FIELDS,
    CarForm,
    ShiftForm,
    car_forms,
    car_label,
    car_prefix,
)
from web.forms import show_errors
from web.login import current_person, page_requires


def _availability(shift_form: ShiftForm | None = None,
                  car: tuple[int | None, CarForm] | None = None,
                  refused: tuple[int, DomainError] | None = None,
                  suggestions: dict[str, Any] | None = None) -> str:  # fmt: skip
    """The page; ``car`` is (which car, its form) posted back with messages, ``refused``
    (which car, why) a removal refused, said on that car's form."""
    mine = availability_service.my_availability(session(), current_person())
    shift_form = shift_form or ShiftForm(formdata=None)
    shift_form.offer_cars(mine.cars, mine.last_car_id)
    forms = car_forms(mine.cars, car)
    if refused is not None and refused[0] in forms:
        show_errors(forms[refused[0]], refused[1])
    return render_template("driver/availability.html", mine=mine, shift_form=shift_form,
                           car_forms=forms, car_label=car_label,
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
        until = form.repeat_until.data
        try:
            if until is None:
                availability_service.add_shift(session(), current_person(), form.draft())
                saved = _("Thank you! Your time is saved.")
            else:
                count = len(availability_service.add_weekly_shifts(
                    session(), current_person(), form.draft(), until))  # fmt: skip
                saved = ngettext(
                    "Thank you! Your times are saved: %(num)d day.",
                    "Thank you! Your times are saved: %(num)d days.",
                    count,
                )
        except DomainError as error:
            show_errors(form, error, SHIFT_FIELDS)
            found = error.suggestions if isinstance(error, PlaceNotResolved) else {}
            return _availability(shift_form=form, suggestions=found), 400
        flash(saved)
        return redirect(url_for(".availability"))
    return _availability(shift_form=form), 400


@bp.post("/shifts/<int:shift_id>/withdraw")
@page_requires(Role.DRIVER)
def withdraw_shift(shift_id: int) -> ResponseReturnValue:
    """Take back a time I offered."""
    availability_service.withdraw_shift(session(), current_person(), shift_id)
    flash(_("This time is taken back."))
    return redirect(url_for(".availability"))


@bp.post("/cars")
@page_requires(Role.DRIVER)
def add_car() -> ResponseReturnValue:
    """Register another car."""
    form = CarForm(prefix=car_prefix(None))
    if form.validate_on_submit():
        try:
            availability_service.add_vehicle(session(), current_person(), form.spec())
        except InvalidInput as error:
            show_errors(form, error)
            return _availability(car=(None, form)), 400
        flash(_("Your car is added."))
        return redirect(url_for(".availability"))
    return _availability(car=(None, form)), 400


@bp.post("/cars/<int:vehicle_id>")
@page_requires(Role.DRIVER)
def edit_car(vehicle_id: int) -> ResponseReturnValue:
    """Change one of my cars (someone else's is not found)."""
    form = CarForm(prefix=car_prefix(vehicle_id))
    if form.validate_on_submit():
        try:
            availability_service.update_vehicle(
                session(), current_person(), vehicle_id, form.spec()
            )
        except InvalidInput as error:
            show_errors(form, error)
            return _availability(car=(vehicle_id, form)), 400
        flash(_("Your car is saved."))
        return redirect(url_for(".availability", _anchor=car_prefix(vehicle_id)))
    return _availability(car=(vehicle_id, form)), 400


@bp.post("/cars/<int:vehicle_id>/remove")
@page_requires(Role.DRIVER)
def remove_car(vehicle_id: int) -> ResponseReturnValue:
    """Take one of my cars off the road, unless a coming time or plan still uses it."""
    try:
        car = car_removal.remove_vehicle(session(), current_person(), vehicle_id)
    except Conflict as error:
        return _availability(refused=(vehicle_id, error)), 409
    flash(_("The car %(car)s is removed.", car=car_label(car)))
    return redirect(url_for(".availability"))


@bp.get("/places")
@page_requires(Role.DRIVER)
def places() -> ResponseReturnValue:
    """Place names close to what is typed, for the search box (JSON)."""
    matches = lookup.suggest_places(session(), request.args.get("q", "")[:100])
    return jsonify([{"id": m.place.id, "label": m.label} for m in matches])
