"""The invitation link and "forgot password" pages, as a person without an account sees them."""

from __future__ import annotations

import datetime as dt
import html

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.accounts import invitations
from rides.models import OutboxMessage
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "my new long password"


def _accept(client: FlaskClient, path: str, **fields: str):
    data = {"language": "fr", "password": PASSWORD, "password_again": PASSWORD, **fields}
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_accepting_an_invitation_signs_in_and_uses_up_the_link(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """The page speaks the person's language; the password is set, the language confirmed;
    the person lands on their home page and the link then says it no longer works."""
    person = make.newcomer(email=None, phone="612 444 555", preferred_language="uk")
    issued = invitations.invite(session, make.coordinator(), person)
    session.commit()
    page = client.get(issued.path)
    assert page.status_code == 200 and 'lang="uk"' in page.text
    response = _accept(client, issued.path)
    assert response.status_code == 303 and response.headers["Location"].endswith("/newcomer/")
    assert client.get("/newcomer/").status_code == 200
    session.refresh(person)
    assert person.preferred_language == "fr"
    gone = client.get(issued.path)
    assert gone.status_code == 410 and 'lang="fr"' in gone.text
    assert "Ce lien ne marche plus" in html.unescape(gone.text)
    fresh = client.application.test_client()
    assert sign_in_page(fresh, "+34 612 444 555", PASSWORD).status_code == 302


def test_two_different_passwords_or_a_weak_one_are_form_errors(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    issued = invitations.invite(session, make.coordinator(), make.driver())
    session.commit()
    differ = _accept(client, issued.path, language="en", password_again="something else entirely")
    assert differ.status_code == 422 and "The two passwords differ." in html.unescape(differ.text)
    weak = _accept(client, issued.path, password="short", password_again="short")
    assert weak.status_code == 422
    assert client.get(issued.path).status_code == 200


def test_an_expired_link_says_so_and_an_unknown_one_is_not_found(
    client: FlaskClient, session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    service_clock.set(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    issued = invitations.invite(session, make.coordinator(), make.newcomer(preferred_language="en"))
    session.commit()
    service_clock.advance(days=8)
    expired = client.get(issued.path)
    assert expired.status_code == 410 and "The link is too old." in expired.text
    assert client.get("/invite/not-a-real-link").status_code == 404


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    make.newcomer(email="known@example.org")
    session.commit()
    answers = []
    for address in ("known@example.org", "unknown@example.org"):
        response = client.post(
            "/forgot", data={"csrf_token": csrf_token(client, "/forgot"), "email": address}
        )
        answers.append((response.status_code, response.headers["Location"]))
        answers.append(client.get("/login").text.count("If we know you"))
    assert answers[0:2] == answers[2:4]
    sent = session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.kind == "password_reset")
    )
    assert sent == 1


def test_the_sign_in_page_links_to_forgot_password(client: FlaskClient) -> None:
    assert 'href="/forgot"' in client.get("/login").text
