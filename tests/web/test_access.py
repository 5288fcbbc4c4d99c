"""Every route of the app refuses callers it is not for: anonymous, and each wrong role."""

from __future__ import annotations

from flask import Flask

from rides.models import Role
from tests.factories import Factory

#: Open to anyone by design.
PUBLIC = {"static", "health.healthz", "api-docs.openapi_json"}


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
    """Without credentials: 401 and the JSON error body, never data."""
    checked = 0
    for _rule, view, url, method in _rules(app):
        if view.access_roles is None:
            continue
        response = client.open(url, method=method, json={})
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.get_json()["error"]["code"] == "unauthenticated"
        checked += 1
    assert checked >= 20


def test_every_view_refuses_the_wrong_role(app: Flask, make: Factory, sign_in) -> None:
    """A newcomer or driver calling a view not meant for their role gets 403."""
    callers = {Role.NEWCOMER: sign_in(make.newcomer()), Role.DRIVER: sign_in(make.driver())}
    checked = 0
    for _rule, view, url, method in _rules(app):
        if view.access_roles is None:
            continue
        for role, caller in callers.items():
            if role in view.access_roles:
                continue
            response = caller.client.open(url, method=method, json={}, headers=caller.headers)
            assert response.status_code == 403, (role, method, url, response.status_code)
            checked += 1
    assert checked >= 20
