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
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scenarios.entities import (
    _DATE,
    _TIME,
    FORMAT,
    Driver,
    Rider,
    Scenario,
    ScenarioError,
    Shift,
    TripRequest,
    Vehicle,
    _at,
    json_copy,
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


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """The JSON object of the format, keys in their documented order."""
    return {
        "format": FORMAT,
        "seed": scenario.seed,
        "date": scenario.date.isoformat(),
        "params": json_copy(scenario.params, "params"),
        "riders": [_rider_dict(rider) for rider in scenario.riders],
        "drivers": [_driver_dict(driver) for driver in scenario.drivers],
        "requests": [_request_dict(request) for request in scenario.requests],
    }


def from_dict(data: object) -> Scenario:
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
    return Scenario(
        date=date,
        riders=_entries(top["riders"], "riders", _parse_rider),
        drivers=_entries(top["drivers"], "drivers", _parse_driver),
        requests=_entries(top["requests"], "requests", _parse_request),
        seed=top.get("seed"),
        params=params,
    )


# ---------------------------------------------------------------------------- files


def dumps(scenario: Scenario) -> str:
    """The file text: one rider, driver or request per line, so diffs stay readable."""
    data = to_dict(scenario)
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
    return from_dict(data)


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
