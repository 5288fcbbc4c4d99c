"""The entities of a scenario (riders, drivers with car and shift, trip requests), each checked
when made, so a scenario in memory is always a valid one; :mod:`scenarios.scenario_files` reads
and writes them as JSON."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from geo.gazetteer import gazetteer

FORMAT = "rural-cars-scenario/1"
#: The values of ``rides.models.Purpose``, kept as strings so this module stays light.
PURPOSES = ("health", "shopping", "administration", "training_work", "school", "other")
#: The values of ``rides.models.TimeKind``.
TIME_KINDS = ("arrive_by", "leave_after")

_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


class ScenarioError(ValueError):
    """A scenario that breaks the format; ``where`` and ``file`` say where the problem is."""

    def __init__(self, problem: str, where: str = "", file: str | None = None) -> None:
        self.problem = problem
        self.where = where
        self.file = file
        super().__init__(": ".join(part for part in (file, where, problem) if part))

    def inside(self, prefix: str) -> ScenarioError:
        """The same problem located under ``prefix``: an entry (``requests[3]``) or a field."""
        if not self.where:
            where = prefix
        elif self.where.startswith("["):
            where = prefix + self.where
        else:
            where = f"{prefix}.{self.where}"
        return ScenarioError(self.problem, where, self.file)


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Prefix any ScenarioError raised inside with the location being read."""
    try:
        yield
    except ScenarioError as error:
        raise error.inside(where) from None


# ---------------------------------------------------------------------------- value checks


def _check_place(code: str, name: str) -> None:
    """Places are municipalities of the gazetteer, so every trip can be routed."""
    if code not in _ine_codes():
        raise ScenarioError(f"unknown INE code {code!r}: not a municipality of the province", name)


@functools.cache
def _ine_codes() -> frozenset[str]:
    """The 288 INE codes, gathered once (a scenario checks thousands of places)."""
    return frozenset(place.ine_code for place in gazetteer())


def _check_id(value: str, name: str = "id") -> None:
    """Ids are the only way entries point at each other, so they must be real strings."""
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"must be a non-empty string, got {value!r}", name)


def _check_count(value: int, name: str, minimum: int = 0) -> None:
    """Seats, people and minutes are whole numbers that cannot go below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ScenarioError(f"must be a whole number >= {minimum}, got {value!r}", name)


def _check_languages(languages: tuple[str, ...], name: str = "languages") -> None:
    """Languages are distinct lowercase ISO 639 codes, so pages and names can be chosen."""
    if not languages:
        raise ScenarioError("must list at least one language", name)
    for language in languages:
        if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
            raise ScenarioError(f"{language!r} is not an ISO 639 code such as 'ar'", name)
    if len(set(languages)) != len(languages):
        raise ScenarioError(f"lists a language twice: {list(languages)}", name)


def _check_choice(value: str, choices: Sequence[str], name: str) -> None:
    """Enumerated fields take one of the values the models know."""
    if value not in choices:
        raise ScenarioError(f"{value!r} is not one of {', '.join(choices)}", name)


# ---------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class Vehicle:
    """The places a driver's car offers to passengers (the driver's seat not counted)."""

    seats: int
    child_seats: int = 0
    wheelchair_places: int = 0

    def __post_init__(self) -> None:
        """A car carries at least one passenger and no more child seats than seats."""
        _check_count(self.seats, "seats", minimum=1)
        _check_count(self.child_seats, "child_seats")
        _check_count(self.wheelchair_places, "wheelchair_places")
        if self.child_seats > self.seats:
            raise ScenarioError(
                f"{self.child_seats} child seats do not fit in {self.seats} seats", "child_seats"
            )


@dataclass(frozen=True, slots=True)
class Shift:
    """When and where a driver starts and ends their day of driving."""

    start: dt.time
    end: dt.time
    start_place: str
    end_place: str

    def __post_init__(self) -> None:
        """A shift runs forward within the day between two known places."""
        if self.end <= self.start:
            raise ScenarioError(
                f"ends at {self.end:%H:%M}, not after its start {self.start:%H:%M}", "end"
            )
        _check_place(self.start_place, "start_place")
        _check_place(self.end_place, "end_place")


@dataclass(frozen=True, slots=True)
class Rider:
    """A newcomer who asks for rides: where they live and the languages they read."""

    id: str
    first_name: str
    home: str
    preferred_language: str
    languages: tuple[str, ...]

    def __post_init__(self) -> None:
        """The preferred language is one the rider speaks; home is a known village."""
        _check_id(self.id)
        _check_id(self.first_name, "first_name")
        _check_place(self.home, "home")
        _check_languages(self.languages)
        if self.preferred_language not in self.languages:
            raise ScenarioError(
                f"{self.preferred_language!r} is not among languages {list(self.languages)}",
                "preferred_language",
            )


@dataclass(frozen=True, slots=True)
class Driver:
    """A volunteer with a car and one shift on the scenario's day."""

    id: str
    first_name: str
    home: str
    languages: tuple[str, ...]
    vehicle: Vehicle
    shift: Shift

    def __post_init__(self) -> None:
        """Home is a known village and the driver speaks at least one language."""
        _check_id(self.id)
        _check_id(self.first_name, "first_name")
        _check_place(self.home, "home")
        _check_languages(self.languages)


@dataclass(frozen=True, slots=True)
class TripRequest:
    """One trip asked for: from where to where, by or after when, with whom and why."""

    id: str
    rider: str
    origin: str
    destination: str
    time_kind: str
    time: dt.time
    flexibility_min: int = 30
    adults: int = 1
    children: int = 0
    child_seats: int = 0
    wheelchair: bool = False
    purpose: str = "other"
    return_of: str | None = None

    def __post_init__(self) -> None:
        """Mirror the database's checks so a scenario can always be booked."""
        _check_id(self.id)
        _check_id(self.rider, "rider")
        _check_place(self.origin, "origin")
        _check_place(self.destination, "destination")
        if self.origin == self.destination:
            raise ScenarioError(f"is the origin {self.origin!r} itself", "destination")
        _check_choice(self.time_kind, TIME_KINDS, "time_kind")
        _check_choice(self.purpose, PURPOSES, "purpose")
        _check_count(self.flexibility_min, "flexibility_min")
        _check_count(self.adults, "adults")
        _check_count(self.children, "children")
        _check_count(self.child_seats, "child_seats")
        if self.adults + self.children < 1:
            raise ScenarioError("a trip carries at least one person", "adults")
        if self.child_seats > self.children:
            raise ScenarioError(
                f"{self.child_seats} child seats for {self.children} children", "child_seats"
            )
        if not isinstance(self.wheelchair, bool):
            raise ScenarioError(f"must be true or false, got {self.wheelchair!r}", "wheelchair")
        if self.return_of is not None:
            _check_id(self.return_of, "return_of")

    @property
    def seats(self) -> int:
        """Seats taken in the car, children included."""
        return self.adults + self.children


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole day: generator seed and parameters, riders, drivers and their requests."""

    date: dt.date
    riders: tuple[Rider, ...]
    drivers: tuple[Driver, ...]
    requests: tuple[TripRequest, ...]
    seed: int | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        """Ids are unique and every reference (rider, return trip) points at a real entry."""
        object.__setattr__(self, "riders", tuple(self.riders))
        object.__setattr__(self, "drivers", tuple(self.drivers))
        object.__setattr__(self, "requests", tuple(self.requests))
        object.__setattr__(self, "params", MappingProxyType(json_copy(self.params, "params")))
        if isinstance(self.date, dt.datetime) or not isinstance(self.date, dt.date):
            raise ScenarioError(f"must be a calendar day, got {self.date!r}", "date")
        if self.seed is not None:
            _check_count(self.seed, "seed")
        _check_unique("riders", self.riders)
        _check_unique("drivers", self.drivers)
        _check_unique("requests", self.requests)
        _check_riders_known(self.requests, {rider.id for rider in self.riders})
        _check_return_trips(self.requests)

    def request(self, request_id: str) -> TripRequest:
        """The request with this id (KeyError when there is none)."""
        for request in self.requests:
            if request.id == request_id:
                return request
        raise KeyError(request_id)


def _check_unique(kind: str, entries: Sequence[Rider | Driver | TripRequest]) -> None:
    """Ids are unique within riders, within drivers and within requests."""
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise ScenarioError(
                f"duplicate id {entry.id!r} (also {kind}[{seen[entry.id]}])", f"{kind}[{index}].id"
            )
        seen[entry.id] = index


def _check_riders_known(requests: Sequence[TripRequest], riders: set[str]) -> None:
    """Every request is made by a rider of the scenario."""
    for index, request in enumerate(requests):
        if request.rider not in riders:
            raise ScenarioError(f"unknown rider {request.rider!r}", f"requests[{index}].rider")


def _check_return_trips(requests: Sequence[TripRequest]) -> None:
    """A return trip mirrors one outward request of the same rider, later in the day."""
    by_id = {request.id: request for request in requests}
    returned: dict[str, int] = {}
    for index, request in enumerate(requests):
        if request.return_of is None:
            continue
        with _at(f"requests[{index}]"):
            outward = by_id.get(request.return_of)
            if outward is None:
                raise ScenarioError(f"unknown request {request.return_of!r}", "return_of")
            if request.return_of in returned:
                other = returned[request.return_of]
                raise ScenarioError(
                    f"{request.return_of!r} already has a return trip (requests[{other}])",
                    "return_of",
                )
            returned[request.return_of] = index
            _check_mirrors(request, outward)


def _check_mirrors(back: TripRequest, outward: TripRequest) -> None:
    """The return trip is the outward trip reversed, by the same rider, leaving later."""
    name = repr(outward.id)
    if outward.return_of is not None:
        raise ScenarioError(f"points at {name}, itself a return trip", "return_of")
    if back.rider != outward.rider:
        raise ScenarioError(f"rider {back.rider!r} differs from {name}'s", "rider")
    if (back.origin, back.destination) != (outward.destination, outward.origin):
        raise ScenarioError(
            f"goes {back.origin} -> {back.destination}, not the reverse of {name} "
            f"({outward.origin} -> {outward.destination})",
            "origin",
        )
    if back.time_kind != "leave_after":
        raise ScenarioError(f"a return trip is leave_after, got {back.time_kind!r}", "time_kind")
    if back.time <= outward.time:
        raise ScenarioError(
            f"{back.time:%H:%M} is not after the outward time {outward.time:%H:%M} of {name}",
            "time",
        )


def json_copy(value: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A deep, plain-JSON copy, so params can neither be changed nor fail to be written."""
    try:
        copy = json.loads(json.dumps(dict(value), allow_nan=False, default=_plain))
    except (TypeError, ValueError) as error:
        raise ScenarioError(f"cannot be written as JSON: {error}", where) from None
    if not isinstance(copy, dict):  # pragma: no cover - dict() in, dict out
        raise ScenarioError("must be a JSON object", where)
    return copy


def _plain(value: object) -> object:
    """Let read-only mappings and tuples of params through json.dumps."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON")
