"""The coordinator's day at a glance and map data, read from the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from matching.reasons import Reason
from rides.driving.availability import VehicleSpec, add_vehicle
from rides.models import TimeKind
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from rides.planning.overview import ShiftChoice, Timeline, day_view
from rides.planning.pins import pin_request
from rides.planning.unserved_reasons import SENTENCES, TAKEN_OFF, UNKNOWN, reason_sentence
from tests.factories import JADRAQUE, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)
#: A cut-off no test runs after, so requests made by the tests are on time.
CUTOFF = dt.time(23, 59, 59)


def test_every_reason_code_has_a_sentence_saying_what_to_do() -> None:
    """Each solver reason (and the coordinator's own 'taken off') maps to its own sentence with
    an action after a colon; unknown codes get the generic sentence."""
    assert set(SENTENCES) == set(Reason) | {TAKEN_OFF}
    assert len(set(SENTENCES.values())) == len(SENTENCES)
    for reason in Reason:
        assert ": " in reason_sentence(reason.value)
    assert reason_sentence("something_new") == UNKNOWN


def test_timeline_positions_are_whole_percentages_of_the_window() -> None:
    """07:00-19:00: 07:00 is 0, 13:00 is 50, 19:00 and later 100, earlier 0."""
    line = Timeline(7, 19)
    assert [line.percent(dt.time(h)) for h in (6, 7, 13, 19, 21)] == [0, 0, 50, 100, 100]
    assert line.percent(dt.time(7, 36)) == 5
    assert line.hours[0] == (7, 0) and line.hours[-1] == (18, 92)


def test_day_view_before_planning_lists_shifts_and_the_waiting_queue(
    session: Session, make: Factory
) -> None:
    """No plan yet: one row per shift without route, every request waiting, none late when
    booked before the cut-off; the timeline widens to fit an early shift."""
    driver = make.driver(first_name="Javier")
    make.shift(driver, start_time=dt.time(6, 30), end_time=dt.time(12))
    trip = make.request(time=dt.time(10))
    view = day_view(session, tomorrow(), CUTOFF)
    assert view.plan is None and not view.can_publish
    assert view.timeline.start_hour == 6
    (row,) = view.rows
    assert (row.driver, row.status, row.stops) == ("Javier", None, ())
    assert (row.shift_from, row.shift_to) == (4, 46)
    assert [line.request_id for line in view.waiting] == [trip.id]
    assert not view.waiting[0].late


def test_day_view_after_planning_shows_routes_unserved_reasons_and_pins(
    session: Session, make: Factory
) -> None:
    """Served trips appear as stops of their driver's row in time order; the wheelchair trip
    nobody can take is unserved with its sentence; a pin names the driver."""
    drivers = [make.driver(first_name="Javier"), make.driver(first_name="Lucía")]
    shifts = [make.shift(d) for d in drivers]
    served = make.request(make.newcomer(first_name="Amina"), time=dt.time(10))
    left_out = make.request(make.newcomer(first_name="Olena"), wheelchair=True)
    other = make.request(origin_id=make.place(JADRAQUE).id, time=dt.time(11))
    plan = plan_day(session, tomorrow(), FAST)
    pin_request(session, make.coordinator(), other.id, shifts[1].id)
    view = day_view(session, tomorrow(), CUTOFF)
    assert view.plan is not None and view.plan.version == plan.version and view.can_publish
    assert {row.driver for row in view.rows} == {"Javier", "Lucía"}
    stops = [stop for row in view.rows for stop in row.stops]
    assert {s.request_id for s in stops} == {served.id, other.id}
    for row in view.rows:
        assert [s.time for s in row.stops] == sorted(s.time for s in row.stops)
        assert all(0 <= s.at <= 100 for s in row.stops)
    (unserved,) = view.unserved
    assert (unserved.request_id, unserved.reason) == (left_out.id, "no_wheelchair_place")
    assert unserved.rider == "Olena" and unserved.sentence == SENTENCES[Reason.NO_WHEELCHAIR_PLACE]
    assert {s.shift_id for s in view.shifts} == {s.id for s in shifts}
    waiting = {line.request_id: line for line in view.waiting}
    assert waiting[other.id].pinned_to == "Lucía"


def test_day_view_marks_late_requests_and_flagged_days(session: Session, make: Factory) -> None:
    """With a midnight cut-off, a request booked today for tomorrow is late; a published day
    with a request waiting is flagged for a re-plan."""
    make.shift(make.driver())
    make.request(time=dt.time(10))
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    late = make.request(time=dt.time(12), time_kind=TimeKind.LEAVE_AFTER)
    view = day_view(session, tomorrow(), dt.time(0))
    assert view.published_version == 1 and not view.can_publish
    assert [(line.request_id, line.late) for line in view.waiting] == [(late.id, True)]
    assert tomorrow() in view.flagged_days


def test_each_keep_with_choice_names_the_driver_and_the_car_of_that_shift(
    session: Session, make: Factory
) -> None:
    """Javier drives his car in the morning and his van in the afternoon: the two choices are
    told apart by the car and its seats; a trip kept with the afternoon names the van."""
    javier = make.driver(first_name="Javier")
    car = javier.vehicles[0]
    van = add_vehicle(session, javier, VehicleSpec("Van", 7))
    morning = make.shift(javier, start_time=dt.time(8), end_time=dt.time(12), vehicle_id=car.id)
    afternoon = make.shift(javier, start_time=dt.time(14), end_time=dt.time(18),
                           vehicle_id=van.id)  # fmt: skip
    trip = make.request(time=dt.time(15))
    pin_request(session, make.coordinator(), trip.id, afternoon.id)
    view = day_view(session, tomorrow(), CUTOFF)
    assert view.shifts == (
        ShiftChoice(morning.id, "Javier", "Car", 4, dt.time(8), dt.time(12), "Sigüenza"),
        ShiftChoice(afternoon.id, "Javier", "Van", 7, dt.time(14), dt.time(18), "Sigüenza"),
    )
    (line,) = view.waiting
    assert (line.pinned_to, line.pinned_car) == ("Javier", "Van")
