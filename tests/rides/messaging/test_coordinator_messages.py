"""What coordinators are told: every published version's trips without a car, with reasons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models import OutboxMessage
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, JADRAQUE, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


def _digests(session: Session, person_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.kind == "unserved_digest", OutboxMessage.recipient_id == person_id
    )
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def test_each_published_version_tells_coordinators_what_is_unserved_and_why(
    session: Session, make: Factory
) -> None:
    coordinator = make.coordinator(preferred_language="en")
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(9))
    make.request(make.newcomer(first_name="Amina"), origin_id=make.place(ATIENZA).id,
                 time=dt.time(8, 30))  # fmt: skip
    make.request(make.newcomer(first_name="Oksana"), origin_id=make.place(JADRAQUE).id,
                 time=dt.time(17))  # fmt: skip
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    [digest] = _digests(session, coordinator.id)
    assert digest.subject.startswith("Trips without a car on") and digest.subject.endswith(": 1")
    lines = digest.body.splitlines()
    [oksana] = [line for line in lines if "Oksana" in line]
    assert oksana.startswith("- 17:00 Oksana, Jadraque") and "No driver is free" in oksana
    assert not any("Amina" in line for line in lines)
    assert lines[-1].endswith(f"/coordinator/?date={tomorrow().isoformat()}")

    publish_plan(session, plan_day(session, tomorrow(), FAST))  # a re-plan, still unserved
    assert len(_digests(session, coordinator.id)) == 2


def test_a_day_with_every_trip_served_sends_no_digest(session: Session, make: Factory) -> None:
    coordinator = make.coordinator()
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(15))
    make.request(origin_id=make.place(ATIENZA).id, time=dt.time(10))
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    assert _digests(session, coordinator.id) == []
