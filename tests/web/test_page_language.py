"""The page language and the messages' language are two choices (issue 17): the switcher's
choice holds for the browser session, signing in included, and never changes the language of
the person's messages, which is chosen on its own page."""

from __future__ import annotations

import datetime as dt

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.models import Person
from tests.factories import Factory
from tests.web.pages import csrf_token, sign_in_page
from web.forms import translate

PASSWORD = "a long enough password"


def _page_language(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def _choose(client: FlaskClient, language: str, page: str = "/login") -> None:
    token = csrf_token(client, page)
    response = client.post("/language", data={"language": language, "csrf_token": token})
    assert response.status_code == 302


def _driver(make: Factory, session: Session, language: str) -> Person:
    person = make.driver(email="lucia@example.org", password=PASSWORD, preferred_language=language)
    session.commit()
    return person


def test_the_sign_in_page_choice_holds_after_signing_in(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """Español chosen on the sign-in page stays after signing in, though the profile says
    Arabic; the profile (the messages' language) stays Arabic."""
    person = _driver(make, session, "ar")
    _choose(client, "es")
    assert sign_in_page(client, "lucia@example.org", PASSWORD).status_code == 302
    assert _page_language(client, "/driver/") == "es"
    session.refresh(person)
    assert person.preferred_language == "ar"


def test_without_a_choice_the_profile_language_is_used(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """Nobody chose in this session: the pages speak the profile's language after sign-in."""
    _driver(make, session, "uk")
    assert sign_in_page(client, "lucia@example.org", PASSWORD).status_code == 302
    assert _page_language(client, "/driver/") == "uk"


def test_switching_the_page_language_keeps_the_messages_language(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """A signed-in driver switches the pages to French: the pages change, the profile (what
    her messages are written in) does not."""
    person = _driver(make, session, "es")
    assert sign_in_page(client, "lucia@example.org", PASSWORD).status_code == 302
    _choose(client, "fr", "/driver/")
    assert _page_language(client, "/driver/") == "fr"
    session.refresh(person)
    assert person.preferred_language == "es"


def test_the_messages_language_is_chosen_on_its_own_page(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """The page shows the current choice; saving Română changes the profile, and the pages
    keep the language chosen with the switcher."""
    person = _driver(make, session, "es")
    assert sign_in_page(client, "lucia@example.org", PASSWORD).status_code == 302
    _choose(client, "en", "/driver/")
    page = client.get("/messages-language").get_data(as_text=True)
    assert "Language of your messages" in page and '<option selected value="es">' in page
    token = csrf_token(client, "/messages-language")
    saved = client.post("/messages-language", data={"language": "ro", "csrf_token": token})
    assert saved.status_code == 302
    session.refresh(person)
    assert person.preferred_language == "ro"
    assert _page_language(client, "/driver/") == "en"
    bad = client.post("/messages-language", data={"language": "xx", "csrf_token": token})
    assert bad.status_code == 400
    session.refresh(person)
    assert person.preferred_language == "ro"


def test_domain_errors_write_their_dates_in_the_page_language(app: Flask) -> None:
    """ "The date 2026-12-01 is in the past" reads "1 dic 2026" on a Spanish page."""
    with app.test_request_context("/"):
        g.language = "es"
        text = translate("The date {date} is in the past.", {"date": dt.date(2026, 12, 1)})
        assert "1 dic 2026" in text and "2026-12-01" not in text
        g.language = "fr"
        text = translate("The time {time} has already passed.", {"time": dt.time(9, 5)})
        assert "09:05" in text
