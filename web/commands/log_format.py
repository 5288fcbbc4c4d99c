"""Log lines stamped in the service's time zone, with the zone named.

The scheduler logs "plan-next-day runs at 18:00:00 CET"; the line's own stamp must be in the
same zone, or an operator reading 17:00 beside 18:00 thinks the job ran early.
"""

from __future__ import annotations

import datetime as dt
import logging

from rides import clock


class LocalTimeFormatter(logging.Formatter):
    """``%(asctime)s`` as Madrid wall-clock time with its abbreviation (CET or CEST)."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        moment = dt.datetime.fromtimestamp(record.created, clock.LOCAL_TZ)
        return moment.strftime(datefmt or "%Y-%m-%d %H:%M:%S %Z")


def configure(level: int = logging.INFO) -> None:
    """Commands that log (the scheduler, plan, outbox) write to stderr in local time."""
    handler = logging.StreamHandler()
    handler.setFormatter(LocalTimeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
