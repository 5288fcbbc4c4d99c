"""A driver's accepted routes as an iCalendar file, one event per route with its stops.

Only what the driver needs on the road goes in: times, places, meeting points, passengers'
first names and needs, and under a pickup the note its rider wrote for the driver (as on the
routes page; an erased rider's trip has none). The event id is the driver's shift on that
day, so a route that a re-plan stores again (same shift, new row) updates the event instead of
adding a second one.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from sqlalchemy.orm import Session

from rides import access, clock
from rides.driving.driven import taken_routes
from rides.locales import local_list, local_time, translate, translate_plural
from rides.messaging.notifications import passenger_count
from rides.messaging.rider_notes import note_line
from rides.models import DayPlan, Person, Route, Stop, StopKind
from rides.places.directory import place_label


def _(message: str) -> str:
    """Mark a message for extraction; it is translated in the driver's language below."""
    return message


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    """``singular`` or ``plural`` for ``n`` in ``language`` (extracted like ``_``)."""
    return translate_plural(language or "en", singular, plural, n)


def accepted_routes(session: Session, driver: Person, since: dt.date) -> list[Route]:
    """The driver's routes of published plans from ``since`` on that they accepted (driven or
    not: a calendar is for the days ahead too) and may still read (``access.reads_passengers``:
    a subscribed calendar drops an event once the feed no longer lists it)."""
    query = taken_routes(since).where(Route.driver_id == driver.id)
    found = session.scalars(query.order_by(DayPlan.date, Route.start_at, Route.id))
    return [route for route in found if access.reads_passengers(driver, route)]


def stop_line(stop: Stop, language: str) -> str:
    """One line of a route's stop list: time, what happens, who, where to wait."""
    request = stop.request
    message = _("Pick up %(name)s") if stop.kind == StopKind.PICKUP else _("Drop off %(name)s")
    what = translate(language, message, name=request.rider.first_name)
    line = f"{local_time(stop.planned_at, language)} {what}"
    needs = [ngettext("%(n)d seat", "%(n)d seats", request.seats, language)]
    if request.child_seats:
        needs.append(
            ngettext("%(n)d child seat", "%(n)d child seats", request.child_seats, language)
        )
    if request.wheelchair:
        needs.append(translate(language, _("wheelchair")))
    line += f" ({local_list(needs, language)}) - {place_label(stop.place)}"
    if stop.place.meeting_point:
        line += f": {stop.place.meeting_point}"
    return line


def stop_lines(stop: Stop, language: str) -> list[str]:
    """A stop's line, and under a pickup the rider's note for the driver when they wrote one
    (the drop-off needs no reminder; no note, no line)."""
    lines = [stop_line(stop, language)]
    note = stop.request.driver_note
    if stop.kind == StopKind.PICKUP and note:
        lines.append(f"    {note_line(language, stop.request.rider.first_name, note)}")
    return lines


def route_event(route: Route, language: str) -> icalendar.Event:
    """The calendar event of one route."""
    event = icalendar.Event()
    day = route.plan.date
    event.add("uid", f"rural-cars-{day.isoformat()}-shift-{route.shift_id or route.id}"
                     f"-driver-{route.driver_id}@rural-cars")  # fmt: skip
    event.add("dtstamp", clock.now())
    start = route.start_at or clock.local_datetime(day, dt.time(8, 0))
    event.add("dtstart", start)
    event.add("dtend", route.end_at or start + dt.timedelta(hours=1))
    passengers = passenger_count(route.people_carried(), language)
    event.add(
        "summary", translate(language, _("rural-cars: %(passengers)s"), passengers=passengers)
    )
    if route.stops:
        event.add("location", place_label(route.stops[0].place))
    lines = [line for stop in route.stops for line in stop_lines(stop, language)]
    event.add("description", "\n".join(lines))
    return event


def driver_calendar(session: Session, driver: Person, *, today: dt.date | None = None) -> bytes:
    """The iCalendar file of the driver's accepted routes they may still read (yesterday's,
    today's and ahead)."""
    since = (today or clock.today()) - dt.timedelta(days=access.ROUTE_READABLE_DAYS_AFTER)
    language = driver.preferred_language
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//rural-cars//driver routes//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", translate(language, _("My rural-cars routes")))
    for route in accepted_routes(session, driver, since):
        calendar.add_component(route_event(route, language))
    return calendar.to_ical()
