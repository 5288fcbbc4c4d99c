"""Scenario files that are wrong are refused, naming the problem and where it is."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from scenarios import scenario_files as sc


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A change to one field, addressed like ``requests.0.origin``."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    """Removing one field."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


def _append_copy(kind: str, index: int, **changes: object) -> Callable[[dict[str, Any]], None]:
    """A copy of one entry added to the end of its list, with some fields changed."""

    def change(data: dict[str, Any]) -> None:
        data[kind].append({**copy.deepcopy(data[kind][index]), **changes})

    return change


MALFORMED = [
    ("wrong format", _set("format", "rural-cars/2"), "format: is 'rural-cars/2', expected"),
    ("missing top field", _drop("drivers"), "missing field 'drivers'"),
    ("unknown top field", _set("comment", "hi"), "unknown field 'comment'"),
    ("bad date", _set("date", "2026-02-30"), "date: '2026-02-30' is not a day of the calendar"),
    ("date format", _set("date", "01/12/2026"), "date: '01/12/2026' is not a date YYYY-MM-DD"),
    ("negative seed", _set("seed", -1), "seed: must be a whole number >= 0"),
    ("params not an object", _set("params", [1]), "params: must be a JSON object"),
    ("riders not a list", _set("riders", {}), "riders: must be a JSON list"),
    ("missing request field", _drop("requests.0.time"), "requests[0]: missing field 'time'"),
    ("missing rider field", _drop("riders.0.home"), "riders[0]: missing field 'home'"),
    ("missing vehicle", _drop("drivers.0.vehicle"), "drivers[0]: missing field 'vehicle'"),
    ("typo in a field", _set("requests.0.flexibilty_min", 20), "unknown field 'flexibilty_min'"),
    ("unknown origin", _set("requests.0.origin", "19999"), "requests[0].origin: unknown INE code"),
    ("unknown home", _set("riders.0.home", "28079"), "riders[0].home: unknown INE code '28079'"),
    (
        "unknown shift place",
        _set("drivers.0.shift.end_place", "19000"),
        "drivers[0].shift.end_place: unknown INE code '19000'",
    ),
    ("hour out of range", _set("requests.0.time", "25:00"), "requests[0].time: '25:00' is not a"),
    ("time without colon", _set("drivers.0.shift.start", "8h"), "drivers[0].shift.start: '8h'"),
    ("time with seconds", _set("requests.1.time", "12:00:00"), "requests[1].time: '12:00:00'"),
    ("time as a number", _set("requests.0.time", 1030), "requests[0].time: 1030 is not a time"),
    (
        "shift backwards",
        _set("drivers.0.shift.end", "07:00"),
        "drivers[0].shift.end: ends at 07:00, not after its start 08:00",
    ),
    ("duplicate request id", _set("requests.1.id", "q1"), "requests[1].id: duplicate id 'q1'"),
    (
        "duplicate rider id",
        _append_copy("riders", 0, first_name="Fatima"),
        "riders[1].id: duplicate id 'r1' (also riders[0])",
    ),
    (
        "duplicate driver id",
        _append_copy("drivers", 0),
        "drivers[1].id: duplicate id 'd1' (also drivers[0])",
    ),
    ("unknown rider", _set("requests.0.rider", "r9"), "requests[0].rider: unknown rider 'r9'"),
    (
        "return of an unknown request",
        _set("requests.1.return_of", "q9"),
        "requests[1].return_of: unknown request 'q9'",
    ),
    (
        "return of a return",
        _append_copy("requests", 1, id="q3", return_of="q2", origin="19001", destination="19257"),
        "requests[2].return_of: points at 'q2', itself a return trip",
    ),
    (
        "two returns",
        _append_copy("requests", 1, id="q3", time="13:00"),
        "requests[2].return_of: 'q1' already has a return trip (requests[1])",
    ),
    (
        "return not reversed",
        _set("requests.1.destination", "19130"),
        "requests[1].origin: goes 19257 -> 19130, not the reverse of 'q1'",
    ),
    (
        "return before outward",
        _set("requests.1.time", "10:00"),
        "requests[1].time: 10:00 is not after the outward time 10:30 of 'q1'",
    ),
    (
        "return as arrive_by",
        _set("requests.1.time_kind", "arrive_by"),
        "requests[1].time_kind: a return trip is leave_after",
    ),
    ("unknown purpose", _set("requests.0.purpose", "leisure"), "'leisure' is not one of health"),
    ("unknown time kind", _set("requests.0.time_kind", "at"), "requests[0].time_kind: 'at'"),
    ("same origin and destination", _set("requests.0.destination", "19001"), "itself"),
    ("nobody travels", _set("requests.0.adults", 0), "requests[0].adults: a trip carries at least"),
    ("negative children", _set("requests.0.children", -1), "requests[0].children: must be a whole"),
    (
        "child seats without children",
        _set("requests.0.child_seats", 1),
        "requests[0].child_seats: 1 child seats for 0 children",
    ),
    ("adults as text", _set("requests.0.adults", "1"), "requests[0].adults: must be a whole"),
    ("wheelchair as 0/1", _set("requests.0.wheelchair", 0), "requests[0].wheelchair: must be true"),
    ("seats as a boolean", _set("drivers.0.vehicle.seats", True), "vehicle.seats: must be a whole"),
    ("car without seats", _set("drivers.0.vehicle.seats", 0), "drivers[0].vehicle.seats: must be"),
    (
        "more child seats than seats",
        _set("drivers.0.vehicle.child_seats", 5),
        "drivers[0].vehicle.child_seats: 5 child seats do not fit in 4 seats",
    ),
    (
        "preferred language not spoken",
        _set("riders.0.preferred_language", "uk"),
        "riders[0].preferred_language: 'uk' is not among languages",
    ),
    ("bad language code", _set("riders.0.languages", ["ar", "French"]), "'French' is not an ISO"),
    ("no languages", _set("drivers.0.languages", []), "drivers[0].languages: must list at least"),
    ("empty id", _set("riders.0.id", " "), "riders[0].id: must be a non-empty string"),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [pytest.param(change, message, id=name) for name, change, message in MALFORMED],
)
def test_malformed_scenario_is_rejected_naming_problem_and_place(
    data: dict[str, Any], change: Callable[[dict[str, Any]], None], message: str
) -> None:
    """Each kind of broken file raises ScenarioError whose message says what and where."""
    change(data)
    with pytest.raises(sc.ScenarioError) as raised:
        sc.from_dict(data)
    assert message in str(raised.value)


def test_return_trip_by_another_rider_is_rejected(data: dict[str, Any]) -> None:
    """A return trip belongs to the rider of its outward trip."""
    data["riders"].append({**data["riders"][0], "id": "r2"})
    data["requests"][1]["rider"] = "r2"
    with pytest.raises(sc.ScenarioError, match=r"requests\[1\]\.rider: rider 'r2' differs"):
        sc.from_dict(data)


def test_error_carries_problem_and_location_separately(data: dict[str, Any]) -> None:
    """Callers (a CLI, a web upload) can show the location and the problem apart."""
    data["requests"][0]["origin"] = "19999"
    with pytest.raises(sc.ScenarioError) as raised:
        sc.from_dict(data)
    assert raised.value.where == "requests[0].origin"
    assert raised.value.problem.startswith("unknown INE code '19999'")
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('{"format": ', "not valid JSON: Expecting value at line 1", id="truncated"),
        pytest.param('{"seed": 1, "seed": 2}', "duplicate key 'seed'", id="duplicate-key"),
        pytest.param('{"seed": NaN}', "NaN is not a JSON number", id="nan"),
        pytest.param("[]", "must be a JSON object, got list", id="not-an-object"),
    ],
)
def test_text_that_is_not_a_scenario_object_is_rejected(text: str, message: str) -> None:
    """Broken JSON, keys given twice and NaN are refused before any field is read."""
    with pytest.raises(sc.ScenarioError, match=message):
        sc.loads(text)
