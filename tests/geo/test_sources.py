"""The travel-times setting: which provider it names and how a plan records it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo.engines.matrix import RoutingEngineProvider
from geo.gazetteer import municipality
from geo.matrixfile import MatrixFileProvider
from geo.matrixformat import MatrixProvenance
from geo.matrixwrite import write_matrix_file
from geo.points import Place
from geo.providers import ModelProvider
from geo.sources import describe_provider, provider_from_setting
from geo.travel import AreaTravelModel, TravelModel, save_travel_model

TOWNS = [municipality("19130"), municipality("19257")]


def matrix_file(path: Path, seconds: int) -> Path:
    """Write a 2-town matrix file with provenance."""
    places = tuple(Place(t.key, t.name, t.latitude, t.longitude) for t in TOWNS)
    provenance = MatrixProvenance(
        "osrm",
        "http://osrm:5000",
        "driving",
        "2026-03-01T00:00:00+00:00",
        "2026-03-02T00:00:00+00:00",
        places,
    )
    times = np.array([[0, seconds], [seconds, 0]])
    return write_matrix_file(path, provenance.keys, times * 20, times, provenance)


def test_the_default_is_the_embedded_model() -> None:
    """An empty setting or 'model' is the travel model, recorded with its parameters."""
    for setting in ("", "model", " model "):
        provider = provider_from_setting(setting)
        assert provider == ModelProvider()
    source = describe_provider(ModelProvider())
    assert source.kind == "model"
    assert "circuity 1.3, 65.0 km/h" in source.description
    assert source.version != describe_provider(ModelProvider(TravelModel(1.4))).version


def test_a_calibrated_model_file(tmp_path: Path) -> None:
    """'model:PATH' loads a calibrated model; its version is its parameters'."""
    model = AreaTravelModel(areas=(("Sierra", TravelModel(1.35, 50.0)),), fitted=(("legs", "40"),))
    provider = provider_from_setting(f"model:{save_travel_model(model, tmp_path / 'm.json')}")
    assert isinstance(provider, ModelProvider)
    assert provider.model == model
    source = describe_provider(provider)
    assert (source.kind, "40 legs" in source.description) == ("calibrated", True)


@pytest.mark.parametrize("prefix", ["file:", ""])
def test_a_matrix_file_and_its_version(tmp_path: Path, prefix: str) -> None:
    """'file:PATH' or a bare .npz path is a matrix file; a changed file is a new version."""
    path = matrix_file(tmp_path / "m.npz", 3300)
    provider = provider_from_setting(f"{prefix}{path}")
    assert isinstance(provider, MatrixFileProvider)
    assert provider.matrix(TOWNS).time_s[0, 1] == 3300
    first = describe_provider(provider)
    assert first.kind == "file"
    assert "osrm at http://osrm:5000, updated 2026-03-02" in first.description
    matrix_file(path, 3400)
    assert describe_provider(provider_from_setting(str(path))).version != first.version


def test_a_routing_engine_is_asked_live() -> None:
    """'osrm:URL' and 'valhalla:URL' are engine providers, recorded by engine and URL."""
    provider = provider_from_setting("valhalla:http://valhalla:8002")
    assert isinstance(provider, RoutingEngineProvider)
    source = describe_provider(provider)
    assert source.description == "valhalla at http://valhalla:8002 (auto), asked live"
    assert source.kind == "engine"


@pytest.mark.parametrize("setting", ["graphhopper:http://x", "model:", "osrm:", "matrix.json"])
def test_unknown_settings_are_refused(setting: str) -> None:
    """A setting that names no source is a clear ValueError, not the model by surprise."""
    with pytest.raises(ValueError, match="unknown travel-times setting"):
        provider_from_setting(setting)
