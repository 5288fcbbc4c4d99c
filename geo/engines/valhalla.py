"""Valhalla's matrix service (``POST /sources_to_targets``) as a :class:`MatrixEngine`.

Format: https://valhalla.github.io/valhalla/api/matrix/api-reference/ (row-ordered
``sources_to_targets`` of ``{from_index, to_index, time, distance}``, time in s, distance in
``units``, kilometres by default, ``null`` where no route; errors as ``{"error_code", "error",
"status_code", "status"}``; error 442 when no pair of the request has a route). Its
``max_matrix_location_pairs`` is 2,500 by default: hence 50 x 50.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from geo.engines.http import EngineTable, HttpEngine, chunk_span
from geo.points import Place


class ValhallaEngine(HttpEngine):
    """Valhalla's matrix service: ``POST /sources_to_targets`` with a JSON body."""

    name = "valhalla"
    default_profile = "auto"
    default_chunk_size = 50
    #: Metres per unit of the ``units`` Valhalla answers in.
    UNITS: ClassVar[dict[str, float]] = {
        "kilometers": 1000.0,
        "km": 1000.0,
        "miles": 1609.344,
        "mi": 1609.344,
    }
    NO_PATH = 442

    def table(self, sources: Sequence[Place], destinations: Sequence[Place]) -> EngineTable:
        """Return times and distances from each source to each destination (one request).

        Args:
            sources: at most ``chunk_size`` places.
            destinations: at most ``chunk_size`` places.

        Returns:
            S x D seconds and metres, NaN where Valhalla found no route (also for a whole
            request it answers with error 442, no path for any pair).

        Raises:
            RoutingEngineError: Valhalla could not be reached or refused the request (a place
                far from any road, too many locations for ``max_matrix_location_pairs``...).
        """
        pair = (chunk_span(sources), chunk_span(destinations))
        body = {
            "sources": [{"lat": p.latitude, "lon": p.longitude} for p in sources],
            "targets": [{"lat": p.latitude, "lon": p.longitude} for p in destinations],
            "costing": self.profile,
        }
        request = self._client.build_request("POST", f"{self.url}/sources_to_targets", json=body)
        response = self.send(request, pair)
        answer = self.json_of(response, pair)
        shape = (len(sources), len(destinations))
        if response.status_code != 200 or "error_code" in answer:
            if answer.get("error_code") == self.NO_PATH:
                return EngineTable(np.full(shape, np.nan), np.full(shape, np.nan))
            code, message = answer.get("error_code"), answer.get("error", "")
            hint = ""
            if code == 171:
                hint = " - a place of this chunk is not near any road of the engine's map"
            elif code == 150:  # "Exceeded max locations" (max_matrix_location_pairs)
                hint = " - lower --chunk-size or raise service_limits in valhalla.json"
            elif code == 154:  # "Path distance exceeds the max distance limit"
                hint = " - raise service_limits.<costing>.max_matrix_distance in valhalla.json"
            raise self.error(f"HTTP {response.status_code}, error {code}: {message}{hint}", pair)
        units = str(answer.get("units", "kilometers"))
        if units not in self.UNITS:
            raise self.error(f"answer in unknown units {units!r}", pair)
        return self._cells(answer.get("sources_to_targets"), shape, self.UNITS[units], pair)

    def _cells(
        self, matrix: object, shape: tuple[int, int], scale: float, pair: tuple[str, str]
    ) -> EngineTable:
        """Read either documented shape of ``sources_to_targets`` into arrays."""
        if isinstance(matrix, dict):  # verbose=false: {"durations": [[]], "distances": [[]]}
            return EngineTable(
                self.matrix_of(matrix.get("durations"), shape, "durations", pair),
                self.matrix_of(matrix.get("distances"), shape, "distances", pair, scale),
            )
        if not isinstance(matrix, list):
            raise self.error("the answer has no sources_to_targets", pair)
        cells = [cell for row in matrix for cell in (row if isinstance(row, list) else [row])]
        time_s, distance_m = np.full(shape, np.nan), np.full(shape, np.nan)
        seen = np.zeros(shape, dtype=bool)
        for position, cell in enumerate(cells):
            if not isinstance(cell, dict):
                raise self.error(f"sources_to_targets[{position}] is not an object", pair)
            i = cell.get("from_index", position // shape[1])
            j = cell.get("to_index", position % shape[1])
            if not (isinstance(i, int) and isinstance(j, int)) or not (
                0 <= i < shape[0] and 0 <= j < shape[1]
            ):
                raise self.error(f"sources_to_targets[{position}] has bad indices", pair)
            seen[i, j] = True
            seconds, distance = cell.get("time"), cell.get("distance")
            if seconds is None or distance is None:
                continue  # no route: stays NaN
            time_s[i, j], distance_m[i, j] = float(seconds), float(distance) * scale
        if not seen.all():
            raise self.error(
                f"sources_to_targets misses {int((~seen).sum())} of {seen.size} pairs", pair
            )
        if (time_s < 0).any() or (distance_m < 0).any():
            raise self.error("sources_to_targets holds negative values", pair)
        return EngineTable(time_s, distance_m)
