"""The scheduler as a child process, for the tests and the fault command that kill it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, select

from rides.db import make_sessionmaker
from rides.models import DayPlan, PlanStatus
from tests.scheduler_hold import HOLD_SECONDS

ROOT = Path(__file__).resolve().parents[1]
#: Every wait is bounded; a child process never outlives its test.
TIMEOUT = 45.0


@contextmanager
def scheduler(
    url: str, log: Path, *args: str, hold_publication: float | None = None, **env: str
) -> Iterator[subprocess.Popen[bytes]]:
    """``rural-cars scheduler ARGS`` as a child process logging to ``log``; killed at the end.

    With ``hold_publication`` every publication is held open that many seconds after its last
    flush, before its commit (``tests.scheduler_hold``), for a test to kill it there.
    """
    entry = "web.cli"
    if hold_publication is not None:
        entry, env = "tests.scheduler_hold", {**env, HOLD_SECONDS: str(hold_publication)}
    environment = {
        "DATABASE_URL": url,
        "PATH": "/usr/bin:/bin",
        "PYTHONUNBUFFERED": "1",
        "RURAL_CARS_REPLAN_INTERVAL": "3600",
        "RURAL_CARS_OUTBOX_INTERVAL": "3600",
        **env,
    }
    with log.open("ab") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", entry, "scheduler", *args],
            env=environment, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)


def wait_for(condition: Callable[[], object], what: str, timeout: float = TIMEOUT) -> None:
    """Poll until ``condition()`` is true, or raise saying what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def versions(engine: Engine, day: dt.date) -> list[tuple[int, PlanStatus]]:
    """The day's plan versions as another process committed them."""
    with make_sessionmaker(engine)() as session:
        query = select(DayPlan).where(DayPlan.date == day).order_by(DayPlan.version)
        return [(p.version, p.status) for p in session.scalars(query)]
