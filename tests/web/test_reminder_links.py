"""The reminder's confirm and cancel links work without signing in, and only on POST."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from rides.booking.reminders import ReminderLinks
from rides.models import RequestStatus
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import Factory, tomorrow
from tests.web.pages import csrf_token


def _scheduled(session: Session, make: Factory):
    make.shift(make.driver())
    request = make.request(make.newcomer(preferred_language="en"))
    publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1)))
    session.commit()
    return request


def test_cancel_link_asks_then_cancels(app: Flask, session: Session, make: Factory) -> None:
    """GET shows the ride and changes nothing; the POST cancels it."""
    request = _scheduled(session, make)
    url = ReminderLinks(app.config["SECRET_KEY"], "http://x").url(request.id, "cancel")
    path = url.removeprefix("http://x")
    client = app.test_client()
    page = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert page.status_code == 200 and "Cancel this ride" in page.get_data(as_text=True)
    session.expire_all()
    assert request.status == RequestStatus.SCHEDULED
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 200
    session.expire_all()
    assert request.status == RequestStatus.CANCELLED


def test_a_tampered_link_is_refused(app: Flask, session: Session, make: Factory) -> None:
    """A link with a changed character gives a clear page, not a server error."""
    request = _scheduled(session, make)
    path = ReminderLinks(app.config["SECRET_KEY"], "").url(request.id, "confirm")
    response = app.test_client().get(
        path[:-2] + "xx", headers={"Accept": "text/html", "Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_the_link_page_speaks_the_riders_language(
    app: Flask, session: Session, make: Factory
) -> None:
    """A rider whose profile says Arabic gets the page in Arabic, right to left, whatever the
    browser says (they are not signed in)."""
    make.shift(make.driver())
    request = make.request(make.newcomer(preferred_language="ar"))
    publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1)))
    session.commit()
    path = ReminderLinks(app.config["SECRET_KEY"], "").url(request.id, "confirm")
    html = app.test_client().get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_a_cancelled_ride_link_says_so_instead_of_showing_it(
    app: Flask, session: Session, make: Factory
) -> None:
    """After the cancel link was used, opening the confirm link shows "already cancelled",
    not the ride (its places and time)."""
    request = _scheduled(session, make)
    links = ReminderLinks(app.config["SECRET_KEY"], "")
    client = app.test_client()
    cancel = links.url(request.id, "cancel")
    client.post(cancel, data={"csrf_token": csrf_token(client, cancel)})
    page = client.get(links.url(request.id, "confirm"), headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 409 and "This trip is already cancelled." in html
    assert "Yes, I will be there" not in html and request.origin.name not in html
