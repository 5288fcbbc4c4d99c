"""Road times from a routing engine: OSRM's ``/table`` and Valhalla's ``/sources_to_targets``.

Both engines sit behind one small interface, :class:`MatrixEngine`: ``table(sources,
destinations)`` sends ONE request of at most ``chunk_size`` x ``chunk_size`` places and
answers seconds and metres, NaN where the engine found no road. Everything else is shared:
:func:`engine_matrix` splits a matrix of any size into such requests and assembles them,
:func:`fill_unroutable` applies the one policy for pairs without a road, and
:class:`RoutingEngineProvider` makes an engine a :class:`geo.TravelTimeProvider`.

Unroutable pairs (an island, a place snapped onto a private road) are never taken as 0 s,
which would make the solver send a car there for free. The policy is: fail, naming the
engine, URL and pair, unless the caller gives a fallback provider (the CLI's
``--allow-unroutable``); then those pairs take the fallback's times (the travel model) and the
pairs are reported: listed in the matrix file's provenance, or logged by the live provider.

Requests are retried with exponential backoff on timeouts, connection errors, HTTP 429 and
5xx; a 4xx is the request's fault and is reported at once. HTTP is httpx's.

The response formats are the engines' documented ones:

* OSRM: https://github.com/Project-OSRM/osrm-backend/blob/master/docs/http.md#table-service
  (``code``, ``durations`` in s, ``distances`` in m, ``null`` where no route; errors as
  ``{"code": ..., "message": ...}`` with HTTP 400). osrm-routed refuses tables of more than
  ``--max-table-size`` squared cells (100 x 100 by default): hence the chunk size.
* Valhalla: https://valhalla.github.io/valhalla/api/matrix/api-reference/ (row-ordered
  ``sources_to_targets`` of ``{from_index, to_index, time, distance}``, time in s,
  distance in ``units``, kilometres by default, ``null`` where no route; errors as
  ``{"error_code", "error", "status_code", "status"}``; error 442 when no pair of the request
  has a route). Its ``max_matrix_location_pairs`` is 2,500 by default: hence 50 x 50.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

import httpx
import numpy as np

from geo.errors import RoutingEngineError, UnroutablePairError
from geo.points import Place, PointLike, as_points
from geo.providers import TravelMatrix, TravelTimeProvider

log = logging.getLogger(__name__)

#: What ``rural-cars geo matrix --engine`` accepts.
ENGINES = ("osrm", "valhalla")
#: Seconds to wait for one answer; a 100 x 100 table takes well under a second on a province.
DEFAULT_TIMEOUT_S = 60.0
#: Retries after the first attempt, on timeouts, connection errors, 429 and 5xx.
DEFAULT_RETRIES = 3
#: First wait between attempts, doubled each time.
DEFAULT_BACKOFF_S = 1.0

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class EngineTable:
    """An engine's answer for sources x destinations: float seconds and metres, NaN = no road.

    Attributes:
        time_s: S x D driving times in seconds.
        distance_m: S x D road distances in metres.
    """

    time_s: np.ndarray
    distance_m: np.ndarray

    @property
    def unroutable(self) -> np.ndarray:
        """Boolean mask of the pairs the engine found no road for."""
        return ~(np.isfinite(self.time_s) & np.isfinite(self.distance_m))


@runtime_checkable
class MatrixEngine(Protocol):
    """A routing engine that answers one chunk of a travel-time matrix per call."""

    @property
    def name(self) -> str:
        """The engine's name, e.g. ``"osrm"``, for messages and provenance."""
        ...

    @property
    def url(self) -> str:
        """Its base URL."""
        ...

    @property
    def profile(self) -> str:
        """The profile or costing asked for (``"driving"``, ``"auto"``)."""
        ...

    @property
    def chunk_size(self) -> int:
        """The most sources and the most destinations one request may carry."""
        ...

    def table(self, sources: Sequence[Place], destinations: Sequence[Place]) -> EngineTable:
        """Return times and distances from each source to each destination (one request)."""
        ...


def _span(places: Sequence[Place]) -> str:
    """Name a chunk's places in a message: one key, or the first and last."""
    if len(places) == 1:
        return places[0].key
    return f"{places[0].key}..{places[-1].key} ({len(places)} places)"


def _excerpt(response: httpx.Response) -> str:
    """Return the start of a response body for an error message."""
    text = " ".join(response.text.split())
    return text[:200] + ("..." if len(text) > 200 else "")


class HttpEngine:
    """What both engines share: the HTTP client, retries with backoff and error naming."""

    name: ClassVar[str] = ""
    default_profile: ClassVar[str] = ""
    default_chunk_size: ClassVar[int] = 50

    def __init__(
        self,
        url: str,
        *,
        profile: str | None = None,
        chunk_size: int | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retries: int = DEFAULT_RETRIES,
        backoff_s: float = DEFAULT_BACKOFF_S,
    ) -> None:
        """Check the settings and open a connection pool (closed by :meth:`close`).

        Args:
            url: the engine's base URL, e.g. ``http://localhost:5000``.
            profile: OSRM profile / Valhalla costing; the engine's car profile by default.
            chunk_size: most sources and most destinations per request (the engine's limit).
            timeout_s: seconds to wait for an answer before trying again.
            retries: attempts after the first, on timeouts, connection errors, 429 and 5xx.
            backoff_s: wait before the first retry, doubled before each next one.

        Raises:
            ValueError: a setting is out of range or the URL is not http(s).
        """
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"{self.name} URL must start with http:// or https://, got {url!r}")
        self.url = url.rstrip("/")
        self.profile = profile or self.default_profile
        self.chunk_size = self.default_chunk_size if chunk_size is None else chunk_size
        if self.chunk_size < 1 or retries < 0 or not timeout_s > 0 or backoff_s < 0:
            raise ValueError(
                f"chunk_size must be >= 1, retries >= 0, timeout_s > 0 and backoff_s >= 0; got "
                f"{self.chunk_size}, {retries}, {timeout_s} and {backoff_s}"
            )
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.requests = 0
        self._client = httpx.Client(timeout=timeout_s, headers={"User-Agent": "rural-cars"})

    def __repr__(self) -> str:
        """Show the engine and where it is."""
        return f"{type(self).__name__}({self.url!r}, profile={self.profile!r})"

    def __enter__(self) -> HttpEngine:
        """Use the engine in a ``with`` block that closes its connections."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the connections."""
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def table(self, sources: Sequence[Place], destinations: Sequence[Place]) -> EngineTable:
        """Return times and distances from each source to each destination (one request)."""
        raise NotImplementedError

    def error(self, problem: str, pair: tuple[str, str] | None = None) -> RoutingEngineError:
        """Build the error naming this engine, its URL and the pair."""
        return RoutingEngineError(self.name, self.url, problem, pair)

    def send(self, request: httpx.Request, pair: tuple[str, str]) -> httpx.Response:
        """Send a request, retrying on timeouts, connection errors, 429 and 5xx.

        Returns:
            The first response that is not a 429 or 5xx (a 4xx is returned for the engine
            to read its error body).

        Raises:
            RoutingEngineError: every attempt failed; names the last failure.
        """
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            self.requests += 1
            try:
                response = self._client.send(request)
            except httpx.TimeoutException:
                problem = f"no answer within {self.timeout_s:g} s"
            except httpx.TransportError as error:
                problem = f"connection failed ({type(error).__name__}: {error})"
            else:
                if response.status_code != 429 and response.status_code < 500:
                    return response
                problem = f"HTTP {response.status_code}: {_excerpt(response)}"
            log.warning("%s at %s, attempt %d: %s", self.name, self.url, attempt + 1, problem)
        raise self.error(f"{problem} (after {self.retries + 1} attempts)", pair)

    def json_of(self, response: httpx.Response, pair: tuple[str, str]) -> dict[str, Any]:
        """Read a JSON object body, or name the answer that is not one."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise self.error(
                f"HTTP {response.status_code} answer is not a JSON object: {_excerpt(response)}",
                pair,
            )
        return body

    def matrix_of(
        self,
        rows: object,
        shape: tuple[int, int],
        what: str,
        pair: tuple[str, str],
        scale: float = 1.0,
    ) -> np.ndarray:
        """Read a row-major list of lists of numbers or nulls (NaN) of the expected shape."""
        if (
            not isinstance(rows, list)
            or len(rows) != shape[0]
            or any(not isinstance(row, list) or len(row) != shape[1] for row in rows)
        ):
            raise self.error(f"answer's {what} is not a {shape[0]} x {shape[1]} table", pair)
        try:
            values = np.array(
                [[math.nan if v is None else float(v) * scale for v in row] for row in rows],
                dtype=np.float64,
            ).reshape(shape)
        except (TypeError, ValueError):
            raise self.error(f"answer's {what} holds something other than numbers", pair) from None
        if (values < 0).any() or np.isinf(values).any():
            raise self.error(f"answer's {what} holds negative or infinite values", pair)
        return values


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
        pair = (_span(sources), _span(destinations))
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
                "the answer has no distances: OSRM 5.x with annotations=duration,distance "
                "(the CH algorithm, osrm-contract) is needed",
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
            return f"{text} - distance tables need the CH algorithm (osrm-contract)"
        return text


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
        pair = (_span(sources), _span(destinations))
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


def make_engine(
    engine: str,
    url: str,
    *,
    profile: str | None = None,
    chunk_size: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
    backoff_s: float = DEFAULT_BACKOFF_S,
) -> HttpEngine:
    """Return the client for an engine by name (what the CLI and the settings give).

    Args:
        engine: ``"osrm"`` or ``"valhalla"``.
        url: the engine's base URL.
        profile: OSRM profile / Valhalla costing (``driving`` / ``auto`` by default).
        chunk_size: most sources and destinations per request (100 OSRM, 50 Valhalla).
        timeout_s: seconds to wait for one answer.
        retries: attempts after the first on timeouts, connection errors, 429 and 5xx.
        backoff_s: first wait between attempts, doubled each time.

    Returns:
        An :class:`OsrmEngine` or :class:`ValhallaEngine`; close it when done.

    Raises:
        ValueError: an unknown engine name or a setting out of range.
    """
    kinds: dict[str, type[HttpEngine]] = {"osrm": OsrmEngine, "valhalla": ValhallaEngine}
    if engine not in kinds:
        raise ValueError(f"unknown routing engine {engine!r}; use one of {', '.join(ENGINES)}")
    return kinds[engine](
        url,
        profile=profile,
        chunk_size=chunk_size,
        timeout_s=timeout_s,
        retries=retries,
        backoff_s=backoff_s,
    )


def _blocks(count: int, size: int) -> list[slice]:
    """Cut range(count) into consecutive slices of at most size."""
    return [slice(start, min(start + size, count)) for start in range(0, count, size)]


def iter_chunks(
    engine: MatrixEngine, origins: Sequence[Place], destinations: Sequence[Place]
) -> Iterator[tuple[slice, slice, EngineTable]]:
    """Ask the engine for origins x destinations, one chunk per request, as they come.

    Yields:
        ``(rows, cols, table)``: the slices of ``origins`` and ``destinations`` one request
        covered, and its answer. A caller can check or store each before the next is sent.

    Raises:
        RoutingEngineError: a request failed after its retries.
    """
    size = engine.chunk_size
    same = list(origins) == list(destinations)
    for rows in _blocks(len(origins), size):
        for cols in _blocks(len(destinations), size):
            sources = origins[rows]
            targets = sources if same and rows == cols else destinations[cols]
            yield rows, cols, engine.table(sources, targets)


def engine_matrix(
    engine: MatrixEngine,
    origins: Sequence[Place],
    destinations: Sequence[Place] | None = None,
    *,
    progress: Progress | None = None,
) -> EngineTable:
    """Return the engine's origins x destinations matrix, assembled from chunked requests.

    Args:
        engine: the routing engine client.
        origins: the row places.
        destinations: the column places; the origins when None.
        progress: called with the number of pairs each request answered.

    Returns:
        Seconds and metres (float, NaN where the engine found no road), rows in ``origins``
        order and columns in ``destinations`` order.

    Raises:
        RoutingEngineError: a request failed after its retries.
    """
    targets = origins if destinations is None else destinations
    shape = (len(origins), len(targets))
    time_s, distance_m = np.full(shape, np.nan), np.full(shape, np.nan)
    for rows, cols, chunk in iter_chunks(engine, origins, targets):
        time_s[rows, cols] = chunk.time_s
        distance_m[rows, cols] = chunk.distance_m
        if progress is not None:
            progress(chunk.time_s.size)
    return EngineTable(time_s, distance_m)


def fill_unroutable(
    engine: MatrixEngine,
    table: EngineTable,
    origins: Sequence[Place],
    destinations: Sequence[Place],
    fallback: TravelTimeProvider | None,
) -> tuple[EngineTable, tuple[tuple[str, str], ...]]:
    """Apply the unroutable policy: fail, or take the fallback's values and say which pairs.

    Args:
        engine: the engine that answered (named in the error).
        table: its origins x destinations answer.
        origins: the row places.
        destinations: the column places.
        fallback: the provider for pairs without a road (the travel model), or None to fail.

    Returns:
        The table with every pair finite, and the ``(from, to)`` keys of the pairs filled.

    Raises:
        UnroutablePairError: a pair has no road and there is no fallback; names the first
            such pair and how many there are.
    """
    missing = np.argwhere(table.unroutable)
    if not len(missing):
        return table, ()
    pairs = tuple((origins[i].key, destinations[j].key) for i, j in missing.tolist())
    if fallback is None:
        raise UnroutablePairError(
            engine.name,
            engine.url,
            f"no road found ({len(pairs)} of the {table.time_s.size} pairs asked have none); "
            "move the place onto a "
            "road, or allow unroutable pairs to estimate them with the travel model",
            pairs[0],
        )
    involved = sorted({i for i, _ in missing.tolist()}), sorted({j for _, j in missing.tolist()})
    points = [origins[i] for i in involved[0]] + [destinations[j] for j in involved[1]]
    estimate = fallback.matrix(points)
    row = {i: k for k, i in enumerate(involved[0])}
    col = {j: len(involved[0]) + k for k, j in enumerate(involved[1])}
    time_s, distance_m = table.time_s.copy(), table.distance_m.copy()
    for i, j in missing.tolist():
        time_s[i, j] = estimate.time_s[row[i], col[j]]
        distance_m[i, j] = estimate.distance_m[row[i], col[j]]
    return EngineTable(time_s, distance_m), pairs


def as_places(points: Sequence[PointLike]) -> tuple[Place, ...]:
    """Return points as Places: their key and name, or ``point N`` when they have none."""
    point_set = as_points(points)
    places = []
    for position, (point, key) in enumerate(zip(points, point_set.keys, strict=True)):
        label = key if key is not None else f"point {position}"
        places.append(
            Place(
                label,
                str(getattr(point, "name", label)),
                float(point_set.latitude[position]),
                float(point_set.longitude[position]),
            )
        )
    return tuple(places)


class RoutingEngineProvider:
    """Travel times asked live from a routing engine, for a deployment without a matrix file."""

    def __init__(self, engine: MatrixEngine, fallback: TravelTimeProvider | None = None) -> None:
        """Use ``engine`` for every matrix.

        Args:
            engine: an :class:`OsrmEngine`, :class:`ValhallaEngine` or any MatrixEngine.
            fallback: provider for pairs the engine finds no road for; None makes such a
                pair an :class:`UnroutablePairError` (see :func:`fill_unroutable`).
        """
        self.engine = engine
        self.fallback = fallback

    def __repr__(self) -> str:
        """Show the engine."""
        return f"RoutingEngineProvider({self.engine.name} at {self.engine.url})"

    def matrix(self, points: Sequence[PointLike]) -> TravelMatrix:
        """Return the engine's matrix between ``points`` (asked now, in chunks, not cached).

        Args:
            points: located objects (their ``key`` names them in errors) or (lat, lon) pairs.

        Returns:
            A :class:`TravelMatrix` of int64 arrays with a zero diagonal.

        Raises:
            RoutingEngineError: the engine failed after its retries.
            UnroutablePairError: a pair has no road and there is no fallback.
            InvalidPointError: a point's coordinates are missing or out of range.
        """
        places = as_places(points)
        table = engine_matrix(self.engine, places)
        table, estimated = fill_unroutable(self.engine, table, places, places, self.fallback)
        if estimated:
            log.warning(
                "%s at %s found no road for %d pair(s), first %s -> %s; estimated by %r",
                self.engine.name,
                self.engine.url,
                len(estimated),
                *estimated[0],
                self.fallback,
            )
        distance, seconds = table.distance_m.copy(), table.time_s.copy()
        np.fill_diagonal(distance, 0.0)
        np.fill_diagonal(seconds, 0.0)
        return TravelMatrix(np.rint(distance).astype(np.int64), np.rint(seconds).astype(np.int64))
