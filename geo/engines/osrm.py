"""OSRM's table service (``GET /table/v1/{profile}/{coordinates}``) as a :class:`MatrixEngine`.

Format: https://github.com/Project-OSRM/osrm-backend/blob/master/docs/http.md#table-service
(``code``, ``durations`` in s, ``distances`` in m, ``null`` where no route; errors as
``{"code": ..., "message": ...}`` with HTTP 400). osrm-routed refuses tables of more than
``--max-table-size`` squared cells (100 x 100 by default): hence the chunk size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from geo.engines.http import EngineTable, HttpEngine, chunk_span
from geo.points import Place


def _coordinates(places: Sequence[Place]) -> str:
    """Format places as OSRM's ``lon,lat;lon,lat`` path segment."""
    return ";".join(f"{place.longitude:.6f},{place.latitude:.6f}" for place in places)


class OsrmEngine(HttpEngine):
    """OSRM's table service: ``GET /table/v1/{profile}/{coordinates}``."""

    name = "osrm"
    default_profile = "driving"
    default_chunk_size = 100

    def table(self, sources: Sequence[Place], destinations: Sequence[Place]) -> EngineTable:
        """Return times and distances from each source to each destination (one request).

        Args:
            sources: at most ``chunk_size`` places.
            destinations: at most ``chunk_size`` places; the same list as ``sources`` sends
                each coordinate once.

        Returns:
            S x D seconds and metres, NaN where OSRM found no route.

        Raises:
            RoutingEngineError: OSRM could not be reached or refused the request (a place
                far from any road, a table too big for ``--max-table-size``...).
        """
        pair = (chunk_span(sources), chunk_span(destinations))
        same = list(sources) == list(destinations)
        places = list(sources) if same else [*sources, *destinations]
        params = {"annotations": "duration,distance"}
        if not same:
            params["sources"] = ";".join(str(i) for i in range(len(sources)))
            params["destinations"] = ";".join(str(i) for i in range(len(sources), len(places)))
        request = self._client.build_request(
            "GET", f"{self.url}/table/v1/{self.profile}/{_coordinates(places)}", params=params
        )
        response = self.send(request, pair)
        body = self.json_of(response, pair)
        code = body.get("code")
        shape = (len(sources), len(destinations))
        if code == "NoTable":
            return EngineTable(np.full(shape, np.nan), np.full(shape, np.nan))
        if response.status_code != 200 or code != "Ok":
            raise self.error(f"HTTP {response.status_code}, {self._explain(body, places)}", pair)
        if body.get("distances") is None:
            raise self.error(
                "the answer has no distances: annotations=duration,distance needs OSRM 5.18 "
                "or later (before it, the CH algorithm: osrm-contract)",
                pair,
            )
        return EngineTable(
            self.matrix_of(body.get("durations"), shape, "durations", pair),
            self.matrix_of(body.get("distances"), shape, "distances", pair),
        )

    @staticmethod
    def _explain(body: dict[str, Any], places: Sequence[Place]) -> str:
        """Turn an OSRM error body into a message that says what to do."""
        code, message = body.get("code"), body.get("message", "")
        text = ": ".join(str(part) for part in (code, message) if part) or "no code nor message"
        if code == "NoSegment":
            match = re.search(r"coordinate (\d+)", str(message))
            if match and int(match.group(1)) < len(places):
                place = places[int(match.group(1))]
                return (
                    f"{text} - {place.name} ({place.key}, {place.latitude:.6f}, "
                    f"{place.longitude:.6f}) is not near any road of the engine's map"
                )
        if code == "TooBig":
            return f"{text} - lower --chunk-size or raise osrm-routed --max-table-size"
        if code == "NotImplemented":
            return (
                f"{text} - distance tables need OSRM 5.18 or later with MLD "
                "(before it, the CH algorithm: osrm-contract)"
            )
        return text
