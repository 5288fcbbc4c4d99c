"""Browser tests: the app behind a real HTTP server, driven by Playwright in Debian's chromium.

Never a browser download: ``executable_path=/usr/bin/chromium``. Outside CI the tests skip when
chromium is missing; under CI they fail instead. Screenshots go to ``artifacts/screenshots``
(not committed) for reviewers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.scheduler import jobs, process
from scenarios import demo
from tests.databases import SqliteTemplates
from tests.reliability.servers import threaded
from web import create_app
from web.commands.planning import scheduler_runtime
from web.database import database

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
#: The demo's "Plan now" job, looked for more often than in the demo so the tests wait less.
FAST_JOBS = process.Schedule(runs_every=0.5)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    """One chromium for the session (starting it is the slow part)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path: Path, sqlite_templates: SqliteTemplates):
    """A demo-seeded SQLite app (the same day ``rural-cars demo`` shows) and its logins."""
    return demo_app(tmp_path, sqlite_templates)


def demo_app(tmp_path: Path, sqlite_templates: SqliteTemplates, solver_seconds: float = 2.0):
    """The demo-seeded app of ``live_app``, whose searches take ``solver_seconds``."""
    url = sqlite_templates.fresh(True, tmp_path / "browser.sqlite3")
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        logins = demo.seed(session)
        emails = {
            "coordinator": logins.coordinator.email,
            "driver": logins.driver.email,
            "newcomer": logins.newcomer.email,
        }
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-tests",
            "SOLVER_TIME_LIMIT": solver_seconds,
            "SOLVER_MAX_TIME_LIMIT": max(5.0, solver_seconds),
        }
    )
    return app, emails, demo.DEMO_PASSWORD


@pytest.fixture
def server(live_app) -> Iterator[str]:
    """The app on a free loopback port with the "Plan now" job of the demo's scheduler in its
    process (only that one: tests that plan in the test must not see re-plans of their own);
    yields its URL."""
    app = live_app[0]
    with app.app_context():
        runtime = scheduler_runtime()
    scheduler = process.in_app_scheduler(runtime, FAST_JOBS, only=("run-planning-runs",))
    scheduler.start()
    try:
        with threaded(app) as url:
            yield url
    finally:
        scheduler.shutdown(wait=True)
        jobs.install(None)
        database(app).engine.dispose()


@pytest.fixture
def page(browser, server):
    """A fresh browser context (no cookies) with a phone-sized viewport."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot for reviewers and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, email: str, password: str) -> None:
    """Use the sign-in form like a person would."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def choose_language(page, code: str) -> None:
    """Use the language switcher in the page header (signed in, it becomes the profile's)."""
    page.locator("#language-choice").select_option(code)
    page.locator("form.language button[type=submit]").click()
    page.wait_for_selector(f'html[lang="{code}"]', state="attached")


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations of the current page (axe served from the
    axe-playwright-python package, injected by Playwright, so the page's CSP is not involved)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
