"""``rural-cars geo calibrate --from-marks``: the travel model learns from the drives marked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from flask import Flask
from sqlalchemy.orm import Session

import geo
from geo.calibration_report import predict_legs
from tests.drives_marked import seed_marked_drives
from tests.factories import Factory, tomorrow
from web.commands import main


def test_calibrating_on_the_marks_brings_the_model_to_the_roads(
    app: Flask, session: Session, make: Factory, tmp_path: Path
) -> None:
    """On roads 30 % slower than the model, the model fitted on the marks is nearer the truth
    than the embedded one, and the command says how many legs and routes it read."""
    expected = seed_marked_drives(session, make)
    session.commit()
    out = tmp_path / "calibrated.json"
    result = app.test_cli_runner().invoke(
        main,
        [
            "geo",
            "calibrate",
            "--from-marks",
            "--since",
            tomorrow().isoformat(),
            "--write",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"marks since {tomorrow()} ({len(expected) + 1} driven routes)" in result.output
    assert f"{len(expected)} legs" in result.output
    legs = [geo.Leg(a, b, seconds) for a, b, seconds in expected]
    truth = np.array([seconds for _, _, seconds in expected])
    before = np.abs(predict_legs(geo.TravelModel(), legs) - truth)
    after = np.abs(predict_legs(geo.load_travel_model(out), legs) - truth)
    assert np.median(after) < np.median(before) / 2


def test_without_marks_the_command_says_so(app: Flask) -> None:
    """An empty database is a message and exit status 1, not a traceback."""
    result = app.test_cli_runner().invoke(main, ["geo", "calibrate", "--from-marks"])
    assert result.exit_code == 1
    assert "No marked legs" in result.output


def test_legs_file_and_marks_are_exclusive(app: Flask, tmp_path: Path) -> None:
    """Neither, or both, is a usage error."""
    assert app.test_cli_runner().invoke(main, ["geo", "calibrate"]).exit_code == 2
    legs = tmp_path / "legs.csv"
    legs.write_text("from,to,seconds\n19257,19130,3000\n")
    both = ["geo", "calibrate", "--from-marks", "--legs", str(legs)]
    assert app.test_cli_runner().invoke(main, both).exit_code == 2
