"""The coordinator's trip page: fit a same-day request, change a trip by hand, a refusal."""

from __future__ import annotations

import datetime as dt
import html

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.models import Person, RequestStatus
from rides.planning.day_plans import plan_day, publish_plan, published_plan
from tests.clocks import ServiceClock
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow
from tests.web.coordinator.actions import FAST, page_text, post_form


def _published(session: Session) -> None:
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    session.commit()


def test_a_late_request_is_fitted_in_from_its_page(
    client: FlaskClient, session: Session, make: Factory, coordinator: Person, day
) -> None:
    """The page lists the drivers who can take it, best first; choosing one publishes a new
    version with the trip on that route, and the page says so."""
    _published(session)
    late = make.request(make.newcomer(first_name="Zahra"), origin_id=make.place(SIGUENZA).id,
                        destination_id=make.place(ATIENZA).id, time=dt.time(13))  # fmt: skip
    session.commit()
    page = page_text(client, f"/coordinator/requests/{late.id}")
    assert "Fit into the published plan" in page and "Give to Javier" in page
    shift = day["shifts"][0].id
    answer = post_form(client, f"/coordinator/requests/{late.id}/assign", {"shift_id": shift},
                       token_page=f"/coordinator/requests/{late.id}")  # fmt: skip
    assert answer.status_code == 303
    after = page_text(client, f"/coordinator/requests/{late.id}")
    assert "is published with the change" in after and "On the route of Javier" in after
    session.expire_all()
    assert session.get(type(late), late.id).status == RequestStatus.SCHEDULED


def test_a_refused_change_shows_its_reason_and_changes_nothing(
    client: FlaskClient, session: Session, coordinator: Person, day
) -> None:
    """A pickup at 03:00 is outside the rider's window: 409, the window named, same plan."""
    _published(session)
    amina = day["ordinary"][0]
    before = published_plan(session, tomorrow())
    answer = post_form(client, f"/coordinator/requests/{amina.id}/retime", {"pickup_at": "03:00"},
                       token_page=f"/coordinator/requests/{amina.id}")  # fmt: skip
    assert answer.status_code == 409
    assert "outside the rider's window" in html.unescape(answer.get_data(as_text=True))
    session.expire_all()
    assert published_plan(session, tomorrow()).id == before.id


def test_taking_a_trip_off_from_its_page(
    client: FlaskClient, session: Session, coordinator: Person, day
) -> None:
    """The trip waits again; the page then offers to fit it back in."""
    _published(session)
    amina = day["ordinary"][0]
    answer = post_form(client, f"/coordinator/requests/{amina.id}/take-off",
                       token_page=f"/coordinator/requests/{amina.id}")  # fmt: skip
    assert answer.status_code == 303
    page = page_text(client, f"/coordinator/requests/{amina.id}")
    assert "Fit into the published plan" in page and "Not served" in page


def test_the_riders_note_is_changed_from_the_trip_page(
    client: FlaskClient, session: Session, coordinator: Person, day
) -> None:
    """The rider called: the coordinator writes the new note, both ways take it and the page
    shows it; 201 characters come back on the field (400) and change nothing; a cancelled
    trip has no form."""
    amina = day["ordinary"][0]
    path = f"/coordinator/requests/{amina.id}"
    page = page_text(client, path)
    assert "Change the note for the driver" in page and 'name="driver_note"' in page
    saved = post_form(client, f"{path}/note", {"driver_note": "Lleva un carrito"}, token_page=path)
    assert saved.status_code == 303
    after = page_text(client, path)
    assert "The note for the driver is saved." in after and "Lleva un carrito" in after
    refused = post_form(client, f"{path}/note", {"driver_note": "x" * 201}, token_page=path)
    assert refused.status_code == 400
    assert 'id="driver_note-error"' in refused.get_data(as_text=True)
    session.expire_all()
    trip = session.get(type(amina), amina.id)
    assert trip.driver_note == "Lleva un carrito"
    trip.status = RequestStatus.CANCELLED
    session.commit()
    assert 'name="driver_note"' not in page_text(client, path)


def test_a_trip_of_a_past_day_offers_no_note_change(
    client: FlaskClient, coordinator: Person, day, service_clock: ServiceClock
) -> None:
    """Still scheduled the next morning (nobody marked it), the trip keeps its page but not the
    note form, which the change would refuse; on its own day it has the form."""
    amina = day["ordinary"][0]
    path = f"/coordinator/requests/{amina.id}"
    service_clock.at(amina.date, 8)
    assert 'name="driver_note"' in page_text(client, path)
    service_clock.at(amina.date + dt.timedelta(days=1), 9)
    page = page_text(client, path)
    assert "Trip of Amina" in page and 'name="driver_note"' not in page
