"""Scenario files: one day of riders, drivers and requests as plain JSON, checked on load.

A scenario is what the demand generator (:mod:`scenarios.demand`) writes and what the solver
benchmark and the demo read. The format, ``"rural-cars-scenario/1"``, is UTF-8 JSON with a
fixed key order (so the same scenario is always the same bytes)::

    {"format": "rural-cars-scenario/1", "seed": 7, "date": "2026-12-01", "params": {...},
     "riders":   [{"id": "r1", "first_name": "Amina", "home": "19257",
                   "preferred_language": "ar", "languages": ["ar", "fr"]}],
     "drivers":  [{"id": "d1", "first_name": "Javier", "home": "19130", "languages": ["es"],
                   "vehicle": {"seats": 4, "child_seats": 1, "wheelchair_places": 0},
                   "shift": {"start": "08:00", "end": "15:00",
                             "start_place": "19130", "end_place": "19130"}}],
     "requests": [{"id": "q1", "rider": "r1", "origin": "19001", "destination": "19257",
                   "time_kind": "arrive_by", "time": "10:30", "flexibility_min": 30,
                   "adults": 1, "children": 0, "child_seats": 0, "wheelchair": false,
                   "purpose": "health", "return_of": null}]}

Places are INE codes of the gazetteer; times are local wall-clock ``HH:MM`` of ``date``.
A return trip is its own request whose ``return_of`` names the outward request: same rider,
origin and destination swapped, ``leave_after``, later than the outward time.

When reading, the fields the writer always writes may be left out of a hand-written file
where a default is obvious (``seed``, ``params``, a request's party and needs, a rider's
languages, a shift's places); everything else missing is an error. Any problem raises
:class:`ScenarioError` naming it and where it is, e.g.
``requests[3].origin: unknown INE code '19999'``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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
        object.__setattr__(self, "params", MappingProxyType(_json_copy(self.params, "params")))
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

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the format, keys in their documented order."""
        return {
            "format": FORMAT,
            "seed": self.seed,
            "date": self.date.isoformat(),
            "params": _json_copy(self.params, "params"),
            "riders": [_rider_dict(rider) for rider in self.riders],
            "drivers": [_driver_dict(driver) for driver in self.drivers],
            "requests": [_request_dict(request) for request in self.requests],
        }

    @classmethod
    def from_dict(cls, data: object) -> Scenario:
        """Read a decoded JSON object, raising ScenarioError at the first problem."""
        top = _object(
            data,
            required=("format", "date", "riders", "drivers", "requests"),
            optional=("seed", "params"),
        )
        if top["format"] != FORMAT:
            raise ScenarioError(f"is {top['format']!r}, expected {FORMAT!r}", "format")
        with _at("date"):
            date = _parse_date(top["date"])
        with _at("params"):
            params = _mapping(top.get("params", {}))
        return cls(
            date=date,
            riders=_entries(top["riders"], "riders", _parse_rider),
            drivers=_entries(top["drivers"], "drivers", _parse_driver),
            requests=_entries(top["requests"], "requests", _parse_request),
            seed=top.get("seed"),
            params=params,
        )


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


# ---------------------------------------------------------------------------- JSON -> objects


def _object(data: object, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON object with every required key and no key the format does not know."""
    if not isinstance(data, dict):
        raise ScenarioError(f"must be a JSON object, got {type(data).__name__}")
    missing = [key for key in required if key not in data]
    if missing:
        raise ScenarioError(f"missing field {', '.join(map(repr, missing))}")
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise ScenarioError(f"unknown field {', '.join(map(repr, unknown))}")
    return data


def _entries(data: object, kind: str, parse: Callable[[object], Any]) -> tuple[Any, ...]:
    """Parse a JSON list entry by entry, locating errors as ``kind[i]``."""
    if not isinstance(data, list):
        raise ScenarioError(f"must be a JSON list, got {type(data).__name__}", kind)
    entries = []
    for index, item in enumerate(data):
        with _at(f"{kind}[{index}]"):
            entries.append(parse(item))
    return tuple(entries)


_STRING, _COUNT, _BOOL, _STRING_OR_NULL = (
    "a string",
    "a whole number",
    "true or false",
    "a string or null",
)
_KINDS: dict[str, tuple[type, ...]] = {
    _STRING: (str,),
    _COUNT: (int,),
    _BOOL: (bool,),
    _STRING_OR_NULL: (str, type(None)),
}


def _field(data: Mapping[str, Any], key: str, kind: str, default: Any = None) -> Any:
    """A field of the expected JSON type (true is not a number here), or ``default`` if absent."""
    if key not in data and default is not None:
        return default
    value = data[key]
    types = _KINDS[kind]
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        raise ScenarioError(f"must be {kind}, got {value!r}", key)
    return value


def _parse_time(value: object) -> dt.time:
    """``HH:MM`` on the 24-hour clock, as people book rides."""
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise ScenarioError(f"{value!r} is not a time HH:MM between 00:00 and 23:59")
    hour, minute = value.split(":")
    return dt.time(int(hour), int(minute))


def _parse_date(value: object) -> dt.date:
    """``YYYY-MM-DD``, a real calendar day."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ScenarioError(f"{value!r} is not a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(f"{value!r} is not a day of the calendar") from None


def _timed(data: Mapping[str, Any], key: str) -> dt.time:
    """Read one ``HH:MM`` field, locating its error."""
    with _at(key):
        return _parse_time(data[key])


def _languages(data: Mapping[str, Any], key: str, default: list[str]) -> tuple[str, ...]:
    """A list of language codes (each checked by the entity)."""
    value = data.get(key, default)
    if not isinstance(value, list):
        raise ScenarioError(f"must be a list of language codes, got {value!r}", key)
    return tuple(value)


def _parse_rider(data: object) -> Rider:
    """One entry of ``riders``."""
    item = _object(data, ("id", "first_name", "home"), ("preferred_language", "languages"))
    preferred = _field(item, "preferred_language", _STRING, "es")
    return Rider(
        id=_field(item, "id", _STRING),
        first_name=_field(item, "first_name", _STRING),
        home=_field(item, "home", _STRING),
        preferred_language=preferred,
        languages=_languages(item, "languages", [preferred]),
    )


def _parse_vehicle(data: object) -> Vehicle:
    """A driver's ``vehicle``."""
    item = _object(data, ("seats",), ("child_seats", "wheelchair_places"))
    return Vehicle(
        seats=_field(item, "seats", _COUNT),
        child_seats=_field(item, "child_seats", _COUNT, 0),
        wheelchair_places=_field(item, "wheelchair_places", _COUNT, 0),
    )


def _parse_shift(data: object, home: str) -> Shift:
    """A driver's ``shift``; its places default to the driver's home."""
    item = _object(data, ("start", "end"), ("start_place", "end_place"))
    return Shift(
        start=_timed(item, "start"),
        end=_timed(item, "end"),
        start_place=_field(item, "start_place", _STRING, home),
        end_place=_field(item, "end_place", _STRING, home),
    )


def _parse_driver(data: object) -> Driver:
    """One entry of ``drivers``."""
    item = _object(data, ("id", "first_name", "home", "vehicle", "shift"), ("languages",))
    home = _field(item, "home", _STRING)
    with _at("vehicle"):
        vehicle = _parse_vehicle(item["vehicle"])
    with _at("shift"):
        shift = _parse_shift(item["shift"], home)
    return Driver(
        id=_field(item, "id", _STRING),
        first_name=_field(item, "first_name", _STRING),
        home=home,
        languages=_languages(item, "languages", ["es"]),
        vehicle=vehicle,
        shift=shift,
    )


_REQUEST_DEFAULTS: dict[str, Any] = {
    "flexibility_min": 30, "adults": 1, "children": 0, "child_seats": 0,
    "wheelchair": False, "purpose": "other", "return_of": None,
}  # fmt: skip
_REQUEST_TYPES: dict[str, str] = {
    "id": _STRING, "rider": _STRING, "origin": _STRING, "destination": _STRING,
    "time_kind": _STRING, "flexibility_min": _COUNT, "adults": _COUNT, "children": _COUNT,
    "child_seats": _COUNT, "wheelchair": _BOOL, "purpose": _STRING, "return_of": _STRING_OR_NULL,
}  # fmt: skip


def _parse_request(data: object) -> TripRequest:
    """One entry of ``requests``."""
    required = ("id", "rider", "origin", "destination", "time_kind", "time")
    item = _object(data, required, tuple(_REQUEST_DEFAULTS))
    values = {**_REQUEST_DEFAULTS, **item}
    typed = {key: _field(values, key, kind) for key, kind in _REQUEST_TYPES.items()}
    return TripRequest(time=_timed(item, "time"), **typed)


def _mapping(value: object) -> dict[str, Any]:
    """Generator parameters: any JSON object."""
    if not isinstance(value, dict):
        raise ScenarioError(f"must be a JSON object, got {type(value).__name__}")
    return value


def _json_copy(value: Mapping[str, Any], where: str) -> dict[str, Any]:
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


# ---------------------------------------------------------------------------- objects -> JSON


def _rider_dict(rider: Rider) -> dict[str, Any]:
    """One rider in file order."""
    return {
        "id": rider.id,
        "first_name": rider.first_name,
        "home": rider.home,
        "preferred_language": rider.preferred_language,
        "languages": list(rider.languages),
    }


def _driver_dict(driver: Driver) -> dict[str, Any]:
    """One driver in file order."""
    vehicle, shift = driver.vehicle, driver.shift
    return {
        "id": driver.id,
        "first_name": driver.first_name,
        "home": driver.home,
        "languages": list(driver.languages),
        "vehicle": {
            "seats": vehicle.seats,
            "child_seats": vehicle.child_seats,
            "wheelchair_places": vehicle.wheelchair_places,
        },
        "shift": {
            "start": f"{shift.start:%H:%M}",
            "end": f"{shift.end:%H:%M}",
            "start_place": shift.start_place,
            "end_place": shift.end_place,
        },
    }


def _request_dict(request: TripRequest) -> dict[str, Any]:
    """One request in file order."""
    return {
        "id": request.id,
        "rider": request.rider,
        "origin": request.origin,
        "destination": request.destination,
        "time_kind": request.time_kind,
        "time": f"{request.time:%H:%M}",
        "flexibility_min": request.flexibility_min,
        "adults": request.adults,
        "children": request.children,
        "child_seats": request.child_seats,
        "wheelchair": request.wheelchair,
        "purpose": request.purpose,
        "return_of": request.return_of,
    }


# ---------------------------------------------------------------------------- files


def dumps(scenario: Scenario) -> str:
    """The file text: one rider, driver or request per line, so diffs stay readable."""
    data = scenario.to_dict()
    lines = ["{"]
    for key in ("format", "seed", "date"):
        lines.append(f"  {json.dumps(key)}: {_compact(data[key])},")
    params = ",\n".join(
        f"    {_compact(key)}: {_compact(value)}" for key, value in data["params"].items()
    )
    lines.append(f'  "params": {{\n{params}\n  }},' if params else '  "params": {},')
    for key in ("riders", "drivers", "requests"):
        items = ",\n".join(f"    {_compact(item)}" for item in data[key])
        lines.append(f"  {json.dumps(key)}: [\n{items}\n  ]," if items else f'  "{key}": [],')
    lines[-1] = lines[-1].removesuffix(",")
    return "\n".join([*lines, "}"]) + "\n"


def _compact(value: object) -> str:
    """One JSON value on one line, non-ASCII names kept readable."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def loads(text: str) -> Scenario:
    """Parse file text, refusing duplicate keys and NaN that plain json.loads lets through."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ScenarioError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    return Scenario.from_dict(data)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A key given twice would silently keep the last value; refuse it instead."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ScenarioError(f"duplicate key {key!r} in a JSON object")
        data[key] = value
    return data


def _no_constant(name: str) -> float:
    """NaN and Infinity are not JSON."""
    raise ScenarioError(f"{name} is not a JSON number")


def read(path: str | Path) -> Scenario:
    """Load a scenario file, naming the file in any error."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
        return loads(text)
    except ScenarioError as error:
        raise ScenarioError(error.problem, error.where, path.name) from None
    except UnicodeDecodeError as error:
        raise ScenarioError(f"not UTF-8 text (byte {error.start})", file=path.name) from None
    except OSError as error:
        raise ScenarioError(f"cannot be read: {error.strerror}", file=str(path)) from None


def write(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario as UTF-8 with Unix newlines (same scenario, same bytes)."""
    Path(path).write_bytes(dumps(scenario).encode("utf-8"))
