"""The coordinators' number, to tap, on the sign-in page and every newcomer and driver page."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.web.pages import browse_as


@pytest.fixture
def phone_app(app: Flask) -> Flask:
    app.config["COORDINATOR_PHONE"] = "949 12 34 56"
    return app


LINK = 'href="tel:+34949123456"'


def test_the_sign_in_page_gives_the_number_to_call(phone_app: Flask) -> None:
    page = phone_app.test_client().get("/login").get_data(as_text=True)
    assert LINK in page and "+34 949 12 34 56" in page


@pytest.mark.parametrize(("role", "url"), [("newcomer", "/newcomer/"), ("driver", "/driver/")])
def test_newcomer_and_driver_pages_carry_the_number(
    phone_app: Flask, session: Session, make: Factory, role: str, url: str
) -> None:
    person = make.newcomer() if role == "newcomer" else make.driver()
    session.commit()
    client = browse_as(phone_app.test_client(), person.id)
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert LINK in page and 'dir="ltr">+34 949 12 34 56<' in page
