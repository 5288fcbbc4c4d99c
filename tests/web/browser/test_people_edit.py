"""A coordinator edits a person's details and deactivates them from the People page, in a
real browser on a desktop viewport (issue 17). Elements are found by link target and form,
not by English words: the demo's coordinator reads the pages in her own language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_edit_then_deactivate_a_person(page, live_app) -> None:
    _app, emails, password = live_app
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/**")
    page.locator('nav a[href="/coordinator/people"]').first.click()
    page.wait_for_url("**/coordinator/people")
    row = page.locator("table tbody tr", has_text=emails["newcomer"])
    row.locator("th a").click()
    page.wait_for_url("**/coordinator/people/*")
    assert axe_violations(page) == []
    page.locator("#phone").fill("612 345 678")
    page.locator("form.card button.primary[type=submit]").click()
    expect(page.locator(".flash").first).to_be_visible()
    expect(page.locator("#phone")).to_have_value("+34612345678")

    page.locator("form:has(input[name=action][value=deactivate]) button").click()
    expect(page.locator("form:has(input[name=action][value=reactivate]) button")).to_be_visible()
    page.locator('nav a[href="/coordinator/people"]').first.click()
    page.wait_for_url("**/coordinator/people")
    row = page.locator("table tbody tr", has_text=emails["newcomer"])
    expect(row).to_contain_text("+34612345678")

    page.context.clear_cookies()  # the deactivated person can no longer sign in
    sign_in(page, emails["newcomer"], password)
    page.wait_for_load_state()
    expect(page.locator("#password")).to_be_visible()  # still the sign-in form
    assert "/newcomer" not in page.url
