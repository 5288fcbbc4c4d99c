"""The embedded gazetteer of the Province of Guadalajara."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import unicodedata

import pytest

from geo.errors import GeoError, UnknownMunicipalityError
from geo.gazetteer import Municipality, gazetteer, municipality

# Real extent of the province from the IGN municipal boundaries (data README).
LAT_MIN, LAT_MAX = 40.152, 41.328
LON_MIN, LON_MAX = -3.541, -1.536


def test_has_288_unique_ine_codes(places: tuple[Municipality, ...]) -> None:
    """The gazetteer lists each of the province's 288 municipalities exactly once."""
    codes = [place.ine_code for place in places]
    assert len(places) == 288
    assert len(set(codes)) == 288
    assert all(len(code) == 5 and code.startswith("19") and code.isdigit() for code in codes)
    assert codes == sorted(codes)


def test_points_lie_inside_the_province(places: tuple[Municipality, ...]) -> None:
    """Every main-town point falls inside the province's real extent."""
    outside = [
        place.name
        for place in places
        if not (LAT_MIN <= place.latitude <= LAT_MAX and LON_MIN <= place.longitude <= LON_MAX)
    ]
    assert outside == []


def test_names_are_nfc_and_unique(places: tuple[Municipality, ...]) -> None:
    """Official names come back NFC-normalised, with accents, and are all different."""
    names = [place.name for place in places]
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    assert len(set(names)) == 288
    assert "Sigüenza" in names
    assert "El Casar" in names


def test_populations_match_ine_2025(places: tuple[Municipality, ...]) -> None:
    """Populations are the INE 2025 figures: province total 285,390, capital 92,834."""
    assert sum(place.population for place in places) == 285_390
    assert municipality("19130").population == 92_834


def test_municipality_by_code(siguenza: Municipality) -> None:
    """A municipality is found by its INE code, is frozen and keyed by its code."""
    assert siguenza.name == "Sigüenza"
    assert siguenza.key == "19257"
    assert siguenza.latitude == pytest.approx(41.0675, abs=1e-3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        siguenza.name = "Siguenza"  # type: ignore[misc]


@pytest.mark.parametrize("code", ["19999", "28079", "", "sigüenza"])
def test_unknown_code_raises_a_clear_error(code: str) -> None:
    """An unknown INE code raises an error naming the code, catchable as KeyError or ValueError."""
    with pytest.raises(UnknownMunicipalityError) as caught:
        municipality(code)
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, GeoError)
    assert repr(code) in str(caught.value)
    assert "not in the gazetteer" in str(caught.value)


def test_gazetteer_is_loaded_once() -> None:
    """Repeated calls return the very same tuple: the CSV is read once."""
    assert gazetteer() is gazetteer()


def test_import_does_no_work_and_stays_pure() -> None:
    """Importing geo neither reads the CSV nor pulls in the web, database or domain packages."""
    code = (
        "import importlib, pkgutil, sys, geo\n"
        "for mod in pkgutil.iter_modules(geo.__path__):\n"
        "    importlib.import_module('geo.' + mod.name)\n"
        "from geo.gazetteer import gazetteer\n"
        "assert gazetteer.cache_info().currsize == 0, 'gazetteer read at import'\n"
        "bad = {'flask', 'sqlalchemy', 'rides', 'web', 'matching'} & set(sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
