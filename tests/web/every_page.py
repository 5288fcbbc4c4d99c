"""Every page each role can reach on a seeded, published day: the seeding and the URL map walk
that the six-language test (test_every_page_languages.py) and the axe scan
(browser/test_every_page_axe.py) share."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.accounts import invitations
from rides.accounts.people import PersonSpec
from rides.booking import reminders
from rides.driving.availability import VehicleSpec, add_vehicle
from rides.driving.routes import accept_route
from rides.models import (
    ChangeStatus,
    Person,
    Place,
    PlaceKind,
    RideRequest,
    Role,
    Route,
    RouteChange,
    Stop,
    StopKind,
)
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from scenarios import demo
from tests.factories import tomorrow

#: Pages that are not HTML for people (files, data for scripts) or that only redirect.
NOT_PAGES = {
    "static", "vendor.leaflet_asset", "vendor.municipality_boundaries", "favicon.favicon",
    "health.healthz", "feeds.gtfs_flex", "auth.home", "coordinator.map_data",
    "coordinator.place_suggestions", "coordinator.run_status", "reports.month_csv",
    "reports.month_json", "reports.purposes_png", "reports.villages_png", "driver.mileage_csv",
    "whatsapp_webhooks.verify",
}  # fmt: skip
FAST = PlanSettings(time_limit=1.0)


@dataclass(frozen=True)
class Seeded:
    """What the pages and messages are about."""

    logins: demo.DemoLogins
    day: dt.date
    route: Route
    change: RouteChange
    trip: RideRequest
    pickup: Stop
    place: Place
    confirmed: RideRequest
    invitation: str


def change_bringing_first_rider(route: Route, note: str) -> RouteChange:
    """A change waiting for the answer of the driver of this accepted route: it keeps the
    route's stops and brings its first rider in as new, who has written ``note`` for the
    driver. Its page then shows a passenger's needs and note as the driver reads them (the
    caller adds it to the session)."""
    first = next(s for s in route.stops if s.kind == StopKind.PICKUP)
    first.request.driver_note = note
    stops = [
        {"request_id": s.request_id, "kind": s.kind.value, "place_id": s.place_id,
         "planned_at": s.planned_at.isoformat()}
        for s in route.stops
    ]  # fmt: skip
    return RouteChange(
        date=route.plan.date, shift_id=route.shift_id, driver_id=route.driver_id, kind="assign",
        status=ChangeStatus.PENDING, base=[[s["request_id"], s["kind"]] for s in stops],
        stops=stops, summary={"added": [first.request_id], "removed": [], "moved": []},
    )  # fmt: skip


def seed(session: Session, language: str) -> Seeded:
    """The demo day (its driver with a second car), everyone reading ``language``, planned
    and published, its driver's route accepted, and a change waiting for that driver's answer;
    the ids the pages need."""
    logins = demo.seed(session)
    for person in session.scalars(select(Person)):
        person.preferred_language = language
    # A second car, so the availability page shows the car choice and each shift's car.
    add_vehicle(session, logins.driver, VehicleSpec("Van", 6, model="Dacia Jogger", colour="gris"))
    day = tomorrow()
    plan = publish_plan(session, plan_day(session, day, FAST))
    route = next(r for r in plan.routes if r.driver_id == logins.driver.id)
    accept_route(session, logins.driver, route.id)
    rider_trip = session.scalars(
        select(RideRequest).where(RideRequest.rider_id == logins.newcomer.id)
    ).first()
    assert rider_trip is not None
    change = change_bringing_first_rider(route, "Carrito de bebé")
    session.add(change)
    session.commit()
    pickup = next(s for s in route.stops if s.kind == StopKind.PICKUP)
    place = session.scalars(select(Place).where(Place.kind == PlaceKind.MUNICIPALITY)).first()
    confirmed = session.scalars(
        select(RideRequest).where(RideRequest.confirmed_pickup_at.is_not(None))
    ).first()
    assert confirmed is not None and place is not None
    _, issued = invitations.create_and_invite(
        session, logins.coordinator, Role.NEWCOMER,
        PersonSpec(first_name="Salma", email="salma@example.org", preferred_language=language),
    )  # fmt: skip
    session.commit()
    return Seeded(logins, day, route, change, rider_trip, pickup, place, confirmed,
                  issued.path.rsplit("/", 1)[1])  # fmt: skip


def paths(app: Flask, seeded: Seeded) -> dict[str, list[str]]:
    """Each role's pages, from the URL map with the seeded ids filled in."""
    day = seeded.day
    secret = str(app.config["SECRET_KEY"])
    values = {
        "token": reminders.make_token(secret, seeded.confirmed.id, "confirm"),
        "place_id": seeded.place.id,
        "request_id": seeded.trip.id,
        "route_id": seeded.route.id,
        "stop_id": seeded.pickup.id,
        "change_id": seeded.change.id,
        "person_id": seeded.trip.rider_id,
    }
    queries = {
        "coordinator.home": f"?date={day.isoformat()}",
        "driver.home": f"?day={day.isoformat()}",
        "reports.month_page": f"?month={day:%Y-%m}",
    }
    roles: dict[str, list[str]] = {
        "newcomer": [], "driver": [], "coordinator": [], "any": [], "visitor": []
    }  # fmt: skip
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith("/api/"):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path)
        path += queries.get(rule.endpoint, "")
        role = rule.rule.split("/")[1]
        if rule.endpoint == "invitations.accept":
            path = f"/invite/{seeded.invitation}"
        if rule.endpoint.startswith(("reminder_links.", "invitations.")):
            role = "visitor"  # a link in a message, or a page before signing in
        roles[role if role in roles else "any"].append(path)
    return roles


def visits(roles: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(role, path) for every page: the visitor's first, then each signed-in role's own pages
    and the pages any role may see."""
    return [("visitor", p) for p in ["/login", *roles["visitor"]]] + [
        (role, path)
        for role in ("newcomer", "driver", "coordinator")
        for path in roles[role] + [p for p in roles["any"] if p != "/login"]
    ]
