"""A "Plan now" run: asked for on a page, solved in the background, watched while it runs."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, str_enum, utcnow

if TYPE_CHECKING:
    from rides.models.plan import DayPlan


class RunStatus(enum.StrEnum):
    """Queued until a worker claims it; then running; then done (a draft) or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PlanningRun(Base):
    """One background planning of a day, with the progress its page shows."""

    __tablename__ = "planning_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[RunStatus] = mapped_column(
        str_enum(RunStatus, "run_status"), default=RunStatus.QUEUED
    )
    time_limit: Mapped[float]
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    phase: Mapped[str] = mapped_column(String(60), default="")
    requests_count: Mapped[int] = mapped_column(default=0)
    served_count: Mapped[int] = mapped_column(default=0)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("day_plans.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(String(300))

    plan: Mapped[DayPlan | None] = relationship()
