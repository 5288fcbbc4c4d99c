"""Page sessions end for good (issue 15, finding 9): a copied session cookie is refused after
its owner signs out and after a password change, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.accounts import signin
from rides.errors import ValidationError
from rides.models import Person
from tests.factories import Factory
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a good long password"


def _signed_in(client: FlaskClient, make: Factory, session: Session) -> tuple[Person, str]:
    """A coordinator signed in through the form, and a copy of the session cookie."""
    person = make.coordinator(password=PASSWORD)
    session.commit()
    assert sign_in_page(client, person.email or "", PASSWORD).status_code == 302
    stolen = client.get_cookie("session")
    assert stolen is not None
    return person, stolen.value


def _opens_people_page(app: Flask, cookie_value: str) -> bool:
    """Whether a fresh browser holding only this cookie sees the coordinators' people page."""
    other = app.test_client()
    other.set_cookie("session", cookie_value)
    return other.get("/coordinator/people", headers={"Accept": "text/html"}).status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(
    app: Flask, client: FlaskClient, make: Factory, session: Session
) -> None:
    """Replaying the cookie of before the sign-out gets the sign-in page."""
    _person, stolen = _signed_in(client, make, session)
    assert _opens_people_page(app, stolen)
    token = csrf_token(client, "/coordinator/people")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not _opens_people_page(app, stolen)
    assert client.get("/coordinator/people").status_code == 302


def test_a_copied_cookie_stops_working_after_a_password_change(
    app: Flask, client: FlaskClient, make: Factory, session: Session
) -> None:
    """After the owner changes the password, the cookie of before is refused; signing in with
    the new password works."""
    person, stolen = _signed_in(client, make, session)
    signin.change_password(session, person, PASSWORD, "another long password")
    session.commit()
    assert not _opens_people_page(app, stolen)
    fresh = app.test_client()
    assert sign_in_page(fresh, person.email or "", "another long password").status_code == 302
    assert fresh.get("/coordinator/people").status_code == 200


def test_a_password_change_needs_the_current_password(make: Factory, session: Session) -> None:
    """A wrong current password or a short new one changes nothing and ends no session."""
    person = make.coordinator(password=PASSWORD)
    session.flush()
    with pytest.raises(ValidationError) as error:
        signin.change_password(session, person, "not it", "x")
    assert set(error.value.fields) == {"current_password", "password"}
    assert person.session_version == 0


def test_signing_in_again_after_sign_out_works(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """The sign-out ends the old cookie, not the account: a new sign-in gets a working one."""
    person, _stolen = _signed_in(client, make, session)
    token = csrf_token(client, "/coordinator/people")
    client.post("/logout", data={"csrf_token": token})
    assert sign_in_page(client, person.email or "", PASSWORD).status_code == 302
    assert client.get("/coordinator/people").status_code == 200
