"""Changes proposed to a route its driver already accepted: nothing moves until they say yes."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, str_enum, utcnow

if TYPE_CHECKING:
    from rides.models.person import Person
    from rides.models.request import RideRequest
    from rides.models.shift import Shift


class ChangeStatus(enum.StrEnum):
    """A proposal waits for the driver; a re-plan or a newer proposal supersedes it."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SUPERSEDED = "superseded"


class RouteChange(Base):
    """A new version of one accepted route (stops and times) offered to its driver.

    ``base`` is the stop sequence the driver accepted when the change was proposed: the change
    applies only to that route, so a proposal made against an older route is refused, never
    applied to a route the driver has not seen.
    """

    __tablename__ = "route_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"), index=True)
    driver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("ride_requests.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[ChangeStatus] = mapped_column(
        str_enum(ChangeStatus, "change_status"), default=ChangeStatus.PENDING
    )
    #: The accepted sequence it changes: [[request_id, "pickup"|"dropoff"], ...].
    base: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: The proposed route: [{"request_id", "kind", "place_id", "planned_at"}, ...] in order.
    stops: Mapped[list[Any]] = mapped_column(JSON, default=list)
    distance_m: Mapped[int] = mapped_column(default=0)
    start_at: Mapped[dt.datetime | None]
    end_at: Mapped[dt.datetime | None]
    #: What changed for the driver: added/removed passengers, moved times.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    answered_at: Mapped[dt.datetime | None]

    shift: Mapped[Shift] = relationship()
    driver: Mapped[Person] = relationship(foreign_keys=[driver_id])
    request: Mapped[RideRequest | None] = relationship()
