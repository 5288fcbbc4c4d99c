"""Is a scheduler process alive? Read off the job store, which the scheduler rewrites each run.

Every run of the frequent "send-outbox" job stores its next run time; while a scheduler lives,
that time is in the future (or seconds past, mid-run). Long past means no process is running
the day, which an operator must hear about before riders do. No extra table or writes needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models.scheduler_jobs import apscheduler_jobs

#: The job whose schedule is the pulse: it runs every OUTBOX_INTERVAL seconds.
PULSE_JOB = "send-outbox"


@dataclass(frozen=True)
class Heartbeat:
    """When the scheduler means to run next, and how late that is now (None: never ran)."""

    next_run: dt.datetime | None
    late_by: dt.timedelta | None

    def fresh(self, tolerance: dt.timedelta) -> bool:
        """Alive: a next run is stored and it is not later than ``tolerance``."""
        return self.late_by is not None and self.late_by <= tolerance


def heartbeat(session: Session, now: dt.datetime) -> Heartbeat:
    """The scheduler's pulse as stored in the job table."""
    stamp = session.scalar(
        select(apscheduler_jobs.c.next_run_time).where(apscheduler_jobs.c.id == PULSE_JOB)
    )
    if stamp is None:
        return Heartbeat(None, None)
    next_run = dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC)
    return Heartbeat(next_run, max(now - next_run, dt.timedelta(0)))
