"""Query strings are held to their schema like JSON bodies (found by the reliability fuzz)."""

from __future__ import annotations

from tests.factories import Factory


def test_an_unknown_query_parameter_is_refused(sign_in, make: Factory) -> None:
    """Query strings are held to their schema like bodies: ``?foo=1`` is a 422 naming it
    (webargs ignored it, so a misspelt filter silently returned everything)."""
    caller = sign_in(make.coordinator())
    response = caller.get("/people?rol=driver")
    assert response.status_code == 422, response.json
    assert "rol" in response.json["error"]["fields"]
    assert caller.get("/people?role=driver").status_code == 200
