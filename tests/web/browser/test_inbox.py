"""The coordinators' inbox in chromium: a free-text SMS reply waits on the day page and its
"Done" button takes it away."""

from __future__ import annotations

from rides import clock
from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.messaging.inbound import Inbound, receive
from rides.models import Channel
from tests.web.browser.conftest import SCREENSHOTS, choose_language, sign_in

DESKTOP = {"width": 1280, "height": 900}


def test_a_reply_waits_in_the_inbox_until_done(page, live_app) -> None:
    app, emails, password = live_app
    engine = make_engine(app.config["DATABASE_URL"])
    with unit_of_work(make_sessionmaker(engine)) as session:
        reply = Inbound(Channel.SMS, "SM-browser", "+34699000000", "¿A qué hora es?", clock.now())
        assert receive(session, reply) is not None
    engine.dispose()
    page.set_viewport_size(DESKTOP)
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")
    inbox = page.locator("section.inbox")
    assert "¿A qué hora es?" in inbox.inner_text()
    assert "+34699000000" in inbox.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    inbox.screenshot(path=str(SCREENSHOTS / "coordinator-inbox.png"))
    inbox.get_by_role("button", name="Done").click()
    page.wait_for_selector("text=The message from +34699000000 is done.")
    assert "No reply is waiting." in page.locator("section.inbox").inner_text()
