"""The service's local time: riders and drivers think in Europe/Madrid wall-clock time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Madrid")


def now() -> dt.datetime:
    """Current instant, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in the service's time zone (not the server's)."""
    return now().astimezone(LOCAL_TZ).date()


def tomorrow() -> dt.date:
    """The day after today: the first day that is always bookable, and the default day to plan."""
    return today() + dt.timedelta(days=1)


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """An aware datetime for a wall-clock time on a day, DST handled by zoneinfo."""
    return dt.datetime.combine(day, time, tzinfo=LOCAL_TZ)


def seconds_since_midnight(moment: dt.datetime, day: dt.date) -> int:
    """Seconds from local midnight of ``day`` to ``moment`` (the solver's time axis)."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ)
    return int((moment - midnight).total_seconds())


def at_seconds(day: dt.date, seconds: int) -> dt.datetime:
    """The instant ``seconds`` after local midnight of ``day`` (inverse of the above)."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ)
    return (midnight + dt.timedelta(seconds=seconds)).astimezone(dt.UTC)
