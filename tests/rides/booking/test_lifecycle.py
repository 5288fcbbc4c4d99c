"""The request lifecycle allows exactly the documented moves."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from rides.booking import lifecycle
from rides.errors import InvalidTransition
from rides.models import RequestStatus
from tests.factories import Factory


def test_final_states_allow_nothing() -> None:
    """Done, no-show and cancelled are the outcome of the day: nothing follows them."""
    for status in lifecycle.FINAL:
        assert lifecycle.ALLOWED[status] == frozenset()


def test_every_state_is_open_or_final() -> None:
    """Each status is in exactly one of the two groups."""
    assert set(RequestStatus) == lifecycle.OPEN | lifecycle.FINAL
    assert not lifecycle.OPEN & lifecycle.FINAL


def test_a_day_runs_requested_scheduled_done(session: Session, make: Factory) -> None:
    """The normal path of a served trip."""
    request = make.request()
    lifecycle.move(request, RequestStatus.SCHEDULED)
    lifecycle.move(request, RequestStatus.DONE)
    assert request.status == RequestStatus.DONE


def test_a_requested_trip_cannot_be_done(session: Session, make: Factory) -> None:
    """A trip nobody planned cannot have happened."""
    request = make.request()
    with pytest.raises(InvalidTransition) as caught:
        lifecycle.move(request, RequestStatus.DONE)
    assert caught.value.message == "This trip is still waiting for a plan."
    assert caught.value.fields["status"] == "cannot go from requested to done"
