"""Ride requests: who wants to go from where to where, when, with whom and why."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, Timestamped, str_enum

if TYPE_CHECKING:
    from rides.models.person import Person
    from rides.models.place import Place
    from rides.models.shift import Shift


class TimeKind(enum.StrEnum):
    """Which end of the trip the rider's time is about."""

    LEAVE_AFTER = "leave_after"
    ARRIVE_BY = "arrive_by"


class Purpose(enum.StrEnum):
    """Why the trip is made; health appointments are served first."""

    HEALTH = "health"
    SHOPPING = "shopping"
    ADMINISTRATION = "administration"
    TRAINING_WORK = "training_work"
    SCHOOL = "school"
    OTHER = "other"


class RequestStatus(enum.StrEnum):
    """Lifecycle of a request; the allowed moves are in ``rides.booking.lifecycle``."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    UNSERVED = "unserved"
    CANCELLED = "cancelled"
    DONE = "done"
    NO_SHOW = "no_show"


class RideSeries(Timestamped, Base):
    """A weekly repetition ("every Tuesday until June"), so a whole course can be cancelled."""

    __tablename__ = "ride_series"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rider_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    first_date: Mapped[dt.date]
    until: Mapped[dt.date]

    requests: Mapped[list[RideRequest]] = relationship(
        back_populates="series", order_by="RideRequest.date"
    )


class RideRequest(Timestamped, Base):
    """One trip on one day. Times are local wall-clock times of the service's time zone."""

    __tablename__ = "ride_requests"
    __table_args__ = (
        CheckConstraint("origin_id <> destination_id", name="distinct_places"),
        CheckConstraint("adults >= 0 AND children >= 0 AND adults + children >= 1", name="seats"),
        CheckConstraint("child_seats >= 0 AND child_seats <= children", name="child_seats"),
        CheckConstraint("flexibility_min >= 0", name="flexibility"),
        # The same trip booked twice (a double tap, two coordinators at once) is refused here.
        Index(
            "uq_ride_requests_open_trip",
            "rider_id",
            "date",
            "time",
            "origin_id",
            "destination_id",
            unique=True,
            sqlite_where=text("status <> 'cancelled'"),
            postgresql_where=text("status <> 'cancelled'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rider_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    origin_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="RESTRICT"))
    destination_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="RESTRICT"))
    date: Mapped[dt.date] = mapped_column(index=True)
    time_kind: Mapped[TimeKind] = mapped_column(str_enum(TimeKind, "time_kind"))
    time: Mapped[dt.time]
    flexibility_min: Mapped[int] = mapped_column(default=30)
    adults: Mapped[int] = mapped_column(default=1)
    children: Mapped[int] = mapped_column(default=0)
    child_seats: Mapped[int] = mapped_column(default=0)
    wheelchair: Mapped[bool] = mapped_column(default=False)
    purpose: Mapped[Purpose] = mapped_column(str_enum(Purpose, "purpose"), default=Purpose.OTHER)
    outward_id: Mapped[int | None] = mapped_column(
        ForeignKey("ride_requests.id", ondelete="SET NULL"), unique=True
    )
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("ride_series.id", ondelete="SET NULL"), index=True
    )
    pinned_shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "request_status"), default=RequestStatus.REQUESTED, index=True
    )
    status_note: Mapped[str | None] = mapped_column(String(300))
    #: What the rider tells the driver ("I have a pram"): personal data, erased with the rider.
    driver_note: Mapped[str | None] = mapped_column(String(200))
    confirmed_pickup_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    rider: Mapped[Person] = relationship(foreign_keys=[rider_id])
    booked_by: Mapped[Person | None] = relationship(foreign_keys=[booked_by_id])
    origin: Mapped[Place] = relationship(foreign_keys=[origin_id])
    destination: Mapped[Place] = relationship(foreign_keys=[destination_id])
    outward: Mapped[RideRequest | None] = relationship(
        remote_side="RideRequest.id", back_populates="return_trip", foreign_keys=[outward_id]
    )
    return_trip: Mapped[RideRequest | None] = relationship(
        back_populates="outward", foreign_keys=[outward_id]
    )
    series: Mapped[RideSeries | None] = relationship(back_populates="requests")
    pinned_shift: Mapped[Shift | None] = relationship()

    @property
    def seats(self) -> int:
        """Seats taken in the car, children included."""
        return self.adults + self.children

    def __repr__(self) -> str:
        return f"<RideRequest {self.id} {self.date} {self.status.value}>"
