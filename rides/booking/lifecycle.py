"""The request lifecycle in one table, so no code path invents its own status change."""

from __future__ import annotations

from rides import status_texts
from rides.errors import InvalidTransition
from rides.models import RequestStatus, RideRequest

S = RequestStatus

ALLOWED: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.REQUESTED: frozenset({S.SCHEDULED, S.UNSERVED, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.DONE, S.NO_SHOW, S.CANCELLED, S.UNSERVED, S.REQUESTED}),
    S.UNSERVED: frozenset({S.SCHEDULED, S.CANCELLED, S.REQUESTED}),
    S.CANCELLED: frozenset(),
    S.DONE: frozenset(),
    S.NO_SHOW: frozenset(),
}

#: Requests in these states still wait for a car and take part in planning.
OPEN = frozenset({S.REQUESTED, S.SCHEDULED, S.UNSERVED})
#: The outcome on the day: nothing changes them any more.
FINAL = frozenset({S.CANCELLED, S.DONE, S.NO_SHOW})
#: The one way out of a final status: a driver's mark taken back within its undo window
#: (``rides.driving.routes.undo_stop``), so a wrong tap on the road is not history.
UNDONE: dict[RequestStatus, RequestStatus] = {S.DONE: S.SCHEDULED, S.NO_SHOW: S.SCHEDULED}


def move(request: RideRequest, to: RequestStatus, note: str | None = None) -> None:
    """Change a request's status if the lifecycle allows it, else raise InvalidTransition."""
    if to not in ALLOWED[request.status]:
        why = f"cannot go from {request.status.value} to {to.value}"
        raise InvalidTransition(status_texts.TRIP_IS[request.status], fields={"status": why})
    request.status = to
    if note is not None:
        request.status_note = note


def undo_outcome(request: RideRequest) -> None:
    """Put a trip marked done or no-show back to scheduled: only an undone mark does this."""
    target = UNDONE.get(request.status)
    if target is None:
        raise InvalidTransition("This trip has no mark to undo.", fields={"status": "not a mark"})
    request.status = target
