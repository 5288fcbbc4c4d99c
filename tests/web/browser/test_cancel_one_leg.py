"""A newcomer books a trip there and back, then cancels only the way back in a real browser:
the way there keeps its place, the way back is shown cancelled (issue 17)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import axe_violations
from tests.web.browser.test_newcomer_journey import book_there_and_back

pytestmark = pytest.mark.browser


def test_only_the_way_back_is_cancelled(page, live_app) -> None:
    book_there_and_back(page, live_app)
    trip = page.locator("ul.trips:not(.past) > li.trip", has_text="Atienza").last
    expect(trip.locator(".leg")).to_have_count(2)
    trip_id = trip.get_attribute("id")

    trip.locator("a.button.danger").click()
    page.wait_for_url("**/cancel")
    assert axe_violations(page) == []
    page.locator('input[name="legs"][value="back"]').check()
    page.locator("form.card button.danger[type=submit]").click()
    page.wait_for_url("**/newcomer/")

    kept = page.locator(f"ul.trips:not(.past) > #{trip_id}")
    expect(kept).to_have_count(1)  # the way there still waits for its car
    legs = kept.locator(".leg")
    expect(legs.nth(0).locator(".status.cancelled")).to_have_count(0)
    expect(legs.nth(1).locator(".status.cancelled")).to_be_visible()
