"""The Quick start's main command, as a newcomer to the project runs it: ``rural-cars demo``
in a subprocess, each demo user signing in over HTTP and finding their main page with content."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.ride_requests import find_requests
from rides.db import make_engine, make_sessionmaker
from rides.driving.routes import decline_route
from rides.models import DayPlan, Person, PlanStatus, Role, RouteStatus
from scenarios.demo import DEMO_PASSWORD

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(base: str, process: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"demo exited early:\n{process.stdout.read() if process.stdout else ''}"
            )
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the demo never answered /healthz")


def _main_page(base: str, email: str) -> str:
    """Sign in through the form (with its CSRF token) and return the page the home redirects to."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Accept-Language", "en")]
    login = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
    assert token, "no CSRF token on the sign-in page"
    form = urllib.parse.urlencode(
        {"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    ).encode()
    with opener.open(f"{base}/login", data=form, timeout=30) as response:
        assert response.status == 200
        return response.read().decode()


def _published_after(session: Session, plan: DayPlan) -> DayPlan | None:
    """The day's published plan if it is newer than ``plan`` (as the demo process committed it)."""
    session.expire_all()
    newer = session.scalar(
        select(DayPlan).where(DayPlan.date == plan.date, DayPlan.status == PlanStatus.PUBLISHED)
    )
    session.rollback()
    return newer if newer is not None and newer.version > plan.version else None


def test_demo_serves_each_role_its_main_page(tmp_path: Path) -> None:
    """Fresh demo: healthy, and the coordinator sees every driver, the driver their passengers,
    the newcomer their trip; the driver declines and the demo publishes a new version without
    them; Ctrl+C stops it cleanly."""
    database = tmp_path / "demo.sqlite3"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "web.cli",
        "demo",
        "--fresh",
        "--port",
        str(port),
        "--database",
        str(database),
        "--time-limit",
        "3",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        _wait_healthy(base, process)
        engine = make_engine(f"sqlite:///{database}")
        session = make_sessionmaker(engine)()
        people = {p.email: p for p in session.scalars(select(Person)) if p.email}
        plan = session.scalar(select(DayPlan).where(DayPlan.status == PlanStatus.PUBLISHED))
        assert plan is not None

        page = _main_page(base, "coordinator@demo.rural-cars.org")
        drivers = [p.first_name for p in people.values() if p.role == Role.DRIVER]
        for route in plan.routes:
            assert route.driver.first_name in page

        driver = people["driver@demo.rural-cars.org"]
        page = _main_page(base, driver.email)
        route = next(r for r in plan.routes if r.driver_id == driver.id)
        assert route.status == RouteStatus.OFFERED and route.stops
        assert route.stops[0].request.rider.first_name in page

        newcomer = people["newcomer@demo.rural-cars.org"]
        page = _main_page(base, newcomer.email)
        trip = find_requests(session, rider_id=newcomer.id)[0]
        assert trip.destination.name in page
        assert drivers

        # The demo runs what a decline triggers: its own scheduler publishes a new version.
        decline_route(session, driver, route.id)
        session.commit()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _published_after(session, plan):
            time.sleep(0.5)
        replanned = _published_after(session, plan)
        assert replanned is not None, "no re-plan published after the decline"
        assert all(r.driver_id != driver.id for r in replanned.routes if r.stops)
        session.close()
        engine.dispose()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
    assert process.returncode in (0, -signal.SIGINT, 130)
