"""Day plans: versions of who drives whom on a day, their routes and stops."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, str_enum, utcnow

if TYPE_CHECKING:
    from rides.models.person import Person
    from rides.models.place import Place
    from rides.models.request import RideRequest
    from rides.models.shift import Shift
    from rides.models.vehicle import Vehicle


class PlanStatus(enum.StrEnum):
    """A draft can be published; publishing supersedes the previously published version."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class RouteStatus(enum.StrEnum):
    """A driver's answer to an offered route, then its outcome."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"


class StopKind(enum.StrEnum):
    """Whether the rider gets in or out at the stop."""

    PICKUP = "pickup"
    DROPOFF = "dropoff"


class StopStatus(enum.StrEnum):
    """What happened at the stop on the day; a drop-off after a missed pickup is not needed."""

    PLANNED = "planned"
    DONE = "done"
    NO_SHOW = "no_show"
    SKIPPED = "skipped"


class DayPlan(Base):
    """One solver run for one day, stored as a numbered version with its figures."""

    __tablename__ = "day_plans"
    __table_args__ = (
        UniqueConstraint("date", "version", name="uq_day_plans_date_version"),
        # At most one published plan per day, whatever two processes try at once.
        Index(
            "uq_day_plans_published",
            "date",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    version: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(
        str_enum(PlanStatus, "plan_status"), default=PlanStatus.DRAFT
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    requests_count: Mapped[int] = mapped_column(default=0)
    served_count: Mapped[int] = mapped_column(default=0)
    distance_m: Mapped[int] = mapped_column(default=0)
    solve_seconds: Mapped[float] = mapped_column(default=0.0)
    #: Unserved requests weigh 10^9 each in the solver's objective: 64 bits.
    objective: Mapped[int | None] = mapped_column(BigInteger)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    replan_requested_at: Mapped[dt.datetime | None]

    routes: Mapped[list[Route]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Route.id"
    )
    unserved: Mapped[list[UnservedRequest]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<DayPlan {self.date} v{self.version} {self.status.value}>"


class Route(Base):
    """One driver's sequence of stops in a plan, offered to them for acceptance."""

    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("day_plans.id", ondelete="CASCADE"), index=True)
    driver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id", ondelete="SET NULL"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    status: Mapped[RouteStatus] = mapped_column(
        str_enum(RouteStatus, "route_status"), default=RouteStatus.OFFERED
    )
    responded_at: Mapped[dt.datetime | None]
    start_at: Mapped[dt.datetime | None]
    end_at: Mapped[dt.datetime | None]
    distance_m: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[DayPlan] = relationship(back_populates="routes")
    driver: Mapped[Person] = relationship()
    shift: Mapped[Shift | None] = relationship()
    vehicle: Mapped[Vehicle | None] = relationship()
    stops: Mapped[list[Stop]] = relationship(
        back_populates="route", cascade="all, delete-orphan", order_by="Stop.position"
    )

    def people_carried(self) -> int:
        """People on this route, not trip legs: a rider there and back is one passenger of the
        day, and each rider counts the seats they booked (companions travel too)."""
        parties = {
            s.request.rider_id: s.request.seats for s in self.stops if s.kind.value == "pickup"
        }
        return sum(parties.values())


class Stop(Base):
    """A pickup or drop-off of one request at a planned time, in route order."""

    __tablename__ = "stops"
    __table_args__ = (UniqueConstraint("route_id", "position", name="uq_stops_route_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("ride_requests.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[StopKind] = mapped_column(str_enum(StopKind, "stop_kind"))
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="RESTRICT"))
    planned_at: Mapped[dt.datetime]
    position: Mapped[int]
    status: Mapped[StopStatus] = mapped_column(
        str_enum(StopStatus, "stop_status"), default=StopStatus.PLANNED
    )
    note: Mapped[str | None] = mapped_column(String(300))
    #: When and by whom the stop was marked (done, no-show or skipped): history from then on.
    marked_at: Mapped[dt.datetime | None]
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    route: Mapped[Route] = relationship(back_populates="stops")
    request: Mapped[RideRequest] = relationship()
    place: Mapped[Place] = relationship()


class UnservedRequest(Base):
    """A request a plan could not serve, with the solver's reason for the coordinator."""

    __tablename__ = "unserved_requests"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("day_plans.id", ondelete="CASCADE"), primary_key=True
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey("ride_requests.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(300), default="")

    plan: Mapped[DayPlan] = relationship(back_populates="unserved")
    request: Mapped[RideRequest] = relationship()
