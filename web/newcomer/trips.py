"""The newcomer's trips: "My rides", booking on one page, cancelling."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from rides.booking import on_the_day, ride_requests, trips
from rides.errors import DomainError
from rides.models import Role
from rides.places import lookup
from rides.places.lookup import PlaceNotResolved
from web.database import session
from web.forms import show_errors
from web.limits import booking_limits, limited
from web.login import current_person, page_requires
from web.newcomer import bp
from web.newcomer.forms import FIELDS, BookForm, CancelForm
from web.note_changes import NoteForm, save_note
from web.notices import booking_notice, waiting_notice


@bp.context_processor
def notices() -> dict[str, object]:
    """The trip cards say what happens next to a trip still waiting for a car."""
    return {"waiting_notice": waiting_notice}


@bp.get("/")
@page_requires(Role.NEWCOMER)
def home() -> ResponseReturnValue:
    """My rides: what is coming, with the confirmed pickup time, and what is past."""
    rides = trips.my_rides(session(), current_person())
    return render_template("newcomer/home.html", rides=rides)


@bp.route("/book", methods=["GET", "POST"])
@page_requires(Role.NEWCOMER)
@limited(booking_limits)
def book() -> ResponseReturnValue:
    """I need a ride: one page; unknown place names come back with names to choose from."""
    form = BookForm()
    form.take_choices()
    suggestions: dict[str, Any] = {}
    if form.validate_on_submit():
        try:
            booked = ride_requests.book_ride(session(), current_person(), form.draft())
        except DomainError as error:
            show_errors(form, error, FIELDS)
            suggestions = error.suggestions if isinstance(error, PlaceNotResolved) else {}
        else:
            flash(booking_notice(booked[0]).text)
            return redirect(url_for(".home"))
    status = 400 if form.errors or form.form_errors else 200
    page = render_template("newcomer/book.html", form=form, suggestions=suggestions)
    return page, status


@bp.get("/places")
@page_requires(Role.NEWCOMER)
def places() -> ResponseReturnValue:
    """Place names close to what is typed, for the search box (JSON)."""
    matches = lookup.suggest_places(session(), request.args.get("q", "")[:100])
    return jsonify([{"id": m.place.id, "label": m.label} for m in matches])


@bp.route("/trips/<int:request_id>/cancel", methods=["GET", "POST"])
@page_requires(Role.NEWCOMER)
def cancel(request_id: int) -> ResponseReturnValue:
    """Cancel a trip after a confirmation (and its series when it repeats every week)."""
    form = CancelForm()
    if form.validate_on_submit():
        whole = form.scope.data == "series"
        ride_requests.cancel_ride(session(), current_person(), request_id, whole_series=whole,
                                  legs=form.legs.data)  # fmt: skip
        flash(_("Your trip is cancelled."))
        return redirect(url_for(".home"))
    trip = trips.get_trip(session(), current_person(), request_id)
    status = 400 if form.errors else 200
    return render_template("newcomer/cancel.html", form=form, trip=trip), status


@bp.route("/trips/<int:request_id>/note", methods=["GET", "POST"])
@page_requires(Role.NEWCOMER)
def note(request_id: int) -> ResponseReturnValue:
    """Change the note for the driver ("I have a pram") without booking again."""
    trip = trips.get_trip(session(), current_person(), request_id)
    form = NoteForm(data={"driver_note": trip.driver_note})
    if save_note(form, request_id):
        flash(_("Your note for the driver is saved."))
        return redirect(url_for(".home", _anchor=f"trip-{trip.outward.id}"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("newcomer/note.html", form=form, trip=trip), status


@bp.post("/trips/<int:request_id>/late")
@page_requires(Role.NEWCOMER)
def late(request_id: int) -> ResponseReturnValue:
    """I'll be late: the coordinator and the driver are told (once, however often pressed)."""
    notice = on_the_day.say_late(session(), current_person(), request_id)
    if notice.driver_told:
        flash(_("Thank you. Your driver and the coordinator know you will be late."))
    else:
        flash(_("Thank you. The coordinator knows you will be late."))
    return redirect(url_for(".home", _anchor=f"trip-{request_id}"))
