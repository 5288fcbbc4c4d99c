"""The coordinator's map data (issue 17): routes, villages with their stops, and where the
unserved requests start, as GeoJSON."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rides.planning.day_map import day_map
from rides.planning.day_plans import PlanSettings, plan_day
from tests.factories import JADRAQUE, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


def test_day_map_has_a_line_per_route_and_a_point_per_place(
    session: Session, make: Factory
) -> None:
    """GeoJSON: each route from the shift's start through its stops to its end, in
    [longitude, latitude]; every place once, named, with its number of stops."""
    make.shift(make.driver())
    make.request(time=dt.time(10))
    plan = plan_day(session, tomorrow(), FAST)
    data = day_map(session, tomorrow())
    assert data["version"] == plan.version
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    points = [f for f in data["features"] if f["properties"]["kind"] == "place"]
    assert len(lines) == len(plan.routes) == 1
    assert len(lines[0]["geometry"]["coordinates"]) == len(plan.routes[0].stops) + 2
    first = plan.routes[0].shift.start_place
    assert lines[0]["geometry"]["coordinates"][0] == [first.longitude, first.latitude]
    assert {p["properties"]["name"] for p in points} == {"Atienza", "Sigüenza"}
    stops = {p["properties"]["name"]: p["properties"]["stops"] for p in points}
    assert sum(stops.values()) == len(plan.routes[0].stops) == 2
    assert lines[0]["properties"]["driver"] == plan.routes[0].driver.display_name


def test_day_map_marks_where_unserved_requests_start(session: Session, make: Factory) -> None:
    """A request no car can take is a point of kind "unserved" at its pickup village, counted;
    a cancelled one is not shown."""
    make.shift(make.driver())
    make.request(time=dt.time(10))
    jadraque = make.place(JADRAQUE).id
    make.request(origin_id=jadraque, wheelchair=True)
    make.request(origin_id=jadraque, wheelchair=True, time=dt.time(12))
    plan_day(session, tomorrow(), FAST)
    data = day_map(session, tomorrow())
    unserved = [f for f in data["features"] if f["properties"]["kind"] == "unserved"]
    assert [(f["properties"]["name"], f["properties"]["requests"]) for f in unserved] == [
        ("Jadraque", 2)
    ]


def test_day_map_without_a_plan_is_empty(session: Session) -> None:
    """No plan: an empty feature collection, version None."""
    assert day_map(session, tomorrow()) == {
        "type": "FeatureCollection", "day": tomorrow().isoformat(), "version": None,
        "features": [],
    }  # fmt: skip
