"""The health endpoint tells load balancers and the demo whether the database answers."""

from __future__ import annotations

from flask.testing import FlaskClient

from web import create_app


def test_healthz_ok_when_the_database_answers(client: FlaskClient) -> None:
    """200 and a JSON body on a working database."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    """A database that does not answer gives 503 with JSON, not a server error page."""
    app = create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_unknown_url_is_a_json_404(client: FlaskClient) -> None:
    """Errors follow the one error contract."""
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
