"""A local HTTP server that answers like Nominatim's /search, for the geocoder tests.

The answers follow Nominatim's documented formats
(https://nominatim.org/release-docs/latest/api/Search/ and .../api/Output/): ``format=json``
gives a JSON array of places, each with ``place_id``, ``licence``, ``osm_type``, ``osm_id``,
``lat`` and ``lon`` as strings, ``class``, ``type``, ``place_rank``, ``importance``,
``addresstype``, ``name``, ``display_name`` and ``boundingbox`` (four strings: south, north,
west, east); nothing found is an empty array ``[]``. Errors are an HTTP status with a body:
400 with ``{"error": {"code": 400, "message": ...}}`` for a bad query, 403 for a request
without an identifying User-Agent (the usage policy,
https://operations.osmfoundation.org/policies/nominatim/), 429 past the rate limit and 503
when overloaded.

The server knows a few addresses; a query matches one when it contains its key (lower case).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.local_http import QuietHandler, running

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"


@dataclass(frozen=True)
class KnownPlace:
    """An address the fake server finds: its point and full name."""

    latitude: float
    longitude: float
    display_name: str


@dataclass
class FakeNominatim:
    """What the server answers; tests change the fields to script failures."""

    places: dict[str, KnownPlace] = field(default_factory=dict)
    status: int = 200  # anything else: answer that HTTP status (Nominatim's error body)
    sleep_s: float = 0.0  # wait this long before answering (a timeout test)
    seen: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, query: dict[str, list[str]], agent: str) -> tuple[int, Any]:
        """Return (status, JSON body) for one request."""
        with self.lock:
            self.seen.append({"path": path, "query": query, "user_agent": agent})
        if self.sleep_s:
            time.sleep(self.sleep_s)
        if self.status != 200:
            return self.status, {"error": {"code": self.status, "message": "Scripted failure"}}
        if path != "/search":
            return 404, {"error": {"code": 404, "message": "Unknown endpoint"}}
        if not agent or agent.startswith("python-requests"):
            return 403, {"error": {"code": 403, "message": "Access blocked (no User-Agent)"}}
        text = (query.get("q") or [""])[0]
        if not text.strip():
            return 400, {"error": {"code": 400, "message": "Nothing to search for."}}
        if (query.get("format") or [""])[0] not in ("json", "jsonv2"):
            return 400, {"error": {"code": 400, "message": "Parameter 'format' must be json."}}
        limit = int((query.get("limit") or ["10"])[0])
        found = [place for key, place in self.places.items() if key in text.lower()]
        return 200, [_place(number, place) for number, place in enumerate(found[:limit])]


def _place(number: int, place: KnownPlace) -> dict[str, Any]:
    """One result as Nominatim's format=json writes it (numbers as strings where it does)."""
    lat, lon = place.latitude, place.longitude
    return {
        "place_id": 100_000 + number,
        "licence": LICENCE,
        "osm_type": "node",
        "osm_id": 2_000_000 + number,
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": "amenity",
        "type": "clinic",
        "place_rank": 30,
        "importance": 0.3,
        "addresstype": "amenity",
        "name": place.display_name.split(",")[0],
        "display_name": place.display_name,
        "boundingbox": [f"{v:.7f}" for v in (lat - 1e-4, lat + 1e-4, lon - 1e-4, lon + 1e-4)],
    }


class _Handler(QuietHandler):
    """Hands every request to the server's FakeNominatim."""

    server: _Server

    def do_GET(self) -> None:
        """Answer a search."""
        split = urlsplit(self.path)
        status, body = self.server.nominatim.answer(
            split.path, parse_qs(split.query), self.headers.get("User-Agent", "")
        )
        payload = json.dumps(body).encode()
        self.reply(status, payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    nominatim: FakeNominatim


@dataclass
class Running:
    """A started fake Nominatim: its URL and its script."""

    url: str
    nominatim: FakeNominatim


def serve(nominatim: FakeNominatim) -> Iterator[Running]:
    """Run the fake Nominatim on a free local port until the generator is closed."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.nominatim = nominatim
    with running(server) as url:
        yield Running(f"{url}", nominatim)
