"""The inbox on the day page, its "done" button, the inbox API's answers to bad ids, and the
printable "call today" list with its "called" tick."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rides import clock
from rides.db import make_sessionmaker
from rides.messaging import delivery, notifications
from rides.messaging.inbound import Inbound, receive
from rides.models import Channel, InboundMessage, OutboxMessage, Person
from tests.factories import Factory
from tests.web.coordinator.actions import page_text, post_form


@pytest.fixture
def replies(session: Session, make: Factory) -> dict[str, int]:
    """Amina asks a question about her trip; an unknown number writes too."""
    amina = make.newcomer(first_name="Amina", phone="+34600111222")
    make.request(amina)
    ids = {}
    for key, sender, body in [
        ("amina", "+34600111222", "¿Puedo llevar a mi hija?"),
        ("unknown", "+34699000000", "hola, quién es?"),
    ]:
        stored = receive(session, Inbound(Channel.SMS, f"SM-{key}", sender, body, clock.now()))
        assert stored is not None
        ids[key] = stored.id
    session.commit()
    return ids


def _inbox(page: str) -> str:
    return page[page.index('id="inbox-title"') : page.index('id="plan-title"')]


def test_the_day_page_shows_the_inbox(
    client: FlaskClient, coordinator: Person, replies: dict[str, int]
) -> None:
    section = _inbox(page_text(client, "/coordinator/"))
    assert "Replies to read (2)" in section
    assert "Amina" in section and "¿Puedo llevar a mi hija?" in section
    assert "Atienza → Sigüenza" in section and "10:30" in section
    assert "+34699000000" in section and "unknown number" in section
    assert f"/coordinator/inbox/{replies['amina']}/done" in section
    assert "/coordinator/calls" in section


def test_done_takes_the_reply_off_the_page(
    client: FlaskClient, coordinator: Person, replies: dict[str, int], session: Session
) -> None:
    response = post_form(
        client, f"/coordinator/inbox/{replies['amina']}/done", {"date": "2026-12-04"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/coordinator/?date=2026-12-04#inbox-title")
    message = session.get(InboundMessage, replies["amina"])
    session.refresh(message)
    assert message is not None and message.handled_by_id == coordinator.id
    section = _inbox(page_text(client, "/coordinator/"))
    assert "Replies to read (1)" in section and "¿Puedo llevar" not in section


def test_done_needs_the_csrf_token_and_a_real_message(
    client: FlaskClient, coordinator: Person, replies: dict[str, int]
) -> None:
    assert client.post(f"/coordinator/inbox/{replies['amina']}/done").status_code == 400
    assert post_form(client, "/coordinator/inbox/999999/done").status_code == 404


def test_the_inbox_api_lists_and_marks_done(
    sign_in, make: Factory, replies: dict[str, int]
) -> None:
    caller = sign_in(make.coordinator())
    listed = caller.get("/inbox")
    assert listed.status_code == 200
    first = listed.get_json()[0]
    assert (first["id"], first["name"], first["ride"]["origin"]) == (
        replies["amina"], "Amina", "Atienza",
    )  # fmt: skip
    done = caller.post(f"/inbox/{replies['amina']}/done")
    assert done.status_code == 200 and done.get_json()["handled_at"]
    assert [m["id"] for m in caller.get("/inbox").get_json()] == [replies["unknown"]]


@pytest.mark.parametrize("bad", ["999999", "abc", "-1", "99999999999", "1.5"])
def test_the_inbox_api_answers_bad_ids_with_a_json_404(
    sign_in, make: Factory, replies: dict[str, int], bad: str
) -> None:
    response = sign_in(make.coordinator()).post(f"/inbox/{bad}/done")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_the_inbox_api_is_for_coordinators(sign_in, make: Factory, replies: dict[str, int]) -> None:
    caller = sign_in(make.newcomer())
    assert caller.get("/inbox").status_code == 403
    assert caller.post(f"/inbox/{replies['amina']}/done").status_code == 403
    assert sign_in(None).get("/inbox").status_code == 401


@pytest.fixture
def to_call(session: Session, make: Factory, engine: Engine) -> Person:
    """A message for Olena, who has no e-mail: the delivery run hands it to the coordinators."""
    olena = make.newcomer(first_name="Olena", phone="+34600333444", email=None)
    notifications.enqueue(session, olena, "test", "t1", "Tu viaje", "Mañana a las 10:00 en Hita.")
    session.commit()
    delivery.send_pending(make_sessionmaker(engine), delivery.DeliverySettings(smtp=None))
    return olena


def test_the_call_list_shows_whom_to_call_and_what_to_say(
    client: FlaskClient, coordinator: Person, to_call: Person
) -> None:
    page = page_text(client, "/coordinator/calls")
    assert "People to call today (1)" in page
    assert 'href="tel:+34600333444"' in page and "Mañana a las 10:00 en Hita." in page
    assert "@media print" not in page and "data-print" in page
    assert "People to call today (1)" in page_text(client, "/coordinator/")


def test_the_called_tick_empties_the_list(
    client: FlaskClient, coordinator: Person, to_call: Person, session: Session
) -> None:
    (message,) = session.scalars(select(OutboxMessage)).all()

    def tick(person_id: int, messages: str):
        return post_form(client, f"/coordinator/calls/{person_id}/called",
                         {"messages": messages}, token_page="/coordinator/calls")  # fmt: skip

    assert tick(to_call.id, "1;2").status_code == 400
    assert tick(to_call.id + 1, str(message.id)).status_code == 404
    response = tick(to_call.id, str(message.id))
    assert response.status_code == 303
    page = page_text(client, "/coordinator/calls")
    assert "People to call today (0)" in page and "Olena" not in page
    session.refresh(message)
    assert message.payload["called_by"] == coordinator.id
