"""Matrix files built from a routing engine: provenance, incremental updates, unroutable pairs."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from geo.engines import make_engine
from geo.errors import MatrixFileError, PlacesFileError, UnroutablePairError
from geo.gazetteer import gazetteer
from geo.matrixbuild import MatrixUpdate, plan_matrix_update, run_matrix_update
from geo.matrixfile import MatrixFileProvider
from geo.matrixread import load_matrix_file
from geo.points import Place, read_places
from geo.providers import ModelProvider
from tests.geo.engine_server import FakeEngine, Running, Seen, road, serve

STOP = Place("hc-sig", "Centro de Salud de Sigüenza", 41.0686, -2.6437)
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def towns(count: int, start: int = 0) -> list[Place]:
    """`count` municipalities as Places, from position `start` of the gazetteer."""
    return [
        Place(m.key, m.name, m.latitude, m.longitude) for m in gazetteer()[start : start + count]
    ]


@pytest.fixture(params=["osrm", "valhalla"])
def server(request: pytest.FixtureRequest) -> Iterator[Running]:
    """A fake OSRM or Valhalla, started for the test."""
    yield from serve(FakeEngine(request.param))


def update(
    running: Running,
    path: Path,
    places: Sequence[Place],
    *,
    chunk_size: int = 3,
    allow_unroutable: bool = False,
    rebuild: bool = False,
) -> MatrixUpdate:
    """Run one plan-and-update against the fake engine, as the CLI does."""
    with make_engine(
        running.engine.kind, running.url, chunk_size=chunk_size, backoff_s=0.01
    ) as engine:
        plan = plan_matrix_update(path, places, engine, rebuild=rebuild)
        fallback = ModelProvider() if allow_unroutable else None
        return run_matrix_update(plan, engine, fallback=fallback, now=MONDAY)


def requested_pairs(seen: Sequence[Seen]) -> set[tuple[tuple[float, float], tuple[float, float]]]:
    """Every (from, to) coordinate pair the server was asked for."""
    pairs: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    for request in seen:
        if request.body is not None:  # Valhalla
            sources = [(p["lat"], p["lon"]) for p in request.body["sources"]]
            targets = [(p["lat"], p["lon"]) for p in request.body["targets"]]
        else:  # OSRM
            points = [
                (float(lat), float(lon))
                for lon, lat in (c.split(",") for c in request.path.split("/")[-1].split(";"))
            ]
            pick = request.query
            sources = [points[int(i)] for i in pick["sources"][0].split(";")] if pick else points
            targets = (
                [points[int(i)] for i in pick["destinations"][0].split(";")] if pick else points
            )
        pairs.update((a, b) for a in sources for b in targets)
    return pairs


def at(place: Place) -> tuple[float, float]:
    """A place's coordinates as the server receives them (OSRM rounds to 6 decimals)."""
    return (round(place.latitude, 6), round(place.longitude, 6))


@pytest.mark.parametrize("suffix", [".npz", ".csv"])
def test_a_new_file_holds_every_pair_and_its_provenance(
    server: Running, tmp_path: Path, suffix: str
) -> None:
    """Municipalities and a named stop: all pairs from the engine, and where they came from."""
    places = [*towns(4), STOP]
    path = tmp_path / f"matrix{suffix}"
    result = update(server, path, places)
    assert (result.places, result.kept, result.pairs, result.requests) == (5, 0, 25, 4)
    table = load_matrix_file(path, known_keys=[p.key for p in places])
    assert table.keys == tuple(p.key for p in places)
    want = np.array([[road(at(a), at(b))[0] for b in places] for a in places])
    assert np.allclose(table.time_s, want, atol=0.5)
    provenance = table.provenance
    assert provenance is not None
    assert (provenance.engine, provenance.url) == (server.engine.kind, server.url)
    assert provenance.created == provenance.updated == "2026-03-02T08:00:00+00:00"
    assert provenance.places[-1] == STOP
    stop_to_town = MatrixFileProvider(path, known_keys=table.keys).matrix([STOP, places[0]])
    assert stop_to_town.time_s[0, 1] == round(table.time_s[4, 0])


def test_adding_places_requests_only_their_rows_and_columns(
    server: Running, tmp_path: Path
) -> None:
    """4 places then 2 more: 2 x 6 + 4 x 2 pairs are asked, none between the first 4 again."""
    path = tmp_path / "matrix.npz"
    first, more = towns(4), [*towns(1, start=10), STOP]
    update(server, path, first)
    server.engine.seen.clear()
    result = update(server, path, [*first, *more])
    asked = requested_pairs(server.engine.seen)
    old = {at(p) for p in first}
    assert not {(a, b) for a, b in asked if a in old and b in old}
    assert len(asked) == result.pairs == 2 * 6 + 4 * 2
    assert result.computed == (more[0].key, STOP.key)
    assert result.kept == 4
    table = load_matrix_file(path, check_keys=False)
    whole = tmp_path / "whole.npz"
    update(server, whole, [*first, *more])
    assert np.array_equal(table.time_s, load_matrix_file(whole, check_keys=False).time_s)
    assert table.provenance is not None
    assert table.provenance.created == "2026-03-02T08:00:00+00:00"


def test_an_update_with_nothing_new_sends_no_request(server: Running, tmp_path: Path) -> None:
    """Running the command again on the same places asks the engine nothing."""
    path = tmp_path / "matrix.csv"
    update(server, path, towns(3))
    server.engine.seen.clear()
    result = update(server, path, towns(3))
    assert (result.pairs, result.requests, server.engine.seen) == (0, 0, [])


def test_a_moved_place_is_recomputed_and_a_missing_one_kept(
    server: Running, tmp_path: Path
) -> None:
    """A stop with new coordinates gets new rows; a place not given this time stays in the file."""
    path = tmp_path / "matrix.npz"
    update(server, path, [*towns(3), STOP])
    moved = Place(STOP.key, STOP.name, STOP.latitude + 0.01, STOP.longitude)
    result = update(server, path, [*towns(2), moved])
    assert result.computed == (STOP.key,)
    table = load_matrix_file(path, check_keys=False)
    assert table.keys == (*(p.key for p in towns(3)), STOP.key)
    assert table.time_s[0, 3] == pytest.approx(road(at(towns(1)[0]), at(moved))[0], abs=0.5)


def test_another_engine_or_a_file_without_provenance_needs_a_rebuild(tmp_path: Path) -> None:
    """An OSRM file is not extended with Valhalla's times, nor a hand-made file at all."""
    path = tmp_path / "matrix.npz"
    for running in serve(FakeEngine("osrm")):
        update(running, path, towns(2))
    for running in serve(FakeEngine("valhalla")):
        with pytest.raises(MatrixFileError, match=r"computed by osrm \(driving\).*--rebuild"):
            update(running, path, towns(3))
        assert update(running, path, towns(3), rebuild=True).pairs == 9
    np.savez(
        path, keys=np.array(["19001", "19002"]), distance_m=np.eye(2)[::-1], time_s=np.eye(2)[::-1]
    )
    for running in serve(FakeEngine("osrm")):
        with pytest.raises(MatrixFileError, match="has no provenance"):
            update(running, path, towns(3))


def test_an_unroutable_pair_fails_before_the_file_is_touched(tmp_path: Path) -> None:
    """Without --allow-unroutable a pair without road stops the run; the old file stays."""
    path = tmp_path / "matrix.npz"
    for running in serve(FakeEngine("osrm")):
        update(running, path, towns(2))
        before = path.read_bytes()
        running.engine.islands.add(at(STOP))
        with pytest.raises(UnroutablePairError, match=f"for {STOP.key} -> 19001: no road"):
            update(running, path, [*towns(2), STOP])
        assert path.read_bytes() == before


def test_allowed_unroutable_pairs_are_estimated_and_recorded(tmp_path: Path) -> None:
    """With --allow-unroutable the model fills the pairs and the provenance lists them."""
    path = tmp_path / "matrix.csv"
    for running in serve(FakeEngine("valhalla", islands={at(STOP)})):
        result = update(running, path, [*towns(2), STOP], allow_unroutable=True)
        assert set(result.estimated) == {
            (STOP.key, "19001"),
            (STOP.key, "19002"),
            ("19001", STOP.key),
            ("19002", STOP.key),
        }
        update(running, path, [*towns(3), STOP], allow_unroutable=True)
    table = load_matrix_file(path, check_keys=False)
    assert table.provenance is not None
    assert len(table.provenance.estimated) == 6
    model = ModelProvider().matrix([towns(1)[0], STOP])
    assert table.time_s[0, table.keys.index(STOP.key)] == model.time_s[0, 1]


def test_provenance_that_does_not_fit_the_matrix_is_refused(tmp_path: Path) -> None:
    """A hand-edited provenance naming other places than the matrix's is a file defect."""
    path = tmp_path / "matrix.csv"
    for running in serve(FakeEngine("osrm")):
        update(running, path, towns(2))
    head, rest = path.read_text(encoding="utf-8").split("\n", 1)
    data = json.loads(head.removeprefix("# provenance: "))
    data["places"][1]["id"] = "19999"
    path.write_text("# provenance: " + json.dumps(data) + "\n" + rest, encoding="utf-8")
    with pytest.raises(MatrixFileError, match="provenance does not describe the file's places"):
        load_matrix_file(path)
    path.write_text("# provenance: {not json\n" + rest, encoding="utf-8")
    with pytest.raises(MatrixFileError, match="line 1: unreadable provenance"):
        load_matrix_file(path)


def test_places_without_a_key_or_with_two_positions_are_refused(tmp_path: Path) -> None:
    """Every row needs a key, and one key one place."""
    engine = make_engine("osrm", "http://127.0.0.1:9")
    with pytest.raises(MatrixFileError, match="has no key"):
        plan_matrix_update(tmp_path / "m.npz", [(40.0, -3.0), STOP], engine)
    twice = Place(STOP.key, STOP.name, 40.0, -3.0)
    with pytest.raises(MatrixFileError, match="given twice with different coordinates"):
        plan_matrix_update(tmp_path / "m.npz", [STOP, twice, *towns(1)], engine)
    engine.close()


def test_places_files_in_csv_and_json(tmp_path: Path) -> None:
    """Extra places come as CSV or JSON of id, name, lat, lon."""
    csv_path = tmp_path / "stops.csv"
    csv_path.write_text(
        "id,name,lat,lon\nhc-sig,Centro de Salud,41.0686,-2.6437\n", encoding="utf-8"
    )
    json_path = tmp_path / "stops.json"
    json_path.write_text(
        json.dumps([{"id": 7, "name": "Mercado", "lat": "40.63", "lon": -3.16}]), encoding="utf-8"
    )
    assert read_places(csv_path) == (Place("hc-sig", "Centro de Salud", 41.0686, -2.6437),)
    assert read_places(json_path) == (Place("7", "Mercado", 40.63, -3.16),)


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("s.csv", "id,name,lat\n1,A,40\n", "header lacks lon"),
        ("s.csv", "id,name,lat,lon\n1,A,40,-3\n1,B,41,-3\n", "line 3: duplicate id '1'"),
        ("s.csv", "id,name,lat,lon\n1,A,95,-3\n", "line 2: bad coordinates"),
        ("s.csv", "id,name,lat,lon\n1,,40,-3\n", "line 2: missing name"),
        ("s.json", '{"id": 1}', "expected a JSON list"),
        ("s.json", '[{"id": 1, "name": "A", "lat": 40}]', "item 0: missing lon"),
        ("s.txt", "", "unsupported places file type"),
    ],
)
def test_broken_places_files_are_refused(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    """Each defect of a places file names the file and the row."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlacesFileError, match=problem):
        read_places(path)
