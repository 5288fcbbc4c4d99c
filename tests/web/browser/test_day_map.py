"""The coordinator's map (issue 17): the province drawn under the routes from the app's own
boundaries file with the IGN attribution, a legend naming each driver in their route's colour
and the unserved requests' mark, and village labels that never cover each other."""

from __future__ import annotations

from tests.web.browser.conftest import SCREENSHOTS, choose_language, screenshot, sign_in
from tests.web.browser.test_coordinator_journey import DESKTOP, wheelchair_trip  # noqa: F401

#: The visible village labels' boxes, and how many labels are hidden.
LABELS = """() => {
  const labels = [...document.querySelectorAll('#map .leaflet-tooltip.village')];
  const shown = labels.filter((l) => getComputedStyle(l).display !== 'none');
  return {
    boxes: shown.map((l) => { const r = l.getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom, l.textContent]; }),
    hidden: labels.length - shown.length,
  };
}"""


def _overlapping(boxes: list[list]) -> list[tuple[str, str]]:
    return [
        (a[4], b[4])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def _open_map(page, live_app) -> None:
    _app, emails, password = live_app
    page.set_viewport_size(DESKTOP)
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")
    page.get_by_role("button", name="Plan now").click()
    page.wait_for_selector("#map[data-ready='true']")
    page.wait_for_selector("#map[data-province='true']")


def test_map_draws_the_province_a_legend_and_labels_apart(
    page,
    live_app,
    wheelchair_trip: str,  # noqa: F811
) -> None:
    """288 municipal outlines under the routes, IGN credited; the legend lists every route's
    driver and the unserved mark; at every zoom no two visible labels overlap."""
    _open_map(page, live_app)
    assert page.locator("#map path.municipality").count() == 288
    assert "IGN" in page.locator("#map .leaflet-control-attribution").inner_text()
    data = page.evaluate("fetch(document.getElementById('map').dataset.url).then((r) => r.json())")
    routes = [f["properties"] for f in data["features"] if f["properties"]["kind"] == "route"]
    drivers = {route["driver"] for route in routes}
    assert drivers
    legend = page.locator("#map .map-legend")
    names = legend.locator(".map-legend-driver .map-legend-name").all_inner_texts()
    assert set(names) == drivers
    assert legend.locator(".map-legend-unserved").inner_text() == "Pickup of a request not served"
    assert page.locator("#map path.unserved-marker").count() >= 1
    screenshot(page, "coordinator-day-map")
    page.locator("#map").screenshot(path=str(SCREENSHOTS / "coordinator-map.png"))
    for _step in range(3):
        labels = page.evaluate(LABELS)
        assert len(labels["boxes"]) >= 1
        assert _overlapping(labels["boxes"]) == []
        page.locator("#map .leaflet-control-zoom-out").click()
        page.wait_for_timeout(400)  # the zoom animation, then the labels are sorted out again
    hidden = page.evaluate(LABELS)["hidden"]
    assert hidden >= 1
    markers = page.locator("#map path.village-marker")
    for index in range(markers.count()):
        markers.nth(index).dispatch_event("mouseover")
    assert page.evaluate(LABELS)["hidden"] == 0  # a hidden label shows while its marker is hovered
    for index in range(markers.count()):
        markers.nth(index).dispatch_event("mouseout")
    assert page.evaluate(LABELS)["hidden"] == hidden
    screenshot(page, "coordinator-day-map-zoomed-out")
