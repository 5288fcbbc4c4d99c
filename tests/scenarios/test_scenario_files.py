"""The scenario file format: what it accepts, what it writes, and how it refuses bad files."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios import scenario_files as sc


def _example() -> dict[str, Any]:
    """The example of the format's documentation, plus the outward trip's return."""
    return {
        "format": "rural-cars-scenario/1",
        "seed": 7,
        "date": "2026-12-01",
        "params": {"return_share": 0.7, "hubs": {"19257": 2.0}},
        "riders": [
            {
                "id": "r1",
                "first_name": "Amina",
                "home": "19001",
                "preferred_language": "ar",
                "languages": ["ar", "fr"],
            }
        ],
        "drivers": [
            {
                "id": "d1",
                "first_name": "Javier",
                "home": "19130",
                "languages": ["es", "en"],
                "vehicle": {"seats": 4, "child_seats": 1, "wheelchair_places": 0},
                "shift": {
                    "start": "08:00",
                    "end": "15:00",
                    "start_place": "19130",
                    "end_place": "19130",
                },
            }
        ],
        "requests": [
            {
                "id": "q1",
                "rider": "r1",
                "origin": "19001",
                "destination": "19257",
                "time_kind": "arrive_by",
                "time": "10:30",
                "flexibility_min": 30,
                "adults": 1,
                "children": 0,
                "child_seats": 0,
                "wheelchair": False,
                "purpose": "health",
                "return_of": None,
            },
            {
                "id": "q2",
                "rider": "r1",
                "origin": "19257",
                "destination": "19001",
                "time_kind": "leave_after",
                "time": "12:00",
                "flexibility_min": 30,
                "adults": 1,
                "children": 0,
                "child_seats": 0,
                "wheelchair": False,
                "purpose": "health",
                "return_of": "q1",
            },
        ],
    }


@pytest.fixture
def data() -> dict[str, Any]:
    """A fresh, valid scenario object that a test may break."""
    return _example()


@pytest.fixture
def example() -> sc.Scenario:
    """The example read into dataclasses."""
    return sc.Scenario.from_dict(_example())


def test_example_reads_into_typed_dataclasses(example: sc.Scenario) -> None:
    """Dates, times, places and the return link come back as Python values, not strings."""
    assert example.date == dt.date(2026, 12, 1)
    assert example.seed == 7
    assert example.riders[0].languages == ("ar", "fr")
    assert example.drivers[0].vehicle == sc.Vehicle(seats=4, child_seats=1)
    assert example.drivers[0].shift.start == dt.time(8, 0)
    outward, back = example.requests
    assert outward.time == dt.time(10, 30)
    assert back.return_of == "q1"
    assert example.request("q2") is back
    assert outward.seats == 1


def test_to_dict_gives_back_the_file_with_its_key_order(data: dict[str, Any]) -> None:
    """Reading then writing changes nothing, and keys come in the documented order."""
    written = sc.Scenario.from_dict(copy.deepcopy(data)).to_dict()
    assert written == data
    assert list(written) == ["format", "seed", "date", "params", "riders", "drivers", "requests"]
    assert list(written["requests"][0]) == list(data["requests"][0])


def test_write_then_read_round_trips(example: sc.Scenario, tmp_path: Path) -> None:
    """A written file reads back equal, and writing it again gives the same bytes."""
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    sc.write(example, first)
    again = sc.read(first)
    sc.write(again, second)
    assert again == example
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8")) == example.to_dict()


def test_file_is_utf8_with_readable_names(tmp_path: Path) -> None:
    """Accented names are written as UTF-8 characters, not \\u escapes, one entry per line."""
    data = _example()
    data["riders"][0]["first_name"] = "Aïssatou"
    path = tmp_path / "s.json"
    sc.write(sc.Scenario.from_dict(data), path)
    text = path.read_bytes().decode("utf-8")
    assert '"first_name": "Aïssatou"' in text
    assert text.endswith("}\n")
    assert sum(line.startswith('    {"id": "q') for line in text.splitlines()) == 2


def test_hand_written_file_may_leave_out_obvious_defaults() -> None:
    """Seed, params, languages, shift places and a request's party take documented defaults."""
    minimal = {
        "format": "rural-cars-scenario/1",
        "date": "2026-12-01",
        "riders": [{"id": "r1", "first_name": "Olena", "home": "19046"}],
        "drivers": [
            {
                "id": "d1",
                "first_name": "Pilar",
                "home": "19257",
                "vehicle": {"seats": 3},
                "shift": {"start": "07:30", "end": "14:30"},
            }
        ],
        "requests": [
            {
                "id": "q1",
                "rider": "r1",
                "origin": "19046",
                "destination": "19130",
                "time_kind": "leave_after",
                "time": "09:00",
            }
        ],
    }
    loaded = sc.Scenario.from_dict(minimal)
    assert loaded.seed is None
    assert dict(loaded.params) == {}
    assert loaded.riders[0].languages == ("es",)
    assert loaded.drivers[0].shift.start_place == "19257"
    assert loaded.drivers[0].vehicle == sc.Vehicle(seats=3, child_seats=0, wheelchair_places=0)
    request = loaded.requests[0]
    assert (request.adults, request.children, request.flexibility_min) == (1, 0, 30)
    assert (request.purpose, request.return_of, request.wheelchair) == ("other", None, False)


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
        sc.Scenario.from_dict(data)
    assert message in str(raised.value)


def test_return_trip_by_another_rider_is_rejected(data: dict[str, Any]) -> None:
    """A return trip belongs to the rider of its outward trip."""
    data["riders"].append({**data["riders"][0], "id": "r2"})
    data["requests"][1]["rider"] = "r2"
    with pytest.raises(sc.ScenarioError, match=r"requests\[1\]\.rider: rider 'r2' differs"):
        sc.Scenario.from_dict(data)


def test_error_carries_problem_and_location_separately(data: dict[str, Any]) -> None:
    """Callers (a CLI, a web upload) can show the location and the problem apart."""
    data["requests"][0]["origin"] = "19999"
    with pytest.raises(sc.ScenarioError) as raised:
        sc.Scenario.from_dict(data)
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


def test_read_names_the_file(tmp_path: Path) -> None:
    """An error from a file starts with the file's name, then the location."""
    data = _example()
    data["requests"][0]["origin"] = "19999"
    path = tmp_path / "monday.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(sc.ScenarioError, match=r"^monday\.json: requests\[0\]\.origin: unknown"):
        sc.read(path)


def test_read_rejects_non_utf8_and_missing_files(tmp_path: Path) -> None:
    """A Latin-1 file and a missing file give ScenarioError, not a raw decoding error."""
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(_example()).replace("Amina", "Aïcha").encode("latin-1"))
    with pytest.raises(sc.ScenarioError, match=r"latin\.json: not UTF-8"):
        sc.read(latin)
    with pytest.raises(sc.ScenarioError, match="cannot be read"):
        sc.read(tmp_path / "absent.json")


def test_dataclasses_reject_bad_values_when_built_directly() -> None:
    """Code that builds a scenario without a file gets the same checks as the loader."""
    with pytest.raises(sc.ScenarioError, match="origin: unknown INE code"):
        sc.TripRequest("q1", "r1", "00000", "19257", "arrive_by", dt.time(10))
    with pytest.raises(sc.ScenarioError, match="child_seats"):
        sc.Vehicle(seats=3, child_seats=4)
    rider = sc.Rider("r1", "Amina", "19001", "ar", ("ar",))
    request = sc.TripRequest("q1", "r2", "19001", "19257", "arrive_by", dt.time(10))
    with pytest.raises(sc.ScenarioError, match=r"requests\[0\]\.rider: unknown rider 'r2'"):
        sc.Scenario(date=dt.date(2026, 12, 1), riders=(rider,), drivers=(), requests=(request,))


def test_params_are_a_private_read_only_copy(data: dict[str, Any]) -> None:
    """Changing the dict a scenario was built from does not change the scenario."""
    loaded = sc.Scenario.from_dict(data)
    data["params"]["return_share"] = 0.0
    assert loaded.params["return_share"] == 0.7
    with pytest.raises(TypeError):
        loaded.params["return_share"] = 0.1  # type: ignore[index]


def test_params_that_are_not_json_are_rejected() -> None:
    """Params must be writable: a set or NaN would make the file unreadable."""
    with pytest.raises(sc.ScenarioError, match="params: cannot be written as JSON"):
        sc.Scenario(
            date=dt.date(2026, 12, 1), riders=(), drivers=(), requests=(), params={"x": {1}}
        )
    with pytest.raises(sc.ScenarioError, match="params: cannot be written as JSON"):
        sc.Scenario(
            date=dt.date(2026, 12, 1),
            riders=(),
            drivers=(),
            requests=(),
            params={"x": float("nan")},
        )


def test_empty_scenario_round_trips() -> None:
    """A day with nobody in it is still a valid file."""
    empty = sc.Scenario(date=dt.date(2026, 12, 1), riders=(), drivers=(), requests=())
    assert sc.loads(sc.dumps(empty)) == empty


@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_every_clock_time_round_trips(hour: int, minute: int) -> None:
    """Any HH:MM of the day is read back as the same time and written the same way."""
    data = _example()
    data["drivers"][0]["shift"] = {"start": "00:00", "end": "23:59"}
    data["requests"][0]["time"] = f"{hour:02d}:{minute:02d}"
    data["requests"] = data["requests"][:1]
    loaded = sc.Scenario.from_dict(data)
    assert loaded.requests[0].time == dt.time(hour, minute)
    assert loaded.to_dict()["requests"][0]["time"] == f"{hour:02d}:{minute:02d}"


@given(text=st.text(max_size=8))
def test_anything_but_hh_mm_is_not_a_time(text: str) -> None:
    """Times are exactly two-digit hours 00-23, a colon and two-digit minutes."""
    valid = len(text) == 5 and text[2] == ":" and text[:2].isascii() and text[3:].isascii()
    valid = valid and text[:2].isdigit() and text[3:].isdigit()
    valid = valid and int(text[:2]) < 24 and int(text[3:]) < 60
    data = _example()
    data["requests"][0]["time"] = text
    data["requests"] = data["requests"][:1]
    if valid:
        assert sc.Scenario.from_dict(data).requests[0].time.strftime("%H:%M") == text
    else:
        with pytest.raises(sc.ScenarioError, match=r"requests\[0\]\.time"):
            sc.Scenario.from_dict(data)
