"""Shared fixtures for the geo tests."""

from __future__ import annotations

import pytest

from geo.gazetteer import Municipality, gazetteer, municipality


@pytest.fixture(scope="session")
def places() -> tuple[Municipality, ...]:
    """All 288 municipalities of the embedded gazetteer."""
    return gazetteer()


@pytest.fixture(scope="session")
def siguenza() -> Municipality:
    """Sigüenza, INE 19257."""
    return municipality("19257")


@pytest.fixture(scope="session")
def guadalajara() -> Municipality:
    """The capital, INE 19130."""
    return municipality("19130")
