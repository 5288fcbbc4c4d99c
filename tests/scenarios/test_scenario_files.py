"""The scenario file format: what it accepts, what it writes, and how it refuses bad files."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios import scenario_files as sc
from tests.scenarios.examples import example_data


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
    written = sc.to_dict(sc.from_dict(copy.deepcopy(data)))
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
    assert json.loads(first.read_text(encoding="utf-8")) == sc.to_dict(example)


def test_file_is_utf8_with_readable_names(tmp_path: Path) -> None:
    """Accented names are written as UTF-8 characters, not \\u escapes, one entry per line."""
    data = example_data()
    data["riders"][0]["first_name"] = "Aïssatou"
    path = tmp_path / "s.json"
    sc.write(sc.from_dict(data), path)
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
    loaded = sc.from_dict(minimal)
    assert loaded.seed is None
    assert dict(loaded.params) == {}
    assert loaded.riders[0].languages == ("es",)
    assert loaded.drivers[0].shift.start_place == "19257"
    assert loaded.drivers[0].vehicle == sc.Vehicle(seats=3, child_seats=0, wheelchair_places=0)
    request = loaded.requests[0]
    assert (request.adults, request.children, request.flexibility_min) == (1, 0, 30)
    assert (request.purpose, request.return_of, request.wheelchair) == ("other", None, False)


def test_read_names_the_file(tmp_path: Path) -> None:
    """An error from a file starts with the file's name, then the location."""
    data = example_data()
    data["requests"][0]["origin"] = "19999"
    path = tmp_path / "monday.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(sc.ScenarioError, match=r"^monday\.json: requests\[0\]\.origin: unknown"):
        sc.read(path)


def test_read_rejects_non_utf8_and_missing_files(tmp_path: Path) -> None:
    """A Latin-1 file and a missing file give ScenarioError, not a raw decoding error."""
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(example_data()).replace("Amina", "Aïcha").encode("latin-1"))
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
    loaded = sc.from_dict(data)
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
    data = example_data()
    data["drivers"][0]["shift"] = {"start": "00:00", "end": "23:59"}
    data["requests"][0]["time"] = f"{hour:02d}:{minute:02d}"
    data["requests"] = data["requests"][:1]
    loaded = sc.from_dict(data)
    assert loaded.requests[0].time == dt.time(hour, minute)
    assert sc.to_dict(loaded)["requests"][0]["time"] == f"{hour:02d}:{minute:02d}"


@given(text=st.text(max_size=8))
def test_anything_but_hh_mm_is_not_a_time(text: str) -> None:
    """Times are exactly two-digit hours 00-23, a colon and two-digit minutes."""
    valid = len(text) == 5 and text[2] == ":" and text[:2].isascii() and text[3:].isascii()
    valid = valid and text[:2].isdigit() and text[3:].isdigit()
    valid = valid and int(text[:2]) < 24 and int(text[3:]) < 60
    data = example_data()
    data["requests"][0]["time"] = text
    data["requests"] = data["requests"][:1]
    if valid:
        assert sc.from_dict(data).requests[0].time.strftime("%H:%M") == text
    else:
        with pytest.raises(sc.ScenarioError, match=r"requests\[0\]\.time"):
            sc.from_dict(data)
