"""What a newcomer is told on booking: before the cut-off, after it, for today, the day after."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rides import clock
from rides.booking.notices import booking_notice, waiting_notice
from rides.models import RequestStatus, RideRequest, TimeKind
from tests.clocks import ServiceClock
from tests.factories import Factory

CUTOFF = dt.time(17)
PLANNING = dt.time(18)
#: A Friday; its plan is made on Thursday the 3rd at 18:00.
DAY = dt.date(2026, 12, 4)


def _book_at(make: Factory, service_clock: ServiceClock, moment: dt.datetime,
             **ride: object) -> RideRequest:  # fmt: skip
    service_clock.set(moment)
    return make.request(**{"date": DAY, "time": dt.time(10, 30), **ride})


def _notice(request: RideRequest, language: str = "en"):
    return booking_notice(request, clock.now(), cutoff=CUTOFF, planning_time=PLANNING,
                          language=language)  # fmt: skip


def _madrid(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.local_datetime(day, dt.time(hour, minute))


def test_before_the_cut_off_the_pickup_time_comes_with_the_evening_plan(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    request = _book_at(make, service_clock, _madrid(DAY - dt.timedelta(days=1), 16, 59))
    notice = _notice(request)
    assert notice.code == "booked"
    assert notice.answer_by is None
    assert "pickup time on Thursday, December 3, 2026 after 18:00" in notice.text


def test_after_the_cut_off_before_the_planning_run_it_still_goes_into_the_run(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    request = _book_at(make, service_clock, _madrid(DAY - dt.timedelta(days=1), 17, 30))
    notice = _notice(request)
    assert notice.code == "late_before_planning"
    # Two hours after the planning run, the coordinator's time to answer.
    assert notice.answer_by == _madrid(DAY - dt.timedelta(days=1), 20)
    assert "after the 17:00 cut-off" in notice.text
    assert "planning at 18:00" in notice.text
    assert "by 20:00" in notice.text


def test_after_the_planning_run_a_coordinator_fits_it_in_and_says_by_when(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    request = _book_at(make, service_clock, _madrid(DAY - dt.timedelta(days=1), 19, 15))
    notice = _notice(request)
    assert notice.code == "late"
    assert notice.answer_by == _madrid(DAY - dt.timedelta(days=1), 21, 15)
    assert notice.text == (
        "Your request came after today's planning at 18:00: a coordinator will try to fit it "
        "into tomorrow's published routes; we will tell you by 21:15, or call you if no driver "
        "can take you."
    )


def test_late_at_night_the_answer_time_names_its_day(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    request = _book_at(make, service_clock, _madrid(DAY - dt.timedelta(days=1), 23, 30))
    notice = _notice(request)
    assert notice.code == "late"
    assert "by Friday 01:30" in notice.text


def test_same_day_is_told_so_and_hears_before_having_to_leave(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """09:00 for 18:00 the same day (issue 14, point 4): an answer by 11:00."""
    request = _book_at(make, service_clock, _madrid(DAY, 9), time=dt.time(18))
    notice = _notice(request)
    assert notice.code == "same_day"
    assert notice.answer_by == _madrid(DAY, 11)
    assert "for today" in notice.text and "by 11:00" in notice.text
    # Arriving by 14:00 with 30 minutes' flexibility: the rider may leave at 13:30, so the
    # answer comes at 12:30 at the latest.
    soon = _book_at(make, service_clock, _madrid(DAY, 11), time=dt.time(14))
    assert _notice(soon).answer_by == _madrid(DAY, 12, 30)


def test_too_soon_for_an_answer_the_coordinator_calls(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    request = _book_at(make, service_clock, _madrid(DAY, 9, 30), time=dt.time(10, 30),
                       time_kind=TimeKind.LEAVE_AFTER)  # fmt: skip
    notice = _notice(request)
    assert notice.code == "urgent"
    assert notice.answer_by is None


def test_the_day_after_tomorrow_booked_after_today_s_planning_is_on_time(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """Its own cut-off is tomorrow at 17:00: a booking tonight is like any other."""
    request = _book_at(make, service_clock, _madrid(DAY - dt.timedelta(days=2), 20))
    assert _notice(request).code == "booked"


def test_the_notice_is_in_the_reader_s_language(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    request = _book_at(make, service_clock, _madrid(DAY - dt.timedelta(days=1), 19, 15))
    english = _notice(request, "en").text
    for language in ("es", "fr", "ar", "ro", "uk"):
        text = _notice(request, language).text
        assert "21:15" in text or "٢١:١٥" in text
        assert text != english, language


def _waiting(request: RideRequest, moment: dt.datetime, language: str = "en"):
    return waiting_notice(request, moment, cutoff=CUTOFF, planning_time=PLANNING,
                          language=language)  # fmt: skip


def test_a_late_trip_still_waiting_keeps_its_notice_on_the_day_of_the_booking(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """Booked Thursday 19:15, after the planning run: "My rides" says a coordinator answers by
    21:15 all evening and until that answer time, not the next day (its "today" and "tomorrow"
    would then be wrong); the day before the booking it was not booked yet."""
    thursday = DAY - dt.timedelta(days=1)
    request = _book_at(make, service_clock, _madrid(thursday, 19, 15))
    assert request.created_at == _madrid(thursday, 19, 15)
    for moment in (_madrid(thursday, 19, 15), _madrid(thursday, 21, 30), _madrid(thursday, 23, 59)):
        notice = _waiting(request, moment)
        assert notice is not None and notice.code == "late", moment
        assert "by 21:15" in notice.text
    assert _waiting(request, _madrid(DAY, 0, 1)) is None
    assert _waiting(request, _madrid(DAY, 9)) is None


def test_a_late_night_booking_keeps_its_notice_until_its_answer_time(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    request = _book_at(make, service_clock, _madrid(DAY - dt.timedelta(days=1), 23, 30))
    assert _waiting(request, _madrid(DAY, 1, 0)).code == "late"
    assert _waiting(request, _madrid(DAY, 1, 30)) is None


def test_an_on_time_trip_says_when_the_pickup_time_comes_until_the_planning_run(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    thursday = DAY - dt.timedelta(days=1)
    request = _book_at(make, service_clock, _madrid(thursday - dt.timedelta(days=1), 12))
    assert _waiting(request, _madrid(thursday, 17, 59)).code == "booked"
    assert "after 18:00" in _waiting(request, _madrid(thursday, 17, 59)).text
    assert _waiting(request, _madrid(thursday, 18)) is None
    assert _waiting(request, _madrid(DAY, 8)) is None


def test_only_a_trip_waiting_for_a_car_has_a_waiting_notice(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    moment = _madrid(DAY - dt.timedelta(days=1), 19, 15)
    for status in (RequestStatus.SCHEDULED, RequestStatus.CANCELLED, RequestStatus.UNSERVED):
        request = _book_at(make, service_clock, moment)
        request.status = status
        assert _waiting(request, moment) is None, status
    waiting = _book_at(make, service_clock, moment)
    assert _waiting(waiting, moment, "es").text == _notice(waiting, "es").text
