"""A person's data is exported and erased; old trips lose their riders, keep their figures."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.accounts.privacy import (
    anonymise_old_requests,
    anonymous_rider,
    erase_person,
    export_person,
)
from rides.accounts.signin import issue_token, person_for_token
from rides.models import Person, RideRequest
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import Factory, tomorrow


def test_export_holds_everything_about_the_person(session: Session, make: Factory) -> None:
    """Profile, trips and messages are in the export, which is plain JSON."""
    make.shift(make.driver())
    rider = make.newcomer(first_name="Amina", phone="612345678", languages=("ar",))
    make.request(rider)
    publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1)))
    data = export_person(session, rider)
    json.dumps(data)
    assert data["person"]["first_name"] == "Amina" and data["person"]["phone"] == "+34612345678"
    assert len(data["ride_requests"]) == 1 and data["ride_requests"][0]["status"] == "scheduled"
    assert [m["kind"] for m in data["messages"]] == ["pickup_confirmed"]
    assert "password_hash" not in json.dumps(data)


def test_erase_removes_personal_values_but_keeps_plans(session: Session, make: Factory) -> None:
    """After erasure: no name, contact or token works; the trip is still there, cancelled and
    out of the plan (nobody is sent to fetch a person who is no longer there)."""
    make.shift(make.driver())
    rider = make.newcomer(first_name="Amina", email="amina@example.org", phone="612345678")
    request = make.request(rider)
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1)))
    token, _ = issue_token(session, rider)
    erase_person(session, rider, actor=make.coordinator())
    session.commit()
    session.expire_all()
    assert (rider.first_name, rider.email, rider.phone, rider.active) == ("—", None, None, False)
    assert person_for_token(session, token) is None
    assert request.status.value == "cancelled" and plan.routes[0].stops == []
    assert request.rider_id == anonymous_rider(session).id
    assert all("Amina" not in str(v) for v in export_person(session, rider)["person"].values())


def test_retention_detaches_old_trips_only(session: Session, make: Factory) -> None:
    """Trips before the retention cut-off move to the anonymous rider; recent ones stay."""
    rider = make.newcomer()
    recent = make.request(rider)
    old = make.request(rider, time=dt.time(12))
    old.date = clock.today() - dt.timedelta(days=400)
    session.flush()
    moved = anonymise_old_requests(session, retention_days=365)
    session.expire_all()
    assert moved == 1
    assert old.rider_id == anonymous_rider(session).id and recent.rider_id == rider.id
    assert session.scalar(select(func.count()).select_from(RideRequest)) == 2
    assert anonymise_old_requests(session, retention_days=365) == 0


def test_anonymous_rider_is_created_once(session: Session) -> None:
    """There is a single anonymous account, which cannot sign in."""
    first, second = anonymous_rider(session), anonymous_rider(session)
    assert first is second and not first.active
    assert session.scalar(select(func.count()).select_from(Person)) == 1
