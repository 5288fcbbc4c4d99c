"""Bounded requests (issue 15): a size limit (413) and a JSON depth limit (422), never a 500."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Factory
from tests.web.conftest import Caller
from web.bounds import json_depth_exceeds

DEEP = 50_000


def nested(depth: int, opener: str = "[", closer: str = "]") -> str:
    """A JSON text ``depth`` levels deep."""
    return opener * depth + closer * depth


def test_depth_is_counted_without_recursion_and_ignores_strings() -> None:
    """Brackets inside strings (escaped quotes too) do not count; exactly the limit passes."""
    assert not json_depth_exceeds(nested(32), 32)
    assert json_depth_exceeds(nested(33), 32)
    assert json_depth_exceeds('{"a":' * DEEP + "1" + "}" * DEEP, 32)
    assert not json_depth_exceeds(json.dumps({"name": "[[[[" * 40 + '\\"{{{' * 40}), 32)
    assert not json_depth_exceeds("[]" * 1000, 32)


@pytest.mark.parametrize("body", [nested(DEEP), '{"email":' * DEEP + '"x"' + "}" * DEEP])
def test_a_deeply_nested_body_is_422_before_sign_in(client: FlaskClient, body: str) -> None:
    """POST /api/v1/tokens (no sign-in needed) with 50,000 levels: 422 naming the problem."""
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "too_deep" and "32 levels" in error["message"]
    assert "body" in error["fields"]


def test_a_utf16_deep_body_is_refused_too(client: FlaskClient) -> None:
    """json.loads reads UTF-16 as well; the depth check reads it the same way."""
    body = nested(DEEP).encode("utf-16")
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert response.status_code == 422


def test_deep_bodies_are_422_on_signed_in_posts(
    sign_in,
    make: Factory,  # type: ignore[no-untyped-def]
) -> None:
    """Every API body goes through the same check: a booking and a token request alike."""
    caller: Caller = sign_in(make.newcomer())
    for path in ("/requests", "/requests/1/cancel"):
        response = caller.post(path, data=nested(DEEP), content_type="application/json")
        assert response.status_code == 422, path
        assert response.get_json()["error"]["code"] == "too_deep"


def test_an_ordinary_body_still_works(client: FlaskClient) -> None:
    """The usual sign-in body is parsed as before (a wrong password: 401)."""
    response = client.post("/api/v1/tokens", json={"email": "a@example.org", "password": "x"})
    assert response.status_code == 401


def test_a_body_over_the_size_limit_is_413(app: Flask, client: FlaskClient) -> None:
    """Above MAX_CONTENT_LENGTH (1 MB): 413 with the JSON error body on the API, a readable
    page on the pages; nothing is parsed."""
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    big = json.dumps({"email": "a@example.org", "password": "x" * (2 * 1024 * 1024)})
    response = client.post("/api/v1/tokens", data=big, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    page = client.post(
        "/login",
        data={"email": "a@example.org", "password": "x" * (2 * 1024 * 1024)},
        headers={"Accept": "text/html", "Accept-Language": "en"},
    )
    assert page.status_code == 413
    assert page.mimetype == "text/html" and b"too large" in page.data
