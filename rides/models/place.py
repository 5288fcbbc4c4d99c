"""Places riders are picked up at and dropped off: municipalities and named stops within them."""

from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, Timestamped, str_enum


class PlaceKind(enum.StrEnum):
    """What a place is; a municipality is the village itself, the others are stops inside one."""

    MUNICIPALITY = "municipality"
    HEALTH_CENTRE = "health_centre"
    HOSPITAL = "hospital"
    STATION = "station"
    TOWN_HALL = "town_hall"
    SCHOOL = "school"
    SHOP = "shop"
    OTHER = "other"


class Place(Timestamped, Base):
    """A point on the map with a meeting point description people can find on the ground."""

    __tablename__ = "places"
    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    kind: Mapped[PlaceKind] = mapped_column(str_enum(PlaceKind, "place_kind"))
    ine_code: Mapped[str | None] = mapped_column(String(5), unique=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )
    latitude: Mapped[float]
    longitude: Mapped[float]
    population: Mapped[int | None]
    meeting_point: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)

    municipality: Mapped[Place | None] = relationship(
        remote_side="Place.id", back_populates="stops"
    )
    stops: Mapped[list[Place]] = relationship(back_populates="municipality")

    def __repr__(self) -> str:
        return f"<Place {self.id} {self.name!r}>"


class GeocodeCache(Base):
    """Answers of a configured geocoder, kept so the same address is never asked twice."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(300), unique=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    label: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(60))
