"""Leases in the database, so two scheduler processes never plan the same day at once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from rides.models.base import Base


class Lease(Base):
    """A named lock held by one process until it releases it or the lease expires."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
