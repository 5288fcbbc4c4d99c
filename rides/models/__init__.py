"""The persistent model of rides, one module per aggregate."""

from rides.models.audit import AuditEntry
from rides.models.base import Base
from rides.models.person import UI_LANGUAGES, Person, PersonLanguage, Role
from rides.models.place import GeocodeCache, Place, PlaceKind
from rides.models.plan import (
    DayPlan,
    PlanStatus,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
    UnservedRequest,
)
from rides.models.request import Purpose, RequestStatus, RideRequest, RideSeries, TimeKind
from rides.models.shift import Shift
from rides.models.vehicle import Vehicle

__all__ = [
    "UI_LANGUAGES",
    "AuditEntry",
    "Base",
    "DayPlan",
    "GeocodeCache",
    "Person",
    "PersonLanguage",
    "Place",
    "PlaceKind",
    "PlanStatus",
    "Purpose",
    "RequestStatus",
    "RideRequest",
    "RideSeries",
    "Role",
    "Route",
    "RouteStatus",
    "Shift",
    "Stop",
    "StopKind",
    "StopStatus",
    "TimeKind",
    "UnservedRequest",
    "Vehicle",
]
