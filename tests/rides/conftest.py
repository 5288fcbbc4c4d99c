"""A driver's accepted route on a chosen day, planned and published with the clock before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from rides.booking.ride_requests import book_ride
from rides.driving.routes import accept_route
from rides.models import Person, RideRequest, Route, Stop, StopKind
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.factories import ATIENZA, JADRAQUE, Factory

FAST = PlanSettings(time_limit=1.0)


@dataclass
class DrivenDay:
    """Javier's accepted route of ``day``: Amina there (and back, when asked for), Ioana."""

    day: dt.date
    driver: Person
    route: Route
    amina: RideRequest
    amina_back: RideRequest | None
    ioana: RideRequest

    def stop(self, request: RideRequest, kind: StopKind) -> Stop:
        """The route's stop of ``request`` of that kind."""
        return next(s for s in self.route.stops if s.request_id == request.id and s.kind == kind)


@pytest.fixture
def accepted_route(
    session: Session, make: Factory, service_clock: ServiceClock
) -> Callable[..., DrivenDay]:
    """Make the day: booked and planned two days before (at noon), published, accepted. The
    clock is left at that noon; the test moves it to the day."""

    def build(day: dt.date, *, with_return: bool = False) -> DrivenDay:
        service_clock.at(day - dt.timedelta(days=2), 12)
        javier = make.driver(first_name="Javier", preferred_language="en")
        make.shift(javier, date=day, start_time=dt.time(7), end_time=dt.time(16))
        amina = make.newcomer(first_name="Amina", preferred_language="fr")
        spec = make.ride_spec(date=day, time=dt.time(10, 30),
                              return_time=dt.time(13) if with_return else None)  # fmt: skip
        trips = book_ride(session, amina, spec)
        ioana = make.request(make.newcomer(first_name="Ioana"), date=day, time=dt.time(11, 30),
                             origin_id=make.place(JADRAQUE).id)  # fmt: skip
        plan = publish_plan(session, plan_day(session, day, FAST))
        (route,) = [r for r in plan.routes if r.stops]
        accept_route(session, javier, route.id)
        session.flush()
        assert trips[0].origin.ine_code == ATIENZA and len(route.stops) == 4 + 2 * with_return
        back = trips[1] if with_return else None
        return DrivenDay(day, javier, route, trips[0], back, ioana)

    return build
