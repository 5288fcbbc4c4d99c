"""What people agreed to and what was driven: the invariant every new version of a day keeps.

Stated here once, and checked wherever a day's plan changes (plan, re-plan, publish, a
coordinator's change, a cancellation, a decline, a same-day insertion):

1. A stop marked done, no-show or skipped is history: no later version changes or drops it.
2. A route its driver accepted keeps its driver, its passengers, their order and their
   confirmed pickup times. A cancelled passenger's stops not yet marked leave it; anything else
   that would change it is a ``RouteChange`` the driver accepts or declines, and until then the
   accepted version stands.
3. A rider's confirmed pickup time never moves without a new message to that rider: only
   ``day_plans.publish_plan`` moves it, and it writes the message in the same transaction.

A re-plan holds (1) and (2) by construction: kept routes are copied into the new version as
they are and the solver never sees them. ``enforce`` checks every new version anyway, and
publishing checks the draft again against whatever is published at that moment (a driver may
have accepted or driven since the draft was made).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rides.errors import Conflict
from rides.models import (
    DayPlan,
    RequestStatus,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
)

#: Routes whose driver said yes (and then drove): they are kept as they are.
KEPT = frozenset({RouteStatus.ACCEPTED, RouteStatus.COMPLETED})
#: Stops that happened (or were found not needed): history.
MARKED = frozenset({StopStatus.DONE, StopStatus.NO_SHOW, StopStatus.SKIPPED})


class CommitmentBroken(Conflict):
    """A new version would change what a driver accepted or what was driven: never stored."""

    code = "commitment_broken"


@dataclass(frozen=True)
class StopFacts:
    """A stop as the invariant compares it: where, when, and what happened there."""

    request_id: int
    kind: StopKind
    place_id: int
    planned_at: dt.datetime
    status: StopStatus
    marked_at: dt.datetime | None
    marked_by_id: int | None
    note: str | None

    @property
    def marked(self) -> bool:
        """History: it can no longer change."""
        return self.status in MARKED

    def to_stop(self, position: int) -> Stop:
        """A new row with these facts at ``position`` of a route."""
        return Stop(
            request_id=self.request_id,
            kind=self.kind,
            place_id=self.place_id,
            planned_at=self.planned_at,
            position=position,
            status=self.status,
            marked_at=self.marked_at,
            marked_by_id=self.marked_by_id,
            note=self.note,
        )

    @classmethod
    def of(cls, stop: Stop) -> StopFacts:
        """The facts of a stored stop."""
        return cls(
            stop.request_id, stop.kind, stop.place_id, stop.planned_at, stop.status,
            stop.marked_at, stop.marked_by_id, stop.note,
        )  # fmt: skip


@dataclass(frozen=True)
class RouteFacts:
    """A route as the invariant compares it, and as a later version copies it."""

    shift_id: int | None
    driver_id: int
    vehicle_id: int | None
    status: RouteStatus
    responded_at: dt.datetime | None
    start_at: dt.datetime | None
    end_at: dt.datetime | None
    distance_m: int
    stops: tuple[StopFacts, ...]

    @property
    def request_ids(self) -> set[int]:
        """The requests this route carries (or carried)."""
        return {s.request_id for s in self.stops}

    @classmethod
    def of(cls, route: Route) -> RouteFacts:
        """A stored route's facts; a cancelled passenger's stops not yet marked are left out."""
        stops = tuple(
            StopFacts.of(stop)
            for stop in route.stops
            if stop.status in MARKED or stop.request.status != RequestStatus.CANCELLED
        )
        return cls(
            route.shift_id, route.driver_id, route.vehicle_id, route.status, route.responded_at,
            route.start_at, route.end_at, route.distance_m, stops,
        )  # fmt: skip

    def to_route(self) -> Route:
        """New rows for the next version: the same route, stops, times and marks."""
        route = Route(
            driver_id=self.driver_id, shift_id=self.shift_id, vehicle_id=self.vehicle_id,
            status=self.status, responded_at=self.responded_at, start_at=self.start_at,
            end_at=self.end_at, distance_m=self.distance_m,
        )  # fmt: skip
        route.stops = [s.to_stop(position) for position, s in enumerate(self.stops)]
        return route


def is_kept(route: Route) -> bool:
    """Whether a route binds every later version: accepted, driven, or with a marked stop."""
    return route.status in KEPT or any(s.status in MARKED for s in route.stops)


def kept_routes(plan: DayPlan | None) -> list[RouteFacts]:
    """The routes of ``plan`` that later versions keep, cancelled passengers' open stops out."""
    if plan is None:
        return []
    return [RouteFacts.of(route) for route in plan.routes if is_kept(route)]


def breaches(previous: DayPlan | None, new: DayPlan, *, replaced: Iterable[int] = ()) -> list[str]:
    """Every way ``new`` breaks what ``previous`` committed to; empty when it keeps it all.

    ``replaced`` names shifts whose accepted route is replaced on purpose (a change its driver
    accepted): only their marked stops must stay as they were.
    """
    allowed = set(replaced)
    by_shift = {route.shift_id: route for route in new.routes}
    found: list[str] = []
    for kept in kept_routes(previous):
        route = by_shift.get(kept.shift_id)
        if route is None:
            found.append(f"the accepted route of shift {kept.shift_id} is missing")
            continue
        now = {(s.request_id, s.kind): StopFacts.of(s) for s in route.stops}
        for stop in kept.stops:
            if stop.marked and now.get((stop.request_id, stop.kind)) != stop:
                found.append(
                    f"the {stop.kind.value} of request {stop.request_id} was marked "
                    f"{stop.status.value} and changed"
                )
        if kept.shift_id in allowed:
            continue
        if route.driver_id != kept.driver_id or route.status not in KEPT:
            found.append(f"the accepted route of shift {kept.shift_id} changed driver or status")
        elif tuple(StopFacts.of(s) for s in route.stops) != kept.stops:
            found.append(f"the accepted route of shift {kept.shift_id} changed its stops or times")
    return found


def enforce(previous: DayPlan | None, new: DayPlan, *, replaced: Iterable[int] = ()) -> None:
    """Refuse ``new`` when it breaks a commitment of ``previous`` (see the module's rules)."""
    found = breaches(previous, new, replaced=replaced)
    if found:
        raise CommitmentBroken(
            "This change would alter what a driver accepted or what was driven ({first}); "
            "nothing was stored.",
            first=found[0],
        )


def catch_up(previous: DayPlan | None, draft: DayPlan) -> None:
    """Carry into ``draft`` what its drivers did since it was made (an accept, a mark), where
    the draft gives that driver the very same passengers in the same order; ``enforce`` then
    refuses the draft if anything else changed."""
    by_shift = {route.shift_id: route for route in draft.routes}
    for kept in kept_routes(previous):
        route = by_shift.get(kept.shift_id)
        if route is None or route.driver_id != kept.driver_id:
            continue
        drafted = [(s.request_id, s.kind) for s in route.stops]
        if drafted == [(s.request_id, s.kind) for s in kept.stops]:
            draft.routes[draft.routes.index(route)] = kept.to_route()
