"""A small hand-written scenario in the file format, for the scenario file tests."""

from __future__ import annotations

from typing import Any


def example_data() -> dict[str, Any]:
    """The example of the format's documentation, plus the outward trip's return.
    (A data literal: long because it is the whole example file.)
    """
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
