"""Names and notes are held to the same rules on pages and through the API (issue 15).

The review stored a NUL through the phone-booking page that the API refused, and names with a
right-to-left override, only zero-width characters, or tabs and newlines through both.
"""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models import Person
from tests.factories import Factory, tomorrow
from tests.web.coordinator.actions import post_form


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("\u202eanimA", "bidi_control"),
        ("\u200b\u200b", "no_visible_character"),
        ("Ana\tMaría", "control_character"),
        ("Ana\nMaría", "control_character"),
    ],
)
def test_the_api_refuses_hidden_and_control_characters_in_names(
    make: Factory, sign_in, name: str, code: str
) -> None:
    """422 naming first_name and the reason."""
    coordinator = sign_in(make.coordinator())
    response = coordinator.post("/people", json={"role": "newcomer", "first_name": name})
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == code and set(error["fields"]) == {"first_name"}


def test_the_api_stores_names_composed(make: Factory, sign_in, session: Session) -> None:
    """A decomposed accent (e + combining acute) is stored as the one character é."""
    coordinator = sign_in(make.coordinator())
    response = coordinator.post("/people", json={"role": "newcomer", "first_name": "Jose\u0301 "})
    assert response.status_code == 201 and response.get_json()["first_name"] == "José"


def test_the_api_refuses_a_cancel_reason_with_an_override(make: Factory, sign_in) -> None:
    """Free text too: a bidi override in a cancel reason is 422 on reason."""
    rider = make.newcomer()
    trip = make.request(rider)
    caller = sign_in(rider)
    response = caller.post(f"/requests/{trip.id}/cancel", json={"reason": "ill \u202e"})
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["error"]["fields"]) == {"reason"}


def test_the_phone_booking_page_refuses_a_nul_in_a_name(
    client: FlaskClient, coordinator: Person, session: Session
) -> None:
    """The page says which character and where; nobody is registered."""
    response = post_form(
        client,
        "/coordinator/book",
        {
            "first_name": "Awa\x00",
            "preferred_language": "fr",
            "origin": "Atienza",
            "destination": "Jadraque",
            "date": tomorrow().isoformat(),
            "time_kind": "leave_after",
            "time": "09:15",
            "adults": "1",
            "children": "0",
            "child_seats": "0",
            "purpose": "shopping",
        },
        token_page="/coordinator/book",
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Remove the control character U+0000." in page and 'id="first_name-error"' in page
    session.expire_all()
    assert session.scalars(select(Person).where(Person.first_name.like("Awa%"))).first() is None


@pytest.mark.parametrize("password", ["12345678", " " * 8, " " * 16, "Contraseña2024"])
def test_the_api_refuses_weak_passwords(make: Factory, sign_in, password: str) -> None:
    """The review's "12345678" and eight spaces, and a common one long enough: 422 on
    password."""
    coordinator = sign_in(make.coordinator())
    body = {"role": "driver", "first_name": "Luis", "email": "luis@example.org"}
    response = coordinator.post("/people", json=body | {"password": password})
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["error"]["fields"]) == {"password"}
