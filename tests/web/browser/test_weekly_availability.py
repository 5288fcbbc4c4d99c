"""A driver gives the same time every week up to a day, in a real browser (issue 17): one form,
one shift per week, each listed."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from rides import clock
from tests.web.browser.conftest import axe_violations, choose_language, sign_in

pytestmark = pytest.mark.browser


def test_a_weekly_time_adds_one_shift_per_week(page, live_app) -> None:
    _app, emails, password = live_app
    sign_in(page, emails["driver"], password)
    page.wait_for_url("**/driver/")
    choose_language(page, "fr")
    page.goto("/driver/availability")
    before = page.locator("ul.shifts > li").count()
    first = clock.today() + dt.timedelta(days=9)
    page.locator("#date").fill(first.isoformat())
    page.locator("#start_time").fill("08:00")
    page.locator("#end_time").fill("11:00")
    page.locator("#start_place").press_sequentially("jadra", delay=30)
    page.locator("#start_place-suggestions [role=option]").first.click()
    expect(page.locator("#start_place")).to_have_value("Jadraque")
    page.locator("#repeat_until").fill((first + dt.timedelta(weeks=3)).isoformat())
    page.locator("#shift-form button[type=submit]").click()
    expect(page.locator(".flash")).to_be_visible()
    expect(page.locator("ul.shifts > li")).to_have_count(before + 4)  # 4 weeks, ends included
    assert axe_violations(page) == []
    for week in range(4):
        day = first + dt.timedelta(weeks=week)
        listed = page.locator("ul.shifts > li", has_text="08:00").filter(has_text=str(day.day))
        expect(listed.first).to_be_visible()
