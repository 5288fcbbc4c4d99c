"""Changes proposed to a route the driver accepted: see what changes, accept or decline."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from rides import clock
from rides.errors import DomainError
from rides.models import Role
from rides.planning import change_sheets, route_changes
from web.database import session
from web.driver import bp
from web.forms import error_text
from web.login import current_person, page_requires


@bp.context_processor
def pending_changes() -> dict[str, object]:
    """Every driver page can say that a change waits for an answer (today and tomorrow)."""
    if not current_user.is_authenticated or current_person().role != Role.DRIVER:
        return {"pending_changes": []}
    person = current_person()
    days = (clock.today(), clock.tomorrow())
    found = [c for day in days for c in route_changes.pending_changes(session(), person, day)]
    return {"pending_changes": found}


@bp.get("/changes/<int:change_id>")
@page_requires(Role.DRIVER)
def change(change_id: int) -> ResponseReturnValue:
    """What my accepted route would become."""
    sheet = change_sheets.change_sheet(session(), current_person(), change_id)
    return render_template("driver/change.html", sheet=sheet)


@bp.post("/changes/<int:change_id>/accept")
@page_requires(Role.DRIVER)
def accept_change(change_id: int) -> ResponseReturnValue:
    """Take the change: my route becomes the proposed one."""
    try:
        plan = route_changes.accept_change(session(), current_person(), change_id)
    except DomainError as error:
        flash(error_text(error))
        return redirect(url_for(".change", change_id=change_id), 303)
    flash(_("Thank you: your route is updated and the passengers are told."))
    return redirect(url_for(".home", day=plan.date.isoformat()), 303)


@bp.post("/changes/<int:change_id>/decline")
@page_requires(Role.DRIVER)
def decline_change(change_id: int) -> ResponseReturnValue:
    """Keep my accepted route as it is."""
    try:
        answered = route_changes.decline_change(session(), current_person(), change_id)
    except DomainError as error:
        flash(error_text(error))
        return redirect(url_for(".change", change_id=change_id), 303)
    flash(_("Your route stays as you accepted it. The coordinator is told."))
    return redirect(url_for(".home", day=answered.date.isoformat()), 303)
