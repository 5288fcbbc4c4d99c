"""Booking on behalf of a newcomer who phoned: find or create them, then the ride."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, ngettext
from werkzeug.datastructures import MultiDict

from rides.accounts.people import PersonSpec
from rides.booking import phone_booking
from rides.errors import DomainError
from rides.models import RideRequest, Role
from rides.places import directory
from web.coordinator import bp
from web.coordinator.forms import BookForm, NewcomerSearchForm
from web.database import session
from web.forms import ride_spec, show_errors
from web.login import current_person, page_requires

#: Service field names -> this form's fields.
FIELDS = {"origin_id": "origin", "destination_id": "destination", "rider_id": "first_name"}


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _order(form: BookForm) -> phone_booking.PhoneBooking:
    """The form as the service's booking order (places are resolved by the service)."""
    rider_id = _int(form.rider_id.data)
    newcomer = PersonSpec(
        first_name=form.first_name.data or "",
        phone=form.phone.data or None,
        preferred_language=form.preferred_language.data or "es",
    )
    return phone_booking.PhoneBooking(
        ride=ride_spec(form),
        origin=phone_booking.PlaceAnswer(form.origin.data or "", form.origin_pick.data),
        destination=phone_booking.PlaceAnswer(
            form.destination.data or "", form.destination_pick.data
        ),
        rider_id=rider_id,
        newcomer=None if rider_id else newcomer,
    )


def _booked(made: list[RideRequest]) -> ResponseReturnValue:
    """Say what was booked and show its day."""
    first = made[0]
    flash(ngettext("Booked for %(name)s: %(num)d trip, on %(date)s.",
                   "Booked for %(name)s: %(num)d trips, the first on %(date)s.",
                   len(made), name=first.rider.first_name,
                   date=format_date(first.date, "full")))  # fmt: skip
    return redirect(url_for(".home", date=first.date.isoformat()), 303)


@bp.route("/book", methods=["GET", "POST"])
@page_requires(Role.COORDINATOR)
def book() -> ResponseReturnValue:
    """Book a ride for a newcomer over the phone; every wrong field is shown, input kept.

    Finding the caller is a POST (``find``): what is typed is often a phone number, which
    must not end up in URLs, the browser's history or the access log.
    """
    finding = request.method == "POST" and request.form.get("find") == "1"
    search = NewcomerSearchForm(request.form if finding else MultiDict())
    form = BookForm(formdata=None) if finding else BookForm()
    if request.method == "GET" and request.args.get("rider"):
        form.rider_id.data = request.args["rider"]
    start = phone_booking.start_booking(session(), search.q.data, _int(form.rider_id.data))
    suggestions: dict[str, list[phone_booking.Suggestion]] = {}
    if not finding and form.validate_on_submit():
        try:
            made = phone_booking.book_on_behalf(session(), _order(form), actor=current_person())
        except phone_booking.PlacesUnclear as error:
            suggestions = error.suggestions
            show_errors(form, error, FIELDS)
        except DomainError as error:
            show_errors(form, error, FIELDS)
        else:
            return _booked(made)
    status = 422 if request.method == "POST" and not finding else 200
    return render_template(
        "coordinator/book.html", form=form, search=search, start=start, suggestions=suggestions
    ), status


@bp.get("/places.json")
@page_requires(Role.COORDINATOR)
def place_suggestions() -> ResponseReturnValue:
    """Places whose name is close to ``q``, for the booking form's suggestions while typing."""
    text = request.args.get("q", "")[:100].strip()
    found = directory.search_places(session(), text, 8) if len(text) >= 2 else []
    return jsonify([{"id": match.place.id, "label": match.label} for match in found])
