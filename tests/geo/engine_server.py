"""A local HTTP server that answers like OSRM's /table and Valhalla's /sources_to_targets.

The answers follow the engines' documented formats:

* OSRM table service: https://github.com/Project-OSRM/osrm-backend/blob/master/docs/http.md
  (section "Table service": ``code``, ``durations`` [s], ``distances`` [m], ``sources`` and
  ``destinations`` waypoints, ``null`` for a pair without a route; errors are HTTP 400 with
  ``{"code", "message"}``; osrm-routed answers ``TooBig`` past ``--max-table-size``).
* Valhalla matrix service: https://valhalla.github.io/valhalla/api/matrix/api-reference/
  (row-ordered ``sources_to_targets`` of ``{from_index, to_index, time, distance}``, distance
  in ``units`` = kilometers, ``null`` time and distance without a route, as written by
  valhalla/src/tyr/matrix_serializer.cc; errors are ``{"error_code", "error", "status_code",
  "status"}``, 442 "No path could be found for input" when no pair has a route).

The server's "road network" is the geodesic distance x 1.35 at 70 km/h, so a test can
compute what the client must assemble; places listed in ``islands`` have no road to or from
anywhere else.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from geo.distance import geodesic_m
from tests.local_http import QuietHandler, running

CIRCUITY = 1.35
SPEED_MPS = 70 / 3.6


def road(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Return (seconds, metres) of the fake road network between two (lat, lon) points."""
    metres = geodesic_m(a, b) * CIRCUITY
    return round(metres / SPEED_MPS, 1), round(metres, 1)


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


@dataclass
class FakeEngine:
    """What the server answers; tests change the fields to script failures."""

    kind: str  # "osrm" or "valhalla"
    islands: set[tuple[float, float]] = field(default_factory=set)
    slow_requests: int = 0  # the first N requests sleep `sleep_s` before answering
    sleep_s: float = 0.0
    failing_requests: int = 0  # the first N requests answer 503 with an HTML page
    canned: tuple[int, dict[str, Any]] | None = None  # always answer this
    max_table_size: int = 100  # OSRM: refuse more than this squared cells
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, seen: Seen) -> tuple[int, bytes, str]:
        """Return (status, body, content type) for one request."""
        with self.lock:
            self.seen.append(seen)
            number = len(self.seen)
        if number <= self.slow_requests:
            time.sleep(self.sleep_s)
        if number <= self.failing_requests:
            return 503, b"<html><body>503 Service Unavailable</body></html>", "text/html"
        if self.canned is not None:
            return self.canned[0], json.dumps(self.canned[1]).encode(), "application/json"
        status, body = self.osrm(seen) if self.kind == "osrm" else self.valhalla(seen)
        return status, json.dumps(body).encode(), "application/json"

    def cell(self, a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float] | None:
        """Return (seconds, metres) between two points, or None when one is an island."""
        if a != b and (a in self.islands or b in self.islands):
            return None
        return road(a, b)

    def osrm(self, seen: Seen) -> tuple[int, dict[str, Any]]:
        """Answer GET /table/v1/{profile}/{lon,lat;...} as osrm-routed does."""
        parts = seen.path.split("/")
        if len(parts) != 5 or parts[1:3] != ["table", "v1"]:
            return 400, {"code": "InvalidUrl", "message": f"URL string malformed: {seen.path}"}
        points = [
            (float(lat), float(lon))
            for lon, lat in (pair.split(",") for pair in parts[4].split(";"))
        ]

        def indices(name: str) -> list[int]:
            given = seen.query.get(name)
            return [int(i) for i in given[0].split(";")] if given else list(range(len(points)))

        sources, destinations = indices("sources"), indices("destinations")
        if len(sources) * len(destinations) > self.max_table_size**2:
            return 400, {"code": "TooBig", "message": "Too many table coordinates"}
        cells = [[self.cell(points[i], points[j]) for j in destinations] for i in sources]

        def waypoint(i: int) -> dict[str, Any]:
            lat, lon = points[i]
            return {"hint": "", "distance": 0.0, "name": "", "location": [lon, lat]}

        return 200, {
            "code": "Ok",
            "durations": [[c[0] if c else None for c in row] for row in cells],
            "distances": [[c[1] if c else None for c in row] for row in cells],
            "sources": [waypoint(i) for i in sources],
            "destinations": [waypoint(j) for j in destinations],
        }

    def valhalla(self, seen: Seen) -> tuple[int, dict[str, Any]]:
        """Answer POST /sources_to_targets as Valhalla does (verbose, kilometres)."""
        if seen.path != "/sources_to_targets" or seen.method != "POST":
            return 404, {"error_code": 106, "error": "Try any of: '/sources_to_targets'"}
        request = seen.body
        sources = [(p["lat"], p["lon"]) for p in request["sources"]]
        targets = [(p["lat"], p["lon"]) for p in request["targets"]]
        rows, found = [], False
        for i, a in enumerate(sources):
            row = []
            for j, b in enumerate(targets):
                cell = self.cell(a, b)
                found = found or cell is not None
                row.append(
                    {
                        "from_index": i,
                        "to_index": j,
                        "time": None if cell is None else round(cell[0]),
                        "distance": None if cell is None else round(cell[1] / 1000, 3),
                    }
                )
            rows.append(row)
        if not found:
            return 400, NO_PATH
        locations = [{"lat": lat, "lon": lon} for lat, lon in sources]
        targets_out = [{"lat": lat, "lon": lon} for lat, lon in targets]
        return 200, {
            "sources_to_targets": rows,
            "targets": targets_out,
            "sources": locations,
            "units": "kilometers",
            "algorithm": "costmatrix",
        }


NO_PATH = {
    "error_code": 442,
    "error": "No path could be found for input",
    "status_code": 400,
    "status": "Bad Request",
}


class _Handler(QuietHandler):
    """Hands every request to the server's FakeEngine."""

    server: _Server

    def _serve(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        status, payload, content_type = self.server.engine.answer(
            Seen(self.command, split.path, parse_qs(split.query), body)
        )
        self.reply(status, payload, content_type)

    def do_GET(self) -> None:
        """Answer a GET (OSRM)."""
        self._serve()

    def do_POST(self) -> None:
        """Answer a POST (Valhalla)."""
        self._serve()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    engine: FakeEngine


@dataclass
class Running:
    """A started fake engine: its URL and its script."""

    url: str
    engine: FakeEngine


def serve(engine: FakeEngine) -> Generator[Running, None, None]:
    """Run the fake engine on a free local port until the generator is closed."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.engine = engine
    with running(server) as url:
        yield Running(f"{url}", engine)
