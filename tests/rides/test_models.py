"""Every relation of the data model, round-tripped through a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rides import audit
from rides.db import make_sessionmaker
from rides.models import (
    AuditEntry,
    DayPlan,
    Place,
    PlaceKind,
    RideRequest,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    UnservedRequest,
)
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow


def _reload(session: Session) -> None:
    session.commit()
    session.expire_all()


def test_place_municipality_and_its_stops(session: Session, make: Factory) -> None:
    """A named stop belongs to its municipality, which lists it among its stops."""
    town = make.place(SIGUENZA)
    stop = Place(
        name="Centro de Salud",
        kind=PlaceKind.HEALTH_CENTRE,
        municipality=town,
        latitude=41.07,
        longitude=-2.64,
        meeting_point="at the main door",
    )
    session.add(stop)
    _reload(session)
    assert stop.municipality is town
    assert [s.name for s in town.stops] == ["Centro de Salud"]


def test_person_languages_vehicles_and_home(session: Session, make: Factory) -> None:
    """A driver has a home place, spoken languages and cars, each pointing back."""
    driver = make.driver(languages=("ar", "fr"), home_place_id=make.place(ATIENZA).id)
    _reload(session)
    assert driver.languages == ["ar", "es", "fr"]
    assert driver.home_place is not None and driver.home_place.ine_code == ATIENZA
    assert driver.vehicles[0].driver is driver
    assert all(entry.person is driver for entry in driver.spoken)


def test_shift_links_driver_vehicle_and_places(session: Session, make: Factory) -> None:
    """A shift knows its driver, car and start/end places."""
    shift = make.shift(end_place_id=make.place(ATIENZA).id)
    _reload(session)
    assert shift.vehicle.driver is shift.driver
    assert shift.start_place.ine_code == SIGUENZA
    assert shift.end_place.ine_code == ATIENZA


def test_request_rider_places_return_and_series(session: Session, make: Factory) -> None:
    """A weekly booking with a return: series, outward/return links and booker all persist."""
    rider = make.newcomer()
    coordinator = make.coordinator()
    from rides.booking.ride_requests import book_ride

    created = book_ride(
        session,
        coordinator,
        make.ride_spec(return_time=dt.time(13, 0), weekly_until=tomorrow() + dt.timedelta(days=7)),
        rider=rider,
    )
    _reload(session)
    outward, back = created[0], created[1]
    assert back.outward is outward and outward.return_trip is back
    assert (back.origin, back.destination) == (outward.destination, outward.origin)
    assert outward.rider is rider and outward.booked_by is coordinator
    assert outward.series is not None
    assert [r.date for r in outward.series.requests] == [tomorrow()] * 2 + [
        tomorrow() + dt.timedelta(days=7)
    ] * 2


def test_plan_routes_stops_and_unserved(session: Session, make: Factory) -> None:
    """A day plan owns routes, which own ordered stops; unserved requests hang off the plan."""
    shift = make.shift()
    served, unserved = make.request(), make.request(time=dt.time(12, 0))
    at = dt.datetime.combine(tomorrow(), dt.time(9, 0), tzinfo=dt.UTC)
    plan = DayPlan(date=tomorrow(), version=1)
    route = Route(plan=plan, driver=shift.driver, shift=shift, vehicle=shift.vehicle)
    route.stops = [
        Stop(request=served, kind=StopKind.PICKUP, place=served.origin, planned_at=at, position=0),
        Stop(
            request=served,
            kind=StopKind.DROPOFF,
            place=served.destination,
            planned_at=at + dt.timedelta(minutes=40),
            position=1,
        ),
    ]
    plan.unserved = [UnservedRequest(request=unserved, reason="no_capacity", detail="full")]
    session.add(plan)
    _reload(session)
    loaded = session.scalars(select(DayPlan)).one()
    assert loaded.routes[0].driver is shift.driver and loaded.routes[0].vehicle is shift.vehicle
    assert [s.kind for s in loaded.routes[0].stops] == [StopKind.PICKUP, StopKind.DROPOFF]
    assert loaded.routes[0].stops[0].route is loaded.routes[0]
    assert loaded.routes[0].stops[0].planned_at == at
    assert loaded.unserved[0].request is unserved and loaded.unserved[0].plan is loaded


def test_deleting_a_plan_deletes_its_routes_and_stops(session: Session, make: Factory) -> None:
    """Routes and stops never outlive their plan (no orphan rows after a re-plan)."""
    shift = make.shift()
    request = make.request()
    at = dt.datetime.combine(tomorrow(), dt.time(9, 0), tzinfo=dt.UTC)
    plan = DayPlan(date=tomorrow(), version=1)
    Route(
        plan=plan,
        driver=shift.driver,
        stops=[
            Stop(
                request=request,
                kind=StopKind.PICKUP,
                place=request.origin,
                planned_at=at,
                position=0,
            )
        ],
    )
    session.add(plan)
    _reload(session)
    session.delete(plan)
    _reload(session)
    assert session.scalars(select(Route)).all() == []
    assert session.scalars(select(Stop)).all() == []


def test_audit_entry_points_at_its_actor(session: Session, make: Factory) -> None:
    """An audit entry records the actor and the changed values as JSON."""
    coordinator = make.coordinator()
    audit.record(session, coordinator, "publish", "day_plan", 7, date=tomorrow())
    _reload(session)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "publish")).one()
    assert entry.actor is coordinator
    assert entry.changes == {"date": tomorrow().isoformat()}


def test_database_refuses_a_trip_to_the_same_place(session: Session, make: Factory) -> None:
    """The CHECK constraint backs the service rule even for code that bypasses it."""
    rider, place = make.newcomer(), make.place()
    session.add(
        RideRequest(
            rider=rider,
            origin=place,
            destination=place,
            date=tomorrow(),
            time_kind="arrive_by",
            time=dt.time(10),
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_naive_datetimes_are_refused(session: Session) -> None:
    """Times are always timezone-aware; a naive one is a bug caught at write time."""
    session.add(DayPlan(date=tomorrow(), version=1, created_at=dt.datetime(2030, 1, 1)))
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_concurrent_edits_of_a_route_are_detected(engine, make: Factory, session: Session) -> None:
    """Two sessions changing the same route: the second write fails instead of overwriting."""
    shift = make.shift()
    plan = DayPlan(date=tomorrow(), version=1, routes=[Route(driver=shift.driver)])
    session.add(plan)
    session.commit()
    route_id = plan.routes[0].id
    other = make_sessionmaker(engine)()
    try:
        mine, theirs = session.get(Route, route_id), other.get(Route, route_id)
        assert mine is not None and theirs is not None
        theirs.status = RouteStatus.DECLINED
        other.commit()
        mine.status = RouteStatus.ACCEPTED
        with pytest.raises(StaleDataError):
            session.commit()
    finally:
        other.close()
