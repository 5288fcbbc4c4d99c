"""A trip on the published plan changed by hand: give it to a driver, move it, take it off,
move its pickup; a same-day request fitted in; the rider's note for the driver changed after
a phone call. Rules: ``rides.planning.plan_edits``, ``rides.booking.note_changes``."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from rides.errors import DomainError
from rides.models import Role
from rides.planning import placement, plan_edits
from web.coordinator import bp
from web.coordinator.forms import RetimeForm, ShiftChoiceForm
from web.database import session
from web.forms import error_text
from web.login import current_person, page_requires
from web.note_changes import NoteForm, save_note


def request_page(
    request_id: int,
    problem: str | None = None,
    status: int = 200,
    note_form: NoteForm | None = None,
) -> ResponseReturnValue:
    """The trip with its place in the published plan and the changes open to it (``note_form``:
    a refused note, shown with its message)."""
    seen = placement.placement(session(), current_person(), request_id)
    note = seen.request.driver_note
    return render_template(
        "coordinator/request.html",
        seen=seen,
        retime_form=RetimeForm(formdata=None),
        note_form=note_form or NoteForm(formdata=None, data={"driver_note": note}),
        problem=problem,
    ), status


@bp.get("/requests/<int:request_id>")
@page_requires(Role.COORDINATOR)
def request_detail(request_id: int) -> ResponseReturnValue:
    """One trip: where it rides, where it could go."""
    return request_page(request_id)


@bp.post("/requests/<int:request_id>/assign")
@page_requires(Role.COORDINATOR)
def assign(request_id: int) -> ResponseReturnValue:
    """Give a waiting trip to the chosen driver."""
    form = ShiftChoiceForm()
    if not form.validate_on_submit():
        return request_page(request_id, _("Choose a driver."), 400)
    return _done(request_id, lambda: plan_edits.assign(
        session(), current_person(), request_id, form.shift_id.data or 0))  # fmt: skip


@bp.post("/requests/<int:request_id>/move")
@page_requires(Role.COORDINATOR)
def move(request_id: int) -> ResponseReturnValue:
    """Give a trip on an offered route to another driver."""
    form = ShiftChoiceForm()
    if not form.validate_on_submit():
        return request_page(request_id, _("Choose a driver."), 400)
    return _done(request_id, lambda: plan_edits.move(
        session(), current_person(), request_id, form.shift_id.data or 0))  # fmt: skip


@bp.post("/requests/<int:request_id>/take-off")
@page_requires(Role.COORDINATOR)
def take_off(request_id: int) -> ResponseReturnValue:
    """Take a trip off its route: it waits for another driver."""
    return _done(request_id, lambda: plan_edits.remove(session(), current_person(), request_id))


@bp.post("/requests/<int:request_id>/retime")
@page_requires(Role.COORDINATOR)
def retime(request_id: int) -> ResponseReturnValue:
    """Move the pickup inside the rider's window."""
    form = RetimeForm()
    if not form.validate_on_submit() or form.pickup_at.data is None:
        return request_page(request_id, _("Give the new pickup time, e.g. 09:40."), 400)
    at = form.pickup_at.data
    return _done(request_id, lambda: plan_edits.retime(session(), current_person(), request_id, at))


@bp.post("/requests/<int:request_id>/note")
@page_requires(Role.COORDINATOR)
def change_note(request_id: int) -> ResponseReturnValue:
    """The rider called about their note for the driver: both ways still to come take it."""
    form = NoteForm()
    if save_note(form, request_id):
        flash(_("The note for the driver is saved."))
        return redirect(url_for(".request_detail", request_id=request_id), 303)
    return request_page(request_id, status=400, note_form=form)


def _done(request_id: int, change: Callable[[], plan_edits.Outcome]) -> ResponseReturnValue:
    """Run the change; say what it did (published, or asked of the driver) or why not."""
    try:
        outcome = change()
    except DomainError as error:
        return request_page(request_id, error_text(error), 409)
    if outcome.proposal is not None:
        flash(_("%(name)s accepted this route: the change is proposed to them, and their "
                "accepted route stays as it is until they answer.",
                name=outcome.proposal.driver.first_name))  # fmt: skip
    if outcome.plan is not None:
        flash(_("Version %(version)s is published with the change: the people affected are told.",
                version=outcome.plan.version))  # fmt: skip
    return redirect(url_for(".request_detail", request_id=request_id), 303)
