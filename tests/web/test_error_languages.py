"""Domain errors read as whole sentences in the reader's language: no English noun or status
name put into a Spanish or Arabic sentence ("No hay ride request con id 3")."""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.models import RequestStatus
from tests.factories import Factory
from tests.web.pages import browse_as, csrf_token

#: English words that leaked into translated errors before.
ENGLISH = ("ride request", "request", "cancelled", "trip", "with id")

#: A browser asks for a page, not JSON.
PAGE = {"Accept": "text/html"}

MISSING_TRIP = {"es": "No hay ningún viaje con id 987654.", "ar": "لا توجد رحلة بالمعرّف 987654."}
ALREADY_CANCELLED = {"es": "Este viaje ya está cancelado.", "ar": "هذه الرحلة ملغاة بالفعل."}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("language", ["es", "ar"])
def test_a_missing_trip_in_spanish_and_arabic(
    client: FlaskClient, make: Factory, session: Session, language: str
) -> None:
    coordinator = make.coordinator(preferred_language=language)
    session.commit()
    browse_as(client, coordinator.id)
    response = client.get("/coordinator/requests/987654", headers=PAGE)
    page = _text(response)
    assert response.status_code == 404 and MISSING_TRIP[language] in page
    assert not any(word in page[page.index("<main") :] for word in ENGLISH)


@pytest.mark.parametrize("language", ["es", "ar"])
def test_cancelling_a_cancelled_trip_in_spanish_and_arabic(
    client: FlaskClient, make: Factory, session: Session, language: str
) -> None:
    rider = make.newcomer(preferred_language=language)
    trip = make.request(rider)
    trip.status = RequestStatus.CANCELLED
    session.commit()
    browse_as(client, rider.id)
    token = csrf_token(client, "/newcomer/")
    response = client.post(
        f"/newcomer/trips/{trip.id}/cancel", data={"csrf_token": token}, headers=PAGE
    )
    page = _text(response)
    assert ALREADY_CANCELLED[language] in page, page[page.index("<main") :][:600]
    assert not any(word in page[page.index("<main") :] for word in ENGLISH)
