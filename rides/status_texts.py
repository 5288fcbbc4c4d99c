"""Whole sentences for "not found" and "already in that state" errors, one per thing and status.

An error message is translated as a whole: an English noun or status name put into a
translated sentence ("No hay ride request con id 3", "Una solicitud en estado cancelled...")
is no sentence in any language. So each thing and each status has its own sentence here, with
only numbers as parameters, and the errors take their message from these tables.
"""

from __future__ import annotations

from rides.models import ChangeStatus, PlanStatus, RequestStatus, RouteStatus, StopStatus


def _(message: str) -> str:
    """Mark a string for extraction; the web layer translates the error's message."""
    return message


#: "No ... with id {id}." for each kind of thing a caller can ask for by id.
NOT_FOUND: dict[str, str] = {
    "ride request": _("No trip with id {id}."),
    "route": _("No route with id {id}."),
    "shift": _("No shift with id {id}."),
    "vehicle": _("No car with id {id}."),
    "person": _("No person with id {id}."),
    "newcomer": _("No rider with id {id}."),
    "driver": _("No driver with id {id}."),
    "coordinator": _("No coordinator with id {id}."),
}

#: What a trip's status means for an action that needs another one.
TRIP_IS: dict[RequestStatus, str] = {
    RequestStatus.REQUESTED: _("This trip is still waiting for a plan."),
    RequestStatus.SCHEDULED: _("This trip already has a car."),
    RequestStatus.UNSERVED: _("This trip has no car yet."),
    RequestStatus.CANCELLED: _("This trip is already cancelled."),
    RequestStatus.DONE: _("This trip has already been driven."),
    RequestStatus.NO_SHOW: _("This trip is over: the rider was not at the pickup."),
}

#: A route that is no longer waiting for its driver's answer.
ROUTE_IS: dict[RouteStatus, str] = {
    RouteStatus.OFFERED: _("This route is still waiting for its driver's answer."),
    RouteStatus.ACCEPTED: _("This route is already accepted."),
    RouteStatus.DECLINED: _("This route is already declined."),
    RouteStatus.COMPLETED: _("This route is already completed."),
}

#: A stop already marked.
STOP_IS: dict[StopStatus, str] = {
    StopStatus.PLANNED: _("This stop is not marked yet."),
    StopStatus.DONE: _("This stop is already marked done."),
    StopStatus.NO_SHOW: _("This stop is already marked as a no-show."),
    StopStatus.SKIPPED: _("This stop was already skipped."),
}

#: A route change already answered.
CHANGE_IS: dict[ChangeStatus, str] = {
    ChangeStatus.PENDING: _("This change is still waiting for an answer."),
    ChangeStatus.ACCEPTED: _("This change is already accepted."),
    ChangeStatus.DECLINED: _("This change is already declined."),
    ChangeStatus.SUPERSEDED: _("This change was already replaced by a newer one."),
}

#: A plan version that is not a draft any more.
PLAN_IS: dict[PlanStatus, str] = {
    PlanStatus.DRAFT: _("Version {v} is a draft."),
    PlanStatus.PUBLISHED: _("Version {v} is already published, not a draft."),
    PlanStatus.SUPERSEDED: _("Version {v} was replaced by a newer plan, not a draft."),
}

#: Said for a kind of thing missing from NOT_FOUND (a new caller): still a whole sentence.
NOT_FOUND_ANYTHING = _("Nothing with id {id}.")


def not_found(what: str) -> str:
    """The sentence saying there is no ``what`` with the id given (``{id}`` to fill)."""
    return NOT_FOUND.get(what, NOT_FOUND_ANYTHING)
