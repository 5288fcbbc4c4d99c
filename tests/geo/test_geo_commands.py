"""The `rural-cars geo matrix` and `geo calibrate` commands, against a local fake engine."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from geo.legs import read_legs
from geo.matrixread import load_matrix_file
from geo.travel import AreaTravelModel, load_travel_model
from tests.geo.drives import by_area, drives
from tests.geo.drives import main as generate_drives
from tests.geo.engine_server import FakeEngine, serve
from web.commands.geo_matrix import geo_group

STOPS = [
    {"id": "hc-sig", "name": "Centro de Salud de Sigüenza", "lat": 41.0686, "lon": -2.6437},
    {"id": "hc-mol", "name": "Centro de Salud de Molina", "lat": 40.8452, "lon": -1.8855},
    {"id": "hosp-gu", "name": "Hospital de Guadalajara", "lat": 40.6268, "lon": -3.1620},
]


def stops_file(tmp_path: Path, count: int) -> Path:
    """Write the first `count` stops as a places JSON file."""
    path = tmp_path / f"stops{count}.json"
    path.write_text(json.dumps(STOPS[:count]), encoding="utf-8")
    return path


def test_geo_matrix_writes_the_file_and_then_adds_only_new_places(tmp_path: Path) -> None:
    """Two stops then three: the second run asks only the new stop's row and column."""
    out = tmp_path / "matrix.npz"
    for running in serve(FakeEngine("osrm")):
        args = ["matrix", "--engine", "osrm", "--url", running.url, "--out", str(out)]
        args += ["--no-municipalities", "--chunk-size", "2"]
        first = CliRunner().invoke(geo_group, [*args, "--places", str(stops_file(tmp_path, 2))])
        assert first.exit_code == 0, first.output
        assert "2 places, 0 kept, 2 to compute (4 pairs)" in first.output
        assert f"wrote 2 places (2 computed, 0 kept) from 1 requests to osrm at {running.url}" in (
            first.output
        )
        running.engine.seen.clear()
        second = CliRunner().invoke(geo_group, [*args, "--places", str(stops_file(tmp_path, 3))])
        assert second.exit_code == 0, second.output
        assert "3 places, 2 kept, 1 to compute (5 pairs)" in second.output
        assert len(running.engine.seen) == 3  # 1 x 3 in two chunks, then 2 x 1
    table = load_matrix_file(out, known_keys=[s["id"] for s in STOPS])
    assert table.keys == ("hc-sig", "hc-mol", "hosp-gu")
    assert table.provenance is not None
    assert table.provenance.places[2].name == "Hospital de Guadalajara"


def test_geo_matrix_fails_on_unroutable_pairs_unless_allowed(tmp_path: Path) -> None:
    """A stop without roads: exit 1 naming it, or with --allow-unroutable a listed estimate."""
    out = tmp_path / "matrix.csv"
    island = {(STOPS[1]["lat"], STOPS[1]["lon"])}
    for running in serve(FakeEngine("valhalla", islands=island)):  # type: ignore[arg-type]
        args = ["matrix", "--engine", "valhalla", "--url", running.url, "--out", str(out)]
        args += ["--no-municipalities", "--places", str(stops_file(tmp_path, 3))]
        failed = CliRunner().invoke(geo_group, args)
        assert failed.exit_code == 1
        assert f"Error: valhalla at {running.url} for hc-sig -> hc-mol: no road found" in (
            failed.output
        )
        assert not out.exists()
        allowed = CliRunner().invoke(geo_group, [*args, "--allow-unroutable"])
        assert allowed.exit_code == 0, allowed.output
        assert "4 pair(s) without a road, estimated by the travel model" in allowed.output
        assert "  hc-mol -> hc-sig" in allowed.output


def test_geo_matrix_reports_an_engine_that_is_down(tmp_path: Path) -> None:
    """A server answering 503 every time: a one-line error after the retries, exit 1."""
    for running in serve(FakeEngine("osrm", failing_requests=100)):
        result = CliRunner().invoke(
            geo_group,
            [
                "matrix",
                "--engine",
                "osrm",
                "--url",
                running.url,
                "--out",
                str(tmp_path / "m.npz"),
                "--retries",
                "1",
                "--no-municipalities",
                "--places",
                str(stops_file(tmp_path, 2)),
            ],
        )
    assert result.exit_code == 1
    assert "HTTP 503" in result.output and "(after 2 attempts)" in result.output


def test_geo_calibrate_prints_the_table_and_writes_the_model(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Legs written by the drives generator (``python -m tests.geo.drives``, as the benchmark
    does) in, before/after table out; --write saves a model planning can load."""
    legs = tmp_path / "legs.csv"
    generate_drives(["--out", str(legs), "--count", "400", "--seed", "8"])
    assert "400 drives on the hidden roads" in capsys.readouterr().out
    assert [(leg.origin, leg.destination) for leg in read_legs(legs)] == [
        (d.leg.origin, d.leg.destination) for d in drives(400, 8, by_area)
    ]
    model = tmp_path / "calibrated.json"
    result = CliRunner().invoke(
        geo_group,
        ["calibrate", "--legs", str(legs), "--holdout", "0.25", "--write", str(model)],
    )
    assert result.exit_code == 0, result.output
    assert "400 legs; fitted on 300" in result.output
    assert "errors on 100 held-out legs" in result.output
    for text in ("before (current)", "after (calibrated)", "Sierra", "Corredor A-2"):
        assert text in result.output
    assert isinstance(load_travel_model(model), AreaTravelModel)
    again = CliRunner().invoke(geo_group, ["calibrate", "--legs", str(legs), "--model", str(model)])
    assert again.exit_code == 0, again.output


def test_geo_calibrate_names_a_broken_legs_file(tmp_path: Path) -> None:
    """A malformed legs file is a one-line error naming the line."""
    legs = tmp_path / "legs.csv"
    legs.write_text("from,to,seconds\n19130,19257,later\n", encoding="utf-8")
    result = CliRunner().invoke(geo_group, ["calibrate", "--legs", str(legs)])
    assert result.exit_code == 1
    assert "line 2: seconds 'later' is not a number" in result.output
