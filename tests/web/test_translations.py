"""Every user-facing string is translated, and people read the service in their own language.

The messages are extracted from the code as it is now (same mapping and keywords as
``rural-cars translations update``), not read from the committed template: a new string in a page,
a form, a domain error or a notification without a translation in every catalogue fails here.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.support import Translations
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import locales
from rides.models import UI_LANGUAGES, OutboxMessage, Purpose
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, JADRAQUE, Factory, tomorrow
from tests.web.pages import browse_as
from web.commands.translations import CATALOGUES, catalogue_from_code

#: ``%(name)s`` / ``%(n)d`` (gettext, pages and notifications) and ``{name}`` (domain messages).
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|\{\w*(?:![rsa])?(?::[^{}]*)?\}"
)
#: Plural forms the languages need (Arabic: zero, one, two, few, many, other).
PLURALS = {"ar": 6, "uk": 3, "ro": 3}
RTL = {"ar"}


@cache
def code_messages() -> Catalog:
    return catalogue_from_code()


@cache
def po(language: str) -> Catalog:
    path = CATALOGUES / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language)


def translated(language: str, msgid: str) -> str:
    """What the catalogue says for ``msgid`` (the test's own reading of the .po file)."""
    message = po(language).get(msgid)
    assert message is not None and message.string, f"{language}: no translation of {msgid!r}"
    return str(message.string)


def _texts(value: object) -> tuple[str, ...]:
    """A message's id or string as a tuple of texts (one, or one per plural form)."""
    if isinstance(value, (tuple, list)):
        return tuple(str(text) for text in value)
    return (str(value),) if value else ("",)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _bare(text: str) -> tuple[int, int, int]:
    """Stray '%', '{' and '}' left once the placeholders (and '%%') are taken out."""
    rest = PLACEHOLDER.sub("", text).replace("%%", "")
    return rest.count("%"), rest.count("{"), rest.count("}")


def _problems(language: str, message: Message, entry: Message | None, forms: int) -> list[str]:
    if entry is None:
        return ["missing"]
    if entry.fuzzy:
        return ["fuzzy"]
    ids = _texts(message.id)
    strings = _texts(entry.string)
    if message.pluralizable and len(strings) != forms:
        return [f"{len(strings)} plural forms instead of {forms}"]
    problems = []
    for index, text in enumerate(strings):
        where = f"form {index}" if len(strings) > 1 else "msgstr"
        if not text or not text.strip():
            problems.append(f"{where} is empty")
            continue
        # Every form must carry the plural's placeholders (the number is shown in all of them).
        source = ids[-1] if len(ids) > 1 else ids[0]
        if _placeholders(text) != sorted(set(_placeholders(source)) | set(_placeholders(ids[0]))):
            problems.append(
                f"{where} placeholders {_placeholders(text)} != {_placeholders(source)}"
            )
        if _bare(text) != _bare(source):
            problems.append(f"{where} has a stray '%', '{{' or '}}': {text!r}")
    return problems


def test_the_extraction_finds_every_kind_of_message() -> None:
    """Pages, forms, lazy labels, plurals, notifications, domain errors and field checks."""
    found = code_messages()
    for msgid in (
        "I need a ride",  # template
        "Write a number, for example 1.",  # lazy_gettext in a form
        ("%(num)d adult", "%(num)d adults"),  # ngettext in a template
        "Your ride on %(date)s",  # notification
        "No place with id {id}.",  # NotFound
        "At least one adult travels.",  # checks.fail
        "This link has expired.",  # LinkExpired
        "Wrong e-mail or password.",  # gettext in a view
    ):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = found.get(key)
        assert message is not None, f"{msgid!r} is not extracted"
        assert message.id == msgid
    assert len(found) > 400


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_the_catalogue_translates_every_message_of_the_code(language: str) -> None:
    """Non-empty, non-fuzzy, every plural form, the same placeholders as the English source."""
    catalogue = po(language)
    problems = []
    for message in code_messages():
        if not message.id:
            continue
        entry = catalogue.get(message.id[0] if isinstance(message.id, tuple) else message.id)
        for problem in _problems(language, message, entry, catalogue.num_plurals):
            problems.append(f"{message.id!r}: {problem}")
    assert not problems, (
        f"{language}: {len(problems)} problems (run 'rural-cars translations update' and "
        f"translate):\n" + "\n".join(problems[:40])
    )


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_the_catalogue_is_well_formed(language: str) -> None:
    """The plural rule is the language's own, Babel's checks pass and the header is not fuzzy."""
    catalogue = po(language)
    assert catalogue.locale is not None and str(catalogue.locale) == language
    assert catalogue.num_plurals == get_plural(language).num_plurals
    if language in PLURALS:
        assert catalogue.num_plurals == PLURALS[language]
    assert not catalogue.fuzzy
    assert [(m.id, errors) for m, errors in catalogue.check()] == []
    # Domain messages go through str.format, gettext ones through %: both must not raise.
    for message in catalogue:
        if not message.id or not message.string:
            continue
        for text in _texts(message.string):
            if message.python_format:
                names = dict.fromkeys(re.findall(r"%\((\w+)\)", text), 1)
                text % names
            fields = dict.fromkeys(re.findall(r"\{(\w+)\}", text), "x")
            if fields:
                text.format(**fields)


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_the_compiled_catalogue_loads_and_matches_the_po(language: str) -> None:
    """rides.locales reads the .mo that the install compiled, and it says what the .po says."""
    mo = CATALOGUES / language / "LC_MESSAGES" / "messages.mo"
    assert mo.exists(), f"{mo} is missing: pip install -e . or rural-cars translations compile"
    compiled = locales.catalogue(language)
    assert isinstance(compiled, Translations)
    assert compiled.gettext("I need a ride") == translated(language, "I need a ride")
    stale = [
        m.id
        for m in po(language)
        if m.id and not m.pluralizable and compiled.gettext(str(m.id)) != m.string
    ]
    assert not stale, f"{language}: the .mo is older than the .po ({len(stale)} differ)"
    seats = po(language).get("%(n)d seat")
    assert seats is not None
    assert compiled.ngettext("%(n)d seat", "%(n)d seats", 1) == _texts(seats.string)[0]


def test_the_mo_files_are_not_committed() -> None:
    ignore = (Path(CATALOGUES).parents[1] / ".gitignore").read_text(encoding="utf-8")
    assert "*.mo" in ignore.split()


# --- Pages: the sign-in page and one page of each role, in each language ---


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def _assert_language(page: str, language: str) -> None:
    direction = "rtl" if language in RTL else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_the_sign_in_page_speaks_the_browser_language(client: FlaskClient, language: str) -> None:
    page = _html(client.get("/login", headers={"Accept-Language": f"{language},en;q=0.5"}))
    _assert_language(page, language)
    assert translated(language, "Rides between villages with volunteer drivers.") in page
    assert translated(language, "No account? A coordinator can book a ride for you by phone:") in (
        page
    )
    assert 'href="tel:+' in page


def test_the_sign_in_page_is_spanish_by_default_and_follows_the_language_cookie(
    client: FlaskClient,
) -> None:
    page = _html(client.get("/login"))
    _assert_language(page, "es")
    assert translated("es", "Sign in") in page
    client.set_cookie("lang", "ar")
    page = _html(client.get("/login", headers={"Accept-Language": "fr"}))
    _assert_language(page, "ar")
    assert translated("ar", "Sign in") in page


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_each_role_reads_its_page_in_its_own_language(
    client: FlaskClient, session: Session, make: Factory, language: str
) -> None:
    """The profile language wins over the browser's, for a newcomer, a driver and a coordinator."""
    newcomer = make.newcomer(preferred_language=language)
    make.request(newcomer, purpose=Purpose.HEALTH)
    driver = make.driver(preferred_language=language)
    coordinator = make.coordinator(preferred_language=language)
    session.commit()
    expected = {
        newcomer.id: ("I need a ride", "Waiting for a car", "Health"),
        driver.id: ("My routes", "Availability and car", "Mileage"),
        coordinator.id: ("Day at a glance", "Book a ride", "People"),
    }
    other = "fr" if language != "fr" else "uk"
    for person_id, msgids in expected.items():
        browse_as(client, person_id)
        page = _html(client.get("/", headers={"Accept-Language": other}, follow_redirects=True))
        _assert_language(page, language)
        for msgid in msgids:
            assert translated(language, msgid) in page, (language, msgid)
        if language != "en":
            assert translated("en", msgids[0]) not in page


# --- Notifications: written in the recipient's language ---


def test_a_published_plan_tells_each_rider_and_driver_in_their_language(
    session: Session, make: Factory
) -> None:
    """Pickup times go out in Arabic, Ukrainian, Romanian... as each rider chose; the route
    offer in the driver's language."""
    drivers = [make.driver(preferred_language="ar"), make.driver(preferred_language="uk")]
    for driver in drivers:
        make.shift(driver, start_time=dt.time(7), end_time=dt.time(15))
    riders = {
        language: make.newcomer(preferred_language=language)
        for language in ("ar", "uk", "ro", "fr")
    }
    origins = {"ar": ATIENZA, "uk": JADRAQUE, "ro": ATIENZA, "fr": JADRAQUE}
    for index, (language, rider) in enumerate(riders.items()):
        make.request(rider, origin_id=make.place(origins[language]).id, time=dt.time(10 + index))
    session.flush()
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))

    messages = list(session.scalars(select(OutboxMessage)))
    by_person: dict[int | None, list[OutboxMessage]] = {}
    for message in messages:
        by_person.setdefault(message.recipient_id, []).append(message)

    for language, rider in riders.items():
        (pickup,) = [m for m in by_person[rider.id] if m.kind == "pickup_confirmed"]
        assert pickup.language == language
        date = locales.local_date(plan.date, language)
        assert pickup.subject == translated(language, "Your ride on %(date)s") % {"date": date}
        body = translated(
            language,
            "A car will pick you up on %(date)s at %(time)s at %(place)s to go to %(destination)s.",
        )
        assert pickup.body.startswith(body.split("%(")[0])
        assert date in pickup.body and "%(" not in pickup.body
    for driver in drivers:
        offers = [m for m in by_person.get(driver.id, []) if m.kind == "route_offered"]
        for offer in offers:
            date = locales.local_date(plan.date, driver.preferred_language)
            expected = translated(driver.preferred_language, "A route for you on %(date)s")
            assert offer.subject == expected % {"date": date}
    assert any(m.kind == "route_offered" for m in messages)


def test_a_person_with_a_language_without_catalogue_reads_spanish() -> None:
    assert locales.translate("xx", "I need a ride") == translated("es", "I need a ride")
