"""The persistent model of rides, one module per aggregate."""

from rides.models.audit import AuditEntry
from rides.models.base import Base
from rides.models.channel import (
    DEFAULT_CHANNELS,
    AttemptStatus,
    Channel,
    DeliveryAttempt,
    InboundMessage,
    ReplyOutcome,
)
from rides.models.invitation import Invitation, LinkPurpose, PasswordHelpRequest
from rides.models.lock import Lease
from rides.models.outbox import MessageStatus, OutboxMessage
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
from rides.models.planning_run import PlanningRun, RunStatus
from rides.models.request import Purpose, RequestStatus, RideRequest, RideSeries, TimeKind
from rides.models.route_change import ChangeStatus, RouteChange
from rides.models.scheduler_jobs import apscheduler_jobs
from rides.models.shift import Shift
from rides.models.token import ApiToken
from rides.models.vehicle import Vehicle

__all__ = [
    "DEFAULT_CHANNELS",
    "UI_LANGUAGES",
    "ApiToken",
    "AttemptStatus",
    "AuditEntry",
    "Base",
    "ChangeStatus",
    "Channel",
    "DayPlan",
    "DeliveryAttempt",
    "GeocodeCache",
    "InboundMessage",
    "Invitation",
    "Lease",
    "LinkPurpose",
    "MessageStatus",
    "OutboxMessage",
    "PasswordHelpRequest",
    "Person",
    "PersonLanguage",
    "Place",
    "PlaceKind",
    "PlanStatus",
    "PlanningRun",
    "Purpose",
    "ReplyOutcome",
    "RequestStatus",
    "RideRequest",
    "RideSeries",
    "Role",
    "Route",
    "RouteChange",
    "RouteStatus",
    "RunStatus",
    "Shift",
    "Stop",
    "StopKind",
    "StopStatus",
    "TimeKind",
    "UnservedRequest",
    "Vehicle",
    "apscheduler_jobs",
]
