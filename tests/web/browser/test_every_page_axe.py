"""axe-core on every page of every role, in Spanish and Arabic (issue 17: "An axe scan of every
page in es and ar stays at 0 violations").

The same seeded, published day and the same pages as the six-language test
(tests/web/every_page.py); one chromium, one context per language and role, signed in through
the sign-in form. Any axe violation, whatever its impact, fails the test with the page, the rule
and the nodes it found.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.models import Person
from scenarios import demo
from tests.databases import SqliteTemplates
from tests.web import every_page
from web import create_app
from web.i18n import LANGUAGE_COOKIE

pytestmark = pytest.mark.browser

LANGUAGES = ("es", "ar")
ROLES = ("visitor", "newcomer", "driver", "coordinator")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_app(tmp_path, sqlite_templates: SqliteTemplates):
    """The shared seeded day (overrides the demo-only app of conftest.py) and the pages."""
    url = sqlite_templates.fresh(True, tmp_path / "axe.sqlite3")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "axe-tests"})
    engine = make_engine(url)
    by_role: dict[str, list[str]] = {role: [] for role in ROLES}
    with unit_of_work(make_sessionmaker(engine)) as session:
        seeded = every_page.seed(session, "es")
        emails = {role: str(getattr(seeded.logins, role).email) for role in ROLES[1:]}
        for role, path in every_page.visits(every_page.paths(app, seeded)):
            by_role[role].append(path)
    engine.dispose()
    return app, emails, by_role


def _speak(app, language: str) -> None:
    """Everyone's profile language (it wins over the cookie once signed in)."""
    engine = make_engine(app.config["DATABASE_URL"])
    with unit_of_work(make_sessionmaker(engine)) as session:
        for person in session.scalars(select(Person)):
            person.preferred_language = language
    engine.dispose()


def _sign_in(page, email: str) -> None:
    """The sign-in form, found by its fields' names (its labels are in the page's language)."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(demo.DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _describe(path: str, violation: dict) -> str:
    nodes = "; ".join(
        f"{' '.join(map(str, node['target']))} ({' '.join(node.get('failureSummary', '').split())})"
        for node in violation["nodes"][:5]
    )
    return f"{path}: {violation['id']} [{violation.get('impact')}] {nodes}"


def _scan(
    page, language: str, role: str, emails: dict[str, str], paths: list[str]
) -> tuple[int, list[str]]:
    """Sign in as ``role`` and run axe on each of its HTML pages; how many, and the
    violations found."""
    from axe_playwright_python.sync_playwright import Axe

    if role != "visitor":
        _sign_in(page, emails[role])
    found, pages = [], 0
    for path in paths:
        if "html" not in page.request.get(path).headers.get("content-type", ""):
            continue  # a file (calendar, sheet download): nothing for axe
        page.goto(path)
        assert page.locator(f'html[lang="{language}"]').count() == 1, (language, path)
        assert page.url.endswith(path), f"{language} {role} {path} went to {page.url}"
        pages += 1
        for violation in Axe().run(page).response["violations"]:
            found.append(f"{language} {role} " + _describe(path, violation))
    return pages, found


def test_every_page_passes_axe_in_spanish_and_arabic(browser, server, live_app) -> None:
    """Every HTML page of every role, in es and ar, has no axe violation at all."""
    app, emails, by_role = live_app
    found: list[str] = []
    scanned: set[str] = set()
    for language in LANGUAGES:
        _speak(app, language)
        for role in ROLES:
            viewport = DESKTOP if role == "coordinator" else PHONE
            context = browser.new_context(viewport=viewport, base_url=server)
            context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": server}])
            try:
                pages, violations = _scan(context.new_page(), language, role, emails, by_role[role])
            finally:
                context.close()
            found += violations
            if pages:
                scanned.add(role)
    assert scanned == set(ROLES)
    assert not found, "\n".join(found)
