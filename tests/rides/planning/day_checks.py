"""What the operating day promised, remembered step by step, and checked against the database.

The property test (``test_day_invariant``) updates a :class:`Promises` after each step that
went through, from what the step itself did (a mark, an acceptance, a cancellation, a change
the driver accepted), and then asks :meth:`Promises.check` whether the day still keeps them:

(a) every stop marked done, no-show (or skipped by a no-show) is in the published plan and in
    every version made since, exactly as marked, and the route that holds it counts as driven
    (``rides.driving.driven``, the monthly mileage);
(b) every route a driver accepted has, in the published plan and every version made since,
    the same driver, passengers (minus the cancelled), order and times, unless the driver
    accepted a proposed change of it;
(c) a rider's confirmed pickup time never moves (nor is first given, nor taken away) without
    a new message to that rider in the same step, and a scheduled rider's last pickup message
    names the time of their pickup stop in the published plan;
(d) a driver who declined the day is never offered a route of it again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.driving.driven import AT_THE_STOP, driven_routes, driven_stops
from rides.driving.mileage import mileage_by_driver
from rides.models import (
    DayPlan,
    OutboxMessage,
    RequestStatus,
    RideRequest,
    Route,
    RouteStatus,
    StopKind,
)
from rides.planning.commitments import KEPT, MARKED, StopFacts
from rides.planning.day_plans import published_plan

Key = tuple[int, StopKind]


def _key(stop: object) -> Key:
    return (stop.request_id, stop.kind)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Accepted:
    """A route as its driver accepted it: who drives, and each stop with its time."""

    driver_id: int
    stops: tuple[tuple[int, StopKind, dt.datetime], ...]

    @classmethod
    def of(cls, route: Route) -> Accepted:
        """The route as it stands now."""
        return cls(
            route.driver_id, tuple((s.request_id, s.kind, s.planned_at) for s in route.stops)
        )


@dataclass
class Promises:
    """The model: marks made, routes accepted, times riders were told, drivers who declined."""

    day: dt.date
    marks: dict[Key, tuple[int | None, StopFacts]] = field(default_factory=dict)
    accepted: dict[int, Accepted] = field(default_factory=dict)
    told: dict[int, dt.datetime | None] = field(default_factory=dict)
    declined: set[int] = field(default_factory=set)
    last_message: int = 0
    last_version: int = 0

    # -- what the steps did --------------------------------------------------------------

    def marked_on(self, route: Route) -> None:
        """A mark was made or undone on ``route``: its marks as they now are."""
        for stop in route.stops:
            if stop.status in MARKED:
                self.marks[_key(stop)] = (route.shift_id, StopFacts.of(stop))
            else:
                self.marks.pop(_key(stop), None)

    def accepted_route(self, route: Route) -> None:
        """The driver accepted the route, or a change of it: this is now what they agreed to."""
        assert route.shift_id is not None
        self.accepted[route.shift_id] = Accepted.of(route)

    def cancelled(self, request_ids: set[int]) -> None:
        """Cancelled passengers leave accepted routes, but their marked stops stay."""
        for shift, route in self.accepted.items():
            stops = tuple(
                s for s in route.stops if s[0] not in request_ids or (s[0], s[1]) in self.marks
            )
            self.accepted[shift] = Accepted(route.driver_id, stops)

    # -- the invariant -------------------------------------------------------------------

    def check(self, session: Session) -> None:
        """Assert (a) to (d) on the published plan and every version made since the last check."""
        session.flush()
        plan = published_plan(session, self.day)
        newer = list(
            session.scalars(
                select(DayPlan).where(DayPlan.date == self.day, DayPlan.version > self.last_version)
            )
        )
        for version in {p.id: p for p in [*newer, *([plan] if plan else [])]}.values():
            self._check_marks(version)
            self._check_accepted(version)
            self._check_declined(version)
        if plan is not None:
            self._check_no_phantom_marks(plan)
            self._check_driven(session, plan)
        self._check_riders(session, plan)
        self.last_version = max([self.last_version, *(p.version for p in newer)])

    def _check_marks(self, plan: DayPlan) -> None:
        stops = {_key(s): (r.shift_id, StopFacts.of(s)) for r in plan.routes for s in r.stops}
        for key, marked in self.marks.items():
            assert stops.get(key) == marked, (
                f"(a) version {plan.version} ({plan.status.value}): the {key[1].value} of "
                f"request {key[0]}, marked {marked[1].status.value} on shift {marked[0]}, "
                f"is now {stops.get(key)}"
            )

    def _check_no_phantom_marks(self, plan: DayPlan) -> None:
        for route in plan.routes:
            for stop in route.stops:
                if stop.status in MARKED:
                    assert _key(stop) in self.marks, (
                        f"(a) version {plan.version}: the {stop.kind.value} of request "
                        f"{stop.request_id} is {stop.status.value}, but nobody marked it so"
                    )

    def _check_accepted(self, plan: DayPlan) -> None:
        routes = {r.shift_id: r for r in plan.routes}
        for shift, accepted in self.accepted.items():
            route = routes.get(shift)
            assert route is not None, f"(b) version {plan.version} lost accepted shift {shift}"
            assert route.status in KEPT and route.driver_id == accepted.driver_id, (
                f"(b) version {plan.version}: accepted shift {shift} is {route.status.value}, "
                f"driver {route.driver_id} (was {accepted.driver_id})"
            )
            assert Accepted.of(route) == accepted, (
                f"(b) version {plan.version} ({plan.status.value}): accepted shift {shift} "
                f"changed from {accepted.stops} to {Accepted.of(route).stops}"
            )

    def _check_declined(self, plan: DayPlan) -> None:
        for route in plan.routes:
            assert route.driver_id not in self.declined or route.status == RouteStatus.DECLINED, (
                f"(d) version {plan.version}: driver {route.driver_id} declined the day and "
                f"has a route {route.status.value} again"
            )

    def _check_driven(self, session: Session, plan: DayPlan) -> None:
        after = self.day + dt.timedelta(days=1)
        driven = {r.id for r in session.scalars(driven_routes(self.day, after))}
        expected = {
            r.id
            for r in plan.routes
            if r.status in KEPT and any(s.status in AT_THE_STOP for s in r.stops)
        }
        assert driven == expected, f"(a) driven routes {driven}, marked routes {expected}"
        for route in plan.routes:
            at_stops = {_key(s) for s in route.stops if s.status in AT_THE_STOP}
            assert at_stops <= {_key(s) for s in driven_stops(route)}, (
                f"(a) route {route.id}: a stop marked {at_stops} is not counted as driven"
            )
        per_driver: dict[int, int] = {}
        for route in plan.routes:
            if route.id in driven:
                per_driver[route.driver_id] = per_driver.get(route.driver_id, 0) + 1
        logs = mileage_by_driver(session, self.day)
        assert {d: log.routes for d, log in logs.items()} == per_driver, "(a) mileage"

    def _check_riders(self, session: Session, plan: DayPlan | None) -> None:
        new = session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > self.last_message)
        ).all()
        keys = {m.dedup_key for m in new}
        pickups = {
            s.request_id: s.planned_at
            for r in (plan.routes if plan else [])
            for s in r.stops
            if s.kind == StopKind.PICKUP
        }
        requests = session.scalars(select(RideRequest).where(RideRequest.date == self.day))
        for request in requests:
            self._check_rider(session, request, keys, pickups)
        self.last_message = max([self.last_message, *(m.id for m in new)])

    def _check_rider(
        self,
        session: Session,
        request: RideRequest,
        keys: set[str],
        pickups: dict[int, dt.datetime],
    ) -> None:
        before, now = self.told.get(request.id), request.confirmed_pickup_at
        self.told[request.id] = now
        if request.status == RequestStatus.CANCELLED:
            return  # the rider (or the coordinator for them) cancelled: nothing to tell
        if now != before:
            if now is not None:
                told = {_at(k) for k in keys if k.startswith(f"pickup:{request.id}:")}
                assert now in told, (
                    f"(c) request {request.id}: pickup {before} -> {now} without a message "
                    f"({sorted(keys)})"
                )
            else:
                assert any(k.startswith(f"unserved:{request.id}:") for k in keys), (
                    f"(c) request {request.id}: pickup {before} taken away without a message"
                )
        if request.status == RequestStatus.SCHEDULED:
            assert pickups.get(request.id) == now, (
                f"(c) request {request.id} was told {now}, the plan picks up at "
                f"{pickups.get(request.id)}"
            )
            last = session.scalar(
                select(OutboxMessage.dedup_key)
                .where(OutboxMessage.dedup_key.like(f"pickup:{request.id}:%"))
                .order_by(OutboxMessage.id.desc())
                .limit(1)
            )
            assert last is not None and _at(last) == now, (
                f"(c) request {request.id}: the last message said {last}, the time is {now}"
            )


def _at(dedup_key: str) -> dt.datetime:
    """The pickup instant a ``pickup:<request>:<plan>:<iso>`` message was about."""
    return dt.datetime.fromisoformat(dedup_key.split(":", 3)[3])


def message_count(session: Session) -> int:
    """How many messages the outbox holds (for the run's summary)."""
    return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
