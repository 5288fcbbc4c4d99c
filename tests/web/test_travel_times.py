"""The TRAVEL_TIMES setting: read at start-up, made the app's travel times, refused when bad."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import geo
from web import create_app
from web.commands import main
from web.config import ConfigurationError
from web.database import database


@pytest.fixture(autouse=True)
def _model_again() -> Iterator[None]:
    yield
    geo.configure(None)


def _config(db_url: str, setting: str) -> dict[str, object]:
    return {"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "t", "TRAVEL_TIMES": setting}


def test_a_matrix_file_setting_becomes_the_apps_travel_times(db_url: str, tmp_path: Path) -> None:
    """``file:PATH`` is read at start-up; the app records which source it plans with."""
    towns = [geo.municipality("19257"), geo.municipality("19130")]
    model = geo.ModelProvider().matrix(towns)
    path = geo.write_matrix_file(
        tmp_path / "m.npz", [t.ine_code for t in towns], model.distance_m, model.time_s
    )
    app = create_app(_config(db_url, f"file:{path}"))
    try:
        assert app.extensions["travel_times"]["kind"] == "file"
        assert isinstance(geo.default_provider(), geo.MatrixFileProvider)
    finally:
        database(app).engine.dispose()


def test_a_missing_matrix_file_stops_the_start_up(db_url: str) -> None:
    """A broken setting is a configuration error naming the setting, not a plan that fails."""
    with pytest.raises(ConfigurationError, match=r"TRAVEL_TIMES='file:/nowhere/m.npz'"):
        create_app(_config(db_url, "file:/nowhere/m.npz"))


def test_the_command_line_says_what_is_wrong(
    monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path
) -> None:
    """``rural-cars`` with a bad RURAL_CARS_TRAVEL_TIMES exits 1 with a message."""
    monkeypatch.setenv("RURAL_CARS_TRAVEL_TIMES", "teleport:now")
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RURAL_CARS_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["plan", "--time-limit", "1"])
    assert result.exit_code == 1
    assert "TRAVEL_TIMES='teleport:now'" in result.output
