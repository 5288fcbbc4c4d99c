"""Every page each role can reach, and every kind of message, in all six languages (issue 17).

A demo day is seeded, planned and published; then each language in turn is made the page
language (the switcher's choice) and everyone's message language, and every GET page of the URL
map that shows HTML is rendered for the newcomer, the driver and the coordinator, and every
kind of outbox message is written. The visible text must have:

- no English sentence from the catalogue where the language translates it differently;
- no ISO date (``2026-12-04``): dates are written the way the language writes them;
- no decimal point where the language writes a decimal comma (``201.5 km``).

Attributes (links, ``datetime``, form values) are not visible text and are not checked.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import clock
from rides.accounts import invitations
from rides.booking import no_show_returns
from rides.messaging import inbound, notifications
from rides.models import UI_LANGUAGES, Channel, OutboxMessage
from tests.web import every_page
from tests.web.every_page import Seeded, seed
from tests.web.pages import browse_as
from web.commands.translations import CATALOGUES
from web.i18n import LANGUAGE_COOKIE

#: One database is enough: this is about texts, not storage (the page tests run on both).
ONE_DATABASE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

#: Every kind of message the service writes to the outbox.
MESSAGE_KINDS = {
    "pickup_confirmed", "unserved", "route_offered", "unserved_digest", "passenger_cancelled",
    "route_change", "route_change_declined", "ride_reminder", "return_cancelled",
    "invitation", "password_reset", "rider_late", "passenger_not_here", "reply_inbox",
    "rider_note",
}  # fmt: skip
#: iCalendar lines that only programs read (ids, stamps, times in UTC).
ICS_MACHINE_LINES = re.compile(r"^(UID|DTSTAMP|DTSTART|DTEND|PRODID|VERSION)[:;].*$", re.M)
LINK = re.compile(r"https?://\S+")
#: A stored value shown as it is stored ("no_capacity_left") instead of in words.
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
#: Dates some languages write with dots ("03.12.2026" in Romanian and Ukrainian).
DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: A point between digits that is not a thousands group ("1.907,5" is Spanish for 1907.5).
DECIMAL_POINT = re.compile(r"\d\.(?!\d{3}(?:\D|$))\d")
#: Catalogue fragments shorter than this are words that other languages may share.
FRAGMENT = 14
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|\{\w*(?:![rsa])?(?::[^{}]*)?\}"
)


class _VisibleText(HTMLParser):
    """The text a person reads: text nodes outside scripts and styles, plus ``alt``, ``title``,
    ``placeholder`` and ``aria-label`` (read aloud or shown on hover). What a page marks
    ``translate="no"`` (a technical setting, as written in the configuration) is left aside."""

    READ = ("alt", "title", "placeholder", "aria-label")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._untranslated: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if ("translate", "no") in attrs:
            self._untranslated.append(tag)
        self.parts.extend(value for name, value in attrs if name in self.READ and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        if self._untranslated and self._untranslated[-1] == tag:
            self._untranslated.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._untranslated and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


@cache
def english_fragments(language: str) -> tuple[str, ...]:
    """Long pieces of English source sentences that ``language`` translates differently."""
    path = CATALOGUES / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale=language)
    fragments: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = [str(i) for i in (message.id if isinstance(message.id, tuple) else [message.id])]
        strings = message.string if isinstance(message.string, tuple) else [message.string]
        translation = " ".join(str(s) for s in strings if s)
        for msgid in ids:
            for piece in PLACEHOLDER.split(msgid):
                piece = piece.strip(" .,:;()!?\n")
                if len(piece) >= FRAGMENT and " " in piece and piece not in translation:
                    fragments.add(piece)
    return tuple(sorted(fragments))


def problems(language: str, text: str) -> list[str]:
    """What is wrong with a text shown to a reader of ``language`` (links left aside)."""
    text = LINK.sub("", text)
    found = [f"ISO date {m!r}" for m in ISO_DATE.findall(text)]
    found += [
        f"code {m!r} in {line.strip()!r}" for line in text.splitlines() for m in CODE.findall(line)
    ]
    if Locale.parse(language).number_symbols["latn"]["decimal"] == ",":
        for line in text.splitlines():
            if DECIMAL_POINT.search(DOTTED_DATE.sub("", line)):
                found.append(f"decimal point in {line.strip()!r}")
    if language != "en":
        found += [f"English {f!r}" for f in english_fragments(language) if f in text]
    return found


def _write_every_message(session: Session, seeded: Seeded) -> None:
    """Messages of the kinds the published plan did not write, through the service's own
    functions, so each kind is read in the language being checked."""
    route, trip, change = seeded.route, seeded.trip, seeded.change
    pickup = seeded.pickup
    notifications.passenger_cancelled(session, route, pickup.request, pickup.planned_at)
    notifications.route_change_proposed(session, change)
    notifications.route_change_declined(session, change, None)
    confirmed = seeded.confirmed
    notifications.ride_reminder(
        session, confirmed, "https://example.org/r/yes", "https://example.org/r/no"
    )
    no_show_returns._tell_rider(session, trip, confirmed.confirmed_pickup_at)
    newcomer = seeded.logins.newcomer
    invitations.request_reset(session, str(newcomer.email))
    notifications.rider_late(session, pickup.request, route)
    notifications.passenger_not_here(session, pickup)
    for note in ("Llevo un carrito", None):  # a new note, then the note taken back
        pickup.request.driver_note = note
        notifications.rider_note_changed(session, pickup)
    newcomer.phone = "+34600111222"
    inbound.receive(session, inbound.Inbound(
        Channel.SMS, "SMlanguages", "+34600111222", "¿a qué hora?", clock.now()))  # fmt: skip
    session.flush()


@ONE_DATABASE
@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_every_page_and_message_reads_in_the_language(
    app: Flask, client: FlaskClient, session: Session, language: str
) -> None:
    seeded = seed(session, language)
    _write_every_message(session, seeded)
    session.commit()
    logins = seeded.logins
    client.set_cookie(LANGUAGE_COOKIE, language)
    found: dict[str, list[str]] = {}
    for role, path in every_page.visits(every_page.paths(app, seeded)):
        if role != "visitor":
            browse_as(client, getattr(logins, role).id)
        response = client.get(path, headers={"Accept": "text/html"})
        expected = 409 if "/no-show" in path else 200  # marking is for the route's own day
        assert response.status_code == expected, f"{role} {path}: {response.status_code}"
        body = response.get_data(as_text=True)
        text = body if response.mimetype != "text/html" else visible_text(body)
        if response.mimetype == "text/calendar":
            text = ICS_MACHINE_LINES.sub("", text)
        if wrong := problems(language, text):
            found[f"{role} {path}"] = wrong
    messages = list(session.scalars(select(OutboxMessage)))
    assert {m.kind for m in messages} >= MESSAGE_KINDS
    for message in messages:
        if wrong := problems(language, f"{message.subject}\n{message.body}"):
            found[f"message {message.kind}"] = wrong
    assert not found, "\n".join(f"{where}: {what}" for where, what in found.items())


def test_the_checks_catch_what_they_look_for() -> None:
    """The three checks fail on what they are for and pass on the localised forms."""
    assert problems("fr", "La date 2026-12-01 est passée")
    assert problems("fr", "201.5 km") and not problems("fr", "201,5 km")
    assert not problems("en", "201.5 km") and not problems("es", "1.907,5 km")
    assert not problems("ro", "făcut la 03.12.2026, 18:59")
    assert problems("es", "Share of trips by purpose")
    assert problems("es", "Motivos: no_capacity_left: 10")
    assert not problems("es", "martes, 1 de diciembre de 2026 · 201,5 km")
    assert "<a href" not in visible_text('<p>Hoy <a href="/d?day=2026-12-01">mañana</a></p>')
    assert not ISO_DATE.search(visible_text('<time datetime="2026-12-01">1 dic</time>'))
