"""What riders read in their pickup message: the place as they know it, the date as written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.clock import LOCAL_TZ
from rides.locales import local_date
from rides.models import OutboxMessage
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow


def _pickup_message(session: Session, make: Factory, language: str) -> str:
    rider = make.newcomer(preferred_language=language)
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(15))
    make.request(rider, origin_id=make.place(ATIENZA).id, destination_id=make.place(SIGUENZA).id,
                 time=dt.time(10))  # fmt: skip
    publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    return session.scalars(
        select(OutboxMessage.body).where(
            OutboxMessage.kind == "pickup_confirmed", OutboxMessage.recipient_id == rider.id
        )
    ).one()


def test_a_village_without_meeting_point_is_named_once(session: Session, make: Factory) -> None:
    """No "Atienza (Atienza)": the meeting point is added only when there is one."""
    body = _pickup_message(session, make, "es")
    assert "Atienza" in body and "Atienza (Atienza)" not in body


def test_the_meeting_point_follows_the_village(session: Session, make: Factory) -> None:
    make.place(ATIENZA).meeting_point = "delante del ayuntamiento"
    body = _pickup_message(session, make, "en")
    assert "Atienza (delante del ayuntamiento)" in body


@pytest.mark.parametrize("language", ["uk", "es", "ar", "ro", "fr", "en"])
def test_a_date_that_ends_a_sentence_never_doubles_its_full_stop(
    session: Session, make: Factory, language: str
) -> None:
    """Ukrainian dates end in "р.": the sentence's own full stop is not added after it."""
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(8))
    rider = make.newcomer(preferred_language=language)
    make.request(rider, origin_id=make.place(ATIENZA).id, time=dt.time(18))  # no car that late
    publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    body = session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient_id == rider.id)
    ).one()
    assert local_date(tomorrow(), language).rstrip(".") in body
    assert ".." not in body


def test_a_new_time_after_the_reminder_run_is_told_at_once(session: Session, make: Factory) -> None:
    """The reminder said one time; a later version moves it: the rider gets the new time now,
    not at the next reminder run (issue 21, item 7)."""
    from rides.booking.reminders import ReminderLinks, queue_reminders
    from rides.locales import local_time
    from rides.planning import plan_edits

    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(17))
    trip = make.request(make.newcomer(preferred_language="es"), origin_id=make.place(ATIENZA).id,
                        time=dt.time(10), flexibility_min=30)  # fmt: skip
    publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    assert queue_reminders(session, tomorrow(), ReminderLinks("k" * 32, "https://x.org")) == 1
    reminded = trip.confirmed_pickup_at
    assert reminded is not None
    later = (reminded.astimezone(LOCAL_TZ) + dt.timedelta(minutes=17)).time()
    plan_edits.retime(session, make.coordinator(), trip.id, later)
    newest = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient_id == trip.rider_id)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert newest is not None and newest.kind == "pickup_confirmed"
    assert local_time(reminded + dt.timedelta(minutes=17), "es") in newest.body
