"""A newcomer in a real browser: books a ride in Arabic (right to left) with the place search,
sees it in My rides, and every page passes axe-core.

Once Arabic is on, elements are found by id, role or URL, never by English text (the
catalogues will translate it).
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from rides import clock
from tests.web.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def switch_to_arabic(page) -> None:
    """Use the language switcher in the page header."""
    page.locator("#language-choice").select_option("ar")
    page.locator("form.language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def pick_place(page, field: str, typed: str, expected: str) -> None:
    """Type part of a name, wait for the suggestion list and choose ``expected`` from it."""
    box = page.locator(f"#{field}")
    box.click()
    box.press_sequentially(typed, delay=30)
    option = page.locator(f"#{field}-suggestions [role=option]", has_text=expected).first
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option.click()
    expect(box).to_have_value(expected)
    expect(page.locator(f"#{field}-suggestions")).to_be_hidden()


def book_there_and_back(page, live_app) -> None:
    """Sign in as the demo newcomer and book Atienza to Sigüenza in six days, at 10:00 and
    back at 13:30, through the booking page; ends on "My rides"."""
    _app, emails, password = live_app
    sign_in(page, emails["newcomer"], password)
    page.wait_for_url("**/newcomer/")
    page.goto("/newcomer/book")
    pick_place(page, "origin", "atien", "Atienza")
    pick_place(page, "destination", "siguen", "Sigüenza")
    page.locator("#date").fill((clock.today() + dt.timedelta(days=6)).isoformat())
    page.locator("#time").fill("10:00")
    page.locator("#and_back").check()
    page.locator("#return_time").fill("13:30")
    page.locator("form.book button[type=submit]").click()
    page.wait_for_url("**/newcomer/")


def test_newcomer_books_a_ride_in_arabic(page, live_app) -> None:
    """Sign in, switch to العربية (dir=rtl), book Atienza -> Sigüenza and back with the place
    search suggestions and the big purpose buttons; My rides shows the trip and the message."""
    _app, emails, password = live_app
    sign_in(page, emails["newcomer"], password)
    page.wait_for_url("**/newcomer/")
    switch_to_arabic(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert axe_violations(page) == []
    screenshot(page, "newcomer-my-rides-arabic")

    page.locator('a.button[href="/newcomer/book"]').click()
    page.wait_for_url("**/newcomer/book")
    expect(page.locator("#return_time")).to_be_hidden()  # shown once "and back" is ticked
    assert axe_violations(page) == []
    pick_place(page, "origin", "atien", "Atienza")
    pick_place(page, "destination", "siguen", "Sigüenza")
    day = clock.today() + dt.timedelta(days=3)
    page.locator("#date").fill(day.isoformat())
    page.locator('label[for="time_kind-0"]').click()
    page.locator("#time").fill("10:30")
    page.locator('label[for="purpose-0"]').click()
    expect(page.locator("#purpose-0")).to_be_checked()
    page.locator("#and_back").check()
    expect(page.locator("#return_time")).to_be_visible()
    page.locator("#return_time").fill("13:00")
    screenshot(page, "newcomer-book-arabic")
    page.locator("form.book button[type=submit]").click()

    page.wait_for_url("**/newcomer/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator(".flash")).to_be_visible()
    trip = page.locator("li.trip", has_text="Atienza").first
    expect(trip).to_be_visible()
    expect(trip.locator(".leg")).to_have_count(2)
    assert axe_violations(page) == []
    screenshot(page, "newcomer-booked-arabic")


def test_unclear_place_without_choosing_a_suggestion(page, live_app) -> None:
    """Typing "cas" and sending straight away: the form comes back with the message on the
    field and "did you mean" choices; choosing one books the ride."""
    _app, emails, password = live_app
    sign_in(page, emails["newcomer"], password)
    page.wait_for_url("**/newcomer/")
    page.goto("/newcomer/book")
    page.locator("#origin").fill("Atienza")
    page.locator("#destination").fill("cas")
    page.locator("#date").fill((clock.today() + dt.timedelta(days=4)).isoformat())
    page.locator("#time").fill("11:00")
    page.locator("form.book button[type=submit]").click()
    expect(page.locator("#destination")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#destination-error")).to_be_visible()
    assert page.locator("#destination").input_value() == "cas"
    assert axe_violations(page) == []
    screenshot(page, "newcomer-did-you-mean")
    page.locator('input[name="destination_choice"][value="El Casar"]').check()
    page.locator("form.book button[type=submit]").click()
    page.wait_for_url("**/newcomer/")
    expect(page.locator("li.trip", has_text="El Casar").first).to_be_visible()


def test_cancel_confirmation_page(page, live_app) -> None:
    """The cancel link of a trip opens the confirmation page; confirming removes it from the
    coming trips."""
    _app, emails, password = live_app
    sign_in(page, emails["newcomer"], password)
    page.wait_for_url("**/newcomer/")
    trip = page.locator("ul.trips:not(.past) > li.trip").first
    trip_id = trip.get_attribute("id")
    trip.locator("a.button.danger").click()
    page.wait_for_url("**/cancel")
    assert axe_violations(page) == []
    screenshot(page, "newcomer-cancel")
    page.locator("form.card button.danger[type=submit]").click()
    page.wait_for_url("**/newcomer/")
    expect(page.locator(f"ul.trips:not(.past) > #{trip_id}")).to_have_count(0)
    # The trip and its way back (when it has one) are both shown cancelled.
    expect(page.locator(f"ul.trips.past > #{trip_id} .status.cancelled").first).to_be_visible()


def test_a_new_suggestion_wins_over_a_ticked_did_you_mean_choice(page, live_app) -> None:
    """After ticking a "did you mean" name, typing again and picking a suggestion books the
    picked place: the ticked choice is dropped."""
    _app, emails, password = live_app
    sign_in(page, emails["newcomer"], password)
    page.wait_for_url("**/newcomer/")
    page.goto("/newcomer/book")
    page.locator("#origin").fill("Atienza")
    page.locator("#destination").fill("cas")
    page.locator("#date").fill((clock.today() + dt.timedelta(days=5)).isoformat())
    page.locator("#time").fill("12:00")
    page.locator("form.book button[type=submit]").click()
    expect(page.locator("#destination-choices")).to_be_visible()
    page.locator('input[name="destination_choice"][value="Casa de Uceda"]').check()
    page.locator("#destination").fill("")
    pick_place(page, "destination", "el casa", "El Casar")
    expect(page.locator('input[name="destination_choice"]:checked')).to_have_count(0)
    page.locator("form.book button[type=submit]").click()
    page.wait_for_url("**/newcomer/")
    expect(page.locator("li.trip", has_text="El Casar").first).to_be_visible()
    expect(page.locator("li.trip", has_text="Casa de Uceda")).to_have_count(0)
