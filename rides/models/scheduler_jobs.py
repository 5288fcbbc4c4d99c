"""The table APScheduler's SQLAlchemy job store uses, created by our migrations like any other."""

from __future__ import annotations

from sqlalchemy import Column, Float, LargeBinary, String, Table

from rides.models.base import Base

#: Same shape as APScheduler 3's ``SQLAlchemyJobStore`` table, so its own create is a no-op.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", String(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
