"""``python -m tests.geo.truth_server``: the hidden roads served as OSRM, for the benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo.engines import make_engine
from geo.gazetteer import municipality
from geo.points import Place
from tests.geo import drives

ROOT = Path(__file__).resolve().parents[2]


def test_the_truth_server_keeps_answering_with_the_hidden_roads() -> None:
    """Started as a module it prints its URL and answers /table with the true times (it once
    stopped as soon as it had printed its URL)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.geo.truth_server"], cwd=ROOT, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        a, b = municipality("19130"), municipality("19257")
        places = [Place(t.ine_code, t.name, t.latitude, t.longitude) for t in (a, b)]
        with make_engine("osrm", url, retries=0) as engine:
            answer = engine.table(places, places)
        seconds, metres = drives.true_leg(a, b, drives.by_area)
        assert answer.time_s[0, 1] == pytest.approx(seconds, abs=0.1)
        assert answer.distance_m[1, 0] == pytest.approx(metres, abs=0.1)
    finally:
        process.terminate()
        process.communicate(timeout=10)
