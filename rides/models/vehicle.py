"""Volunteers' cars and the kinds of places they offer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, Timestamped

if TYPE_CHECKING:
    from rides.models.person import Person


class Vehicle(Timestamped, Base):
    """A car: passenger seats (driver excluded), child seats, wheelchair places."""

    __tablename__ = "vehicles"
    __table_args__ = (
        CheckConstraint("seats >= 0 AND seats <= 8", name="seats_range"),
        CheckConstraint("child_seats >= 0 AND child_seats <= seats", name="child_seats_range"),
        CheckConstraint(
            "wheelchair_places >= 0 AND wheelchair_places <= 2", name="wheelchair_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    driver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    #: Model and colour, for the rider on the day of the ride ("white Seat Ibiza"): what to
    #: look for at the meeting point. Optional; never shown before the day (docs/privacy.md).
    model: Mapped[str | None] = mapped_column(String(60))
    colour: Mapped[str | None] = mapped_column(String(30))
    seats: Mapped[int]
    child_seats: Mapped[int] = mapped_column(default=0)
    wheelchair_places: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    driver: Mapped[Person] = relationship(back_populates="vehicles")

    def __repr__(self) -> str:
        return f"<Vehicle {self.id} {self.label!r} seats={self.seats}>"
