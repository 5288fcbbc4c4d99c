"""Drivers' availability: when and from where a volunteer can drive on a given day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, Timestamped

if TYPE_CHECKING:
    from rides.models.person import Person
    from rides.models.place import Place
    from rides.models.vehicle import Vehicle


class Shift(Timestamped, Base):
    """One availability window of one driver with one car, in local wall-clock time."""

    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("start_time < end_time", name="time_order"),
        CheckConstraint(
            "max_duration_min IS NULL OR max_duration_min > 0", name="max_duration_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    driver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="RESTRICT"))
    date: Mapped[dt.date] = mapped_column(index=True)
    start_time: Mapped[dt.time]
    end_time: Mapped[dt.time]
    start_place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="RESTRICT"))
    end_place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="RESTRICT"))
    max_duration_min: Mapped[int | None]
    withdrawn: Mapped[bool] = mapped_column(default=False)

    driver: Mapped[Person] = relationship()
    vehicle: Mapped[Vehicle] = relationship()
    start_place: Mapped[Place] = relationship(foreign_keys=[start_place_id])
    end_place: Mapped[Place] = relationship(foreign_keys=[end_place_id])

    def __repr__(self) -> str:
        window = f"{self.start_time}-{self.end_time}"
        return f"<Shift {self.id} driver={self.driver_id} {self.date} {window}>"
