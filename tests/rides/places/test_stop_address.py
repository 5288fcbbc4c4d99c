"""A new stop's coordinates from its address: a Nominatim answering over HTTP in the test,
its answers cached, and every failure a message saying what to do instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.errors import Conflict
from rides.models import GeocodeCache
from rides.places.geocode_cache import make_geocoder
from rides.places.stop_address import find_stop_address
from rides.validation import InvalidInput
from tests.factories import SIGUENZA, Factory
from tests.nominatim_server import FakeNominatim, KnownPlace, Running, serve

HEALTH_CENTRE = KnownPlace(
    41.0652, -2.6431,
    "Centro de Salud, Calle Medina, Sigüenza, Guadalajara, Castilla-La Mancha, 19250, España",
)  # fmt: skip
#: A "Plaza Mayor" the server only knows in Molina de Aragón, 70 km from Sigüenza.
MOLINA_SQUARE = KnownPlace(40.8440, -1.8860, "Plaza Mayor, Molina de Aragón, Guadalajara")
AGENT = "rural-cars tests (coordinators@example.org)"


@pytest.fixture
def nominatim() -> Iterator[Running]:
    """A Nominatim on a local port that knows Sigüenza's health centre."""
    script = FakeNominatim({"centro de salud": HEALTH_CENTRE, "plaza mayor": MOLINA_SQUARE})
    yield from serve(script)


def _geocoder(running: Running, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    return make_geocoder(f"nominatim:{running.url}", user_agent=AGENT, timeout=timeout)


def _cached(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(GeocodeCache)) or 0


def test_an_address_is_found_and_asked_once(
    session: Session, make: Factory, nominatim: Running
) -> None:
    """The query names the village and the province, with the deployment's User-Agent; the
    second search of the same address (other case and spacing) comes from the cache."""
    siguenza = make.place(SIGUENZA)
    geocoder = _geocoder(nominatim)
    found = find_stop_address(session, siguenza, "Centro de Salud", geocoder)
    assert (found.latitude, found.longitude) == (41.0652, -2.6431)
    assert found.label.startswith("Centro de Salud, Calle Medina") and not found.cached
    (seen,) = nominatim.nominatim.seen
    assert seen["path"] == "/search" and seen["user_agent"] == AGENT
    assert seen["query"]["q"] == ["Centro de Salud, Sigüenza, Provincia de Guadalajara, España"]
    again = find_stop_address(session, siguenza, "  centro de   SALUD ", geocoder)
    assert again.cached and (again.latitude, again.longitude) == (41.0652, -2.6431)
    assert len(nominatim.nominatim.seen) == 1 and _cached(session) == 1


def test_nothing_found_is_said_under_the_address(
    session: Session, make: Factory, nominatim: Running
) -> None:
    """An empty answer, and an answer 70 km away (a namesake in another village), are both
    "not found in Sigüenza", on the address field; nothing is cached."""
    siguenza = make.place(SIGUENZA)
    for address in ("Calle Inexistente 9", "Plaza Mayor"):
        with pytest.raises(InvalidInput) as refused:
            find_stop_address(session, siguenza, address, _geocoder(nominatim))
        (error,) = refused.value.errors
        assert (error.field, error.code) == ("address", "not_found")
        assert error.message == (
            "No such address found in Sigüenza: check it, or type the coordinates."
        )
    assert _cached(session) == 0


@pytest.mark.parametrize("status", [503, 429, 400])
def test_a_failing_service_says_try_later(
    session: Session, make: Factory, nominatim: Running, status: int
) -> None:
    """Overloaded, rate-limited or refusing: "not answering now", never a server error."""
    nominatim.nominatim.status = status
    with pytest.raises(Conflict) as refused:
        find_stop_address(session, make.place(SIGUENZA), "Centro de Salud", _geocoder(nominatim))
    assert refused.value.code == "geocoder_unavailable"
    assert _cached(session) == 0


def test_a_slow_service_times_out(session: Session, make: Factory, nominatim: Running) -> None:
    """An answer later than the timeout is the same "not answering now"."""
    nominatim.nominatim.sleep_s = 2.0
    with pytest.raises(Conflict) as refused:
        find_stop_address(
            session, make.place(SIGUENZA), "Centro de Salud", _geocoder(nominatim, 0.3)
        )
    assert refused.value.code == "geocoder_unavailable"


def test_without_a_geocoder_or_an_address(session: Session, make: Factory) -> None:
    """Off (the default): say to type the coordinates; an empty address: say to write one."""
    siguenza = make.place(SIGUENZA)
    with pytest.raises(Conflict) as off:
        find_stop_address(session, siguenza, "Centro de Salud", None)
    assert off.value.code == "geocoder_off"
    with pytest.raises(InvalidInput) as empty:
        find_stop_address(session, siguenza, "   ", None)
    assert empty.value.errors[0].code == "required"


def test_the_setting_names_a_service_and_maybe_its_server() -> None:
    """ "nominatim" is the public server; "nominatim:URL" an own one; others are refused."""
    public = make_geocoder("nominatim", user_agent=AGENT)
    assert public is not None and public.domain == "nominatim.openstreetmap.org"  # type: ignore[attr-defined]
    own = make_geocoder("nominatim:https://geo.example.org/nominatim/", user_agent=AGENT)
    assert own.api == "https://geo.example.org/nominatim/search"  # type: ignore[union-attr]
    for bad in ("no-such-service", "nominatim:ftp://geo.example.org", "nominatim:nowhere"):
        with pytest.raises(ValueError, match=r"geopy|http"):
            make_geocoder(bad)
