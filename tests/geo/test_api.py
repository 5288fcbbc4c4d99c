"""The public API of geo as other packages use it."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner

import geo
from geo.cli import bench_geo, run_benchmark, search_queries


def test_public_names_work_from_the_package() -> None:
    """The documented entry points are reachable as geo.<name> and do what they say."""
    assert len(geo.gazetteer()) == 288
    assert geo.municipality("19257").name == "Sigüenza"
    assert geo.search("siguenza")[0].ine_code == "19257"
    assert geo.resolve("molina aragon").name == "Molina de Aragón"
    distance, time = geo.travel_matrix([geo.municipality("19130"), geo.municipality("19257")])
    assert distance.dtype == time.dtype == np.int64
    assert isinstance(geo.default_provider(), geo.ModelProvider)
    assert geo.geocode("Calle Mayor 3, Siguenza").ine_code == "19257"
    assert set(geo.__all__) <= set(dir(geo))


def test_errors_are_value_errors() -> None:
    """Every geo error is a ValueError, so callers can map them to a 400-like answer."""
    for error in (geo.PlaceNotFound, geo.AmbiguousPlace, geo.MatrixFileError, geo.GeoError):
        assert issubclass(error, ValueError)
    assert issubclass(geo.UnknownMunicipalityError, KeyError)


def test_benchmark_command_prints_the_table() -> None:
    """`bench geo` prints matrix (cold, cached) and search timings with mean and p95."""
    result = CliRunner().invoke(bench_geo, ["--searches", "30", "--matrix-runs", "2"])
    assert result.exit_code == 0, result.output
    assert bench_geo.name == "geo"
    for step in ("travel matrix 288x288 (cold)", "(cached)", "30 searches", "misspelled"):
        assert step in result.output
    assert "mean ms" in result.output and "p95 ms" in result.output


def test_benchmark_queries_mix_kinds_and_find_their_place() -> None:
    """The benchmark's queries are a reproducible mix, and nearly all find their place first."""
    queries = search_queries(90, seed=1)
    assert queries == search_queries(90, seed=1)
    assert {kind for kind, _, _ in queries} == {"exact", "accent-less", "misspelled"}
    searches = next(t for t in run_benchmark(90, 1, 1) if t.step == "90 searches")
    assert float(searches.note.split("%")[0]) >= 95


def test_benchmark_runs_as_a_module() -> None:
    """`python -m geo.cli` runs the same command outside the rural-cars CLI."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "geo.cli", "--searches", "3", "--matrix-runs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "3 searches" in done.stdout
