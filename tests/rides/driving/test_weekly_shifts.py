"""Weekly availability (issue 17): one form, the same time every week up to a day; all or
nothing, the DST night and the limits checked on each day it makes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.driving.availability import MAX_WEEKS, ShiftDraft, add_weekly_shifts
from rides.models import Shift
from rides.validation import InvalidInput
from tests.clocks import ServiceClock
from tests.factories import Factory

#: A Tuesday; the spring-forward Sunday of 2027 is 28 March.
TUESDAY = dt.date(2026, 12, 8)
SPRING_FORWARD_2027 = dt.date(2027, 3, 28)


def _draft(day: dt.date, start: dt.time = dt.time(8), end: dt.time = dt.time(13)) -> ShiftDraft:
    return ShiftDraft(date=day, start_time=start, end_time=end, start_place="Sigüenza")


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Shift)) or 0


@pytest.fixture(autouse=True)
def _december_3(service_clock: ServiceClock) -> None:
    service_clock.at(dt.date(2026, 12, 3), 18)


def test_every_tuesday_up_to_and_including_the_last_day(session: Session, make: Factory) -> None:
    driver = make.driver()
    shifts = add_weekly_shifts(session, driver, _draft(TUESDAY), dt.date(2027, 1, 5))
    assert [s.date for s in shifts] == [TUESDAY + dt.timedelta(weeks=n) for n in range(5)]
    assert {(s.start_time, s.end_time, s.start_place.name) for s in shifts} == {
        (dt.time(8), dt.time(13), "Sigüenza")
    }
    assert add_weekly_shifts(session, driver, _draft(TUESDAY), TUESDAY)[0].date == TUESDAY


@pytest.mark.parametrize(
    ("until", "code"),
    [(TUESDAY - dt.timedelta(days=1), "repeat_before_start"),
     (TUESDAY + dt.timedelta(weeks=MAX_WEEKS), "too_many_weeks")],
    ids=["before-start", "too-many-weeks"],
)  # fmt: skip
def test_a_wrong_last_day_is_refused_and_nothing_is_stored(
    session: Session, make: Factory, until: dt.date, code: str
) -> None:
    driver = make.driver()
    before = _count(session)
    with pytest.raises(InvalidInput) as refused:
        add_weekly_shifts(session, driver, _draft(TUESDAY), until)
    assert refused.value.codes == {"repeat_until": code}
    assert _count(session) == before


def test_the_last_allowed_week_is_accepted(session: Session, make: Factory) -> None:
    until = TUESDAY + dt.timedelta(weeks=MAX_WEEKS - 1)
    assert len(add_weekly_shifts(session, make.driver(), _draft(TUESDAY), until)) == MAX_WEEKS


def test_a_time_missing_on_the_spring_forward_night_refuses_the_whole_repeat(
    session: Session, make: Factory
) -> None:
    """Sundays at 02:30: the 28 March 2027 has no 02:30 in Madrid, so nothing is added (the
    page's request is rolled back with the error under the start time)."""
    driver = make.driver()
    first = SPRING_FORWARD_2027 - dt.timedelta(weeks=2)
    savepoint = session.begin_nested()
    with pytest.raises(InvalidInput) as refused:
        add_weekly_shifts(session, driver, _draft(first, dt.time(2, 30), dt.time(6)),
                          SPRING_FORWARD_2027 + dt.timedelta(weeks=1))  # fmt: skip
    savepoint.rollback()
    assert "start_time" in refused.value.codes
    assert _count(session) == 0
