"""An injected clock: a test sets the service's "now" to any instant and moves it on.

Every rule of the service that depends on the day or the hour asks ``rides.clock.now()``
(``today()`` and ``tomorrow()`` follow from it), so replacing that one function moves the
whole service, the web app run in the same process included. Until the test sets a time, the
clock runs as usual (fixtures can book rides for tomorrow first, then go to tomorrow).
"""

from __future__ import annotations

import datetime as dt

import pytest

from rides import clock

_real_now = clock.now


class ServiceClock:
    """The service's clock under the test's control."""

    def __init__(self) -> None:
        self.moment: dt.datetime | None = None

    def now(self) -> dt.datetime:
        """The instant the test set (UTC), or the real time if it set none."""
        return self.moment if self.moment is not None else _real_now()

    def set(self, moment: dt.datetime) -> dt.datetime:
        """Stop the clock at an aware instant."""
        assert moment.tzinfo is not None, "an aware instant, please"
        self.moment = moment.astimezone(dt.UTC)
        return self.moment

    def at(self, day: dt.date, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
        """Stop the clock at a Madrid wall-clock time (``fold=1``: the second 02:30 of the
        autumn change)."""
        local = dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=clock.LOCAL_TZ)
        return self.set(local)

    def advance(self, **delta: float) -> dt.datetime:
        """Move the stopped clock on (``minutes=10``, ``seconds=1``...)."""
        return self.set(self.now() + dt.timedelta(**delta))


@pytest.fixture
def service_clock(monkeypatch: pytest.MonkeyPatch) -> ServiceClock:
    """The service's clock, for the test to set (restored after the test)."""
    controlled = ServiceClock()
    monkeypatch.setattr(clock, "now", controlled.now)
    return controlled
