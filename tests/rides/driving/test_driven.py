"""What was driven, from the marks (issue 14): which routes count for mileage and reports,
and how far the car went on them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

import geo
from rides.driving.calendar import accepted_routes
from rides.driving.driven import driven_metres, driven_routes, driven_stops
from rides.driving.mileage import mileage_log
from rides.driving.routes import record_stop
from rides.models import Place, StopKind, StopStatus
from rides.reporting.monthly import month_report
from tests.clocks import ServiceClock
from tests.rides.conftest import DrivenDay

DAY = dt.date(2026, 12, 4)
PICKUP, DROPOFF = StopKind.PICKUP, StopKind.DROPOFF


def road_m(*places: Place) -> int:
    """Metres along ``places`` in order, by the road model the planner uses."""
    points = [(p.latitude, p.longitude) for p in places]
    distance, _time = geo.travel_matrix(points)
    return sum(int(distance[i][i + 1]) for i in range(len(points) - 1))


def driven_km(session: Session, made: DrivenDay) -> tuple[int, float]:
    """Routes and kilometres on the driver's mileage log of the month."""
    log = mileage_log(session, made.driver.id, made.day)
    return log.routes, log.km


@pytest.fixture
def made(accepted_route, service_clock: ServiceClock) -> DrivenDay:
    """Javier's accepted route of 4 December, the clock at 09:00 that morning."""
    route = accepted_route(DAY)
    service_clock.at(DAY, 9)
    return route


def test_an_accepted_route_nobody_marked_was_not_driven(session: Session, made) -> None:
    """Mileage, the monthly report and the funders' km count nothing yet; the calendar still
    shows the route (it is for the days ahead)."""
    assert made.route.distance_m > 0
    assert session.scalars(driven_routes(DAY)).all() == []
    assert driven_km(session, made) == (0, 0.0)
    report = month_report(session, "2026-12")
    assert (report.routes_driven, report.total.km) == (0, 0.0)
    assert accepted_routes(session, made.driver, DAY) == [made.route]


def test_a_route_driven_as_planned_counts_its_planned_distance(session: Session, made) -> None:
    """Every stop done: the km are exactly the planner's, on mileage and in the report."""
    for stop in made.route.stops:
        record_stop(session, made.driver, stop.id, StopStatus.DONE)
    assert driven_metres([made.route]) == {made.route.id: made.route.distance_m}
    km = round(made.route.distance_m / 1000, 1)
    assert driven_km(session, made) == (1, km)
    report = month_report(session, "2026-12")
    assert (report.routes_driven, report.total.km) == (1, km)
    assert report.as_dict()["routes_driven"] == 1


def test_halfway_through_the_day_the_km_reach_the_last_mark(session: Session, made) -> None:
    """After the first pickup only, the car drove there (and will drive home): the rest of the
    route is not counted yet."""
    first = made.route.stops[0]
    record_stop(session, made.driver, first.id, StopStatus.DONE)
    shift = made.route.shift
    assert shift is not None
    expected = road_m(shift.start_place, first.place, shift.end_place)
    assert driven_metres([made.route]) == {made.route.id: expected}
    assert expected < made.route.distance_m


def test_a_stop_passed_without_a_tap_was_still_on_the_way(session: Session, made) -> None:
    """The first pickup forgotten, its drop-off marked: the car went through both."""
    route = made.route
    dropoff = made.stop(made.amina, DROPOFF)
    record_stop(session, made.driver, dropoff.id, StopStatus.DONE)
    upto = route.stops[: route.stops.index(dropoff) + 1]
    assert driven_stops(route) == upto
    shift = route.shift
    assert shift is not None
    path = [shift.start_place, *(s.place for s in upto), shift.end_place]
    assert driven_metres([route]) == {route.id: road_m(*path)}


def test_when_nobody_came_the_car_still_drove_to_the_pickups(session: Session, made) -> None:
    """Every pickup a no-show: the route was driven, to the pickups and back, and its skipped
    drop-offs are not counted."""
    route = made.route
    pickups = [s for s in route.stops if s.kind == PICKUP]
    for stop in pickups:
        record_stop(session, made.driver, stop.id, StopStatus.NO_SHOW)
    assert all(s.status == StopStatus.SKIPPED for s in route.stops if s.kind == DROPOFF)
    shift = route.shift
    assert shift is not None
    expected = road_m(shift.start_place, *(s.place for s in pickups), shift.end_place)
    assert driven_metres([route]) == {route.id: expected}
    assert driven_km(session, made) == (1, round(expected / 1000, 1))
    report = month_report(session, "2026-12")
    assert report.routes_driven == 1 and report.total.no_shows == 2


def test_a_skipped_drop_off_shortens_the_route(session: Session, made) -> None:
    """Amina not there, Ioana carried: the car went to Atienza for nothing and on to Jadraque,
    never to Amina's drop-off."""
    route = made.route
    record_stop(session, made.driver, made.stop(made.amina, PICKUP).id, StopStatus.NO_SHOW)
    for kind in (PICKUP, DROPOFF):
        record_stop(session, made.driver, made.stop(made.ioana, kind).id, StopStatus.DONE)
    visited = [s for s in route.stops if s.status != StopStatus.SKIPPED]
    assert driven_stops(route) == visited
    shift = route.shift
    assert shift is not None
    path = [shift.start_place, *(s.place for s in visited), shift.end_place]
    assert driven_metres([route]) == {route.id: road_m(*path)}
