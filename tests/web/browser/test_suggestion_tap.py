"""The place suggestions on a phone never make a tap land on the wrong place (issue 17): with
"Mochal" typed in From, a tap where To is focuses To and leaves From as typed (it used to set
From to "Torremocha del Campo": the list lay over To); a tap on a suggestion sets exactly that
suggestion. In Spanish and in Arabic (right to left), on a touch screen of 360 x 740."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import choose_language, screenshot, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ["es", "ar"]


@pytest.fixture
def phone(browser, server) -> Iterator[object]:
    """A touch phone: small viewport, mobile, taps instead of clicks."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, base_url=server
    )
    page = context.new_page()
    yield page
    context.close()


def _booking_page(page, live_app, language: str) -> None:
    _app, emails, password = live_app
    sign_in(page, emails["newcomer"], password)
    page.wait_for_url("**/newcomer/")
    choose_language(page, language)
    page.goto("/newcomer/book")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _type_mochal(page) -> None:
    """Type "Mochal" in From and wait for its suggestions (those of "Mochal", not of the
    letters before: the list, and what is below it, must have stopped moving)."""
    origin = page.locator("#origin")
    origin.tap()
    with page.expect_response(lambda response: "q=Mochal" in response.url):
        origin.press_sequentially("Mochal", delay=30)
    expect(page.locator("#origin-suggestions [role=option]").first).to_have_text("Mochales")
    expect(origin).to_have_attribute("aria-expanded", "true")


def _tap_centre(page, selector: str) -> None:
    """Bring the element into sight as a finger would (scrolling moves no focus), then tap
    the middle of where it is seen."""
    element = page.locator(selector)
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None, selector
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_tap_where_to_is_goes_to_to(phone, live_app, language: str) -> None:
    """The suggestion list never covers To: tapping the middle of To (where it is seen with
    the list open) focuses To; From keeps "Mochal", not a place it was never given."""
    _booking_page(phone, live_app, language)
    _type_mochal(phone)
    screenshot(phone, f"newcomer-suggestions-open-{language}")
    _tap_centre(phone, "#destination")
    expect(phone.locator("#destination")).to_be_focused()
    expect(phone.locator("#origin")).to_have_value("Mochal")
    expect(phone.locator("#origin-suggestions")).to_be_hidden()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_tap_on_a_suggestion_takes_exactly_that_one(phone, live_app, language: str) -> None:
    """Tapping each offered name (the first, and the last as seen on screen) sets From to
    exactly that name and closes the list."""
    _booking_page(phone, live_app, language)
    _type_mochal(phone)
    options = phone.locator("#origin-suggestions [role=option]")
    last = options.count() - 1
    for index in sorted({0, last}):
        if index:
            phone.locator("#origin").fill("")
            _type_mochal(phone)
        wanted = options.nth(index).inner_text().strip()
        _tap_centre(phone, f"#origin-suggestions-{index}")
        expect(phone.locator("#origin")).to_have_value(wanted)
        expect(phone.locator("#origin-suggestions")).to_be_hidden()
