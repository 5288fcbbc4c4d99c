"""A coordinator signed in through the sign-in form, and a seeded day, for the page tests."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.models import (
    Person,
)
from tests.factories import JADRAQUE, Factory
from tests.web.coordinator.actions import (
    PASSWORD,
)
from tests.web.pages import sign_in_page


@pytest.fixture
def coordinator(client: FlaskClient, session: Session, make: Factory) -> Person:
    """A coordinator signed in through the sign-in form, who reads the pages in English (her
    profile language, so the page texts below are the English source strings)."""
    person = make.coordinator(first_name="Carmen", password=PASSWORD, preferred_language="en")
    session.commit()
    response = sign_in_page(client, person.email or "", PASSWORD)
    assert response.status_code == 302
    return person


@pytest.fixture
def day(session: Session, make: Factory):
    """Tomorrow: two drivers without wheelchair places, two ordinary trips and one trip in a
    wheelchair that no car can take."""
    drivers = [make.driver(first_name="Javier"), make.driver(first_name="Lucía")]
    shifts = [make.shift(d, start_time=dt.time(7), end_time=dt.time(15)) for d in drivers]
    ordinary = [
        make.request(make.newcomer(first_name="Amina"), time=dt.time(10)),
        make.request(
            make.newcomer(first_name="Ioana"),
            origin_id=make.place(JADRAQUE).id,
            time=dt.time(11),
        ),
    ]
    wheelchair = make.request(make.newcomer(first_name="Olena"), wheelchair=True, time=dt.time(10))
    session.commit()
    return {"drivers": drivers, "shifts": shifts, "ordinary": ordinary, "wheelchair": wheelchair}
