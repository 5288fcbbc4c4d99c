"""Invitations and password resets (single-use links), and the coordinators' call list."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, str_enum, utcnow

if TYPE_CHECKING:
    from rides.models.person import Person


class LinkPurpose(enum.StrEnum):
    """Why the link was made: the page it opens says "welcome" or "choose a new password"."""

    INVITATION = "invitation"
    RESET = "reset"


class Invitation(Base):
    """A single-use link to choose a password: SHA-256 of a random secret (the secret itself
    is only in the message and on the printed card). A newer link for the same person revokes
    the older ones, so a lost card stops working once a coordinator re-invites."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(str_enum(LinkPurpose, "link_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class PasswordHelpRequest(Base):
    """Someone without e-mail or phone asked for a new password: a coordinator sees them on
    the People page and gives them a new card (the answer on the page never says so)."""

    __tablename__ = "password_help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[dt.datetime | None]

    person: Mapped[Person] = relationship()
