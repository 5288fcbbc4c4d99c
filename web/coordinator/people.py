"""A person's page for coordinators: details, invitation card, deactivation, their trips."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from rides.accounts import deactivation, invitations, people
from rides.accounts.invitations import IssuedLink
from rides.accounts.people import PersonSpec
from rides.booking import trips
from rides.errors import DomainError
from rides.locales import local_date
from rides.models import Person, Role
from web.config import invitation_lifetime
from web.coordinator import bp
from web.coordinator.forms import ActiveForm, PersonEditForm
from web.database import session
from web.forms import show_errors
from web.i18n import text_direction
from web.login import current_person, page_requires
from web.qr import qr_svg


def invitation_card(person: Person, issued: IssuedLink) -> ResponseReturnValue:
    """The printable card: what a social worker hands over, in the person's language."""
    language = person.preferred_language
    with force_locale(language):
        card = Markup(  # noqa: S704 - a template of ours, autoescaped
            render_template(
                "coordinator/_invitation_card.html",
                person=person, link=issued.url, language=language,
                direction=text_direction(language),
                until=local_date(issued.invitation.expires_at.date(), language),
                qr=qr_svg(issued.url, label=_("QR code of your invitation link")),
            )
        )  # fmt: skip
    return render_template("coordinator/invitation.html", person=person, card=card)


def _edit_spec(form: PersonEditForm) -> PersonSpec:
    return PersonSpec(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or None,
        email=form.email.data or None,
        phone=form.phone.data or None,
        preferred_language=form.preferred_language.data or "es",
        languages=tuple((form.languages.data or "").replace(";", ",").split(",")),
        channels=form.channels.data or "",
    )


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@page_requires(Role.COORDINATOR)
def person_page(person_id: int) -> ResponseReturnValue:
    """One person: edit the details, re-invite, deactivate, and the trips they asked for."""
    person = people.get_person(session(), person_id)
    form = PersonEditForm(
        data={
            "first_name": person.first_name, "last_name": person.last_name or "",
            "email": person.email or "", "phone": person.phone or "",
            "preferred_language": person.preferred_language,
            "languages": ", ".join(person.languages),
            "home_village": person.home_place.name if person.home_place else "",
            "channels": person.channels or "",
        }
    )  # fmt: skip
    presets = {choice.value for choice in form.channels.choices}  # type: ignore[union-attr]
    if person.channels and person.channels not in presets:  # set another way (the API)
        form.channels.choices.append(  # type: ignore[union-attr]
            SelectChoice(person.channels, person.channels.replace(",", ", "))
        )
    if form.validate_on_submit():
        try:
            people.edit_person(
                session(), current_person(), person, _edit_spec(form), form.home_village.data
            )
        except DomainError as error:
            show_errors(form, error, {"home_place_id": "home_village"})
        else:
            flash(_("The details of %(name)s are saved.", name=person.first_name))
            return redirect(url_for(".person_page", person_id=person.id), 303)
    rides = trips.my_rides(session(), person) if person.role == Role.NEWCOMER else None
    status = 422 if request.method == "POST" else 200
    return render_template(
        "coordinator/person.html", person=person, form=form, rides=rides,
        details=people.distinguishing_details(person), active_form=ActiveForm(),
    ), status  # fmt: skip


@bp.post("/people/<int:person_id>/invitation")
@page_requires(Role.COORDINATOR)
def reinvite(person_id: int) -> ResponseReturnValue:
    """A fresh invitation (older links stop working), sent and shown as a card to print."""
    person = people.get_person(session(), person_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        return redirect(url_for(".person_page", person_id=person.id), 303)
    issued = invitations.invite(session(), current_person(), person, lifetime=invitation_lifetime())
    return invitation_card(person, issued)


@bp.post("/people/<int:person_id>/active")
@page_requires(Role.COORDINATOR)
def set_active(person_id: int) -> ResponseReturnValue:
    """Deactivate (no sign-in, trips waiting for a car cancelled) or reactivate an account."""
    person = people.get_person(session(), person_id)
    form = ActiveForm()
    if form.validate_on_submit():
        if form.action.data == "deactivate":
            deactivation.deactivate(session(), current_person(), person)
            flash(_("%(name)s can no longer sign in.", name=person.first_name))
        else:
            deactivation.reactivate(session(), current_person(), person)
            flash(_("%(name)s can sign in again.", name=person.first_name))
    return redirect(url_for(".person_page", person_id=person.id), 303)
