"""Shared form plumbing: domain errors shown on the right field, in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask_babel import format_date, format_datetime, format_decimal, format_time, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from rides.booking.ride_requests import RideSpec
from rides.errors import DomainError
from rides.models import Purpose, TimeKind
from rides.validation import InvalidInput

#: What a field says when its input cannot be read at all (the same words on every page).
NOT_A_DAY = _l("Choose a day.")
NOT_A_TIME = _l("Write a time, for example 10:30.")
NOT_A_NUMBER = _l("Write a number, for example 1.")
#: The service's own words for an empty place (rides.places.lookup), so an empty form shows
#: every missing field at once instead of the places only after a second try.
NO_PLACE = _l("Write the name of the village or place.")
#: The booking forms' note for the driver (the service trims it and checks the rest).
DRIVER_NOTE_LABEL = _l("Note for the driver (optional)")
#: A trip of a weekly series alone, or it and every later week (cancelling; the note).
SERIES_SCOPES = [
    SelectChoice("one", _l("Only this trip")),
    SelectChoice("series", _l("This trip and every later week")),
]


def localised(value: object) -> object:
    """A value of a domain message as the page's language writes it: "1 dic 2026", not
    "2026-12-01"; "10:30"; "201,5". Other values (names, counts) stay as they are."""
    if isinstance(value, dt.datetime):
        return format_datetime(value, "medium")
    if isinstance(value, dt.date):
        return format_date(value, "medium")
    if isinstance(value, dt.time):
        return format_time(value, "HH:mm")
    if isinstance(value, float):
        return format_decimal(value)
    return value


def translate(template: str, params: Mapping[str, object]) -> str:
    """A domain message (English source with ``{name}`` fields) in the page language, its
    dates, times and numbers written the page language's way."""
    text = gettext(template)
    shown = {name: localised(value) for name, value in params.items()}
    try:
        return text.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template.format(**shown)


def error_text(error: DomainError) -> str:
    """The whole error in the page language."""
    return translate(error.template, error.params)


def show_errors(
    form: FlaskForm, error: DomainError, names: Mapping[str, str] | None = None
) -> None:
    """Put each field error of ``error`` under its form field (``names`` maps service names to
    form field names); what has no field goes to the top of the form. The input stays filled."""
    names = names or {}
    problems = error.errors if isinstance(error, InvalidInput) else []
    if not problems:
        form.form_errors.append(error_text(error))
        return
    for problem in problems:
        text = translate(problem.template or problem.message, problem.params)
        target = getattr(form, names.get(problem.field, problem.field), None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, text]
        else:
            form.form_errors.append(text)


def ride_spec(form: FlaskForm) -> RideSpec:
    """The ride of a booking form (the newcomer's and the phone booking share these fields).

    The places are left out (ids 0): the service resolves the typed names and sets them.
    """
    return RideSpec(
        origin_id=0, destination_id=0, date=form.date.data, time=form.time.data,
        time_kind=TimeKind(form.time_kind.data), adults=form.adults.data,
        children=form.children.data, child_seats=form.child_seats.data,
        wheelchair=bool(form.wheelchair.data),
        purpose=Purpose(form.purpose.data or Purpose.OTHER.value),
        return_time=form.return_time.data, weekly_until=form.weekly_until.data,
        driver_note=form.driver_note.data or None,
    )  # fmt: skip


def take_choices(form: FlaskForm, names: tuple[str, ...]) -> None:
    """A name picked under "Did you mean" (field ``<name>_choice``) replaces what was typed."""
    for name in names:
        chosen = form[f"{name}_choice"].data
        if chosen:
            form[name].data, form[name].raw_data = chosen, [chosen]
