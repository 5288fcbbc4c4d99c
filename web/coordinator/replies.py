"""The coordinators' inbox (replies no rule could act on) and the "call today" list (people no
digital channel reached). Every rule is in ``rides.messaging.inbox`` and ``.calls``."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from rides.errors import DomainError
from rides.messaging import calls, inbox
from rides.models import Role
from web.coordinator import bp
from web.coordinator.forms import CalledForm, InboxDoneForm
from web.database import session
from web.error_responses import status_for
from web.forms import error_text
from web.login import current_person, page_requires


@bp.post("/inbox/<int:message_id>/done")
@page_requires(Role.COORDINATOR)
def inbox_done(message_id: int) -> ResponseReturnValue:
    """A coordinator dealt with a reply: it leaves the inbox; back to the day they were on."""
    form = InboxDoneForm()  # the CSRF token is checked for every POST before the view
    item = inbox.mark_done(session(), current_person(), message_id)
    flash(_("The message from %(name)s is done.", name=item.name or item.sender))
    return redirect(url_for(".home", date=_day(form.date.data)) + "#inbox-title", 303)


@bp.get("/calls")
@page_requires(Role.COORDINATOR)
def calls_page() -> ResponseReturnValue:
    """People to phone today and what to tell each of them, printable."""
    return _calls_page()


def _calls_page(problem: str | None = None, status: int = 200) -> ResponseReturnValue:
    people = calls.calls_to_make(session(), current_person())
    return render_template(
        "coordinator/calls.html", people=people, form=CalledForm(), problem=problem
    ), status


@bp.post("/calls/<int:person_id>/called")
@page_requires(Role.COORDINATOR)
def called(person_id: int) -> ResponseReturnValue:
    """The coordinator phoned this person: the messages they read out leave the list."""
    form = CalledForm()
    ids = _ids(form.messages.data) if form.validate_on_submit() else None
    if not ids:
        return _calls_page(_("This list has changed: here it is again."), 400)
    try:
        calls.mark_called(session(), current_person(), person_id, ids)
    except DomainError as error:  # another coordinator ticked them meanwhile
        return _calls_page(error_text(error), status_for(error))
    return redirect(url_for(".calls_page"), 303)


def _day(text: str | None) -> str | None:
    """The day to go back to, if the form carried a real one."""
    try:
        return dt.date.fromisoformat(text or "").isoformat()
    except ValueError:
        return None


def _ids(text: str | None) -> list[int]:
    """Message ids from the form, nothing if any of them is not a plain number."""
    parts = (text or "").split(",")
    if not all(p.isdigit() and len(p) < 10 for p in parts):
        return []
    return [int(p) for p in parts]
