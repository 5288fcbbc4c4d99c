"""The calibration test's hidden road network served as OSRM's /table, for benchmarks.

``python -m tests.geo.truth_server`` answers like osrm-routed (the format of
``tests.geo.engine_server``) with the "true" times and distances of ``tests.geo.drives`` by
area (slower in the Sierra and Molina, faster on the A-2, each village's access road and each
pair's detour), so ``rural-cars geo matrix --engine osrm`` writes a matrix file that differs
from the travel model as real roads would, and nobody tuned the model to it.
"""

from __future__ import annotations

import functools
import time

from geo.gazetteer import Municipality, gazetteer
from tests.geo import drives
from tests.geo.engine_server import FakeEngine, serve


@functools.cache
def _towns() -> dict[tuple[float, float], Municipality]:
    """The municipalities by their point to 4 decimals (the URL carries fewer digits)."""
    return {_key(town.latitude, town.longitude): town for town in gazetteer()}


def _key(lat: float, lon: float) -> tuple[float, float]:
    return round(lat, 4), round(lon, 4)


@functools.cache
def _terrain(town: Municipality) -> float:
    """The area's factor of a town (read once: it measures distances to every area's seeds)."""
    return drives.by_area(town)


class TruthEngine(FakeEngine):
    """An OSRM whose roads are the hidden truth between municipalities."""

    def cell(self, a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float] | None:
        """Return (seconds, metres) of the true road; 0 from a place to itself."""
        if a == b:
            return 0.0, 0.0
        seconds, metres = drives.true_leg(_towns()[_key(*a)], _towns()[_key(*b)], _terrain)
        return round(seconds, 1), round(metres, 1)


def main() -> None:
    """Serve on a free local port until the process is stopped; first prints the URL."""
    server = serve(TruthEngine("osrm", max_table_size=300))  # held: closing it stops the server
    print(next(server).url, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        server.close()


if __name__ == "__main__":
    main()
