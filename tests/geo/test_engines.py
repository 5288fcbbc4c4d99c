"""Routing-engine clients against a local server answering in each engine's documented format."""

from __future__ import annotations

import math
import socket
from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.engines import make_engine
from geo.engines.http import EngineTable, HttpEngine
from geo.engines.matrix import RoutingEngineProvider, engine_matrix, fill_unroutable
from geo.errors import RoutingEngineError, UnroutablePairError
from geo.gazetteer import gazetteer, municipality
from geo.points import Place
from geo.providers import ModelProvider, travel_matrix
from tests.geo.engine_server import NO_PATH, FakeEngine, Running, road, serve

KINDS = ["osrm", "valhalla"]


def places(count: int) -> list[Place]:
    """The first `count` municipalities as Places."""
    return [Place(m.key, m.name, m.latitude, m.longitude) for m in gazetteer()[:count]]


def point(place: Place) -> tuple[float, float]:
    """A place's (lat, lon) as the server sees it."""
    return (place.latitude, place.longitude)


@pytest.fixture(params=KINDS)
def server(request: pytest.FixtureRequest) -> Iterator[Running]:
    """A fake OSRM or Valhalla server, started for the test."""
    yield from serve(FakeEngine(request.param))


def client(running: Running, **options: object) -> HttpEngine:
    """A client of the running fake engine, retrying fast."""
    options = {"backoff_s": 0.01, **options}
    return make_engine(running.engine.kind, running.url, **options)  # type: ignore[arg-type]


def expected(origins: Sequence[Place], destinations: Sequence[Place]) -> np.ndarray:
    """Seconds of the fake road network, as the engines round them."""
    return np.array([[road(point(a), point(b))[0] for b in destinations] for a in origins])


# The example response of OSRM's table service documentation, hints and names left out:
# https://github.com/Project-OSRM/osrm-backend/blob/master/docs/http.md#table-service
OSRM_DOC_EXAMPLE = {
    "sources": [
        {"location": [13.3888, 52.517033], "name": "Friedrichstraße"},
        {"location": [13.397631, 52.529432], "name": "Torstraße"},
        {"location": [13.428554, 52.523239], "name": "Platz der Vereinten Nationen"},
    ],
    "durations": [[0, 192.6, 382.8], [199, 0, 283.9], [344.7, 222.3, 0]],
    "destinations": [
        {"location": [13.3888, 52.517033], "name": "Friedrichstraße"},
        {"location": [13.397631, 52.529432], "name": "Torstraße"},
        {"location": [13.428554, 52.523239], "name": "Platz der Vereinten Nationen"},
    ],
    "code": "Ok",
    "distances": [[0, 1886.89, 3791.3], [1824, 0, 2838.09], [3275.36, 2361.73, 0]],
}

BERLIN = [
    Place("a", "Friedrichstraße", 52.517037, 13.388860),
    Place("b", "Torstraße", 52.529407, 13.397634),
    Place("c", "Platz der Vereinten Nationen", 52.523219, 13.428555),
]


def test_osrm_reads_the_documented_example_response() -> None:
    """The OSRM client reads the table example of OSRM's documentation as it is."""
    for running in serve(FakeEngine("osrm", canned=(200, OSRM_DOC_EXAMPLE))):
        with client(running) as osrm:
            table = osrm.table(BERLIN, BERLIN)
        assert table.time_s.tolist() == OSRM_DOC_EXAMPLE["durations"]
        assert table.distance_m.tolist() == OSRM_DOC_EXAMPLE["distances"]
        (seen,) = running.engine.seen
        assert seen.path == (
            "/table/v1/driving/13.388860,52.517037;13.397634,52.529407;13.428555,52.523219"
        )
        assert seen.query == {"annotations": ["duration,distance"]}


# Valhalla's matrix documentation lists the fields without a full example; this one is built
# from its field table and src/tyr/matrix_serializer.cc (verbose rows, km, null = no route):
# https://valhalla.github.io/valhalla/api/matrix/api-reference/#outputs-of-the-matrix-service
VALHALLA_DOC_EXAMPLE = {
    "sources_to_targets": [
        [
            {"distance": 0.0, "time": 0, "to_index": 0, "from_index": 0},
            {"distance": 1.851, "time": 180, "to_index": 1, "from_index": 0},
            {"distance": None, "time": None, "to_index": 2, "from_index": 0},
        ],
        [
            {"distance": 1.79, "time": 175, "to_index": 0, "from_index": 1},
            {"distance": 0.0, "time": 0, "to_index": 1, "from_index": 1},
            {"distance": 2.5, "time": 260, "to_index": 2, "from_index": 1},
        ],
    ],
    "units": "kilometers",
}


def test_valhalla_reads_the_documented_response_format() -> None:
    """Valhalla's rows of {from_index, to_index, time, distance km} become seconds and metres."""
    for running in serve(FakeEngine("valhalla", canned=(200, VALHALLA_DOC_EXAMPLE))):
        with client(running) as valhalla:
            table = valhalla.table(BERLIN[:2], BERLIN)
        assert table.distance_m[0, 1] == pytest.approx(1851.0)
        assert table.time_s[1].tolist() == [175, 0, 260]
        assert table.unroutable.tolist() == [[False, False, True], [False, False, False]]
        (seen,) = running.engine.seen
        assert seen.method == "POST"
        assert seen.path == "/sources_to_targets"
        assert seen.body["costing"] == "auto"
        assert seen.body["sources"][1] == {"lat": 52.529407, "lon": 13.397634}


def test_a_matrix_larger_than_a_chunk_is_assembled_from_chunked_requests(server: Running) -> None:
    """7 x 7 places with chunks of 3 take 3 x 3 requests and match the server cell by cell."""
    chosen = places(7)
    done: list[int] = []
    with client(server, chunk_size=3) as engine:
        table = engine_matrix(engine, chosen, progress=done.append)
    assert len(server.engine.seen) == 9
    assert sum(done) == 49
    tolerance = 0.5 if server.engine.kind == "valhalla" else 1e-9  # Valhalla answers whole s
    assert np.allclose(table.time_s, expected(chosen, chosen), atol=tolerance)
    assert np.all(np.diag(table.time_s) == 0)


def test_osrm_sends_each_coordinate_once_on_the_diagonal_and_indexes_other_chunks() -> None:
    """A diagonal chunk sends its places once; an off-diagonal one sends sources then targets."""
    for running in serve(FakeEngine("osrm")):
        with client(running, chunk_size=2) as osrm:
            engine_matrix(osrm, places(3))
        first, second = running.engine.seen[:2]
        assert "sources" not in first.query
        assert len(first.path.split("/")[-1].split(";")) == 2
        assert second.query["sources"] == ["0;1"]
        assert second.query["destinations"] == ["2"]


def test_osrm_refuses_a_chunk_past_its_table_size() -> None:
    """A chunk over osrm-routed's --max-table-size is named with what to change."""
    for running in serve(FakeEngine("osrm", max_table_size=2)):
        with client(running, chunk_size=3) as osrm, pytest.raises(RoutingEngineError) as caught:
            engine_matrix(osrm, places(3))
        assert "TooBig" in str(caught.value)
        assert "--chunk-size" in str(caught.value)


def test_unroutable_pairs_are_nan_and_an_error_naming_engine_url_and_pair(server: Running) -> None:
    """A place without roads gives null cells: NaN, then an error naming the pair, never 0 s."""
    chosen = places(4)
    server.engine.islands.add(point(chosen[2]))
    with client(server) as engine:
        table = engine_matrix(engine, chosen)
        assert table.unroutable.sum() == 6  # to and from the island, not to itself
        with pytest.raises(UnroutablePairError) as caught:
            fill_unroutable(engine, table, chosen, chosen, fallback=None)
    error = caught.value
    assert (error.engine, error.url) == (server.engine.kind, server.url)
    assert error.pair == (chosen[0].key, chosen[2].key)
    assert server.url in str(error)
    assert f"{chosen[0].key} -> {chosen[2].key}" in str(error)
    assert "6 of the 16 pairs asked have none" in str(error)


def test_allowed_unroutable_pairs_take_the_model_and_are_listed(server: Running) -> None:
    """With a fallback the unroutable pairs get the travel model's values and are reported."""
    chosen = places(3)
    server.engine.islands.add(point(chosen[1]))
    with client(server) as engine:
        table = engine_matrix(engine, chosen)
        filled, estimated = fill_unroutable(engine, table, chosen, chosen, ModelProvider())
    model = ModelProvider().matrix(chosen)
    a, b, c = (place.key for place in chosen)
    assert set(estimated) == {(a, b), (b, a), (b, c), (c, b)}
    assert filled.time_s[0, 1] == model.time_s[0, 1]
    assert filled.distance_m[1, 2] == model.distance_m[1, 2]
    assert not filled.unroutable.any()
    assert filled.time_s[0, 2] == table.time_s[0, 2]


def test_valhalla_no_path_for_a_whole_chunk_is_unroutable_not_a_failure() -> None:
    """Valhalla answers error 442 when no pair of a request has a road: all NaN, no retry."""
    chosen = places(2)
    for running in serve(FakeEngine("valhalla", islands={point(chosen[0])})):
        with client(running, chunk_size=1) as valhalla:
            table = engine_matrix(valhalla, chosen)
        assert table.unroutable.tolist() == [[False, True], [True, False]]
        assert len(running.engine.seen) == 4
    for running in serve(FakeEngine("valhalla", canned=(400, NO_PATH))):
        with client(running) as valhalla:
            assert valhalla.table(chosen, chosen).unroutable.all()


ERRORS = [
    (
        "osrm",
        400,
        {"code": "NoSegment", "message": "Could not find a matching segment for coordinate 1"},
        "NoSegment: Could not find a matching segment for coordinate 1 - Ablanque (19002, ",
    ),
    (
        "osrm",
        400,
        {"code": "InvalidQuery", "message": "Query string malformed close to position 28"},
        "InvalidQuery: Query string malformed",
    ),
    (
        "valhalla",
        400,
        {
            "error_code": 171,
            "error": "No suitable edges near location",
            "status_code": 400,
            "status": "Bad Request",
        },
        "HTTP 400, error 171: No suitable edges near location - a place of this chunk",
    ),
    ("osrm", 404, {"message": "not here"}, "HTTP 404"),
]


@pytest.mark.parametrize(("kind", "status", "body", "message"), ERRORS)
def test_error_answers_are_named_and_not_retried(
    kind: str, status: int, body: dict[str, object], message: str
) -> None:
    """A 4xx error body becomes one RoutingEngineError with the engine's words, after 1 try."""
    for running in serve(FakeEngine(kind, canned=(status, body))):
        with client(running) as engine, pytest.raises(RoutingEngineError) as caught:
            engine_matrix(engine, places(2))
        assert message in str(caught.value)
        assert str(caught.value).startswith(f"{kind} at {running.url} for 19001..19002")
        assert len(running.engine.seen) == 1


def test_server_errors_are_retried_until_an_answer(server: Running) -> None:
    """Two 503 pages then a good answer: the client retries and succeeds on the third try."""
    server.engine.failing_requests = 2
    with client(server, retries=3) as engine:
        table = engine_matrix(engine, places(2))
    assert len(server.engine.seen) == 3
    assert not table.unroutable.any()


def test_server_errors_past_the_retries_name_the_last_failure(server: Running) -> None:
    """A server that keeps answering 503 fails after 1 + retries attempts, saying so."""
    server.engine.failing_requests = 100
    with client(server, retries=2) as engine, pytest.raises(RoutingEngineError) as caught:
        engine_matrix(engine, places(2))
    assert "HTTP 503: <html><body>503 Service Unavailable" in str(caught.value)
    assert "(after 3 attempts)" in str(caught.value)
    assert len(server.engine.seen) == 3


def test_a_timeout_is_retried_and_the_retry_succeeds(server: Running) -> None:
    """The server sleeps past the client's timeout once; the retry gets the answer."""
    server.engine.slow_requests, server.engine.sleep_s = 1, 1.0
    with client(server, timeout_s=0.3, retries=2) as engine:
        table = engine_matrix(engine, places(3))
    assert len(server.engine.seen) == 2
    assert np.allclose(table.time_s, expected(places(3), places(3)), atol=0.5)


def test_timeouts_on_every_attempt_fail_naming_the_timeout(server: Running) -> None:
    """A server slower than the timeout on every attempt ends in an error naming the wait."""
    server.engine.slow_requests, server.engine.sleep_s = 100, 0.6
    with client(server, timeout_s=0.2, retries=1) as engine, pytest.raises(RoutingEngineError) as e:
        engine.table(places(2), places(2))
    assert "no answer within 0.2 s (after 2 attempts)" in str(e.value)
    assert len(server.engine.seen) == 2


def test_a_server_that_is_not_there_is_a_connection_error() -> None:
    """Nothing listening on the port: retried, then named as a connection failure."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = make_engine("osrm", f"http://127.0.0.1:{port}", retries=1, backoff_s=0.01)
    with engine, pytest.raises(RoutingEngineError, match=r"connection failed \(ConnectError"):
        engine.table(places(2), places(2))
    assert engine.requests == 2


def test_answers_of_the_wrong_shape_are_refused() -> None:
    """An 'Ok' OSRM answer whose table does not fit the request is an error, not a guess."""
    body = {"code": "Ok", "durations": [[0, 1]], "distances": [[0, 1]]}
    for running in serve(FakeEngine("osrm", canned=(200, body))):
        with client(running) as osrm, pytest.raises(RoutingEngineError, match="not a 2 x 2"):
            osrm.table(places(2), places(2))


@pytest.mark.parametrize(
    ("engine", "url", "options", "problem"),
    [
        ("graphhopper", "http://x", {}, "unknown routing engine"),
        ("osrm", "localhost:5000", {}, "must start with http"),
        ("osrm", "http://x", {"chunk_size": 0}, "chunk_size must be >= 1"),
    ],
)
def test_bad_settings_are_refused(
    engine: str, url: str, options: dict[str, int], problem: str
) -> None:
    """make_engine refuses unknown engines, URLs without a scheme and empty chunks."""
    with pytest.raises(ValueError, match=problem):
        make_engine(engine, url, **options)  # type: ignore[arg-type]


def test_an_engine_is_a_travel_time_provider(server: Running) -> None:
    """RoutingEngineProvider plugs an engine into geo.travel_matrix, as int seconds and metres."""
    chosen = [municipality("19130"), municipality("19257"), municipality("19190")]
    with client(server) as engine:
        distance, seconds = travel_matrix(chosen, RoutingEngineProvider(engine))
    assert distance.dtype == seconds.dtype == np.int64
    assert seconds[0, 1] == round(road(point(as_place(chosen[0])), point(as_place(chosen[1])))[0])
    assert seconds[1, 1] == 0


def as_place(m: object) -> Place:
    """A municipality as a Place."""
    return Place(m.key, m.name, m.latitude, m.longitude)  # type: ignore[attr-defined]


class GridEngine:
    """A pure engine whose answer for (i, j) encodes the pair, recording each request's size."""

    name, url, profile = "grid", "memory://", "test"

    def __init__(self, chunk_size: int) -> None:
        self.chunk_size = chunk_size
        self.calls: list[tuple[int, int]] = []

    def table(self, sources: Sequence[Place], destinations: Sequence[Place]) -> EngineTable:
        """Time = 1000 * source number + destination number; distance twice that."""
        self.calls.append((len(sources), len(destinations)))
        time_s = np.array(
            [[1000.0 * int(a.key) + int(b.key) for b in destinations] for a in sources]
        )
        return EngineTable(time_s, 2 * time_s)


@settings(max_examples=60, deadline=None)
@given(
    origins=st.integers(1, 23),
    destinations=st.integers(1, 23),
    chunk=st.integers(1, 10),
    offset=st.integers(0, 500),
)
def test_chunks_assemble_into_the_whole_matrix(
    origins: int, destinations: int, chunk: int, offset: int
) -> None:
    """Any sizes and chunk size: every cell lands in its place and no request is too big."""
    rows = [Place(str(i), str(i), 40.0, -3.0) for i in range(origins)]
    cols = [Place(str(offset + j), str(j), 40.0, -3.0) for j in range(destinations)]
    engine = GridEngine(chunk)
    table = engine_matrix(engine, rows, cols)
    want = np.array(
        [[1000.0 * i + offset + j for j in range(destinations)] for i in range(origins)]
    )
    assert np.array_equal(table.time_s, want)
    assert np.array_equal(table.distance_m, 2 * want)
    assert len(engine.calls) == math.ceil(origins / chunk) * math.ceil(destinations / chunk)
    assert all(s <= chunk and d <= chunk for s, d in engine.calls)
