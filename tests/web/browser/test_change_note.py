"""A newcomer who forgot the pram changes the note for the driver in a real browser, in
Arabic: the trip keeps its place, both ways show the new note, the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import axe_violations, choose_language, screenshot
from tests.web.browser.test_newcomer_journey import book_there_and_back

pytestmark = pytest.mark.browser


def test_the_note_changes_without_booking_again(page, live_app) -> None:
    book_there_and_back(page, live_app)
    choose_language(page, "ar")
    trip = page.locator("ul.trips:not(.past) > li.trip", has_text="Atienza").last
    trip_id = trip.get_attribute("id")
    expect(trip.locator(".driver-note")).to_have_count(0)

    trip.locator("a.change-note").click()
    page.wait_for_url("**/note")
    expect(page.locator("#driver_note")).to_have_attribute("maxlength", "200")
    assert axe_violations(page) == []
    page.locator("#driver_note").fill("معي عربة أطفال")
    screenshot(page, "newcomer-change-note-arabic")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/newcomer/**")

    kept = page.locator(f"ul.trips:not(.past) > #{trip_id}")
    expect(kept.locator(".driver-note")).to_contain_text("معي عربة أطفال")
    expect(kept.locator(".leg .status.requested")).to_have_count(2)
    expect(page.locator(".flash, [role=status]").first).to_contain_text("حُفظت ملاحظتك للسائق.")
