"""The outbox listing, people and places: the upkeep coordinators do between plans."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import Field

from rides.accounts import invitations, people
from rides.accounts.people import PersonSpec
from rides.errors import DomainError
from rides.messaging import outbox_view
from rides.models import MessageStatus, PlaceKind, Role
from rides.places import directory, stop_address, upkeep
from web.commands.planning import delivery_settings
from web.config import invitation_lifetime
from web.coordinator import bp
from web.coordinator.forms import (
    MeetingPointForm,
    OutboxFilterForm,
    PeopleFilterForm,
    PersonForm,
    PlaceSearchForm,
    StopForm,
)
from web.coordinator.people import invitation_card
from web.database import session
from web.forms import show_errors
from web.geocoder import geocoder
from web.login import current_person, page_requires


@bp.get("/outbox")
@page_requires(Role.COORDINATOR)
def outbox() -> ResponseReturnValue:
    """Messages to riders and drivers, newest first; pending, sent or failed ones only."""
    form = OutboxFilterForm(request.args)
    status = MessageStatus(form.status.data) if form.validate() and form.status.data else None
    messages = outbox_view.outbox_messages(session(), status)
    off = [channel.value for channel in delivery_settings().channels_off()]
    return render_template("coordinator/outbox.html", form=form, messages=messages, off=off)


def _person_spec(form: PersonForm) -> PersonSpec:
    return PersonSpec(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or None,
        email=form.email.data or None,
        phone=form.phone.data or None,
        password=form.password.data or None,
        preferred_language=form.preferred_language.data or "es",
    )


@bp.route("/people", methods=["GET", "POST"])
@page_requires(Role.COORDINATOR)
def people_page() -> ResponseReturnValue:
    """Everyone by role, who asked for a new password, and a form to create an account: with
    no password given, the person gets an invitation and the page shows the card to print."""
    shown = PeopleFilterForm(request.args)
    form = PersonForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        spec = _person_spec(form)
        try:
            if spec.password:
                person = people.register(session(), role, spec, actor=current_person())
            else:
                person, issued = invitations.create_and_invite(
                    session(), current_person(), role, spec, lifetime=invitation_lifetime()
                )
                return invitation_card(person, issued)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s now has an account.", name=person.first_name))
            return redirect(url_for(".people_page", role=role.value), 303)
    only = Role(shown.role.data) if shown.validate() and shown.role.data else None
    listed = people.list_people(session(), only)
    calls = invitations.call_list(session(), current_person())
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coordinator/people.html", form=form, shown=shown, people=listed, calls=calls,
        details=people.distinguishing_details,
    ), status  # fmt: skip


@bp.get("/places")
@page_requires(Role.COORDINATOR)
def places_page() -> ResponseReturnValue:
    """Search places by name; without a name, the named stops coordinators added."""
    form = PlaceSearchForm(request.args)
    query = (form.q.data or "").strip() if form.validate() else ""
    found = directory.search_places(session(), query, 10) if query else []
    stops = [] if query else upkeep.named_stops(session())
    return render_template(
        "coordinator/places.html", form=form, query=query, found=found, stops=stops,
        municipality=PlaceKind.MUNICIPALITY.value,
    )  # fmt: skip


@bp.route("/places/<int:place_id>", methods=["GET", "POST"])
@page_requires(Role.COORDINATOR)
def place_page(place_id: int) -> ResponseReturnValue:
    """A place and where riders wait there (the meeting point can be edited)."""
    place = directory.get_place(session(), place_id)
    form = MeetingPointForm(data={"meeting_point": place.meeting_point or ""})
    if form.validate_on_submit():
        directory.set_meeting_point(
            session(), place, form.meeting_point.data, actor=current_person()
        )
        flash(_("The meeting point of %(place)s is saved.", place=directory.place_label(place)))
        return redirect(url_for(".place_page", place_id=place.id), 303)
    status = 422 if form.errors else 200
    return render_template(
        "coordinator/place.html", place=place, label=directory.place_label(place), form=form,
        municipality=place.kind == PlaceKind.MUNICIPALITY,
    ), status  # fmt: skip


@bp.route("/places/<int:place_id>/stops", methods=["GET", "POST"])
@page_requires(Role.COORDINATOR)
def add_stop(place_id: int) -> ResponseReturnValue:
    """Add a named stop (health centre, station...) inside a village, with its meeting point;
    with a geocoder configured, "Find" fills the coordinates from the stop's address."""
    town = upkeep.get_municipality(session(), place_id)
    form = StopForm()
    found = None
    if request.method == "POST" and "find" in request.form:
        try:
            found = stop_address.find_stop_address(
                session(), town, form.address.data or "", geocoder()
            )
        except DomainError as error:
            show_errors(form, error)
        else:
            _fill(form.latitude, round(found.latitude, 6))
            _fill(form.longitude, round(found.longitude, 6))
    elif form.validate_on_submit():
        new = upkeep.NewStop(
            name=form.name.data or "", kind=PlaceKind(form.kind.data),
            latitude=form.latitude.data, longitude=form.longitude.data,
            meeting_point=form.meeting_point.data or None,
        )  # fmt: skip
        try:
            stop = upkeep.add_stop_in(session(), town, new, actor=current_person())
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("%(place)s is added.", place=directory.place_label(stop)))
            return redirect(url_for(".place_page", place_id=stop.id), 303)
    status = 422 if request.method == "POST" and found is None else 200
    return render_template("coordinator/stop_new.html", town=town, form=form, found=found,
                           address_search=geocoder() is not None), status  # fmt: skip


def _fill(field: Field, value: float) -> None:
    """Show ``value`` in a form field on the page sent back (over what was typed)."""
    field.data, field.raw_data = value, [str(value)]
