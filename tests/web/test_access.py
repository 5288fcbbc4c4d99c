"""Every route of the app refuses callers it is not for: anonymous, and each wrong role."""

from __future__ import annotations

from flask import Flask

from rides.models import Role
from tests.factories import Factory
from tests.web.pages import browse_as

#: Open to anyone by design.
PUBLIC = {"static", "health.healthz", "api-docs.openapi_json", "feeds.gtfs_flex"}


def _is_page(url: str) -> bool:
    return not url.startswith("/api/")


def _rules(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        view = app.view_functions[rule.endpoint]
        url = rule.build(dict.fromkeys(rule.arguments, 1), append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, view, url, method


def test_every_view_declares_who_may_call_it(app: Flask) -> None:
    """No view is left without a ``requires(...)`` or ``public`` marker."""
    unmarked = [r.endpoint for r, view, _u, _m in _rules(app) if not hasattr(view, "access_roles")]
    assert unmarked == []


def test_every_protected_view_refuses_anonymous_callers(app: Flask, client) -> None:
    """Without credentials: API 401 with the JSON error body; pages go to the sign-in page."""
    app.config["WTF_CSRF_ENABLED"] = False
    checked = 0
    for _rule, view, url, method in _rules(app):
        if view.access_roles is None:
            continue
        response = client.open(url, method=method, json={})
        if _is_page(url):
            assert response.status_code == 302, (method, url, response.status_code)
            assert "/login" in response.headers["Location"]
        else:
            assert response.status_code == 401, (method, url, response.status_code)
            assert response.get_json()["error"]["code"] == "unauthenticated"
        checked += 1
    assert checked >= 20


def test_every_view_refuses_the_wrong_role(app: Flask, make: Factory, sign_in, session) -> None:
    """A newcomer or driver calling a view not meant for their role gets 403 (API and pages)."""
    app.config["WTF_CSRF_ENABLED"] = False
    people = {Role.NEWCOMER: make.newcomer(), Role.DRIVER: make.driver()}
    callers = {role: sign_in(person) for role, person in people.items()}
    checked = 0
    for _rule, view, url, method in _rules(app):
        if view.access_roles is None:
            continue
        for role, caller in callers.items():
            if role in view.access_roles:
                continue
            with app.test_client() as browser:
                if _is_page(url):
                    browse_as(browser, people[role].id)
                    response = browser.open(url, method=method, data={})
                else:
                    response = browser.open(url, method=method, json={}, headers=caller.headers)
            assert response.status_code == 403, (role, method, url, response.status_code)
            checked += 1
    assert checked >= 20
