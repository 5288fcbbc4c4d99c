"""The note for the driver changed after booking, from the rider's page or, after a phone call,
from the coordinator's trip page: one form and one save for both."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField

from rides.booking import note_changes
from rides.booking.ride_requests import MAX_DRIVER_NOTE
from rides.errors import DomainError
from web.database import session
from web.forms import DRIVER_NOTE_LABEL, SERIES_SCOPES, show_errors
from web.login import current_person


class NoteForm(FlaskForm):
    """The note for the driver of a trip already booked (empty: no note), on this trip alone
    or on every later week of its series too (the rider's page asks only for a series)."""

    driver_note = StringField(DRIVER_NOTE_LABEL, render_kw={"maxlength": MAX_DRIVER_NOTE})
    scope = RadioField(_l("Which trips take the new note?"), choices=SERIES_SCOPES, default="one")


def save_note(form: NoteForm, request_id: int) -> bool:
    """Whether the posted note was saved; if not, the form carries the reason (on its field,
    or at its top for a trip that is over) for the page to show again."""
    if not form.validate_on_submit():
        return False
    try:
        note_changes.change_driver_note(session(), current_person(), request_id,
                                        form.driver_note.data,
                                        whole_series=form.scope.data == "series")  # fmt: skip
    except DomainError as error:
        show_errors(form, error)
        return False
    return True
