"""Booking rules: every invalid request is refused with a code naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.booking.ride_requests import (
    MAX_TRIPS_PER_BOOKING,
    book_ride,
    cancel_ride,
    get_request,
    list_day_requests,
)
from rides.errors import Conflict, InvalidTransition, NotFound, PermissionDenied
from rides.models import (
    AuditEntry,
    Purpose,
    RequestStatus,
    RideRequest,
    RideSeries,
    TimeKind,
)
from rides.validation import InvalidInput
from tests.factories import ATIENZA, GUADALAJARA, SIGUENZA, Factory, tomorrow


def _codes(session: Session, make: Factory, **overrides) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        book_ride(session, make.newcomer(), make.ride_spec(**overrides))
    return caught.value.codes


def _bookings_audited(session: Session) -> list[tuple[int | None, int | None]]:
    query = select(AuditEntry.actor_id, AuditEntry.entity_id).where(AuditEntry.action == "book")
    return [(actor, entity) for actor, entity in session.execute(query.order_by(AuditEntry.id))]


def test_a_valid_booking_creates_one_requested_trip(session: Session, make: Factory) -> None:
    """The plain case: one request, status requested; the rider's own booking is recorded by
    its row alone (no audit entry: the log is for actions taken on someone's behalf)."""
    rider = make.newcomer()
    [request] = book_ride(session, rider, make.ride_spec(purpose=Purpose.HEALTH))
    assert request.status == RequestStatus.REQUESTED
    assert request.purpose == Purpose.HEALTH and request.seats == 1
    assert request.rider_id == rider.id and request.booked_by_id is None
    assert _bookings_audited(session) == []


def test_a_booking_on_someones_behalf_is_audited_per_trip(session: Session, make: Factory) -> None:
    """A coordinator's booking names them as the booker and leaves one entry per trip."""
    coordinator = make.coordinator()
    created = book_ride(
        session, coordinator, make.ride_spec(return_time=dt.time(13)), rider=make.newcomer()
    )
    assert {r.booked_by_id for r in created} == {coordinator.id}
    assert _bookings_audited(session) == [(coordinator.id, r.id) for r in created]


def test_a_booked_return_makes_the_whole_booking_a_duplicate(
    session: Session, make: Factory
) -> None:
    """Outward new but return already booked: nothing of the second booking stays (the outward
    row inserted before the return was refused is taken back) and the session goes on."""
    rider = make.newcomer()
    book_ride(session, rider, make.ride_spec(time=dt.time(13)))
    before = session.scalar(select(func.count()).select_from(RideRequest))
    spec = make.ride_spec(
        time=dt.time(9),
        return_time=dt.time(13),
        return_time_kind=TimeKind.ARRIVE_BY,
        origin_id=make.place(SIGUENZA).id,
        destination_id=make.place(ATIENZA).id,
    )
    with pytest.raises(Conflict) as caught:
        book_ride(session, rider, spec)
    assert caught.value.code == "duplicate_request"
    assert session.scalar(select(func.count()).select_from(RideRequest)) == before
    session.commit()
    assert len(list_day_requests(session, tomorrow(), rider_id=rider.id)) == 1


def test_a_series_meeting_a_booked_week_leaves_nothing(session: Session, make: Factory) -> None:
    """A weekly series whose third week is already booked is refused whole: no trip and no
    series row stay behind."""
    rider = make.newcomer()
    book_ride(session, rider, make.ride_spec(date=tomorrow() + dt.timedelta(days=14)))
    requests_before = session.scalar(select(func.count()).select_from(RideRequest))
    series_before = session.scalar(select(func.count()).select_from(RideSeries))
    with pytest.raises(Conflict):
        book_ride(session, rider, make.ride_spec(weekly_until=tomorrow() + dt.timedelta(days=21)))
    assert session.scalar(select(func.count()).select_from(RideRequest)) == requests_before
    assert session.scalar(select(func.count()).select_from(RideSeries)) == series_before
    created = book_ride(session, rider, make.ride_spec(weekly_until=tomorrow() + dt.timedelta(7)))
    assert created[0].series is not None
    assert [r.series_id for r in created] == [created[0].series.id] * 2


def test_unknown_place_is_refused(session: Session, make: Factory) -> None:
    """An origin id that is not a place names the origin field."""
    assert _codes(session, make, origin_id=999_999) == {"origin_id": "unknown_place"}


def test_same_origin_and_destination_is_refused(session: Session, make: Factory) -> None:
    """Going nowhere is refused on the destination field."""
    place = make.place(SIGUENZA).id
    assert _codes(session, make, origin_id=place, destination_id=place) == {
        "destination_id": "same_place"
    }


def test_date_in_the_past_is_refused(session: Session, make: Factory) -> None:
    """Yesterday cannot be booked."""
    assert _codes(session, make, date=clock.today() - dt.timedelta(days=1)) == {
        "date": "date_in_past"
    }


def test_time_already_passed_today_is_refused(session: Session, make: Factory) -> None:
    """Today at 00:00 is always in the past."""
    assert _codes(session, make, date=clock.today(), time=dt.time(0, 0)) == {"time": "time_in_past"}


def test_date_too_far_ahead_is_refused(session: Session, make: Factory) -> None:
    """Bookings more than a year ahead are refused."""
    assert _codes(session, make, date=clock.today() + dt.timedelta(days=400)) == {
        "date": "too_far_ahead"
    }


def test_return_before_outward_is_an_inverted_window(session: Session, make: Factory) -> None:
    """A return earlier than the outward trip is refused on the return time."""
    assert _codes(session, make, time=dt.time(12), return_time=dt.time(9)) == {
        "return_time": "window_inverted"
    }


def test_series_ending_before_it_starts_is_refused(session: Session, make: Factory) -> None:
    """The weekly series end must not precede its first day."""
    assert _codes(session, make, weekly_until=tomorrow() - dt.timedelta(days=1)) == {
        "weekly_until": "window_inverted"
    }


def test_series_longer_than_a_quarter_is_refused(session: Session, make: Factory) -> None:
    """A weekly series is capped at 13 weeks: the 14th week (and a year, 53 weeks with returns,
    106 trips) is refused on the series end, naming the cap; 13 weeks with returns, 26 trips,
    are accepted."""
    for weeks in (13, 52):
        codes = _codes(
            session,
            make,
            return_time=dt.time(13),
            weekly_until=tomorrow() + dt.timedelta(weeks=weeks),
        )
        assert codes == {"weekly_until": "too_many_trips"}
    with pytest.raises(InvalidInput) as caught:
        book_ride(
            session,
            make.newcomer(),
            make.ride_spec(weekly_until=tomorrow() + dt.timedelta(weeks=13)),
        )
    assert "At most 13 weeks in one booking (26 trips" in caught.value.fields["weekly_until"]
    created = book_ride(
        session,
        make.newcomer(),
        make.ride_spec(return_time=dt.time(13), weekly_until=tomorrow() + dt.timedelta(weeks=12)),
    )
    assert len(created) == MAX_TRIPS_PER_BOOKING == 26


def test_flexibility_out_of_range_is_refused(session: Session, make: Factory) -> None:
    """Negative or huge flexibility is refused."""
    assert _codes(session, make, flexibility_min=-5) == {"flexibility_min": "out_of_range"}
    assert _codes(session, make, flexibility_min=600) == {"flexibility_min": "out_of_range"}


def test_more_passengers_than_any_car_is_refused(session: Session, make: Factory) -> None:
    """With only a 4-seat car registered, a party of 6 cannot be carried."""
    make.driver(seats=4)
    assert _codes(session, make, adults=3, children=3) == {"adults": "too_many_passengers"}


def test_party_checks(session: Session, make: Factory) -> None:
    """No adult, negative children and more child seats than children are each refused."""
    assert _codes(session, make, adults=0, children=1) == {"adults": "child_without_adult"}
    assert _codes(session, make, children=-1) == {"children": "out_of_range"}
    assert _codes(session, make, children=1, child_seats=2) == {
        "child_seats": "too_many_child_seats"
    }


def test_several_problems_are_reported_together(session: Session, make: Factory) -> None:
    """A form shows every wrong field at once, not one per round trip."""
    codes = _codes(session, make, origin_id=999_999, flexibility_min=-1, adults=0)
    assert codes == {
        "origin_id": "unknown_place",
        "flexibility_min": "out_of_range",
        "adults": "child_without_adult",
    }


def test_only_newcomers_ride(session: Session, make: Factory) -> None:
    """A driver's account cannot be the rider of a request."""
    with pytest.raises(PermissionDenied):
        book_ride(session, make.driver(), make.ride_spec())


def test_failed_booking_writes_nothing(session: Session, make: Factory) -> None:
    """A refused booking leaves no request and no series behind."""
    rider = make.newcomer()
    before = session.scalar(select(func.count()).select_from(RideRequest))
    with pytest.raises(InvalidInput):
        book_ride(
            session,
            rider,
            make.ride_spec(weekly_until=tomorrow() + dt.timedelta(days=14), adults=0),
        )
    assert session.scalar(select(func.count()).select_from(RideRequest)) == before


def test_the_same_trip_cannot_be_booked_twice(session: Session, make: Factory) -> None:
    """A double tap creates one request; the second is a conflict and the first survives."""
    rider = make.newcomer()
    book_ride(session, rider, make.ride_spec())
    with pytest.raises(Conflict) as caught:
        book_ride(session, rider, make.ride_spec())
    assert caught.value.code == "duplicate_request"
    assert len(list_day_requests(session, tomorrow(), rider_id=rider.id)) == 1


def test_weekly_series_with_return(session: Session, make: Factory) -> None:
    """Every Tuesday for three weeks, there and back: six linked requests."""
    created = book_ride(
        session,
        make.newcomer(),
        make.ride_spec(return_time=dt.time(13), weekly_until=tomorrow() + dt.timedelta(days=14)),
    )
    assert len(created) == 6
    assert [r.date for r in created[::2]] == [
        tomorrow() + dt.timedelta(days=7 * k) for k in range(3)
    ]
    assert all(created[i + 1].outward is created[i] for i in range(0, 6, 2))
    assert all(r.time_kind == TimeKind.LEAVE_AFTER for r in created[1::2])


def test_cancel_cancels_the_return_too(session: Session, make: Factory) -> None:
    """Cancelling the outward trip also cancels its return."""
    outward, back = book_ride(session, make.newcomer(), make.ride_spec(return_time=dt.time(13)))
    changed = cancel_ride(session, outward.rider, outward.id, reason="ill")
    assert changed == [outward, back]
    assert {outward.status, back.status} == {RequestStatus.CANCELLED}
    assert outward.status_note == "ill"


def test_cancel_whole_series_from_a_date(session: Session, make: Factory) -> None:
    """Cancelling the series from the second week keeps the first week's trip."""
    created = book_ride(
        session, make.newcomer(), make.ride_spec(weekly_until=tomorrow() + dt.timedelta(days=14))
    )
    cancel_ride(session, created[1].rider, created[1].id, whole_series=True)
    assert [r.status for r in created] == [RequestStatus.REQUESTED] + [RequestStatus.CANCELLED] * 2


def test_cancel_twice_is_refused(session: Session, make: Factory) -> None:
    """A cancelled trip cannot be cancelled again (the client learns it already was)."""
    request = make.request()
    cancel_ride(session, request.rider, request.id)
    with pytest.raises(InvalidTransition):
        cancel_ride(session, request.rider, request.id)


def test_after_cancelling_the_trip_can_be_booked_again(session: Session, make: Factory) -> None:
    """The duplicate rule only counts trips that are still wanted."""
    rider = make.newcomer()
    request = make.request(rider)
    cancel_ride(session, request.rider, request.id)
    again = make.request(rider)
    assert again.id != request.id


def test_list_day_requests_filters(session: Session, make: Factory) -> None:
    """Filters by status, rider and place; results in time order."""
    rider = make.newcomer()
    late = make.request(rider, time=dt.time(12))
    early = make.request(time=dt.time(9), destination_id=make.place(GUADALAJARA).id)
    unwanted = make.request(time=dt.time(11))
    cancel_ride(session, unwanted.rider, unwanted.id)
    day = tomorrow()
    assert [r.id for r in list_day_requests(session, day, statuses=[RequestStatus.REQUESTED])] == [
        early.id,
        late.id,
    ]
    assert list_day_requests(session, day, rider_id=rider.id) == [late]
    assert list_day_requests(session, day, place_id=make.place(GUADALAJARA).id) == [early]
    assert len(list_day_requests(session, day, place_id=make.place(ATIENZA).id)) == 3


def test_get_request_unknown_is_not_found(session: Session, make: Factory) -> None:
    """An unknown id raises NotFound naming the id."""
    with pytest.raises(NotFound):
        get_request(session, make.coordinator(), 424242)


def test_a_booking_is_not_committed_before_its_transaction(
    engine, session: Session, make: Factory
) -> None:
    """A booking inside a savepoint (as a phone booking makes it) must not commit on its own:
    rolled back with its transaction it leaves nothing (SQLite's driver once committed at the
    savepoint's release, before any write had begun the transaction)."""
    from rides.db import make_sessionmaker

    rider = make.newcomer()
    session.commit()
    with session.begin_nested():
        book_ride(session, rider, make.ride_spec())
    session.rollback()
    with make_sessionmaker(engine)() as other:
        count = other.scalar(
            select(func.count()).select_from(RideRequest).where(RideRequest.rider_id == rider.id)
        )
    assert count == 0
