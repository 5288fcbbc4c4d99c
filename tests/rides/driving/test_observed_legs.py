"""Legs read from the drivers' marks: consecutive done stops, net of the boarding time."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from rides.driving.observed_legs import observed_legs
from tests.drives_marked import seed_marked_drives
from tests.factories import Factory, tomorrow


def test_each_pair_of_consecutive_marks_is_a_leg_net_of_boarding(
    session: Session, make: Factory
) -> None:
    """Twenty marked routes give twenty legs at the true time; the unmarked drop-off none."""
    expected = seed_marked_drives(session, make)
    observed = observed_legs(session, tomorrow())
    assert observed.routes == len(expected) + 1
    got = sorted((leg.origin, leg.destination, leg.seconds) for leg in observed.legs)
    assert [(a, b) for a, b, _ in got] == sorted((a, b) for a, b, _ in expected)
    for (_, _, seconds), (_, _, truth) in zip(got, sorted(expected), strict=True):
        assert seconds == pytest.approx(truth, abs=1.0)
    assert set(observed.places) == {a for a, _, _ in expected}


def test_no_leg_before_the_first_day_asked(session: Session, make: Factory) -> None:
    """Drives before ``since`` are not read."""
    seed_marked_drives(session, make)
    later = observed_legs(session, tomorrow().replace(year=tomorrow().year + 1))
    assert later.legs == () and later.routes == 0
