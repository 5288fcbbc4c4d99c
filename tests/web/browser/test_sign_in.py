"""The sign-in page in a real browser: usable, accessible, right to left in Arabic."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.browser.conftest import axe_violations, screenshot, sign_in


def test_sign_in_page_has_no_serious_accessibility_violation(page) -> None:
    """axe-core finds nothing serious or critical on the sign-in page."""
    page.goto("/login")
    assert axe_violations(page) == []
    screenshot(page, "sign-in")


def test_arabic_switch_lays_the_page_out_right_to_left(page) -> None:
    """Choosing العربية in the switcher gives dir=rtl on the whole page."""
    page.goto("/login")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    screenshot(page, "sign-in-arabic")


def test_wrong_password_message(page, live_app) -> None:
    """A wrong password shows the message next to the form and keeps the e-mail."""
    _app, emails, _password = live_app
    sign_in(page, emails["coordinator"], "not the password")
    expect(page.get_by_text("Wrong e-mail or password.")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value(emails["coordinator"])
