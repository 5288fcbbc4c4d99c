"""The operating day's invariant under random sequences of everything people do (issue 14).

A hypothesis state machine books and cancels rides, plans, publishes and re-plans the day,
has drivers accept, decline and mark stops on the day (the injected clock moves on), undoes
marks, lets the coordinator change the plan by hand and fit same-day requests in, and has
drivers answer the changes proposed to them, all through the real service functions with
real actors. After every step ``day_checks.Promises.check`` asserts the invariant stated in
``rides.planning.commitments``. Each step is one transaction (a savepoint here): a step the
service refuses with a DomainError leaves nothing behind, as a refused request would.

Run: ``.venv/bin/pytest -q -s tests/rides/planning/test_day_invariant.py`` (``-s`` prints
the counts and the time). ``RURAL_CARS_DAY_EXAMPLES``, ``RURAL_CARS_DAY_STEPS`` and
``RURAL_CARS_DAY_SEED`` change the number of sequences, steps per sequence and the seed.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import geo
from rides import clock
from rides.booking.lifecycle import FINAL
from rides.booking.ride_requests import book_ride, cancel_ride
from rides.driving.routes import accept_route, decline_route, record_stop, undo_stop
from rides.errors import DomainError
from rides.models import (
    ChangeStatus,
    DayPlan,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    RouteChange,
    RouteStatus,
    StopStatus,
    TimeKind,
)
from rides.planning import plan_edits, route_changes
from rides.planning.commitments import KEPT
from rides.planning.day_plans import latest_plan, plan_day, publish_plan, published_plan, replan_day
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.rides.planning.day_checks import Promises
from tests.rides.planning.day_world import DAY, SETTINGS, FixedMatrix, World, build_world

T = TypeVar("T")
SEED = int(os.environ.get("RURAL_CARS_DAY_SEED", "14"))
EXAMPLES = int(os.environ.get("RURAL_CARS_DAY_EXAMPLES", "200"))
STEPS = int(os.environ.get("RURAL_CARS_DAY_STEPS", "15"))
#: Refusals that are bugs whatever the step: the solver's answer broke a rule, or a re-plan
#: (which keeps commitments by construction) would have broken one.
BUGS = {"plan_rejected"}
TIMES = [dt.time(hour, minute) for hour in range(9, 16) for minute in (0, 30)]
pick = st.integers(min_value=0, max_value=99)
#: What the runs did, summed over every sequence (printed with ``-s``).
tally: Counter[str] = Counter()


class OperatingDay(RuleBasedStateMachine):
    """One day from the booking to the driving, in one rolled-back transaction per sequence."""

    engine: ClassVar[Engine]
    service_clock: ClassVar[ServiceClock]
    #: The people, shifts and places, stored once per test (registering them is slow).
    world_ids: ClassVar[dict[str, list[int]]]

    def __init__(self) -> None:
        super().__init__()
        self.connection = self.engine.connect()
        self.outer = self.connection.begin()
        self.session = Session(
            bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        self.clock = self.service_clock
        self.clock.at(DAY - dt.timedelta(days=1), 12)
        self.world = World.load(self.session, self.world_ids)
        self.promises = Promises(DAY)
        self.session.flush()
        tally["sequences"] += 1

    def teardown(self) -> None:
        self.session.close()
        self.outer.rollback()
        self.connection.close()

    # -- running a step ----------------------------------------------------------------

    def _step(self, name: str, action: Callable[[], T], *bugs: str) -> T | None:
        """Run one step as one transaction; a refusal rolls it back (and is not a failure
        unless its code is one of ``bugs`` or ``BUGS``)."""
        tally["steps"] += 1
        try:
            with self.session.begin_nested():
                result = action()
        except DomainError as error:
            refusal = error
        else:
            tally[f"{name}: done"] += 1
            return result
        tally[f"{name}: refused ({refusal.code})"] += 1
        assert refusal.code not in BUGS | set(bugs), f"{name} refused: {refusal}"
        return None

    def _on_day(self) -> bool:
        return clock.today() == DAY

    def _published(self) -> DayPlan | None:
        return published_plan(self.session, DAY)

    def _requests(self, *statuses: RequestStatus) -> list[RideRequest]:
        query = select(RideRequest).where(RideRequest.date == DAY).order_by(RideRequest.id)
        if statuses:
            query = query.where(RideRequest.status.in_(statuses))
        return list(self.session.scalars(query))

    def _on_a_route(self) -> list[RideRequest]:
        plan = self._published()
        ids = sorted({s.request_id for r in (plan.routes if plan else []) for s in r.stops})
        return [self.session.get(RideRequest, i) for i in ids]  # type: ignore[misc]

    @initialize(
        trips=st.lists(st.tuples(pick, pick, pick, st.sampled_from(TIMES), st.booleans(),
                                 st.booleans()), min_size=1, max_size=5),
        stage=st.sampled_from([3, 3, 3, 2, 1, 0]),
        accepts=pick,
        marks=st.integers(min_value=0, max_value=3),
    )  # fmt: skip
    def a_day_under_way(self, trips: list[tuple], stage: int, accepts: int, marks: int) -> None:
        """Start from a few bookings, and (by ``stage``) the day planned and published, some
        routes accepted, the morning come and a few stops done: each checked like any step."""
        for trip in trips:
            self._book(*trip)
            self.promises.check(self.session)
        if stage >= 1:
            self.plan()
            self.publish()
            self.promises.check(self.session)
        if stage >= 2:
            for n, route in enumerate(self._offered()):
                if accepts >> n & 1 == 0:
                    self._accept(route)
                    self.promises.check(self.session)
        if stage >= 3:
            self.morning()
            for n in range(marks):
                self.mark(n, False)
                self.promises.check(self.session)

    # -- riders ------------------------------------------------------------------------

    def _book(self, rider: int, origin: int, to: int, at: dt.time, kind: bool, back: bool) -> Any:
        places = self.world.places
        a, b = places[origin % 4], places[(origin + 1 + to % 3) % 4]
        later = dt.time(at.hour + 3, at.minute) if back and at.hour <= 12 else None
        spec = Factory(self.session).ride_spec(
            origin_id=a.id, destination_id=b.id, date=DAY, time=at, return_time=later,
            time_kind=TimeKind.ARRIVE_BY if kind else TimeKind.LEAVE_AFTER,
        )  # fmt: skip
        rider_person = self.world.riders[rider % len(self.world.riders)]
        return self._step("book", lambda: book_ride(self.session, rider_person, spec))

    @rule(rider=pick, origin=pick, to=pick, at=st.sampled_from(TIMES), kind=st.booleans(),
          back=st.booleans())  # fmt: skip
    def book(self, rider: int, origin: int, to: int, at: dt.time, kind: bool, back: bool) -> None:
        self._book(rider, origin, to, at, kind, back)

    @rule(which=pick)
    def cancel(self, which: int) -> None:
        open_ = [r for r in self._requests() if r.status not in FINAL]
        if not open_:
            return
        request = open_[which % len(open_)]
        changed = self._step("cancel", lambda: cancel_ride(self.session, request.rider, request.id))
        if changed is not None:
            self.promises.cancelled({r.id for r in changed})

    # -- the coordinator plans ---------------------------------------------------------

    @rule()
    def plan(self) -> None:
        actor = self.world.coordinator
        self._step("plan", lambda: plan_day(self.session, DAY, SETTINGS, actor=actor),
                   "commitment_broken")  # fmt: skip

    @rule()
    def publish(self) -> None:
        draft = latest_plan(self.session, DAY)
        if draft is None or draft.status != PlanStatus.DRAFT:
            return
        actor = self.world.coordinator
        self._step("publish", lambda: publish_plan(self.session, draft, actor=actor))

    @rule()
    def replan(self) -> None:
        actor = self.world.coordinator
        self._step("replan", lambda: replan_day(self.session, DAY, SETTINGS, actor=actor),
                   "commitment_broken")  # fmt: skip

    # -- drivers answer ----------------------------------------------------------------

    def _offered(self) -> list[Route]:
        plan = self._published()
        return [r for r in (plan.routes if plan else []) if r.status == RouteStatus.OFFERED]

    @rule(which=pick)
    def accept(self, which: int) -> None:
        offered = self._offered()
        if offered:
            self._accept(offered[which % len(offered)])

    def _accept(self, route: Route) -> None:
        done = self._step("accept", lambda: accept_route(self.session, route.driver, route.id))
        if done is not None:
            self.promises.accepted_route(done)

    @rule(which=pick)
    def decline(self, which: int) -> None:
        offered = self._offered()
        if offered:
            route = offered[which % len(offered)]
            step = lambda: decline_route(self.session, route.driver, route.id, "ill")  # noqa: E731
            if self._step("decline", step) is not None:
                self.promises.declined.add(route.driver_id)

    def _changes(self) -> list[RouteChange]:
        query = select(RouteChange).where(
            RouteChange.date == DAY, RouteChange.status == ChangeStatus.PENDING
        )
        return list(self.session.scalars(query.order_by(RouteChange.id)))

    @rule(which=pick, yes=st.booleans())
    def answer_change(self, which: int, yes: bool) -> None:
        changes = self._changes()
        if not changes:
            return
        change = changes[which % len(changes)]
        driver, shift = change.driver, change.shift_id
        if not yes:
            self._step("decline change", lambda: route_changes.decline_change(
                self.session, driver, change.id, "no"))  # fmt: skip
            return
        plan = self._step(
            "accept change", lambda: route_changes.accept_change(self.session, driver, change.id)
        )
        if plan is not None:
            self.promises.accepted_route(next(r for r in plan.routes if r.shift_id == shift))

    # -- on the day --------------------------------------------------------------------

    @precondition(lambda self: clock.today() < DAY)
    @rule()
    def morning(self) -> None:
        """The day comes: 07:00 in Madrid."""
        self.clock.at(DAY, 7)
        tally["morning"] += 1

    @precondition(lambda self: clock.today() == DAY)
    @rule(minutes=st.integers(min_value=1, max_value=12))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @precondition(lambda self: clock.today() == DAY)
    @rule(which=pick, no_show=st.booleans())
    def mark(self, which: int, no_show: bool) -> None:
        plan = self._published()
        routes = [r for r in (plan.routes if plan else []) if r.status in KEPT]
        stops = [s for r in routes for s in r.stops if s.status == StopStatus.PLANNED]
        if not stops:
            return
        stop = stops[which % len(stops)]
        outcome = StopStatus.NO_SHOW if no_show else StopStatus.DONE
        route, driver = stop.route, stop.route.driver
        done = self._step(
            f"mark {outcome.value}", lambda: record_stop(self.session, driver, stop.id, outcome)
        )
        if done is not None:
            self.promises.marked_on(route)

    @precondition(lambda self: clock.today() == DAY)
    @rule(which=pick)
    def undo(self, which: int) -> None:
        plan = self._published()
        marked = [
            s
            for r in (plan.routes if plan else [])
            for s in r.stops
            if s.status in (StopStatus.DONE, StopStatus.NO_SHOW)
        ]
        if not marked:
            return
        stop = marked[which % len(marked)]
        route, driver = stop.route, stop.route.driver
        if self._step("undo", lambda: undo_stop(self.session, driver, stop.id)) is not None:
            self.promises.marked_on(route)

    # -- the coordinator changes the plan by hand ---------------------------------------

    def _shift(self, which: int) -> int:
        return self.world.shifts[which % len(self.world.shifts)].id

    @rule(which=pick, shift=pick)
    def assign(self, which: int, shift: int) -> None:
        waiting = self._requests(RequestStatus.REQUESTED, RequestStatus.UNSERVED)
        if waiting:
            request, actor = waiting[which % len(waiting)], self.world.coordinator
            self._step("assign", lambda: plan_edits.assign(
                self.session, actor, request.id, self._shift(shift)))  # fmt: skip

    @rule(which=pick, shift=pick)
    def move(self, which: int, shift: int) -> None:
        riding = self._on_a_route()
        if riding:
            request, actor = riding[which % len(riding)], self.world.coordinator
            self._step("move", lambda: plan_edits.move(
                self.session, actor, request.id, self._shift(shift)))  # fmt: skip

    @rule(which=pick)
    def take_off(self, which: int) -> None:
        riding = self._on_a_route()
        if riding:
            request, actor = riding[which % len(riding)], self.world.coordinator
            self._step("take off", lambda: plan_edits.remove(self.session, actor, request.id))

    @rule(which=pick, minutes=st.sampled_from([-20, -10, -5, 5, 10, 20]))
    def retime(self, which: int, minutes: int) -> None:
        riding = [r for r in self._on_a_route() if r.confirmed_pickup_at is not None]
        if not riding:
            return
        request, actor = riding[which % len(riding)], self.world.coordinator
        assert request.confirmed_pickup_at is not None
        local = request.confirmed_pickup_at.astimezone(clock.LOCAL_TZ) + dt.timedelta(
            minutes=minutes
        )
        self._step("retime", lambda: plan_edits.retime(
            self.session, actor, request.id, local.time()))  # fmt: skip

    @precondition(lambda self: clock.today() == DAY)
    @rule(rider=pick, origin=pick, to=pick, at=st.sampled_from(TIMES), kind=st.booleans(),
          option=pick)  # fmt: skip
    def same_day(self, rider: int, origin: int, to: int, at: dt.time, kind: bool,
                 option: int) -> None:  # fmt: skip
        """A request booked for today, fitted into the published plan by the coordinator."""
        booked = self._book(rider, origin, to, at, kind, False)
        if not booked:
            return
        request, actor = booked[0], self.world.coordinator
        options = self._step("fit", lambda: plan_edits.fit_options(self.session, actor, request.id))
        if options:
            chosen = options[option % len(options)].shift_id
            self._step("fit assign", lambda: plan_edits.assign(
                self.session, actor, request.id, chosen))  # fmt: skip

    # -- after every step --------------------------------------------------------------

    @invariant()
    def the_day_keeps_its_word(self) -> None:
        self.promises.check(self.session)


def _settings() -> settings:
    # RURAL_CARS_DAY_SHRINK=0 reports a breach as found, without minimising it (quicker).
    shrink = os.environ.get("RURAL_CARS_DAY_SHRINK", "1") != "0"
    return settings(
        phases=[Phase.explicit, Phase.reuse, Phase.generate, *([Phase.shrink] * shrink)],
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


@pytest.fixture
def fixed_matrix() -> Iterator[None]:
    """Every travel time of the run from the tiny fixed matrix, then the model again."""
    geo.configure(FixedMatrix())
    yield
    geo.configure(None)


@pytest.mark.slow
def test_the_operating_day_keeps_its_word(
    engine: Engine, service_clock: ServiceClock, fixed_matrix: None
) -> None:
    """Hundreds of seeded sequences of the day's steps; the invariant holds after each."""
    tally.clear()
    OperatingDay.engine, OperatingDay.service_clock = engine, service_clock
    with Session(engine) as session:
        OperatingDay.world_ids = build_world(session, service_clock).ids()
        session.commit()
    started = time.perf_counter()
    run_state_machine_as_test(seed(SEED)(OperatingDay), settings=_settings())
    seconds = time.perf_counter() - started
    print(f"\n{engine.dialect.name}: seed {SEED}, {tally['sequences']} sequences, "
          f"{tally['steps']} steps, {seconds:.1f} s")  # fmt: skip
    for name, count in sorted(tally.items()):
        print(f"  {name}: {count}")
    assert tally["accept: done"] and tally["mark done: done"] and tally["undo: done"]
