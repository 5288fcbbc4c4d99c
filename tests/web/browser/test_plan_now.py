"""Plan now in chromium: the progress appears and changes on the page without a reload, then
the result; the new draft is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.databases import SqliteTemplates
from tests.web.browser.conftest import choose_language, demo_app, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 900}
#: Logs the status of each progress box the page's script puts in place.
WATCH_THE_BOX = """
new MutationObserver(() => {
  const box = document.getElementById("plan-run");
  if (box) { console.log("plan-run: " + box.className.replace("plan-run ", "")); }
}).observe(document.querySelector("main"), {subtree: true, childList: true});
"""


@pytest.fixture
def live_app(tmp_path: Path, sqlite_templates: SqliteTemplates):
    """The demo app with a 6 s search: the screenshot of the running search is taken while it
    runs. With 2 s, on a busy core the page went on to the result and reloaded during the
    screenshot, which then never finished (30 s timeout)."""
    return demo_app(tmp_path, sqlite_templates, solver_seconds=6.0)


def test_plan_now_shows_progress_then_the_result(page, live_app) -> None:
    """Pressed, the run is queued; the box then shows the search with its seconds left and the
    result, put in place by the page's script; then the page shows the draft's routes."""
    _app, emails, password = live_app
    page.set_viewport_size(DESKTOP)
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")
    assert "The search for routes takes 6 seconds" in page.inner_text("main")

    page.get_by_role("button", name="Plan now").click()
    page.wait_for_selector("#plan-run")
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    page.evaluate(WATCH_THE_BOX)
    page.wait_for_selector("#plan-run.running >> text=Searching for routes.")
    assert page.locator("#plan-run dt", has_text="Seconds left").count() == 1
    screenshot(page, "coordinator-plan-now-running")
    page.wait_for_selector("#plan-run.done >> text=Version 1 planned")
    page.wait_for_selector("#map[data-ready='true']")
    # The observer lives in the document the button led to: what it saw was put in place by
    # the page's script, without a reload (the reload after the result ends it).
    assert "plan-run: done" in seen, seen
    assert page.get_by_role("button", name="Publish version 1").count() == 1
    assert page.get_by_role("button", name="Plan now").count() == 1
    assert "Version 1 planned:" in page.inner_text("#plan-run")
