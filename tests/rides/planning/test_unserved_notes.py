"""The planner's note on an unserved trip, written from the solver's reason and figures in the
reader's language (issue 17: it was the solver's English sentence, shown in English only)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from matching.reasons import Reason
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from rides.planning.overview import day_view
from rides.planning.unserved_notes import UnservedNote, unserved_note
from rides.planning.versions import UNSERVED_PARAMS, derive
from tests.factories import Factory, tomorrow

#: Each reason with the figures the solver gives for it.
NOTES = {
    Reason.DIRECT_TRIP_TOO_LONG: {"direct_s": 4320, "ride_limit_s": 2700},
    Reason.NO_SHIFT_COVERS_WINDOW: {},
    Reason.NOT_ENOUGH_SEATS: {"amount": 5, "dimension": "seats"},
    Reason.NO_CHILD_SEATS: {"amount": 2, "dimension": "child_seats"},
    Reason.NO_WHEELCHAIR_PLACE: {"amount": 1, "dimension": "wheelchair_places"},
    Reason.NO_VEHICLE_FITS_LOAD: {"seats": 3, "child_seats": 1, "wheelchair_places": 1},
    Reason.UNREACHABLE_IN_SHIFT: {},
    Reason.LINKED_TRIP_UNSERVED: {"partner": 12, "partner_reason": "no_wheelchair_place"},
    Reason.LOCKED_ROUTE_INFEASIBLE: {},
    Reason.NO_CAPACITY_LEFT: {"partner": 12},
}
FAST = PlanSettings(time_limit=1.0)


@pytest.mark.parametrize("language", ["es", "ar"])
@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_a_note_in_the_language(reason: Reason, language: str) -> None:
    """Each reason's note is a translated sentence, not the English one, without codes."""
    note = unserved_note(reason, NOTES[reason], language)
    english = unserved_note(reason, NOTES[reason], "en")
    assert note and english and note != english
    assert "_" not in note


def test_the_figures_are_written_the_way_the_language_writes_them() -> None:
    """Durations in hours and minutes, places in words with their plural, the linked trip's
    reason in words."""
    direct = NOTES[Reason.DIRECT_TRIP_TOO_LONG]
    assert unserved_note(Reason.DIRECT_TRIP_TOO_LONG, direct, "es") == (
        "El viaje directo dura 1 h 12 min; con las horas pedidas y un límite de viaje de "
        "45 min no hay tiempo para hacerlo."
    )
    assert "1 س 12 د" in str(unserved_note(Reason.DIRECT_TRIP_TOO_LONG, direct, "ar"))
    load = unserved_note(Reason.NO_VEHICLE_FITS_LOAD, NOTES[Reason.NO_VEHICLE_FITS_LOAD], "es")
    assert "3 plazas, 1 silla infantil y 1 plaza para silla de ruedas" in str(load)
    linked = unserved_note(Reason.LINKED_TRIP_UNSERVED, NOTES[Reason.LINKED_TRIP_UNSERVED], "es")
    assert "n.º 12" in str(linked) and "Sin plaza para silla de ruedas" in str(linked)


@pytest.mark.parametrize("reason", [r for r in Reason if NOTES[r] and r != Reason.NO_CAPACITY_LEFT])
def test_a_stored_plan_without_figures_has_no_note(reason: Reason) -> None:
    """Plans stored before the figures were kept: the reason's sentence only, no half note."""
    assert unserved_note(reason, {}, "es") is None
    assert UnservedNote(reason).text("ar") is None


def test_an_unknown_code_has_no_note() -> None:
    """A reason this version does not know (a newer solver) adds nothing."""
    assert unserved_note("taken_off", {}, "es") is None


def test_the_plan_keeps_the_figures_and_the_day_shows_the_note(
    session: Session, make: Factory
) -> None:
    """The solver's figures are stored with the plan, kept by a version made by hand, and the
    day's unserved line carries the note to write in the reader's language."""
    make.shift(make.driver())
    left_out = make.request(make.newcomer(), wheelchair=True, time=dt.time(10))
    plan = plan_day(session, tomorrow(), FAST)
    assert plan.figures[UNSERVED_PARAMS][str(left_out.id)] == {
        "reason": "no_wheelchair_place",
        "params": {"amount": 1, "dimension": "wheelchair_places"},
    }
    published = publish_plan(session, plan)
    coordinator = make.coordinator()
    next_version = derive(session, published, coordinator, routes={}, change="test")
    assert next_version.figures[UNSERVED_PARAMS] == plan.figures[UNSERVED_PARAMS]
    (line,) = day_view(session, tomorrow(), dt.time(23, 59, 59)).unserved
    assert line.note is not None
    assert line.note.text("es") == (
        "Necesita 1 plaza para silla de ruedas; ningún turno a esa hora tiene tantas."
    )
