"""A newcomer who forgot the pram changes the note for the driver in a real browser, in
Arabic: the trip keeps its place, both ways show the new note, the page passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from rides import clock
from tests.web.browser.conftest import axe_violations, choose_language, screenshot, sign_in
from tests.web.browser.test_newcomer_journey import book_there_and_back, pick_place

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


def test_a_weekly_trip_takes_the_note_on_every_later_week(page, live_app) -> None:
    """A trip booked every week for three weeks: its note page asks which trips take the new
    note (and passes axe); "This trip and every later week" puts it on all three cards."""
    _app, emails, password = live_app
    sign_in(page, emails["newcomer"], password)
    page.wait_for_url("**/newcomer/")
    choose_language(page, "en")
    page.goto("/newcomer/book")
    pick_place(page, "origin", "atien", "Atienza")
    pick_place(page, "destination", "siguen", "Sigüenza")
    first = clock.today() + dt.timedelta(days=5)
    page.locator("#date").fill(first.isoformat())
    page.locator("#time").fill("11:40")
    page.locator("label[for=weekly]").click()
    page.locator("#weekly_until").fill((first + dt.timedelta(weeks=2)).isoformat())
    page.locator("form.book button[type=submit]").click()
    page.wait_for_url("**/newcomer/")
    weekly = page.locator("ul.trips:not(.past) > li.trip", has_text="11:40")
    expect(weekly).to_have_count(3)

    weekly.first.locator("a.change-note").click()
    page.wait_for_url("**/note")
    expect(page.locator("#scope")).to_contain_text("Which trips take the new note?")
    assert axe_violations(page) == []
    page.locator("#driver_note").fill("I have a pram")
    page.locator("label[for=scope-1]").click()
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/newcomer/**")
    expect(weekly.locator(".driver-note", has_text="I have a pram")).to_have_count(3)
