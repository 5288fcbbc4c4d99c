"""People: newcomers who ride, volunteers who drive, coordinators who run the day."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, Timestamped, str_enum
from rides.models.channel import DEFAULT_CHANNELS, Channel

if TYPE_CHECKING:
    from rides.models.place import Place
    from rides.models.vehicle import Vehicle

#: Languages the pages and messages are offered in (ISO 639-1).
UI_LANGUAGES = ("es", "ar", "ro", "fr", "en", "uk")


class Role(enum.StrEnum):
    """What a person may do; one role per account keeps authorization simple."""

    NEWCOMER = "newcomer"
    DRIVER = "driver"
    COORDINATOR = "coordinator"


class Person(Timestamped, Base):
    """An account. Only what the service needs is stored: no nationality, no documents."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    preferred_language: Mapped[str] = mapped_column(String(8), default="es")
    home_place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    #: Raised by signing out and by a password change: page sessions signed with an older
    #: value stop working (a copied cookie is worthless once its owner signs out).
    session_version: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    #: Channels to reach the person, best first, comma-separated ("sms,email,call"); None means
    #: the default order (rides.models.channel.DEFAULT_CHANNELS).
    channels: Mapped[str | None] = mapped_column(String(60))

    home_place: Mapped[Place | None] = relationship()
    spoken: Mapped[list[PersonLanguage]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonLanguage.language"
    )
    vehicles: Mapped[list[Vehicle]] = relationship(
        back_populates="driver", cascade="all, delete-orphan"
    )

    @property
    def languages(self) -> list[str]:
        """Languages the person speaks, sorted."""
        return [entry.language for entry in self.spoken]

    @property
    def channel_order(self) -> tuple[Channel, ...]:
        """The channels to try for this person, best first; unknown names are ignored."""
        if not self.channels:
            return DEFAULT_CHANNELS
        known = {channel.value: channel for channel in Channel}
        chosen = [known[name] for name in self.channels.split(",") if name in known]
        return tuple(dict.fromkeys(chosen)) or DEFAULT_CHANNELS

    @property
    def display_name(self) -> str:
        """First name, plus the last name's initial when there is one."""
        if self.last_name:
            return f"{self.first_name} {self.last_name[0]}."
        return self.first_name

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.role.value} {self.first_name!r}>"


class PersonLanguage(Base):
    """A language a person speaks, so drivers and riders who share one can be matched."""

    __tablename__ = "person_languages"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="spoken")
